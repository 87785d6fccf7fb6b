from __future__ import annotations

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pilotmgr.auth.models import User
from pilotmgr.core.models import TimestampMixin
from pilotmgr.extensions import db


class Comment(TimestampMixin, db.Model):
    """A message in a pilot's discussion; files attached to it are stored as evidence."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), nullable=False, index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)

    author: Mapped[User] = relationship(lazy="raise")
