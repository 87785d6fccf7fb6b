"""Column values as JSON and back: portable between SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import enum
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import JSON, Column, Date, DateTime, LargeBinary, Numeric, Time
from sqlalchemy.types import TypeDecorator


def encode(value):
    """A JSON-ready form of one value read from the database."""
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.name
    return value


def _base_type(column: Column):
    kind = column.type
    while isinstance(kind, TypeDecorator):
        kind = kind.impl if not isinstance(kind.impl, type) else kind.impl()
    return kind


def decoder(column: Column):
    """The function that turns a column's JSON form back into what its type binds."""
    kind = _base_type(column)
    if isinstance(kind, JSON):
        return None
    if isinstance(kind, LargeBinary):
        return base64.b64decode
    if isinstance(kind, DateTime):
        return datetime.fromisoformat
    if isinstance(kind, Date):
        return date.fromisoformat
    if isinstance(kind, Time):
        return time.fromisoformat
    if isinstance(kind, Numeric) and kind.asdecimal:
        return Decimal
    return None


def row_decoder(table):
    """Decode a whole row of `table`, leaving nulls and plain values alone."""
    steps = {c.name: f for c in table.columns if (f := decoder(c)) is not None}

    def decode(row: dict) -> dict:
        for name, step in steps.items():
            if row.get(name) is not None:
                row[name] = step(row[name])
        return row

    return decode
