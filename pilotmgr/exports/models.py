"""A file checked by a dry run and kept, in the database, for its uploader's commit."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pilotmgr.core.models import TimestampMixin
from pilotmgr.core.storage import StoredFile
from pilotmgr.extensions import db


class ImportUpload(TimestampMixin, db.Model):
    """Between a dry run and its commit; removed by the commit or after a day (scheduler).

    Kept as a row with its bytes in `stored_files`, so the commit may reach any web server.
    """

    __tablename__ = "import_uploads"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    #: "xlsx" or "csv": how the bytes are read.
    fmt: Mapped[str] = mapped_column(String(4), nullable=False)
    file_key: Mapped[str] = mapped_column(ForeignKey("stored_files.key"), nullable=False)

    file: Mapped[StoredFile] = relationship()
