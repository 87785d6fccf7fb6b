"""Reminders into notifications and queued e-mails, and their texts in each reader's language.

A scan may deliver tens of thousands of reminders at once (after downtime, or on the first
run): it writes the rows with INSERT … SELECT, and the texts are composed only when a page
shows them or the outbox sends them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape

from flask import current_app
from flask_babel import force_locale, get_translations
from sqlalchemy import String, cast, insert, literal, select

from pilotmgr.auth.models import User
from pilotmgr.core.clock import local_zone
from pilotmgr.core.clock import now as clock_now
from pilotmgr.core.models import UTCDateTime
from pilotmgr.extensions import db
from pilotmgr.notices.mail_links import settings_url
from pilotmgr.notices.workdays import calendar_around
from pilotmgr.pilots.models import Pilot, Task
from pilotmgr.reminders.models import Notification, OutboxMail, Reminder
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.units.models import Unit

Translate = Callable[[str], str]


def mail_domain() -> str:
    sender = current_app.config.get("MAIL_DEFAULT_SENDER") or "pilotmgr@localhost"
    return sender.rsplit("@", 1)[-1].strip(">") or "localhost"


def translator() -> Translate:
    """gettext for the active locale, looked up once (not once per message)."""
    return get_translations().ugettext


def _rows_by_id(query) -> dict:
    return {r[0]: r for r in db.session.connection().execute(query)}


@dataclass
class Described:
    reminder_id: int
    title: str
    body: str
    url: str


def describe(reminder_ids, langs: dict[int, str] | None = None) -> dict[int, Described]:
    """Title, body and link of each reminder, in its recipient's language (or `langs[id]`)."""
    conn = db.session.connection()
    reminders = conn.execute(
        select(
            Reminder.id,
            Reminder.kind,
            Reminder.deadline,
            Reminder.recipient_id,
            Reminder.subject_type,
            Reminder.subject_id,
            Reminder.pilot_id,
            Reminder.due_at,
            User.lang,
        )
        .join(User, User.id == Reminder.recipient_id)
        .where(Reminder.id.in_(list(reminder_ids)))
    ).all()
    if not reminders:
        return {}
    tasks = _rows_by_id(
        select(Task.id, Task.title, User.name)
        .outerjoin(User, User.id == Task.assignee_id)
        .where(Task.id.in_({r.subject_id for r in reminders if r.subject_type == "task"}))
    )
    targets = _rows_by_id(
        select(RolloutTarget.id, Unit.name, User.name)
        .join(Unit, Unit.id == RolloutTarget.unit_id)
        .outerjoin(User, User.id == RolloutTarget.responsible_id)
        .where(
            RolloutTarget.id.in_(
                {r.subject_id for r in reminders if r.subject_type == "rollout_target"}
            )
        )
    )
    pilots = _rows_by_id(
        select(Pilot.id, Pilot.title).where(Pilot.id.in_({r.pilot_id for r in reminders}))
    )
    zone = local_zone()
    cal = calendar_around(clock_now().astimezone(zone).date())
    base = current_app.config["PILOTMGR_BASE_URL"].rstrip("/")
    by_lang = defaultdict(list)
    for r in reminders:
        by_lang[(langs or {}).get(r.id, r.lang)].append(r)
    found = {}
    for lang, group in by_lang.items():
        with force_locale(lang):
            tr = translator()
            for r in group:
                task = tasks.get(r.subject_id) if r.subject_type == "task" else None
                target = targets.get(r.subject_id) if r.subject_type == "rollout_target" else None
                person = task or target
                facts = {
                    "task": task.title if task else "",
                    "unit": target[1] if target else "",
                    "assignee": (person[2] or "") if person else "",
                    "pilot": pilots[r.pilot_id].title if r.pilot_id in pilots else "",
                    "due": r.deadline.strftime("%d/%m/%Y"),
                    # Counted from the reminder's own moment: the text says what was true then.
                    "late": _between(cal, r.deadline, r.due_at.astimezone(zone).date()),
                    "left": _between(cal, r.due_at.astimezone(zone).date(), r.deadline),
                }
                if target:
                    title, body = compose_rollout(tr, r.kind, facts)
                else:
                    title, body = compose(tr, r.kind, facts)
                anchor = f"#task-{r.subject_id}" if task else "#rollout" if target else ""
                url = f"{base}/pilots/{r.pilot_id}{anchor}" if r.pilot_id else f"{base}/"
                found[r.id] = Described(r.id, title, body, url)
    return found


