"""Signed links from a mail to its reader's e-mail settings, usable without signing in.

A link names one user and one kind of mail, is signed with the app's secret and expires after
LINK_DAYS. It also carries a fingerprint of the address it was sent to, so a link stops working
when the account's address changes hands.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import update

from pilotmgr.auth.models import User
from pilotmgr.extensions import db
from pilotmgr.reminders.models import MAIL_CATEGORIES, Notification

LINK_DAYS = 60
_SALT = "pilotmgr.mail-settings"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.email.lower().encode()).hexdigest()[:16]


def make_token(user: User, category: str = "notices") -> str:
    return _serializer().dumps({"u": user.id, "e": _fingerprint(user), "c": category})


def read_token(token: str) -> tuple[User, str] | None:
    """The user and mail category a link names, or None if forged, expired or outdated."""
    try:
        data = _serializer().loads(token, max_age=LINK_DAYS * 86400)
        user = db.session.get(User, int(data["u"]))
        category = data["c"]
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if user is None or not user.is_active_account or category not in MAIL_CATEGORIES:
        return None
    if data.get("e") != _fingerprint(user):
        return None
    return user, category


def _base() -> str:
    return current_app.config["PILOTMGR_BASE_URL"].rstrip("/")


def settings_url(user: User, category: str = "notices") -> str:
    return f"{_base()}/mail-settings/{make_token(user, category)}"


def unsubscribe_url(user: User, category: str = "notices") -> str:
    return f"{settings_url(user, category)}/unsubscribe"


def message_id_domain() -> str:
    """MAIL_MESSAGE_ID_DOMAIN, or the host of the base URL (unique to the installation)."""
    configured = current_app.config.get("MAIL_MESSAGE_ID_DOMAIN")
    return configured or urlsplit(_base()).hostname or "localhost"


def unsubscribe(user: User, category: str) -> None:
    """One click in the mail: that kind of mail stops (RFC 8058)."""
    if category == "leader_digest":
        user.leader_digest = False
    else:
        leave_digest(user)
        user.email_mode = "off"
    db.session.flush()


def leave_digest(user: User) -> None:
    """A reader who leaves the daily digest finds the waiting items in the app only."""
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.digest_due)
        .values(digest_due=False),
        execution_options={"synchronize_session": False},
    )
