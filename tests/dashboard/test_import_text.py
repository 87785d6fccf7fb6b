"""The bulk import stores a spreadsheet cell's line breaks in a title as one space."""

from sqlalchemy import select

from pilotmgr.extensions import db
from pilotmgr.pilots.models import Pilot, Task
from tests.dashboard.test_import import _commit, _row, _upload, xlsx


def test_cells_with_line_breaks_become_one_line_titles_and_keep_breaks_in_the_summary(world, login):
    rows = [
        _row(
            reference="IMP\r\n9",
            kind="pilot",
            title="Chợ 4.0\r\ntại Bắc Ninh",
            unit="P-D",
            owner="lead@pd.gov.vn",
            summary="Dòng 1\r\nDòng 2\t",
        ),
        _row(
            reference="IMP 9",
            kind="task",
            title="Tập huấn\ntiểu thương",
            assignee="staff@pd.gov.vn",
            due_date="2027-04-15",
        ),
    ]
    client = login(world.lead_p)
    response = _upload(client, xlsx(rows))
    assert response.status_code == 200
    assert _commit(client, response.get_data(as_text=True)).status_code == 302
    pilot = db.session.scalar(select(Pilot).where(Pilot.reference == "IMP 9"))
    assert pilot.title == "Chợ 4.0 tại Bắc Ninh" and pilot.summary == "Dòng 1\nDòng 2"
    task = db.session.scalar(select(Task).where(Task.pilot_id == pilot.id))
    assert task.title == "Tập huấn tiểu thương"