def _between(cal, start, end) -> int:
    if end <= start:
        return 0
    try:
        return cal.between(start, end)
    except ValueError:
        return (end - start).days


def notify(token: str, now: datetime) -> None:
    """In one statement each: a notification per claimed reminder, a queued mail per e-mail user.

    The texts are composed when shown or sent, so a scan that delivers a hundred thousand
    reminders writes rows, not renders.
    """
    conn = db.session.connection()
    reminders, notes, outbox, users = (
        Reminder.__table__,
        Notification.__table__,
        OutboxMail.__table__,
        User.__table__,
    )
    moment = literal(now, UTCDateTime())
    claimed = (
        select(
            reminders.c.recipient_id,
            reminders.c.id,
            reminders.c.kind,
            moment,
            users.c.email_mode == "digest",
        )
        .join(users, users.c.id == reminders.c.recipient_id)
        .where(reminders.c.batch == token)
    )
    conn.execute(
        insert(notes).from_select(
            ["user_id", "reminder_id", "kind", "created_at", "digest_due"], claimed
        )
    )
    message_id = (
        literal("<reminder-") + cast(reminders.c.id, String) + literal(f"@{mail_domain()}>")
    )
    mails = (
        select(
            reminders.c.recipient_id,
            reminders.c.id,
            users.c.email,
            message_id,
            literal("pending"),
            literal(0),
            moment,
            moment,
        )
        .join(users, users.c.id == reminders.c.recipient_id)
        .where(reminders.c.batch == token, users.c.email_mode == "single")
    )
    conn.execute(
        insert(outbox).from_select(
            [
                "user_id",
                "reminder_id",
                "to_addr",
                "message_id",
                "status",
                "attempts",
                "next_attempt_at",
                "created_at",
            ],
            mails,
        )
    )


def outbox_row(tr: Translate, user, subject, body, url, message_id, now, items=()) -> dict:
    """An outbox row with its plain-text and HTML parts, in the translator's language."""
    text, html = mail_bodies(tr, user.name, subject, body, url, items, settings=settings_url(user))
    return {
        "user_id": user.id,
        "to_addr": user.email,
        "subject": subject[:500],
        "text_body": text,
        "html_body": html,
        "message_id": f"<{message_id}>",
        "status": "pending",
        "attempts": 0,
        "last_error": "",
        "next_attempt_at": now,
        "claimed_at": None,
        "created_at": now,
        "sent_at": None,
    }


def mail_bodies(
    tr: Translate, name, subject, body, url, items=(), reason: str = "deadline", settings: str = ""
) -> tuple[str, str]:
    """The plain-text and HTML parts; `reason` says why the reader gets it (deadline, event);
    `settings` is the signed link to the reader's e-mail settings the footer points to."""
    hello = tr("Hello %(name)s,") % {"name": name}
    if reason == "event":
        footer = tr(
            "You receive this because you take part in this work. "
            "Choose e-mail, a daily digest or no e-mail under Settings."
        )
    else:
        footer = tr(
            "You receive this because a deadline of yours is near or past. "
            "Choose e-mail, a daily digest or no e-mail under Settings."
        )
    open_label, settings_label = tr("Open in pilotmgr"), tr("Settings")
    text_items = "".join(f"\n- {i.title}\n  {i.body}\n  {i.url}\n" for i in items)
    text = (
        f"{hello}\n\n{subject}\n{body}\n{text_items}\n{open_label}: {url}\n\n"
        f"-- \npilotmgr · {footer}\n{settings_label}: {settings}\n"
    )
    html_items = "".join(
        f'<li><a href="{escape(i.url)}">{escape(i.title)}</a><br>{escape(i.body)}</li>'
        for i in items
    )
    html = (
        '<!doctype html><html><head><meta charset="utf-8">'
        f"<title>{escape(subject)}</title></head>"
        '<body style="font-family: Arial, Helvetica, sans-serif; color: #212529; max-width: 40rem">'
        f'<p>{escape(hello)}</p><h2 style="font-size: 1.1rem">{escape(subject)}</h2>'
        f"<p>{escape(body)}</p>{f'<ul>{html_items}</ul>' if items else ''}"
        f'<p><a href="{escape(url)}" style="background:#0d6efd;color:#fff;padding:.4rem .8rem;'
        f'border-radius:.3rem;text-decoration:none">{escape(open_label)}</a></p>'
        f'<hr><p style="font-size:.8rem;color:#6c757d">{escape(footer)} '
        f'<a href="{escape(settings)}">{escape(settings_label)}</a></p></body></html>'
    )
    return text, html


