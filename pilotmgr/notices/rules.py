"""Which reminder step is due for a deadline as of a moment: pure functions over a WorkCalendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rules.py imports nothing at run time: the models take their defaults here
    from pilotmgr.notices.workdays import WorkCalendar

#: Reminders go out at this local time on their working day.
SEND_AT = time(8, 0)
#: The daily digest (working days) and the weekly leader digest (Mondays) go at this local time.
DIGEST_AT = time(7, 30)
#: The same, as people read it in labels ("07:30").
DIGEST_TIME = DIGEST_AT.strftime("%H:%M")


@dataclass(frozen=True)
class Rules:
    before_days: tuple[int, ...] = (7, 3, 1)
    overdue_every: int = 2
    escalate_after: int = 3
    pilot_end_days: tuple[int, ...] = (10, 3)
    decision_after: int = 5

    @classmethod
    def from_row(cls, row) -> Rules:
        return cls(
            before_days=parse_days(row.before_days),
            overdue_every=max(1, row.overdue_every),
            escalate_after=max(1, row.escalate_after),
            pilot_end_days=parse_days(row.pilot_end_days),
            decision_after=max(1, row.decision_after),
        )


DEFAULT_RULES = Rules()


def days_text(days: tuple[int, ...]) -> str:
    """(7, 3, 1) → '7,3,1', as the rules are stored and edited."""
    return ",".join(str(d) for d in days)


def parse_days(text: str) -> tuple[int, ...]:
    """'7, 3,1' → (7, 3, 1); anything that is not a positive whole number is an error."""
    days = sorted({int(part) for part in text.replace(" ", "").split(",") if part}, reverse=True)
    if not days or days[-1] < 1 or days[0] > 60:
        raise ValueError(text)
    return tuple(days)


@dataclass(frozen=True)
class Step:
    kind: str
    step: str
    fire: date


def reference_day(cal: WorkCalendar, local_now: datetime) -> date | None:
    """The last day whose sending time has passed; None on a non-working day (nothing goes out)."""
    today = local_now.date()
    if not cal.is_working(today):
        return None
    return today if local_now.time() >= SEND_AT else today - timedelta(days=1)


def task_step(cal: WorkCalendar, due: date, ref: date, rules: Rules) -> Step | None:
    """The latest step of a task's reminder chain due by `ref`: only that one is ever sent."""
    late = cal.between(due, ref)
    if late >= 1:
        k = (late - 1) // rules.overdue_every
        return Step("overdue", f"o{k + 1}", cal.shift(due, 1 + k * rules.overdue_every))
    if cal.on_or_after(due) <= ref:
        return Step("due", "due", cal.on_or_after(due))
    for days in sorted(rules.before_days):
        fire = cal.shift(due, -days)
        if fire <= ref:
            return Step("before", f"b{days}", fire)
    return None


def escalation_step(cal: WorkCalendar, due: date, ref: date, rules: Rules) -> Step | None:
    if cal.between(due, ref) >= rules.escalate_after:
        return Step("escalation", "esc", cal.shift(due, rules.escalate_after))
    return None


def pilot_end_step(cal: WorkCalendar, end: date, ref: date, rules: Rules) -> Step | None:
    if end < ref:
        return None
    for days in sorted(rules.pilot_end_days):
        fire = cal.shift(end, -days)
        if fire <= ref:
            return Step("pilot_end", f"e{days}", fire)
    return None


def decision_step(cal: WorkCalendar, since: date, ref: date, rules: Rules) -> Step | None:
    """Waiting more than `decision_after` working days for a head's decision."""
    if cal.between(since, ref) > rules.decision_after:
        return Step("decision", "wait", cal.shift(since, rules.decision_after + 1))
    return None
