"""The current moment, and today's date where the users are."""

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