def compose(tr: Translate, kind: str, f: dict) -> tuple[str, str]:
    """The notification's title and body for a reminder kind."""
    if kind == "before":
        return (
            tr("Due in %(n)s working days: %(task)s") % {"n": f["left"], "task": f["task"]},
            tr("The task “%(task)s” of the pilot “%(pilot)s” is due on %(due)s.") % f,
        )
    if kind == "due":
        return (
            tr("Due today: %(task)s") % f,
            tr("The task “%(task)s” of the pilot “%(pilot)s” is due today, %(due)s.") % f,
        )
    if kind == "overdue":
        return (
            tr("Overdue by %(n)s working days: %(task)s") % {"n": f["late"], "task": f["task"]},
            tr(
                "The task “%(task)s” of the pilot “%(pilot)s” was due on %(due)s. "
                "Finish it, or agree a new due date and say why."
            )
            % f,
        )
    if kind == "escalation":
        facts = f | {"n": f["late"]}
        return (
            tr("Escalation: “%(task)s” is %(n)s working days overdue") % facts,
            tr(
                "%(assignee)s has not finished the task “%(task)s” of the pilot “%(pilot)s”, "
                "due on %(due)s (%(n)s working days late)."
            )
            % facts,
        )
    if kind == "pilot_end":
        return (
            tr("The pilot “%(pilot)s” ends on %(due)s") % f,
            tr(
                "%(n)s working days remain. Get the KPI measurements approved so the "
                "pilot can be evaluated."
            )
            % {"n": f["left"]},
        )
    return (
        tr("Awaiting your decision: %(pilot)s") % f,
        tr("The pilot “%(pilot)s” has been waiting for a decision since %(due)s.") % f,
    )


def compose_rollout(tr: Translate, kind: str, f: dict) -> tuple[str, str]:
    """The title and body for a rollout target's reminder: the model, reaching one unit."""
    if kind == "before":
        return (
            tr("Due in %(n)s working days: rollout in %(unit)s")
            % {"n": f["left"], "unit": f["unit"]},
            tr("Rolling out “%(pilot)s” in %(unit)s is due on %(due)s.") % f,
        )
    if kind == "due":
        return (
            tr("Due today: rollout in %(unit)s") % f,
            tr("Rolling out “%(pilot)s” in %(unit)s is due today, %(due)s.") % f,
        )
    if kind == "overdue":
        return (
            tr("Overdue by %(n)s working days: rollout in %(unit)s")
            % {"n": f["late"], "unit": f["unit"]},
            tr(
                "Rolling out “%(pilot)s” in %(unit)s was due on %(due)s. "
                "Finish it, or agree a new due date and say why."
            )
            % f,
        )
    facts = f | {"n": f["late"]}
    return (
        tr("Escalation: the rollout in %(unit)s is %(n)s working days overdue") % facts,
        tr(
            "%(assignee)s has not finished rolling out “%(pilot)s” in %(unit)s, "
            "due on %(due)s (%(n)s working days late)."
        )
        % facts,
    )
