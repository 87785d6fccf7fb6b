"""Recording and reviewing values: only approved values count, anywhere."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from pilotmgr.core.errors import PermissionDenied, ValidationFailed
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Kpi
from pilotmgr.results import service
from pilotmgr.results.models import Measurement


@pytest.fixture
def setup(app, make):
    province = make.unit("BNH", "Tỉnh Bắc Ninh")
    department = make.unit("BNH-YT", "Sở Y tế", parent=province)
    lead = make.user("lead", department)
    pilot = make.pilot("piloting", owner=lead, unit_=department)
    kpi = db.session.scalar(select(Kpi).where(Kpi.pilot_id == pilot.id))
    db.session.execute(
        update(Measurement).where(Measurement.kpi_id == kpi.id).values(status="rejected")
    )
    db.session.commit()
    return {
        "pilot": pilot,
        "kpi": kpi,
        "lead": lead,
        "head": make.user("head", province),
        "staff": make.user("staff", department),
        "stranger": make.user("staff", make.unit("DNG", "Đà Nẵng")),
        "viewer": make.user("viewer", department),
    }


def _record(s, who, value="60", day=None):
    day = day or s["pilot"].start_date + timedelta(days=10)
    found = service.record_measurement(
        s[who],
        s["kpi"],
        s["pilot"],
        {"value": value, "measured_on": day.isoformat(), "note": "Số liệu quý I"},
    )
    db.session.commit()
    return found


def test_a_submitted_value_does_not_count_until_approved(setup):
    m = _record(setup, "staff")
    before = service.kpi_results(setup["pilot"], [setup["kpi"]])[0].attainment
    service.review_measurement(
        setup["lead"], m, setup["kpi"], setup["pilot"], {"decision": "approve"}
    )
    after = service.kpi_results(setup["pilot"], [setup["kpi"]])[0].attainment
    assert m.status == "approved"
    assert before.latest is None and after.latest == 60


def test_a_rejected_value_never_counts_and_needs_a_reason(setup):
    m = _record(setup, "staff", "99")
    with pytest.raises(ValidationFailed):
        service.review_measurement(
            setup["lead"], m, setup["kpi"], setup["pilot"], {"decision": "reject"}
        )
    service.review_measurement(
        setup["lead"],
        m,
        setup["kpi"],
        setup["pilot"],
        {"decision": "reject", "comment": "Sai nguồn"},
    )
    assert service.kpi_results(setup["pilot"], [setup["kpi"]])[0].attainment.latest is None


def test_a_correction_is_a_new_value_and_the_old_one_stays(setup):
    old = _record(setup, "staff", "50")
    service.review_measurement(
        setup["lead"], old, setup["kpi"], setup["pilot"], {"decision": "approve"}
    )
    with pytest.raises(ValidationFailed):
        service.record_measurement(
            setup["staff"],
            setup["kpi"],
            setup["pilot"],
            {"value": "55", "measured_on": old.measured_on.isoformat(), "corrects": old.id},
        )
    new = service.record_measurement(
        setup["staff"],
        setup["kpi"],
        setup["pilot"],
        {
            "value": "55",
            "measured_on": old.measured_on.isoformat(),
            "corrects": old.id,
            "reason": "Nhập nhầm",
        },
    )
    assert new.corrects_id == old.id and db.session.get(Measurement, old.id).status == "approved"


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"value": "nhiều", "measured_on": "2026-01-01"}, "value"),
        ({"value": "5", "measured_on": "01/01/2026"}, "measured_on"),
        ({"value": "5"}, "measured_on"),
        ({"value": "5", "measured_on": "2999-01-01"}, "measured_on"),
    ],
)
def test_bad_values_are_refused(setup, payload, field):
    with pytest.raises(ValidationFailed) as error:
        service.record_measurement(setup["staff"], setup["kpi"], setup["pilot"], payload)
    assert field in error.value.errors


def test_viewers_and_strangers_may_not_record_and_staff_may_not_review(setup):
    m = _record(setup, "staff")
    for who in ("viewer", "stranger"):
        with pytest.raises(PermissionDenied):
            _record(setup, who)
    with pytest.raises(PermissionDenied):
        service.review_measurement(
            setup["staff"], m, setup["kpi"], setup["pilot"], {"decision": "approve"}
        )


def test_the_owner_may_not_approve_their_own_value_but_a_head_may(setup):
    own = _record(setup, "lead")
    with pytest.raises(PermissionDenied):
        service.review_measurement(
            setup["lead"], own, setup["kpi"], setup["pilot"], {"decision": "approve"}
        )
    service.review_measurement(
        setup["head"], own, setup["kpi"], setup["pilot"], {"decision": "approve"}
    )
    assert own.status == "approved"


def test_web_record_and_approve(setup, login):
    client = login(setup["staff"])
    day = (setup["pilot"].start_date + timedelta(days=5)).isoformat()
    response = client.post(
        f"/kpis/{setup['kpi'].id}/measurements",
        data={"value": "62,5", "measured_on": day, "csrf_token": client.csrf},
    )
    assert response.status_code == 302
    m = db.session.scalar(select(Measurement).where(Measurement.status == "submitted"))
    page = client.get(f"/pilots/{setup['pilot'].id}").get_data(as_text=True)
    assert "chờ duyệt" in page
    client = login(setup["lead"])
    client.post(
        f"/measurements/{m.id}/review", data={"decision": "approve", "csrf_token": client.csrf}
    )
    page = client.get(f"/pilots/{setup['pilot'].id}").get_data(as_text=True)
    assert "62,5" in page
