"""The pilot's history reads as sentences: what was added, what changed from what to what."""

from pilotmgr.extensions import db
from pilotmgr.pilots import tasks


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
