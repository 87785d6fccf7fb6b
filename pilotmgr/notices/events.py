"""Events worth telling someone about: one notification per person, and a mail if they want one.

A service calls `notify(...)` inside the transaction that made the change, so the notification
rows and the queued mails commit with it or not at all. The app composes a notification's text
when it is shown, in the reader's language of the day, from the event's kind and the facts it
recorded; a mail is composed now, in its recipient's language, and waits in the outbox.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from pilotmgr.auth.models import User
from pilotmgr.core.clock import now as clock_now
from pilotmgr.core.formats import format_number
from pilotmgr.extensions import db
from pilotmgr.pilots.stages import OUTCOME_LABELS
from pilotmgr.reminders.models import Notification, OutboxMail

#: kind → (title, body). Their placeholders name the `params` the caller gives.
EVENTS = {
    "submitted": (
        _l("Awaiting your decision: %(pilot)s"),
        _l("%(actor)s submitted the pilot “%(pilot)s” for approval."),
    ),
    "withdrawn": (
        _l("Submission withdrawn: %(pilot)s"),
        _l("%(actor)s withdrew the pilot “%(pilot)s” to revise it; nothing waits for you."),
    ),
    "sent_back": (
        _l("Sent back for changes: %(pilot)s"),
        _l("%(actor)s sent the pilot “%(pilot)s” back to draft."),
    ),
    "approved": (
        _l("Approved: %(pilot)s"),
        _l("%(actor)s approved the pilot “%(pilot)s”; piloting has started."),
    ),
    "extended": (
        _l("Piloting continues: %(pilot)s"),
        _l("%(actor)s decided that the pilot “%(pilot)s” continues piloting until %(due)s."),
    ),
    "closed": (
        _l("Closed: %(pilot)s"),
        _l("%(actor)s closed the pilot “%(pilot)s” (%(outcome)s)."),
    ),
    "selected": (
        _l("Selected as successful: %(pilot)s"),
        _l("%(actor)s selected the pilot “%(pilot)s” as the successful model to roll out."),
    ),
    "not_selected": (
        _l("Not selected: %(pilot)s"),
        _l("%(actor)s selected another pilot for “%(challenge)s”; “%(pilot)s” is not selected."),
    ),
    "rollout_approved": (
        _l("Rollout approved: %(pilot)s"),
        _l("%(actor)s approved rolling out “%(pilot)s” (decision %(decision)s)."),
    ),
    "scaled": (
        _l("Rolled out everywhere: %(pilot)s"),
        _l("%(actor)s recorded that “%(pilot)s” is rolled out in every target unit."),
    ),
    "wave_opened": (
        _l("Rollout wave %(wave)s is open: %(pilot)s"),
        _l("%(unit)s can now roll out “%(pilot)s”; it is due on %(due)s."),
    ),
    "target_assigned": (
        _l("You answer for the rollout in %(unit)s"),
        _l("%(actor)s made you responsible for rolling out “%(pilot)s” in %(unit)s by %(due)s."),
    ),
    "target_removed": (
        _l("Rollout target removed: %(unit)s"),
        _l("%(actor)s removed %(unit)s from the rollout of “%(pilot)s”."),
    ),
    "task_assigned": (
        _l("New task: %(task)s"),
        _l("%(actor)s assigned you the task “%(task)s” of the pilot “%(pilot)s”, due on %(due)s."),
    ),
    "task_unassigned": (
        _l("Task handed over: %(task)s"),
        _l("%(actor)s gave the task “%(task)s” of the pilot “%(pilot)s” to %(assignee)s."),
    ),
    "task_redated": (
        _l("New due date: %(task)s"),
        _l("The task “%(task)s” of the pilot “%(pilot)s” is now due on %(due)s (was %(old_due)s)."),
    ),
    "task_cancelled": (
        _l("Task cancelled: %(task)s"),
        _l("%(actor)s cancelled the task “%(task)s” of the pilot “%(pilot)s”."),
    ),
    "due_requested": (
        _l("New due date asked for: %(task)s"),
        _l(
            "%(actor)s asks to move the task “%(task)s” of the pilot “%(pilot)s” "
            "from %(old_due)s to %(due)s."
        ),
    ),
    "due_declined": (
        _l("New due date declined: %(task)s"),
        _l("%(actor)s kept the due date of the task “%(task)s” at %(old_due)s."),
    ),
    "condition_task": (
        _l("Condition of a decision: %(task)s"),
        _l("%(actor)s made “%(task)s” a condition of the decision on “%(pilot)s”, due on %(due)s."),
    ),
    "value_submitted": (
        _l("Value to review: %(kpi)s"),
        _l(
            "%(actor)s entered %(value)s for “%(kpi)s” of the pilot “%(pilot)s”, measured on %(day)s."
        ),
    ),
    "value_rejected": (
        _l("Value rejected: %(kpi)s"),
        _l("%(actor)s rejected the value %(value)s for “%(kpi)s” of the pilot “%(pilot)s”."),
    ),
    "evaluator_named": (
        _l("Please evaluate: %(pilot)s"),
        _l("%(actor)s asked you to evaluate the pilot “%(pilot)s”."),
    ),
    "mentioned": (
        _l("%(actor)s mentioned you: %(pilot)s"),
        _l("%(actor)s wrote in the discussion of “%(pilot)s”: “%(excerpt)s”"),
    ),
    "password_reset": (
        _l("Your password was reset"),
        _l(
            "%(actor)s gave your account a temporary password; you will choose a new one when "
            "you sign in. If you did not ask for this, tell an administrator at once."
        ),
    ),
}
#: Params holding an ISO date, shown as 31/12/2026; a number, shown the reader's way.
DATE_PARAMS = ("due", "old_due", "day")
NUMBER_PARAMS = ("value",)


def notify(
    kind: str,
    recipients: Iterable,
    *,
    cause: str,
    actor=None,
    pilot=None,
    url: str = "",
    **params,
) -> list[Notification]:
    """Tell each recipient (users or ids) of an event once; never the actor themself.

    `cause` names what happened ("history-12"); with the kind and the recipient it is the
    notification's unique key. `params` are the facts the texts are made from; a `comment`
    or `reason` among them is quoted under the text.
    """
    if kind not in EVENTS:
        raise ValueError(f"unknown event kind {kind!r}")
    ids = {getattr(r, "id", r) for r in recipients if r is not None}
    ids.discard(getattr(actor, "id", None))
    if not ids:
        return []
    people = db.session.scalars(
        select(User).where(User.id.in_(ids), User.is_active_account).order_by(User.id)
    ).all()
    facts = _facts(params, actor, pilot)
    notes = [
        Notification(
            user_id=person.id,
            kind=kind,
            key=f"{kind}:{cause}:{person.id}"[:200],
            pilot_id=pilot.id if pilot is not None else None,
            actor_id=actor.id if actor is not None else None,
            params=facts,
            url=url or (f"/pilots/{pilot.id}" if pilot is not None else ""),
            created_at=clock_now(),
            digest_due=person.email_mode == "digest",
        )
        for person in people
    ]
    db.session.add_all(notes)
    db.session.flush()
    for person, note in zip(people, notes, strict=True):
        if person.email_mode == "single":
            db.session.add(_mail(person, note))
    db.session.flush()
    return notes


def _facts(params: dict, actor, pilot) -> dict:
    facts = {"actor": actor.name if actor is not None else ""}
    if pilot is not None:
        facts["pilot"] = pilot.title
    for key, value in params.items():
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        elif value is None:
            value = ""
        facts[key] = value if isinstance(value, int | float | str | list) else str(value)
    return facts


def compose(kind: str, params: dict) -> tuple[str, str]:
    """The title and body of an event in the active language."""
    title, body = EVENTS.get(kind, (kind, ""))
    shown = _shown(params)
    title, body = str(title) % shown, str(body) % shown
    if params.get("comment"):
        body += " " + str(_l("Comment: “%(comment)s”", comment=params["comment"]))
    if params.get("reason"):
        body += " " + str(_l("Reason: “%(reason)s”", reason=params["reason"]))
    return title, body


class _Facts(dict):
    """Missing facts show as a dash instead of breaking the text."""

    def __missing__(self, key):
        return "—"


def _shown(params: dict) -> _Facts:
    shown = _Facts(params)
    for key in DATE_PARAMS:
        if params.get(key):
            with contextlib.suppress(TypeError, ValueError):
                shown[key] = date.fromisoformat(params[key]).strftime("%d/%m/%Y")
    for key in NUMBER_PARAMS:
        if params.get(key) not in (None, ""):
            with contextlib.suppress(InvalidOperation):
                shown[key] = format_number(Decimal(str(params[key])))
    if params.get("outcome") in OUTCOME_LABELS:
        shown["outcome"] = str(OUTCOME_LABELS[params["outcome"]]).lower()
    return shown


def absolute(url: str) -> str:
    base = current_app.config["PILOTMGR_BASE_URL"].rstrip("/")
    return f"{base}{url}" if url.startswith("/") else url or f"{base}/"


def _mail(person: User, note: Notification) -> OutboxMail:
    from pilotmgr.notices.mail_links import settings_url
    from pilotmgr.notices.messages import mail_bodies, mail_domain, translator

    with force_locale(person.lang):
        title, body = compose(note.kind, note.params)
        text, html = mail_bodies(
            translator(),
            person.name,
            title,
            body,
            absolute(note.url),
            reason="event",
            settings=settings_url(person),
        )
    now = clock_now()
    return OutboxMail(
        user_id=person.id,
        to_addr=person.email,
        subject=title[:500],
        text_body=text,
        html_body=html,
        # The random part keeps ids unique across installations and rebuilt databases.
        message_id=f"<event-{note.id}.{secrets.token_hex(6)}@{mail_domain()}>",
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
