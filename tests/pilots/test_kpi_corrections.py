"""Correcting KPIs on record: edit on the page, delete while a draft, the same rules in the API."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from pilotmgr.core.audit import HistoryEntry
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Kpi


def _kpi(pilot) -> Kpi:
    db.session.expire_all()
    return db.session.scalars(select(Kpi).where(Kpi.pilot_id == pilot.id)).first()


def _edit(client, kpi, **change):
    data = {
        "csrf_token": client.csrf,
        "version": str(kpi.version),
        "name": kpi.name,
        "unit": kpi.unit,
        "baseline": "40",
        "target": "65",
        "direction": kpi.direction,
    }
    return client.post(f"/pilots/kpis/{kpi.id}", data=data | change)


def test_the_owner_corrects_a_kpi_written_the_vietnamese_way(org, make, login):
    pilot = make.pilot("draft", owner=org.lead, unit_=org.department)
    client = login(org.lead)
    response = _edit(client, _kpi(pilot), baseline="12,5", target="1.200.000")
    assert response.status_code == 302
    kpi = _kpi(pilot)
    assert (kpi.baseline, kpi.target) == (Decimal("12.5"), Decimal("1200000"))
    page = client.get(f"/pilots/{pilot.id}").get_data(as_text=True)
    assert "giá trị ban đầu: 40 → 12,5" in page and "mục tiêu: 65 → 1.200.000" in page


def test_a_wrong_number_reopens_that_kpis_form_with_what_was_typed(org, make, login):
    pilot = make.pilot("draft", owner=org.lead, unit_=org.department)
    kpi = _kpi(pilot)
    response = _edit(login(org.lead), kpi, baseline="12.5", name="Tỷ lệ đã sửa")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<details class="mt-1" id="edit-kpi-{kpi.id}" open>' in page
    assert 'value="12.5"' in page and 'value="Tỷ lệ đã sửa"' in page
    assert f'id="kpi-{kpi.id}-baseline-error">Hãy nhập số theo dạng 1.200.000,5.' in page
    assert _kpi(pilot).name == kpi.name


def test_after_approval_a_threshold_changes_only_with_a_heads_reason(org, make, login):
    pilot = make.pilot("piloting", owner=org.lead, unit_=org.department)
    kpi = _kpi(pilot)
    assert _edit(login(org.lead), kpi, target="70").status_code == 403
    client = login(org.head)
    no_reason = _edit(client, kpi, target="70")
    assert no_reason.status_code == 422
    assert f'id="kpi-{kpi.id}-comment-error"' in no_reason.get_data(as_text=True)
    done = _edit(client, kpi, target="70", comment="Điều chỉnh theo chỉ đạo của UBND tỉnh.")
    assert done.status_code == 302 and _kpi(pilot).target == 70


def test_a_draft_kpi_is_deleted_and_the_history_keeps_its_name(org, make, login):
    pilot = make.pilot("draft", owner=org.lead, unit_=org.department)
    kpi = _kpi(pilot)
    client = login(org.lead)
    response = client.post(
        f"/pilots/kpis/{kpi.id}/delete",
        data={"csrf_token": client.csrf, "version": str(kpi.version)},
    )
    assert response.status_code == 302
    assert _kpi(pilot) is None
    entry = db.session.scalars(select(HistoryEntry).where(HistoryEntry.action == "delete")).one()
    assert entry.before["name"] == kpi.name
    page = client.get(f"/pilots/{pilot.id}").get_data(as_text=True)
    assert f"Xóa chỉ số KPI: <em>{kpi.name}</em>" in page


def test_once_submitted_a_kpi_cannot_be_deleted(org, make, login):
    pilot = make.pilot("proposed", owner=org.lead, unit_=org.department)
    kpi = _kpi(pilot)
    client = login(org.lead)
    page = client.get(f"/pilots/{pilot.id}").get_data(as_text=True)
    assert "Xóa chỉ số này" not in page
    response = client.post(
        f"/pilots/kpis/{kpi.id}/delete",
        data={"csrf_token": client.csrf, "version": str(kpi.version)},
        follow_redirects=True,
    )
    assert "Chỉ xóa được chỉ số KPI khi thí điểm còn là dự thảo" in response.get_data(as_text=True)
    assert _kpi(pilot) is not None


def test_the_api_deletes_a_draft_kpi_with_its_version(org, make, api):
    pilot = make.pilot("draft", owner=org.lead, unit_=org.department)
    kpi = _kpi(pilot)
    caller = api(org.lead)
    stale = caller.delete(f"/kpis/{kpi.id}?version={kpi.version + 1}")
    assert stale.status_code == 409
    assert api(org.outsider).delete(f"/kpis/{kpi.id}").status_code == 404
    assert api(org.staff).delete(f"/kpis/{kpi.id}").status_code == 403
    done = caller.delete(f"/kpis/{kpi.id}?version={kpi.version}")
    assert done.status_code == 204
    assert _kpi(pilot) is None
    assert caller.delete(f"/kpis/{kpi.id}").status_code == 404


def test_the_api_refuses_to_delete_a_kpi_after_submission(org, make, api):
    pilot = make.pilot("piloting", owner=org.lead, unit_=org.department)
    kpi = _kpi(pilot)
    response = api(org.head).delete(f"/kpis/{kpi.id}")
    assert response.status_code == 409 and response.mimetype == "application/problem+json"
    assert _kpi(pilot) is not None


def test_the_api_corrects_a_kpi_with_its_version(org, make, api):
    pilot = make.pilot("draft", owner=org.lead, unit_=org.department)
    kpi = _kpi(pilot)
    kpi_id, version = kpi.id, kpi.version
    caller = api(org.lead)
    done = caller.patch(f"/kpis/{kpi_id}", json={"target": 80, "version": version})
    assert done.status_code == 200 and done.get_json()["target"] == 80
    stale = caller.patch(f"/kpis/{kpi_id}", json={"target": 90, "version": version})
    assert stale.status_code == 409
