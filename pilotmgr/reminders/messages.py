"""Turn claimed reminders into notifications and queued e-mails, in each recipient's language."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale, format_date, gettext
from sqlalchemy import insert, select

from pilotmgr.auth.models import User
from pilotmgr.core.clock import local_zone
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Pilot, Task
from pilotmgr.reminders.models import Notification, OutboxMail, Reminder
from pilotmgr.reminders.workdays import calendar_around

CHUNK = 2000


def mail_domain() -> str:
    sender = current_app.config.get("MAIL_DEFAULT_SENDER") or "pilotmgr@localhost"
    return sender.rsplit("@", 1)[-1].strip(">") or "localhost"


def _by_id(query) -> dict:
    return {r[0]: r for r in db.session.execute(query)}


def notify(reminder_ids: list[int], now: datetime) -> None:
    """Write one notification per reminder and, for e-mail users, one outbox mail."""
    for start in range(0, len(reminder_ids), CHUNK):
        _notify_chunk(reminder_ids[start : start + CHUNK], now)


def _notify_chunk(ids: list[int], now: datetime) -> None:
    reminders = db.session.execute(
        select(
            Reminder.id,
            Reminder.kind,
            Reminder.step,
            Reminder.deadline,
            Reminder.recipient_id,
            Reminder.subject_type,
            Reminder.subject_id,
            Reminder.pilot_id,
        ).where(Reminder.id.in_(ids))
    ).all()
    task_ids = {r.subject_id for r in reminders if r.subject_type == "task"}
    tasks = _by_id(
        select(Task.id, Task.title, User.name)
        .outerjoin(User, User.id == Task.assignee_id)
        .where(Task.id.in_(task_ids))
    )
    pilots = _by_id(
        select(Pilot.id, Pilot.title).where(Pilot.id.in_({r.pilot_id for r in reminders}))
    )
    users = _by_id(
        select(User.id, User.email, User.lang, User.email_mode, User.name).where(
            User.id.in_({r.recipient_id for r in reminders})
        )
    )
    today = now.astimezone(local_zone()).date()
    cal = calendar_around(today)
    base = current_app.config["PILOTMGR_BASE_URL"].rstrip("/")
    domain = mail_domain()
    by_lang = defaultdict(list)
    for r in reminders:
        by_lang[users[r.recipient_id].lang].append(r)
    notes, mails = [], []
    for lang, group in by_lang.items():
        with force_locale(lang):
            for r in group:
                task = tasks.get(r.subject_id) if r.subject_type == "task" else None
                facts = {
                    "task": task.title if task else "",
                    "assignee": (task.name or "") if task else "",
                    "pilot": pilots[r.pilot_id].title if r.pilot_id in pilots else "",
                    "due": format_date(r.deadline, "dd/MM/yyyy"),
                    "late": cal.between(r.deadline, today) if r.deadline <= today else 0,
                    "left": cal.between(today, r.deadline) if r.deadline > today else 0,
                }
                title, body = compose(r.kind, facts)
                anchor = f"#task-{r.subject_id}" if task else ""
                url = f"{base}/pilots/{r.pilot_id}{anchor}" if r.pilot_id else f"{base}/"
                notes.append(
                    {
                        "user_id": r.recipient_id,
                        "reminder_id": r.id,
                        "kind": r.kind,
                        "title": title,
                        "body": body,
                        "url": url,
                        "created_at": now,
                    }
                )
                user = users[r.recipient_id]
                if user.email_mode == "single":
                    mails.append(
                        outbox_row(user, title, body, url, f"reminder-{r.id}@{domain}", now)
                    )
    db.session.execute(insert(Notification), notes)
    if mails:
        db.session.execute(insert(OutboxMail), mails)


def outbox_row(user, subject: str, body: str, url: str, message_id: str, now, items=()) -> dict:
    """An outbox row with the text and HTML parts rendered in the current locale."""
    context = {"name": user.name, "subject": subject, "body": body, "url": url, "items": items}
    return {
        "user_id": user.id,
        "to_addr": user.email,
        "subject": subject,
        "text_body": render_template("reminders/mail.txt", **context),
        "html_body": render_template("reminders/mail.html", **context),
        "message_id": f"<{message_id}>",
        "status": "pending",
        "attempts": 0,
        "last_error": "",
        "next_attempt_at": now,
        "created_at": now,
    }


def compose(kind: str, f: dict) -> tuple[str, str]:
    """The notification's title and body for a reminder kind (in the active locale)."""
    if kind == "before":
        return (
            gettext("Due in %(n)s working days: %(task)s", n=f["left"], task=f["task"]),
            gettext(
                "The task “%(task)s” of the pilot “%(pilot)s” is due on %(due)s.",
                task=f["task"],
                pilot=f["pilot"],
                due=f["due"],
            ),
        )
    if kind == "due":
        return (
            gettext("Due today: %(task)s", task=f["task"]),
            gettext(
                "The task “%(task)s” of the pilot “%(pilot)s” is due today, %(due)s.",
                task=f["task"],
                pilot=f["pilot"],
                due=f["due"],
            ),
        )
    if kind == "overdue":
        return (
            gettext("Overdue by %(n)s working days: %(task)s", n=f["late"], task=f["task"]),
            gettext(
                "The task “%(task)s” of the pilot “%(pilot)s” was due on %(due)s. "
                "Finish it, or agree a new due date and say why.",
                task=f["task"],
                pilot=f["pilot"],
                due=f["due"],
            ),
        )
    if kind == "escalation":
        return (
            gettext(
                "Escalation: “%(task)s” is %(n)s working days overdue", task=f["task"], n=f["late"]
            ),
            gettext(
                "%(assignee)s has not finished the task “%(task)s” of the pilot “%(pilot)s”, "
                "due on %(due)s (%(n)s working days late).",
                assignee=f["assignee"],
                task=f["task"],
                pilot=f["pilot"],
                due=f["due"],
                n=f["late"],
            ),
        )
    if kind == "pilot_end":
        return (
            gettext("The pilot “%(pilot)s” ends on %(due)s", pilot=f["pilot"], due=f["due"]),
            gettext(
                "%(n)s working days remain. Get the KPI measurements approved so the "
                "pilot can be evaluated.",
                n=f["left"],
            ),
        )
    return (
        gettext("Awaiting your decision: %(pilot)s", pilot=f["pilot"]),
        gettext(
            "The pilot “%(pilot)s” has been waiting for a decision since %(due)s.",
            pilot=f["pilot"],
            due=f["due"],
        ),
    )
