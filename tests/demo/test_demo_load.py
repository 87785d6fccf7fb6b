"""`flask demo load`: a realistic, complete demo that a new user can log into at once."""

from sqlalchemy import func, select

from devtools.demo import catalog
from pilotmgr.auth.models import User
from pilotmgr.extensions import db
from pilotmgr.pilots.lifecycle import STAGES
from pilotmgr.pilots.models import Challenge, Pilot, Task
from pilotmgr.reminders.models import Notification
from pilotmgr.units.models import Unit


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_demo_load_fills_an_empty_database_and_refuses_a_second_time(app, runner):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "demo data loaded" in first.output
    pilots = _count(Pilot)

    second = runner.invoke(args=["demo", "load"])

    assert second.exit_code == 0
    assert "nothing loaded" in second.output
    assert _count(Pilot) == pilots


def test_demo_covers_every_stage_role_and_the_34_provinces(app, runner):
    runner.invoke(args=["demo", "load"])

    stages = set(db.session.scalars(select(Pilot.stage).distinct()))
    roles = set(db.session.scalars(select(User.role).distinct()))
    assert stages == set(STAGES)
    assert roles == {"admin", "head", "lead", "staff", "viewer"}
    assert _count(Pilot) >= 12
    assert _count(Challenge) >= 4
    provinces = [code for code, _name in catalog.PROVINCES]
    assert len(provinces) == 34
    assert _count(Unit, Unit.code.in_(provinces)) == 34
    overdue = _count(
        Task, Task.status.in_(("todo", "in_progress")), Task.due_date < func.current_date()
    )
    assert overdue > 0
    assert _count(Notification) > 0  # the reminder scan ran as of the last working moment


def test_demo_users_log_in_with_the_documented_password(app, runner, client):
    runner.invoke(args=["demo", "load"])
    token = client.get("/login").get_data(as_text=True).split('name="csrf_token" value="')[1]
    token = token.split('"')[0]

    response = client.post(
        "/login",
        data={"email": "lead@demo.gov.vn", "password": catalog.PASSWORD, "csrf_token": token},
    )

    assert response.status_code == 302
    assert "Việc của tôi" in client.get("/my-work").get_data(as_text=True)
