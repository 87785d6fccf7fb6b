"""Working days and reminder rules: dates as written in Vietnam, every mistake at once."""

from datetime import date

from pilotmgr.extensions import db
from pilotmgr.reminders.models import CalendarDay, ReminderRule
from tests.html import field_error, value


def test_a_day_off_is_written_31_12_2026(org, login):
    client = login(org.admin)
    response = client.post(
        "/admin/calendar",
        data={"csrf_token": client.csrf, "day": "02/01/2027", "working": "0", "note": "Nghỉ bù"},
    )
    assert response.status_code == 302
    saved = db.session.get(CalendarDay, date(2027, 1, 2))
    assert saved.working is False and saved.note == "Nghỉ bù"
    assert "02/01/2027" in client.get("/admin/calendar").get_data(as_text=True)


def test_a_day_that_does_not_exist_comes_back_with_what_was_typed(org, login):
    client = login(org.admin)
    response = client.post(
        "/admin/calendar",
        data={"csrf_token": client.csrf, "day": "31/02/2027", "working": "1", "note": "Làm bù"},
    )
    assert response.status_code == 422
    assert field_error(response, "day-day") == "Hãy nhập ngày theo dạng 31/12/2026."
    assert value(response, "day-day") == "31/02/2027"
    assert value(response, "day-working") == "1"
    assert value(response, "day-note") == "Làm bù"


def test_wrong_rules_are_all_named_beside_their_fields_and_kept(org, login, make):
    programme_id = make.challenge().programme_id
    client = login(org.admin)
    response = client.post(
        f"/admin/reminder-rules/{programme_id}",
        data={
            "csrf_token": client.csrf,
            "before_days": "7, ba, 1",
            "overdue_every": "99",
            "escalate_after": "3",
            "pilot_end_days": "10,3",
            "decision_after": "5",
        },
    )
    assert response.status_code == 422
    prefix = f"rules-{programme_id}-"
    assert field_error(response, prefix + "before_days") == (
        "Số ngày làm việc từ 1 đến 60, cách nhau bởi dấu phẩy."
    )
    assert field_error(response, prefix + "overdue_every") == "Không được quá 20."
    assert value(response, prefix + "before_days") == "7, ba, 1"
    assert value(response, prefix + "overdue_every") == "99"
    assert db.session.get(ReminderRule, programme_id) is None

    saved = client.post(
        f"/admin/reminder-rules/{programme_id}",
        data={
            "csrf_token": client.csrf,
            "before_days": "5, 2",
            "overdue_every": "1",
            "escalate_after": "4",
            "pilot_end_days": "10,3",
            "decision_after": "5",
        },
    )
    assert saved.status_code == 302
    assert db.session.get(ReminderRule, programme_id).before_days == "5,2"
