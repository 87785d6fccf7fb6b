from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from pilotmgr.core.models import TimestampMixin, UTCDateTime, VersionedMixin
from pilotmgr.core.text import fold
from pilotmgr.extensions import db
from pilotmgr.units.models import Unit


class Role(enum.StrEnum):
    admin = "admin"
    head = "head"
    lead = "lead"
    staff = "staff"
    viewer = "viewer"


ROLES = [r.value for r in Role]
#: What each role is called on pages, exports and messages (never its code).
ROLE_LABELS = {
    Role.admin.value: _l("Administrator"),
    Role.head.value: _l("Head"),
    Role.lead.value: _l("Project lead"),
    Role.staff.value: _l("Staff"),
    Role.viewer.value: _l("Viewer"),
}
LANGS = ("vi", "en")


def new_secret() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(255), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), nullable=False, index=True)
    lang: Mapped[str] = mapped_column(String(2), nullable=False, default="vi")
    is_active_account: Mapped[bool] = mapped_column(nullable=False, default=True)
    #: Secret part of the personal iCalendar feed URL; regenerating it revokes old links.
    calendar_secret: Mapped[str] = mapped_column(
        String(64), unique=True, nullable=False, default=new_secret
    )

    #: "single" mails each reminder, "digest" one mail a day at 07:30, "off" in-app only.
    email_mode: Mapped[str] = mapped_column(String(8), nullable=False, default="single")
    #: Heads receive the weekly leader digest (Monday 07:30) unless they switch it off.
    leader_digest: Mapped[bool] = mapped_column(nullable=False, default=True, server_default="1")
    #: Set when an administrator gave a temporary password: the next sign-in asks for a new one.
    must_change_password: Mapped[bool] = mapped_column(
        nullable=False, default=False, server_default="0"
    )
    #: Folded (lower-case, no diacritics) name and e-mail, so "nguyen van" finds "Nguyễn Văn".
    search_text: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")

    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.is_active_account

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin

    @property
    def is_head(self) -> bool:
        return self.role == Role.head

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


@event.listens_for(User, "before_insert")
@event.listens_for(User, "before_update")
def _fold_search_text(_mapper, _connection, user: User) -> None:
    """Keep the diacritics-free search column in step with the name and e-mail."""
    user.search_text = fold(f"{user.name or ''} {user.email or ''}")


class ApiToken(TimestampMixin, db.Model):
    """A bearer token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
