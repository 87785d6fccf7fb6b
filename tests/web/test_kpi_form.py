"""The KPI form on the pilot page: Vietnamese numbers, and what was typed survives an error."""

from pilotmgr.extensions import db
from pilotmgr.pilots.models import Kpi


def test_a_lead_adds_a_kpi_written_the_vietnamese_way(app, login, make):
    pilot = make.pilot("draft", complete=False)
    client = login(pilot.owner)
    response = client.post(
        f"/pilots/{pilot.id}/kpis",
        data={
            "csrf_token": client.csrf,
            "name": "Tỷ lệ hồ sơ trực tuyến",
            "unit": "%",
            "baseline": "12,5",
            "target": "1.200.000",
            "direction": "increase",
        },
    )
    assert response.status_code == 302
    kpi = db.session.query(Kpi).filter_by(pilot_id=pilot.id).one()
    assert (kpi.baseline, kpi.target) == (12.5, 1200000)
    page = client.get(f"/pilots/{pilot.id}").get_data(as_text=True)
    assert "12,5" in page and "1.200.000" in page


def test_a_wrong_number_reopens_the_form_with_what_was_typed_and_a_message_by_its_label(
    app, login, make
):
    pilot = make.pilot("draft", complete=False)
    client = login(pilot.owner)
    response = client.post(
        f"/pilots/{pilot.id}/kpis",
        data={
            "csrf_token": client.csrf,
            "name": "Số hồ sơ xử lý đúng hạn",
            "baseline": "12.5",
            "target": "60",
            "direction": "increase",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Số hồ sơ xử lý đúng hạn"' in page and 'value="12.5"' in page
    assert "Giá trị ban đầu</a>: Hãy nhập số theo dạng 1.200.000,5." in page
    assert "baseline:" not in page
    assert '<details id="add-kpi" open>' in page
    assert db.session.query(Kpi).filter_by(pilot_id=pilot.id).count() == 0


def test_a_target_equal_to_the_baseline_is_refused_beside_the_target(app, login, make):
    pilot = make.pilot("draft", complete=False)
    client = login(pilot.owner)
    response = client.post(
        f"/pilots/{pilot.id}/kpis",
        data={
            "csrf_token": client.csrf,
            "name": "Tỷ lệ",
            "baseline": "40",
            "target": "40",
            "direction": "increase",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="kpi-target-error">' in page
