"""`flask bench`: one reminder scan over 100,000 open tasks, and again when nothing is new."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import func, insert, select

from pilotmgr.auth.models import Role, User
from pilotmgr.core.clock import local_today, local_zone
from pilotmgr.extensions import db
from pilotmgr.notices.workdays import calendar_around
from pilotmgr.pilots.models import OPEN_TASK_STATUSES, Pilot, Task
from pilotmgr.pilots.stages import Stage
from pilotmgr.reminders.service import scan

OPEN_TASKS = 100_000


def run(ctx) -> None:
    # 100,000 open tasks at the default 10,000 pilots; proportionally fewer for small runs.
    target = min(OPEN_TASKS, ctx.n * 10)
    _top_up_open_tasks(target)
    today = local_today()
    cal = calendar_around(today)
    moment = datetime.combine(cal.on_or_after(today + timedelta(days=1)), time(9, 0), local_zone())

    def once():
        result = scan(moment)
        db.session.commit()
        return result

    first = ctx.timed("reminders_scan", once)
    second = ctx.timed("reminders_scan_again", once)
    print(f"  reminder scan over {target:,} open tasks: {first} / again: {second}")


def _top_up_open_tasks(target: int) -> None:
    have = db.session.scalar(
        select(func.count())
        .select_from(Task)
        .where(Task.status.in_(OPEN_TASK_STATUSES), Task.assignee_id.is_not(None))
    )
    missing = target - have
    if missing <= 0:
        return
    rng = random.Random(7)
    pilots = db.session.scalars(
        select(Pilot.id).where(
            Pilot.stage.in_((Stage.piloting, Stage.evaluating, Stage.rolling_out))
        )
    ).all()
    staff = db.session.scalars(select(User.id).where(User.role == Role.staff)).all()
    today = local_today()
    rows = [
        {
            "pilot_id": rng.choice(pilots),
            "title": f"Nhiệm vụ đôn đốc số {n}",
            "how": "",
            "assignee_id": rng.choice(staff),
            "priority": "normal",
            "due_date": today + timedelta(days=rng.randint(-40, 60)),
            "deliverable": "Báo cáo",
            "status": "todo",
            "version": 1,
        }
        for n in range(missing)
    ]
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(Task), rows[start : start + 5000])
    db.session.commit()
