"""The current moment, and today's date where the users are."""

import calendar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context


def now() -> datetime:
    return datetime.now(UTC)


def local_zone() -> ZoneInfo:
    name = "Asia/Ho_Chi_Minh"
    if has_app_context():
        name = current_app.config.get("PILOTMGR_TIMEZONE", name)
    return ZoneInfo(name)


def local_today() -> date:
    return now().astimezone(local_zone()).date()


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day where it has fewer (31/8 → 28/2)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )
