"""The pilot's history reads as sentences: what was added, what changed from what to what."""

from pilotmgr.extensions import db
from pilotmgr.pilots import service


def test_history_names_added_objects_and_shows_changes_with_labels(app, make, login):
    pilot = make.pilot("piloting")
    owner = pilot.owner
    task = service.add_task(
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
    service.update_task(owner, task, {"status": "done", "version": task.version})
    db.session.commit()

    page = login(owner).get(f"/pilots/{pilot.id}").get_data(as_text=True)

    assert "Thêm nhiệm vụ: <em>Khảo sát mức độ hài lòng</em>" in page
    assert "trạng thái: chưa làm → hoàn thành" in page
