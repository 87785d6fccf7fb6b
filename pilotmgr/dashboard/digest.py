"""The weekly leader digest: every Monday from 07:30, one mail per head, with a PDF summary.

Once only: the mail's Message-ID is the head and the ISO week, and the outbox refuses a second
row with the same Message-ID (the insert does nothing on conflict). Sent by the outbox job.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from pilotmgr.auth.models import Role, User
from pilotmgr.core.audit import HistoryEntry
from pilotmgr.core.clock import local_zone
from pilotmgr.core.clock import now as clock_now
from pilotmgr.dashboard import leaders
from pilotmgr.dashboard.pdf import font_faces, html_to_pdf
from pilotmgr.dashboard.scope import Scope, current_programme
from pilotmgr.extensions import db
from pilotmgr.notices.attachments import OutboxAttachment
from pilotmgr.notices.mail_links import settings_url
from pilotmgr.notices.messages import mail_domain
from pilotmgr.notices.rules import DIGEST_AT
from pilotmgr.pilots.models import Pilot
from pilotmgr.reminders.models import OutboxMail

SEND_AT = DIGEST_AT
MOVED_LIMIT = 15


def week_key(user_id: int, day) -> str:
    year, week, _ = day.isocalendar()
    return f"<leader-digest-{user_id}-{year}-W{week:02d}@{mail_domain()}>"


def recipients() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.head, User.is_active_account, User.leader_digest)
            .order_by(User.id)
        )
    )


def _moved(scope: Scope, since: datetime) -> tuple[int, list]:
    base = (
        select(HistoryEntry.at, HistoryEntry.before, HistoryEntry.after, Pilot.id, Pilot.title)
        .join(Pilot, Pilot.id == HistoryEntry.pilot_id)
        .where(
            HistoryEntry.object_type == "pilot",
            HistoryEntry.action == "transition",
            HistoryEntry.at >= since,
            *scope.pilot_clauses(),
        )
    )
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = db.session.execute(base.order_by(HistoryEntry.at.desc()).limit(MOVED_LIMIT)).all()
    return int(total), rows


def summary(head: User, now: datetime) -> dict:
    """Plain data for the mail and the PDF: what moved, what is late, what waits, coverage."""
    today = now.astimezone(local_zone()).date()
    scope = Scope(
        user=head,
        root=head.unit,
        programme=None,
        start=today - timedelta(days=7),
        end=today,
        today=today,
        stuck_days=current_app.config["PILOTMGR_STUCK_DAYS"],
    )
    funnel = leaders.funnel(scope)
    moved_total, moved = _moved(scope, now - timedelta(days=7))
    tasks_total, tasks = leaders.overdue_tasks(scope)
    # Late targets count where the work is too: a province head reads his province's late
    # target of a ministry pilot (leaders.overdue_targets).
    targets_total, targets = leaders.overdue_targets(scope)
    plus_one = leaders.plus_one_coverage(scope, current_programme())
    return {
        "head": head,
        "unit": head.unit.name,
        "week": today.isocalendar(),
        "today": today,
        "funnel": funnel,
        "moved_total": moved_total,
        "moved": [
            {
                "title": r.title,
                "from": (r.before or {}).get("stage"),
                "to": (r.after or {}).get("stage"),
                "at": r.at.astimezone(local_zone()).date(),
            }
            for r in moved
        ],
        "late_tasks": tasks_total,
        "worst_tasks": tasks[:5],
        "late_targets": targets_total,
        "worst_targets": targets[:5],
        "waiting": leaders.awaiting_decision(scope, funnel.counts),
        "bare_units": [u.name for u in plus_one["units"]],
        "bare_heads": [h.name for h in plus_one["heads"]],
        "rollouts": [
            (title, c.percent) for _id, title, c in leaders.rollout_coverage(scope, 10)[1]
        ],
        "base_url": current_app.config["PILOTMGR_BASE_URL"].rstrip("/"),
    }


def render(head: User, now: datetime) -> tuple[str, str, str, bytes]:
    """(subject, text, html, pdf) in the head's language."""
    with force_locale(head.lang):
        data = summary(head, now) | {"settings_url": settings_url(head, "leader_digest")}
        subject = render_template("dashboard/digest_subject.txt", **data).strip()
        text = render_template("dashboard/digest_mail.txt", **data)
        html = render_template("dashboard/digest_mail.html", **data)
        pdf = html_to_pdf(render_template("dashboard/digest_pdf.html", fonts=font_faces(), **data))
    return subject, text, html, pdf


def is_due(now: datetime) -> bool:
    local = now.astimezone(local_zone())
    return local.weekday() == 0 and local.time() >= SEND_AT


def queue_leader_digests(now: datetime | None = None, *, force: bool = False, emails=()) -> int:
    """Queue this ISO week's digest for every head who has not had it; returns how many."""
    now = now or clock_now()
    if not force and not is_due(now):
        return 0
    today = now.astimezone(local_zone()).date()
    heads = [h for h in recipients() if not emails or h.email in emails]
    keys = {h.id: week_key(h.id, today) for h in heads}
    done = set(
        db.session.scalars(
            select(OutboxMail.message_id).where(OutboxMail.message_id.in_(list(keys.values())))
        )
    )
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    queued = 0
    for head in heads:
        if keys[head.id] in done:
            continue
        subject, text, html, pdf = render(head, now)
        row = {
            "user_id": head.id,
            "to_addr": head.email,
            "subject": subject[:500],
            "text_body": text,
            "html_body": html,
            "message_id": keys[head.id],
            "category": "leader_digest",
            "status": "pending",
            "attempts": 0,
            "last_error": "",
            "next_attempt_at": now,
            "created_at": now,
        }
        # The conditional claim: a concurrent run inserts nothing and gets no id back.
        mail_id = db.session.execute(
            dialect.insert(OutboxMail.__table__)
            .values(**row)
            .on_conflict_do_nothing(index_elements=["message_id"])
            .returning(OutboxMail.__table__.c.id)
        ).scalar()
        if mail_id is None:
            continue
        year, week, _ = today.isocalendar()
        db.session.add(
            OutboxAttachment(
                mail_id=mail_id,
                filename=f"pilotmgr-{year}-W{week:02d}.pdf",
                content_type="application/pdf",
                data=pdf,
            )
        )
        queued += 1
    db.session.flush()
    return queued
