from __future__ import annotations

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pilotmgr.core.models import TimestampMixin, VersionedMixin
from pilotmgr.extensions import db

UNIT_KINDS = ("ministry", "province", "agency", "department", "division")


class Unit(VersionedMixin, TimestampMixin, db.Model):
    """An organisation unit: ministry or province → department → division."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(255), nullable=False)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    #: Materialised path of ids, "/1/7/42/", so a subtree is one indexed prefix match.
    path: Mapped[str] = mapped_column(String(512), nullable=False, index=True, default="")
    #: The unit's level: ministry, province (the 34 provincial-level units), agency (a Cục or
    #: office directly under a ministry), department (a Sở), division; "" when not said.
    kind: Mapped[str] = mapped_column(String(16), nullable=False, default="", server_default="")
    #: False once the unit has been merged into another; its history stays.
    is_active: Mapped[bool] = mapped_column(nullable=False, default=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True)

    parent: Mapped[Unit | None] = relationship(
        remote_side="Unit.id", foreign_keys=[parent_id], lazy="raise"
    )

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"


def subtree_ids(root: Unit):
    """A SELECT of the ids of `root` and every unit below it."""
    return select(Unit.id).where(Unit.path.startswith(root.path, autoescape=True))
