"""One input-checking path for forms and the JSON API: plain values in, typed values out."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l

from pilotmgr.core.errors import ValidationFailed
from pilotmgr.core.text import multi_line, one_line

MISSING = object()
#: Beyond these years a date is a typing slip, and date arithmetic on it (a deadline plus
#: some working days, a month after year 9999) overflows: forms and the API refuse it.
FIRST_YEAR, LAST_YEAR = 1900, 2200


@dataclass
class Field:
    required: bool = False
    label: Any = ""
    #: Turns a present, non-empty raw value into the typed value or raises ValueError(message).
    convert: Callable[[Any], Any] = field(default=lambda v: v)


def text(max_length: int = 255, **kw) -> Field:
    """One-line text (a title, a name): line breaks and control characters become spaces."""
    return _text(one_line, max_length, **kw)


def prose(max_length: int = 10_000, **kw) -> Field:
    """Multi-line text (a summary, a comment): line breaks kept, other control characters go."""
    return _text(multi_line, max_length, **kw)


def _text(clean: Callable[[str], str], max_length: int, **kw) -> Field:
    def convert(value):
        if not isinstance(value, str):
            raise ValueError(_l("Must be text."))
        value = clean(value)
        if len(value) > max_length:
            raise ValueError(_l("At most %(n)s characters.", n=max_length))
        return value

    return Field(convert=convert, **kw)


def integer(min_value: int | None = None, max_value: int | None = None, **kw) -> Field:
    def convert(value):
        if isinstance(value, bool):
            raise ValueError(_l("Must be a whole number."))
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            raise ValueError(_l("Must be a whole number.")) from None
        if min_value is not None and number < min_value:
            raise ValueError(_l("Must be at least %(n)s.", n=min_value))
        if max_value is not None and number > max_value:
            raise ValueError(_l("Must be at most %(n)s.", n=max_value))
        return number

    return Field(convert=convert, **kw)


def decimal(min_value: Decimal | None = None, **kw) -> Field:
    def convert(value):
        if isinstance(value, bool | list | dict):
            raise ValueError(_l("Must be a number."))
        raw = str(value).strip().replace(" ", "")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise ValueError(_l("Must be a number.")) from None
        if not number.is_finite() or abs(number) >= Decimal("1e14"):
            raise ValueError(_l("Must be a number."))
        if min_value is not None and number < min_value:
            raise ValueError(_l("Must be at least %(n)s.", n=min_value))
        return number

    return Field(convert=convert, **kw)


def iso_date(**kw) -> Field:
    def convert(value):
        if isinstance(value, date):
            day = value
        else:
            try:
                day = date.fromisoformat(str(value).strip())
            except ValueError:
                raise ValueError(_l("Must be a date YYYY-MM-DD.")) from None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError(
                _l("Must be a date from %(first)s to %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
            )
        return day

    return Field(convert=convert, **kw)


def choice(options, **kw) -> Field:
    def convert(value):
        if value not in options:
            raise ValueError(_l("Must be one of: %(options)s.", options=", ".join(options)))
        return value

    return Field(convert=convert, **kw)


def lookup(find: Callable[[str], Any], message, **kw) -> Field:
    """A reference by natural key (unit code, user e-mail, id) resolved to an object."""

    def convert(value):
        if isinstance(value, list | dict | bool):
            raise ValueError(message)
        found = find(one_line(str(value)))
        if found is None:
            raise ValueError(message)
        return found

    return Field(convert=convert, **kw)


#: Integer primary keys are 32-bit in PostgreSQL; anything larger cannot name a row.
MAX_ROW_ID = 2**31 - 1


def row_id(value) -> int | None:
    """An id from a URL, form or JSON value, or None when it cannot name a row.

    str.isdigit() alone lets through "²" (int() refuses it) and numbers beyond the
    column's range (the database refuses them): both used to answer 500.
    """
    if isinstance(value, bool):
        return None
    raw = str(value).strip()
    if not (raw.isascii() and raw.isdigit()):
        return None
    number = int(raw)
    return number if 1 <= number <= MAX_ROW_ID else None


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse(data: Mapping, fields: dict[str, Field], *, partial: bool = False) -> dict:
    """Check `data` against `fields`; return the typed values given, or raise ValidationFailed.

    With `partial`, absent keys are left out (PATCH); a key given as blank clears an optional
    field and is refused for a required one.
    """
    if not isinstance(data, Mapping):
        raise ValidationFailed({"body": [str(_l("Expected an object."))]})
    values: dict = {}
    errors: dict[str, list[str]] = {}
    for name, spec in fields.items():
        raw = data.get(name, MISSING)
        if raw is MISSING and partial:
            continue
        if raw is MISSING or _is_blank(raw):
            if spec.required:
                errors.setdefault(name, []).append(str(_l("This field is required.")))
            else:
                values[name] = None
            continue
        try:
            values[name] = spec.convert(raw)
        except ValueError as exc:
            errors.setdefault(name, []).append(str(exc))
    if errors:
        raise ValidationFailed(errors)
    return values
