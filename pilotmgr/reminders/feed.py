"""The personal iCalendar feed: a user's open task and rollout deadlines, their pilots' ends."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlalchemy import or_, select

from pilotmgr.auth.models import User
from pilotmgr.core.clock import now
from pilotmgr.extensions import db
from pilotmgr.pilots.models import OPEN_TASK_STATUSES, Pilot, Task
from pilotmgr.pilots.stages import Stage
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.units.models import Unit


def user_by_secret(secret: str) -> User | None:
    if not secret or len(secret) > 64:
        return None
    return db.session.scalar(
        select(User).where(User.calendar_secret == secret, User.is_active_account)
    )


def calendar_for(user: User) -> bytes:
    base = current_app.config["PILOTMGR_BASE_URL"].rstrip("/")
    cal = Calendar()
    cal.add("prodid", "-//pilotmgr//deadlines//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"pilotmgr · {user.name}")
    stamp = now()
    tasks = db.session.execute(
        select(Task, Pilot.title)
        .join(Pilot, Pilot.id == Task.pilot_id)
        .where(
            Task.assignee_id == user.id,
            Task.status.in_(OPEN_TASK_STATUSES),
            Task.due_date.is_not(None),
            Pilot.stage != Stage.closed,
            or_(Pilot.stage != Stage.scaled, Task.created_at >= Pilot.stage_changed_at),
        )
        .order_by(Task.due_date)
    )
    for task, pilot_title in tasks:
        cal.add_component(
            _all_day(
                f"task-{task.id}@pilotmgr",
                task.due_date,
                task.title,
                f"{pilot_title}\n{task.deliverable}",
                f"{base}/pilots/{task.pilot_id}#task-{task.id}",
                stamp,
            )
        )
    _add_rollout_targets(cal, user, base, stamp)
    pilots = db.session.scalars(
        select(Pilot).where(
            Pilot.owner_id == user.id, Pilot.stage == Stage.piloting, Pilot.end_date.is_not(None)
        )
    )
    for pilot in pilots:
        cal.add_component(
            _all_day(
                f"pilot-end-{pilot.id}@pilotmgr",
                pilot.end_date,
                f"⏱ {pilot.title}",
                pilot.summary,
                f"{base}/pilots/{pilot.id}",
                stamp,
            )
        )
    return cal.to_ical()


def _add_rollout_targets(cal: Calendar, user: User, base: str, stamp) -> None:
    """The opened, unfinished rollout targets the user answers for, as all-day events."""
    targets = db.session.execute(
        select(RolloutTarget, Pilot.title, Unit.name)
        .join(Pilot, Pilot.id == RolloutTarget.pilot_id)
        .join(Unit, Unit.id == RolloutTarget.unit_id)
        .where(
            RolloutTarget.responsible_id == user.id,
            RolloutTarget.status != "done",
            RolloutTarget.due_date.is_not(None),
            RolloutTarget.wave <= Pilot.rollout_open_wave,
            Pilot.stage == Stage.rolling_out,
        )
        .order_by(RolloutTarget.due_date, RolloutTarget.id)
    )
    with force_locale(user.lang):
        for target, pilot_title, unit_name in targets:
            summary = _("Rollout in %(unit)s: %(pilot)s", unit=unit_name, pilot=pilot_title)
            cal.add_component(
                _all_day(
                    f"rollout-{target.id}@pilotmgr",
                    target.due_date,
                    str(summary),
                    target.note,
                    f"{base}/pilots/{target.pilot_id}#rollout",
                    stamp,
                )
            )


def _all_day(uid, day, summary, description, url, stamp) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    # A date stored before dates were bounded to 1900–2200 may be 31/12/9999: no day after it.
    if day < date.max:
        event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description or "")
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event
