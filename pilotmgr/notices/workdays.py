"""Working days: not Saturday, Sunday or a Vietnamese public holiday, with admins' exceptions."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, timedelta

import holidays
from sqlalchemy import select

from pilotmgr.extensions import db
from pilotmgr.reminders.models import CalendarDay


class WorkCalendar:
    """Working-day arithmetic over a span of years, computed once per scan."""

    def __init__(self, first: date, last: date, exceptions: dict[date, bool] | None = None):
        self.first, self.last = first, last
        national = holidays.country_holidays("VN", years=range(first.year, last.year + 1))
        exceptions = exceptions or {}
        self._days: list[int] = []
        day = first
        while day <= last:
            working = day.weekday() < 5 and day not in national
            if exceptions.get(day, working):
                self._days.append(day.toordinal())
            day += timedelta(days=1)

    def is_working(self, day: date) -> bool:
        self._check(day)
        i = bisect_left(self._days, day.toordinal())
        return i < len(self._days) and self._days[i] == day.toordinal()

    def on_or_after(self, day: date) -> date:
        """The day itself if it is a working day, else the next working day."""
        self._check(day)
        return date.fromordinal(self._days[bisect_left(self._days, day.toordinal())])

    def shift(self, day: date, n: int) -> date:
        """The n-th working day after `day` (n > 0) or before it (n < 0)."""
        self._check(day)
        if n > 0:
            return date.fromordinal(self._days[bisect_right(self._days, day.toordinal()) + n - 1])
        if n < 0:
            return date.fromordinal(self._days[bisect_left(self._days, day.toordinal()) + n])
        return day

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`."""
        return bisect_right(self._days, end.toordinal()) - bisect_right(
            self._days, start.toordinal()
        )

    def _check(self, day: date) -> None:
        if not (self.first <= day <= self.last):
            raise ValueError(f"{day} is outside the calendar {self.first}…{self.last}")


def calendar_around(today: date, years: int = 2) -> WorkCalendar:
    """The calendar from `years` before today to `years` after, with the stored exceptions."""
    first = date(today.year - years, 1, 1)
    last = date(today.year + years, 12, 31)
    rows = db.session.execute(
        select(CalendarDay.day, CalendarDay.working).where(
            CalendarDay.day >= first, CalendarDay.day <= last
        )
    )
    return WorkCalendar(first, last, {day: working for day, working in rows})
