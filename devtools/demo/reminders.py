"""Demo: run the reminder scan as of the last working moment, so users find real notifications."""

from __future__ import annotations

from datetime import datetime, time

from pilotmgr.core.clock import local_zone, now
from pilotmgr.notices.rules import SEND_AT
from pilotmgr.notices.workdays import calendar_around
from pilotmgr.reminders.service import scan


def add_demo_data(ctx) -> None:
    moment = now().astimezone(local_zone())
    cal = calendar_around(moment.date())
    if not cal.is_working(moment.date()) or moment.time() < SEND_AT:
        day = cal.shift(moment.date(), -1)
        moment = datetime.combine(day, time(17, 0), local_zone())
    # A pilot's reminders then read as they would on that day.
    scan(moment)
