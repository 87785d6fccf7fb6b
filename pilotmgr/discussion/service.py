"""A pilot's discussion: who may see the pilot may write; @mentions notify; files are evidence.

A mention is "@" followed by the person's e-mail ("@mai@bacninh.gov.vn"). Only people who may
see the pilot can be mentioned; anyone else is refused with the name as it was typed, so the
answer tells nothing about accounts the writer could not see anyway.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pilotmgr.auth.models import User
from pilotmgr.core import audit
from pilotmgr.core import validate as v
from pilotmgr.core.errors import ValidationFailed
from pilotmgr.discussion.models import Comment
from pilotmgr.extensions import db
from pilotmgr.notices.events import notify
from pilotmgr.pilots.permissions import can_view_pilot, require_visible

MAX_BODY = 10_000
MAX_FILES = 5
#: How much of a comment a notification and the history quote.
EXCERPT = 200
#: "@" + an e-mail address, not preceded by a letter (so "mai@x.vn" alone is no mention).
MENTION = re.compile(
    r"(?<![\w.@])@([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
)


class CommentInput(v.Input):
    body = v.prose(MAX_BODY, required=True)


@dataclass
class Thread:
    comments: list[Comment]
    #: comment id → its files (Evidence rows).
    files: dict[int, list] = field(default_factory=dict)


def mentioned_emails(body: str) -> list[str]:
    """The e-mails mentioned in a text, in order, each once."""
    return list(dict.fromkeys(m.lower() for m in MENTION.findall(body or "")))


def excerpt(body: str) -> str:
    text = " ".join((body or "").split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def _mentioned_people(pilot, body: str) -> list[User]:
    emails = mentioned_emails(body)
    if not emails:
        return []
    found = {
        u.email: u
        for u in db.session.scalars(
            select(User).where(User.email.in_(emails), User.is_active_account)
        )
    }
    refused = [e for e in emails if e not in found or not can_view_pilot(found[e], pilot)]
    if refused:
        raise ValidationFailed(
            {
                "body": [
                    str(
                        _l(
                            "%(who)s cannot be mentioned: only people who may see this pilot can.",
                            who=", ".join(f"@{e}" for e in refused),
                        )
                    )
                ]
            }
        )
    return [found[e] for e in emails]


def post_comment(actor, pilot, data: Mapping, files: Iterable = ()) -> Comment:
    """Add a comment to the pilot's discussion; tell the people it mentions."""
    from pilotmgr.pilots.files import save_file

    require_visible(actor, pilot)
    values = v.parse(data, CommentInput)
    body = values["body"].strip()
    files = [f for f in files if f is not None and getattr(f, "filename", "")]
    if len(files) > MAX_FILES:
        raise ValidationFailed(
            {"files": [str(_l("At most %(n)s files per comment.", n=MAX_FILES))]}
        )
    people = _mentioned_people(pilot, body)
    comment = Comment(pilot_id=pilot.id, author_id=actor.id, body=body)
    db.session.add(comment)
    db.session.flush()
    names = []
    for upload in files:
        try:
            stored = save_file(actor, pilot, upload, "", comment_id=comment.id)
        except ValidationFailed as exc:
            messages = [m for ms in exc.errors.values() for m in ms]
            raise ValidationFailed(
                {"files": [f"{upload.filename}: {m}" for m in messages]}
            ) from None
        names.append(stored.filename)
    entry = audit.record(
        actor=actor,
        obj=comment,
        action="comment",
        pilot_id=pilot.id,
        after={
            "excerpt": excerpt(body),
            "files": names,
            "mentions": [p.email for p in people],
        },
        unit_code=pilot.unit.code,
    )
    db.session.flush()
    if people:
        notify(
            "mentioned",
            people,
            cause=f"history-{entry.id}",
            actor=actor,
            pilot=pilot,
            url=f"/pilots/{pilot.id}#comment-{comment.id}",
            excerpt=excerpt(body),
        )
    return comment


def thread(user, pilot) -> Thread:
    """The pilot's comments, oldest first (newest last), with their authors and files."""
    from pilotmgr.results.models import Evidence

    require_visible(user, pilot)
    comments = list(
        db.session.scalars(
            select(Comment)
            .where(Comment.pilot_id == pilot.id)
            .options(selectinload(Comment.author))
            .order_by(Comment.created_at, Comment.id)
        )
    )
    files: dict[int, list] = {}
    if comments:
        for found in db.session.scalars(
            select(Evidence)
            .where(Evidence.comment_id.in_([c.id for c in comments]))
            .order_by(Evidence.id)
        ):
            files.setdefault(found.comment_id, []).append(found)
    return Thread(comments=comments, files=files)


def mention_suggestions(user, pilot) -> list[User]:
    """The people of the pilot: its owner, task assignees, heads above, rollout responsibles."""
    from pilotmgr.auth.service import heads_of
    from pilotmgr.pilots.models import Task
    from pilotmgr.rollout.models import RolloutTarget

    require_visible(user, pilot)
    ids = {pilot.owner_id}
    ids |= set(
        db.session.scalars(
            select(Task.assignee_id).where(Task.pilot_id == pilot.id, Task.assignee_id.is_not(None))
        )
    )
    ids |= set(
        db.session.scalars(
            select(RolloutTarget.responsible_id).where(
                RolloutTarget.pilot_id == pilot.id, RolloutTarget.responsible_id.is_not(None)
            )
        )
    )
    ids |= {h.id for h in heads_of(pilot.unit)}
    ids.discard(user.id)
    return list(
        db.session.scalars(
            select(User).where(User.id.in_(ids), User.is_active_account).order_by(User.name)
        )
    )


def files_of(comment: Comment) -> list:
    from pilotmgr.results.models import Evidence

    return list(
        db.session.scalars(
            select(Evidence).where(Evidence.comment_id == comment.id).order_by(Evidence.id)
        )
    )
