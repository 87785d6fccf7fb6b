"""Whose figures a dashboard shows: a head's subtree or everything for an admin, and the filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from pilotmgr.auth.models import Role
from pilotmgr.core.authority import in_subtree, is_admin
from pilotmgr.core.clock import local_today, local_zone
from pilotmgr.core.errors import PermissionDenied
from pilotmgr.core.forms import parse_day
from pilotmgr.core.validate import row_id
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Challenge, Pilot, Programme
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.units.models import Unit

#: The period the scoreboard and "what moved" cover when none is chosen.
DEFAULT_PERIOD_DAYS = 30
#: How far back a period may start: the scoreboard builds a working-day table up to today.
MAX_YEARS_BACK = 5


@dataclass
class Scope:
    user: object
    #: The subtree shown; None means every unit (an admin without a unit filter).
    root: Unit | None
    programme: Programme | None
    start: date
    end: date
    today: date
    stuck_days: int

    def pilot_clauses(self) -> list:
        """WHERE conditions on Pilot that keep the figures inside the scope."""
        clauses = []
        if self.root is not None:
            clauses.append(Pilot.unit_id.in_(unit_ids(self.root)))
        return clauses + self._programme_clauses()

    def _programme_clauses(self) -> list:
        if self.programme is None:
            return []
        return [
            Pilot.challenge_id.in_(
                select(Challenge.id).where(Challenge.programme_id == self.programme.id)
            )
        ]

    def target_clauses(self) -> list:
        """WHERE conditions on RolloutTarget joined to its Pilot: a target counts where the work
        is (for the heads of its unit and above) as well as where the pilot is (for the heads
        of the pilot's unit); a programme filter goes by the pilot."""
        clauses = []
        if self.root is not None:
            ids = unit_ids(self.root)
            clauses.append(or_(Pilot.unit_id.in_(ids), RolloutTarget.unit_id.in_(ids)))
        return clauses + self._programme_clauses()

    def list_args(self, **extra) -> dict:
        """Query arguments of the pilot list showing the same pilots (for every figure's link)."""
        args = {}
        if self.root is not None:
            args["unit"] = self.root.code
        if self.programme is not None:
            args["programme"] = self.programme.id
        args.update({k: v for k, v in extra.items() if v is not None})
        return args

    def stuck_before(self) -> datetime:
        """Pilots whose stage changed before this moment are stuck."""
        midnight = datetime.combine(self.today, time(), tzinfo=local_zone())
        return midnight - timedelta(days=self.stuck_days)

    def period_start_at(self) -> datetime:
        return datetime.combine(self.start, time(), tzinfo=local_zone())

    def period_end_at(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time(), tzinfo=local_zone())


def unit_ids(root: Unit):
    return select(Unit.id).where(Unit.path.startswith(root.path, autoescape=True))


def may_use_dashboard(user) -> bool:
    """Heads and admins decide from it; viewers follow the same figures, read-only."""
    return is_admin(user) or user.role in (Role.head, Role.viewer)


def current_programme() -> Programme | None:
    """The newest programme: the one "+1 coverage" asks about when none is chosen."""
    newest = db.session.scalar(select(func.max(Programme.id)))
    return db.session.get(Programme, newest) if newest else None


def _day(value: str | None) -> date | None:
    """31/12/2026 as the filter form writes it, or ISO as links and exports do."""
    return parse_day(value.strip()) if isinstance(value, str) and value.strip() else None


def build_scope(user, args) -> Scope:
    """The scope from query arguments; a unit outside the user's subtree is refused."""
    if not may_use_dashboard(user):
        raise PermissionDenied(
            str(_l("Only heads, administrators and viewers have a leaders' dashboard."))
        )
    root = None if is_admin(user) else user.unit
    code = (args.get("unit") or "").strip()
    if code:
        chosen = db.session.scalar(select(Unit).where(Unit.code == code))
        if chosen is not None and (root is None or in_subtree(chosen, root)):
            root = chosen
    programme = None
    if number := row_id(args.get("programme") or ""):
        programme = db.session.get(Programme, number)
    today = local_today()
    end = _day(args.get("end")) or today
    start = _day(args.get("start")) or end - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    if start > end:
        start, end = end, start
    earliest = today - timedelta(days=366 * MAX_YEARS_BACK)
    start, end = max(start, earliest), max(end, earliest)
    try:
        stuck = int(args.get("stuck_days") or current_app.config["PILOTMGR_STUCK_DAYS"])
    except ValueError:
        stuck = current_app.config["PILOTMGR_STUCK_DAYS"]
    return Scope(user, root, programme, start, end, today, max(1, min(stuck, 3650)))
