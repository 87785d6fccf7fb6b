"""The admins' view of mail that did not go: failed for good, or waiting to retry."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select

from pilotmgr.core.authority import is_admin, require
from pilotmgr.core.clock import now
from pilotmgr.core.errors import NotFound
from pilotmgr.core.pagination import Page, paginate
from pilotmgr.core.validate import row_id
from pilotmgr.extensions import db
from pilotmgr.reminders.models import OutboxMail

_PROBLEM = or_(
    OutboxMail.status == "failed",
    and_(OutboxMail.status.in_(("pending", "sending")), OutboxMail.attempts > 0),
)


def problem_mails(actor, page: int, per_page: int) -> Page:
    require(is_admin(actor))
    query = select(OutboxMail).where(_PROBLEM)
    return paginate(
        query.order_by(OutboxMail.status, OutboxMail.created_at.desc(), OutboxMail.id.desc()),
        page,
        per_page,
    )


def problem_counts(actor) -> dict[str, int]:
    require(is_admin(actor))
    rows = db.session.execute(
        select(OutboxMail.status, func.count()).where(_PROBLEM).group_by(OutboxMail.status)
    )
    return dict(rows.all())


def retry(actor, mail_id) -> OutboxMail:
    """A failed mail goes back in the queue (after the cause was fixed, e.g. the address)."""
    require(is_admin(actor))
    mail = db.session.get(OutboxMail, n) if (n := row_id(mail_id)) else None
    if mail is None or mail.status != "failed":
        raise NotFound()
    mail.status, mail.next_attempt_at, mail.attempts = "pending", now(), 0
    db.session.flush()
    return mail
