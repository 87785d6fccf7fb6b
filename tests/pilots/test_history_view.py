"""The pilot's history reads as sentences: what was added, what changed from what to what."""

from pilotmgr.extensions import db
from pilotmgr.pilots import service, tasks


def test_history_names_added_objects_and_shows_changes_with_labels(app, make, login):
    pilot = make.pilot("piloting")
    owner = pilot.owner
    task = tasks.add_task(
        owner,
        pilot,
        {
            "title": "Khảo sát mức độ hài lòng",
            "assignee": owner.email,
            "due_date": make.days(10).isoformat(),
            "priority": "high",
            "deliverable": "Báo cáo khảo sát",
        },
    )
    tasks.update_task(
        owner,
        task,
        {"status": "done", "completion_note": "Đã nộp báo cáo", "version": task.version},
    )
    db.session.commit()

    page = login(owner).get(f"/pilots/{pilot.id}").get_data(as_text=True)

    assert "Thêm nhiệm vụ: <em>Khảo sát mức độ hài lòng</em>" in page
    assert "trạng thái: chưa làm → hoàn thành" in page


def test_history_values_read_as_written_names_dates_and_numbers(app, make, login):
    from pilotmgr.core import audit

    pilot = make.pilot("draft")
    other = make.user("lead", pilot.unit, name="Lê Thu Hà")
    service.update_pilot(
        pilot.owner,
        pilot,
        {
            "owner": other.email,
            "end_date": make.days(90).isoformat(),
            "budget": "1200000.5",
            "version": pilot.version,
        },
    )
    audit.record(actor=pilot.owner, obj=pilot, action="retrieve", pilot_id=pilot.id)
    db.session.commit()

    page = login(pilot.owner).get(f"/pilots/{pilot.id}").get_data(as_text=True)

    assert f"→ {other.name}" in page
    assert f"→ {make.days(90).strftime('%d/%m/%Y')}" in page
    assert "kinh phí: — → 1.200.000,5" in page
    assert "Ghi nhận thay đổi thí điểm" in page and "retrieve" not in page


def test_a_transition_reads_as_its_step_with_what_it_recorded(app, make, login):
    from pilotmgr.pilots.transitions import transition

    pilot = make.pilot("piloting")
    head = make.user("head", pilot.unit)
    transition(
        head,
        pilot,
        {"to": "closed", "outcome": "stopped", "comment": "Dừng", "lessons": "Bài học"},
    )
    db.session.commit()

    page = login(head).get(f"/pilots/{pilot.id}").get_data(as_text=True)

    assert "Kết thúc thí điểm: Đang thí điểm → Đã đóng" in page
    assert "kết quả: Dừng" in page
