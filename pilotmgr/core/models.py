"""Column helpers and database behaviour shared by every feature."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

from pilotmgr.core.text import nfc


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware datetime stored as UTC; SQLite gives naive values back, so re-attach UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a UTC column")
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class VersionedMixin:
    """Optimistic locking: every edit names the version it read; a stale one is refused."""

    #: Incremented by SQLAlchemy on every UPDATE; a concurrent write raises StaleDataError.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """WAL for concurrent readers, a busy timeout instead of instant lock errors, real FKs."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # 64 MiB of page cache (used only as needed): with the 2 MiB default, a reminder scan
    # recording tens of thousands of rows rereads the unique-key index from the OS cache.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def normalise_text_on_set(base) -> None:
    """Normalise every string column of every mapped class to NFC when it is assigned."""

    @event.listens_for(base, "mapper_configured", propagate=True)
    def _configured(mapper, class_):
        for prop in mapper.column_attrs:
            column = prop.columns[0]
            try:
                is_text = column.type.python_type is str
            except NotImplementedError:
                continue
            if is_text:
                event.listen(getattr(class_, prop.key), "set", _nfc_listener, retval=True)


def _nfc_listener(_target, value, _oldvalue, _initiator):
    return nfc(value)
