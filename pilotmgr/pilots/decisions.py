"""A head's decision on a transition, kept with the memo it answered; conditions become tasks.

A step of the lifecycle records it (`effects.memo_decision`); the tables are the memos'.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from pilotmgr.auth.models import User
from pilotmgr.core import audit
from pilotmgr.core.errors import ValidationFailed
from pilotmgr.extensions import db
from pilotmgr.memos.models import Decision, Memo
from pilotmgr.pilots.lifecycle import REJECTING
from pilotmgr.pilots.tasks import create_task

#: Moving here is a "no" to what the memo asked.
REJECTING_STAGES = REJECTING


def parse_conditions(raw: str, today: date) -> list[dict]:
    """One condition per line: "what | owner's e-mail | deadline (31/12/2026 or 2026-12-31)"."""
    conditions, errors = [], []
    for number, line in enumerate((raw or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3 or not all(parts):
            errors.append(_("Line %(n)s: write “condition | owner's e-mail | deadline”.", n=number))
            continue
        text, email, deadline = parts
        owner = db.session.scalar(
            select(User).where(User.email == email.lower(), User.is_active_account)
        )
        due = _date(deadline)
        if owner is None:
            errors.append(
                _("Line %(n)s: no user with the e-mail %(email)s.", n=number, email=email)
            )
        if due is None or due < today:
            errors.append(_("Line %(n)s: the deadline must be a date from today on.", n=number))
        if owner is not None and due is not None and len(text) <= 255:
            conditions.append({"text": text, "owner": owner, "due_date": due})
        elif len(text) > 255:
            errors.append(_("Line %(n)s: at most 255 characters.", n=number))
    if errors:
        raise ValidationFailed({"conditions": errors})
    return conditions


def _date(raw: str) -> date | None:
    from pilotmgr.core.forms import parse_day

    return parse_day(raw)


def record(actor, pilot, transition, request) -> Decision | None:
    """Keep the decision when it names a memo or sets conditions; each condition is a task."""
    if request.memo_id is None and not request.conditions.strip():
        return None
    memo = None
    if request.memo_id is not None:
        memo = db.session.get(Memo, request.memo_id)
        if memo is None or memo.pilot_id != pilot.id:
            raise ValidationFailed({"memo_id": [str(_l("No such memo on this pilot."))]})
    rejecting = transition.target in REJECTING_STAGES
    if rejecting and request.conditions.strip():
        raise ValidationFailed({"conditions": [str(_l("Conditions go with an approval."))]})
    conditions = parse_conditions(request.conditions, request.today)
    decision = Decision(
        pilot_id=pilot.id,
        memo_id=memo.id if memo else None,
        outcome="reject" if rejecting else ("approve_with_conditions" if conditions else "approve"),
        to_stage=transition.target,
        decision_number=request.decision_number,
        decided_on=request.today,
        decided_by_id=actor.id,
        comment=request.comment,
        conditions=[],
    )
    db.session.add(decision)
    db.session.flush()
    stored = []
    for c in conditions:
        task = create_task(
            actor,
            pilot,
            comment=_("Condition of the decision"),
            told_as="condition_task",
            title=c["text"],
            how=_("A condition of the decision on memo %(number)s.", number=memo.number)
            if memo
            else _("A condition of the head's decision."),
            assignee_id=c["owner"].id,
            priority="high",
            due_date=c["due_date"],
            deliverable=_("A report that the condition is met"),
        )
        stored.append(
            {
                "text": c["text"],
                "assignee": c["owner"].name,
                "due_date": c["due_date"].isoformat(),
                "task_id": task.id,
            }
        )
    decision.conditions = stored
    audit.record(
        actor=actor,
        obj=decision,
        action="decide",
        pilot_id=pilot.id,
        after={"outcome": decision.outcome, "memo": memo.number if memo else None},
        comment=request.comment,
        unit_code=pilot.unit.code,
    )
    db.session.flush()
    return decision
