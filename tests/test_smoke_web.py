"""The core walk through the web UI: a lead submits, a head approves."""


def test_lead_submits_and_head_approves_through_forms(client, login, make):
    lead = make.user("lead")
    head = make.user("head", lead.unit)
    pilot = make.pilot("draft", owner=lead)

    login(lead)
    response = client.post(
        f"/pilots/{pilot.id}/transitions", data={"to": "proposed", "csrf_token": client.csrf}
    )
    assert response.status_code == 302

    login(head)
    client.post(
        f"/pilots/{pilot.id}/transitions",
        data={"to": "piloting", "comment": "Đồng ý", "csrf_token": client.csrf},
    )
    assert client.get(f"/api/v1/pilots/{pilot.id}").status_code == 401
    page = client.get(f"/pilots/{pilot.id}").get_data(as_text=True)
    assert "Đồng ý" in page


def test_a_form_post_without_csrf_token_is_refused_and_changes_nothing(client, login, make):
    lead = make.user("lead")
    pilot = make.pilot("draft", owner=lead)
    login(lead)

    response = client.post(f"/pilots/{pilot.id}/transitions", data={"to": "proposed"})

    assert response.status_code == 400
    assert client.get(f"/pilots/{pilot.id}").status_code == 200
    from pilotmgr.extensions import db
    from pilotmgr.pilots.models import Pilot

    db.session.expire_all()
    assert db.session.get(Pilot, pilot.id).stage == "draft"
