"""Admins' settings for reminders: days off and make-up working days, rules per programme."""

from __future__ import annotations

from datetime import date

import holidays
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from pilotmgr.core import audit
from pilotmgr.core import validate as v
from pilotmgr.core.authority import is_admin, require
from pilotmgr.core.errors import NotFound, ValidationFailed
from pilotmgr.extensions import db
from pilotmgr.notices.rules import DEFAULT_RULES, days_text, parse_days
from pilotmgr.pilots.models import Programme
from pilotmgr.reminders.models import CalendarDay, ReminderRule


def calendar_days() -> list[CalendarDay]:
    return list(db.session.scalars(select(CalendarDay).order_by(CalendarDay.day.desc())))


def national_holidays(year: int) -> list[tuple[date, str]]:
    """The national days off of `year` and the next, named in the reader's language."""
    language = "en_US" if str(get_locale()) == "en" else "vi"
    found = holidays.country_holidays("VN", years=[year, year + 1], language=language)
    return sorted(found.items())


def set_calendar_day(actor, data) -> CalendarDay:
    require(is_admin(actor))
    values = v.parse(
        data,
        {
            "day": v.iso_date(required=True),
            "working": v.choice(("0", "1"), required=True),
            "note": v.text(255),
        },
    )
    row = db.session.get(CalendarDay, values["day"]) or CalendarDay(day=values["day"])
    row.working = values["working"] == "1"
    row.note = values.get("note") or ""
    db.session.add(row)
    db.session.flush()
    return row


def delete_calendar_day(actor, day: str) -> None:
    require(is_admin(actor))
    try:
        found = db.session.get(CalendarDay, date.fromisoformat(day))
    except ValueError:
        found = None
    if found is None:
        raise NotFound()
    db.session.delete(found)
    db.session.flush()


def programme_rules() -> list[tuple[Programme, object]]:
    rows = {r.programme_id: r for r in db.session.scalars(select(ReminderRule))}
    programmes = db.session.scalars(select(Programme).order_by(Programme.name))
    return [(p, rows.get(p.id) or _defaults(p.id)) for p in programmes]


def _defaults(programme_id: int) -> ReminderRule:
    return ReminderRule(
        programme_id=programme_id,
        before_days=days_text(DEFAULT_RULES.before_days),
        overdue_every=DEFAULT_RULES.overdue_every,
        escalate_after=DEFAULT_RULES.escalate_after,
        pilot_end_days=days_text(DEFAULT_RULES.pilot_end_days),
        decision_after=DEFAULT_RULES.decision_after,
    )


def get_programme(programme_id: int) -> Programme:
    found = db.session.get(Programme, programme_id)
    if found is None:
        raise NotFound(str(_l("No such programme.")))
    return found


def save_rules(actor, programme_id: int, data) -> ReminderRule:
    require(is_admin(actor))
    get_programme(programme_id)
    errors: dict[str, list[str]] = {}
    try:
        values = v.parse(
            data,
            {
                "before_days": v.text(64, required=True),
                "overdue_every": v.integer(1, 20, required=True),
                "escalate_after": v.integer(1, 60, required=True),
                "pilot_end_days": v.text(64, required=True),
                "decision_after": v.integer(1, 60, required=True),
            },
        )
    except ValidationFailed as exc:
        # Go on checking the day lists, so every mistake is reported at once.
        errors, values = dict(exc.errors), {}
    for key in ("before_days", "pilot_end_days"):
        raw = values.get(key, data.get(key))
        if key in errors or not isinstance(raw, str):
            continue
        try:
            values[key] = days_text(parse_days(raw))
        except ValueError:
            errors[key] = [str(_l("Working days from 1 to 60, separated by commas."))]
    if errors:
        raise ValidationFailed(errors)
    row = db.session.get(ReminderRule, programme_id)
    before = {k: getattr(row, k) for k in values} if row else {}
    row = row or ReminderRule(programme_id=programme_id)
    for key, value in values.items():
        setattr(row, key, value)
    db.session.add(row)
    db.session.flush()
    programme = db.session.get(Programme, programme_id)
    audit.record(actor=actor, obj=programme, action="update", before=before, after=values)
    return row
