"""The signed settings link from a mail: works without signing in, for one user, for 60 days."""

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from pilotmgr.extensions import db
from pilotmgr.notices.mail_links import make_token, settings_url, unsubscribe_url
from pilotmgr.reminders.models import Notification
from tests.conftest import CSRF_RE


def _path(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:5000")


def _reload(user):
    db.session.expire_all()
    return db.session.get(type(user), user.id)


def test_the_one_click_post_from_a_mail_provider_switches_that_mail_off_without_csrf(org, client):
    response = client.post(
        _path(unsubscribe_url(org.staff)), data={"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert _reload(org.staff).email_mode == "off"
    assert _reload(org.staff).leader_digest is True  # only that kind of mail


def test_one_click_on_the_leader_digest_stops_the_digest_and_nothing_else(org, client):
    url = unsubscribe_url(org.head_province, "leader_digest")
    assert client.post(_path(url), data={"List-Unsubscribe": "One-Click"}).status_code == 200
    head = _reload(org.head_province)
    assert head.leader_digest is False and head.email_mode == "single"


def test_the_settings_page_opens_without_signing_in_and_saves_with_its_csrf_token(org, client):
    path = _path(settings_url(org.head_province))
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and org.head_province.email in html
    assert 'id="f-email_mode"' in html and 'id="f-leader_digest"' in html
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"

    token = CSRF_RE.search(html).group(1)
    saved = client.post(
        path, data={"csrf_token": token, "email_mode": "digest", "leader_digest": "0"}
    )
    assert saved.status_code == 302
    head = _reload(org.head_province)
    assert (head.email_mode, head.leader_digest) == ("digest", False)


def test_the_settings_form_without_its_csrf_token_changes_nothing(org, client):
    response = client.post(_path(settings_url(org.staff)), data={"email_mode": "off"})
    assert response.status_code == 400  # refused by the CSRF check, as every other form
    assert _reload(org.staff).email_mode == "single"


def test_a_wrong_choice_is_shown_beside_the_field_in_vietnamese(org, client):
    path = _path(settings_url(org.staff))
    token = CSRF_RE.search(client.get(path).get_data(as_text=True)).group(1)
    response = client.post(path, data={"csrf_token": token, "email_mode": "hourly"})
    assert response.status_code == 422
    assert "Lựa chọn không hợp lệ" in response.get_data(as_text=True)
    assert _reload(org.staff).email_mode == "single"


def test_a_link_expires_after_sixty_days(org, client):
    with time_machine.travel(datetime(2027, 1, 1, tzinfo=UTC), tick=False):
        url = unsubscribe_url(org.staff)
    with time_machine.travel(datetime(2027, 1, 1, tzinfo=UTC) + timedelta(days=59), tick=False):
        assert client.get(_path(url).removesuffix("/unsubscribe")).status_code == 200
    with time_machine.travel(datetime(2027, 1, 1, tzinfo=UTC) + timedelta(days=61), tick=False):
        assert client.post(_path(url), data={"List-Unsubscribe": "One-Click"}).status_code == 404
    assert _reload(org.staff).email_mode == "single"


def test_a_forged_or_reassigned_link_opens_nothing(org, client):
    token = make_token(org.staff)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert client.get(f"/mail-settings/{forged}").status_code == 404
    org.staff.email = "someone.else@bn.gov.vn"  # the address was given to another person
    db.session.commit()
    assert client.get(f"/mail-settings/{token}").status_code == 404
    assert client.post(f"/mail-settings/{token}/unsubscribe").status_code == 404


def test_leaving_the_digest_drops_what_waited_for_it(org, client, make):
    org.staff.email_mode = "digest"
    db.session.add(Notification(user_id=org.staff.id, kind="submitted", digest_due=True))
    db.session.commit()
    client.post(_path(unsubscribe_url(org.staff)), data={"List-Unsubscribe": "One-Click"})
    note = db.session.scalar(select(Notification))
    db.session.refresh(note)
    assert note.digest_due is False
