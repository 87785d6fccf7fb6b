"""Files sent with an outbox mail (the weekly leader digest's PDF), kept beside the mail row."""

from __future__ import annotations

from email.message import EmailMessage

from sqlalchemy import ForeignKey, LargeBinary, String, select
from sqlalchemy.orm import Mapped, mapped_column

from pilotmgr.extensions import db


class OutboxAttachment(db.Model):
    __tablename__ = "outbox_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    mail_id: Mapped[int] = mapped_column(ForeignKey("outbox.id"), nullable=False, index=True)
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


def attach_files(message: EmailMessage, mail_id: int) -> None:
    """Add the mail's stored attachments to the message being sent (none for most mails)."""
    rows = db.session.scalars(
        select(OutboxAttachment).where(OutboxAttachment.mail_id == mail_id)
    ).all()
    for row in rows:
        maintype, _, subtype = row.content_type.partition("/")
        message.add_attachment(row.data, maintype=maintype, subtype=subtype, filename=row.filename)
