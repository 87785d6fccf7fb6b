"""One input-checking path for forms, spreadsheets and the JSON API: marshmallow schemas.

Each input is one `Input` schema, declared once in its feature. The service that takes the
input loads it (`parse`), whether the values came from a web form, an imported row or a JSON
body, and apispec reads the same class for `/api/v1/openapi.json`: required fields, enums,
lengths and ranges in the document are the checks themselves.

Why marshmallow (with apispec) rather than pydantic: the services take plain mappings and
answer "field → messages", which is what `Schema.load` does and how its errors are shaped;
the Flask views stay as they are, and the same classes dump the answers.

JSON carries types, forms and spreadsheets carry text: inside an API request (`json_types`)
a number must be a JSON number and a date an ISO string; elsewhere "12" and a `date` object
are read too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from flask import g, has_app_context
from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, fields, pre_load
from marshmallow import ValidationError as SchemaError

from pilotmgr.core.errors import ValidationFailed
from pilotmgr.core.text import multi_line, one_line

#: Beyond these years a date is a typing slip, and date arithmetic on it (a deadline plus
#: some working days, a month after year 9999) overflows: forms and the API refuse it.
FIRST_YEAR, LAST_YEAR = 1900, 2200
#: Integer primary keys are 32-bit in PostgreSQL; anything larger cannot name a row.
MAX_ROW_ID = 2**31 - 1
#: Amounts and measurements beyond this are typing slips (and overflow NUMERIC(16, 2)).
MAX_NUMBER = Decimal("1e14")


def json_types() -> bool:
    """True while an API request is being served: its values must have their JSON types."""
    return has_app_context() and g.get("json_types", False)


def _required_messages(required: bool) -> dict:
    message = _l("This field is required.")
    return {"required": message, "null": message}


class Input(Schema):
    """An input: keys it does not declare are ignored; blank text is "not given"."""

    class Meta:
        unknown = EXCLUDE

    @pre_load
    def _blank_is_none(self, data, **_kwargs):
        return {
            key: None if isinstance(value, str) and not value.strip() else value
            for key, value in data.items()
        }


class _Field:
    """Optional fields may be null (they clear the value) and default to None when absent."""

    def __init__(self, *, required: bool = False, **kwargs):
        kwargs.setdefault("allow_none", not required)
        if not required:
            kwargs.setdefault("load_default", None)
        kwargs.setdefault("error_messages", _required_messages(required))
        super().__init__(required=required, **kwargs)


class Text(_Field, fields.String):
    def __init__(self, max_length: int, clean: Callable[[str], str], **kwargs):
        super().__init__(metadata={"maxLength": max_length}, **kwargs)
        self.max_length, self.clean = max_length, clean

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise SchemaError(str(_l("Must be text.")))
        # The length as sent, as the document states it (cleaning only shortens).
        if len(value) > self.max_length:
            raise SchemaError(str(_l("At most %(n)s characters.", n=self.max_length)))
        return self.clean(value)


def text(max_length: int = 255, **kw) -> Text:
    """One-line text (a title, a name): line breaks and control characters become spaces."""
    return Text(max_length, one_line, **kw)


def prose(max_length: int = 10_000, **kw) -> Text:
    """Multi-line text (a summary, a comment): line breaks kept, other control characters go."""
    return Text(max_length, multi_line, **kw)


class WholeNumber(_Field, fields.Integer):
    def __init__(self, min_value: int | None = None, max_value: int | None = None, **kwargs):
        metadata = {}
        if min_value is not None:
            metadata["minimum"] = min_value
        if max_value is not None:
            metadata["maximum"] = max_value
        super().__init__(metadata=metadata, **kwargs)
        self.min_value, self.max_value = min_value, max_value

    def _deserialize(self, value, attr, data, **kwargs):
        number = _whole(value)
        if number is None:
            raise SchemaError(str(_l("Must be a whole number.")))
        if self.min_value is not None and number < self.min_value:
            raise SchemaError(str(_l("Must be at least %(n)s.", n=self.min_value)))
        if self.max_value is not None and number > self.max_value:
            raise SchemaError(str(_l("Must be at most %(n)s.", n=self.max_value)))
        return number


def _whole(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and not json_types():
        raw = value.strip()
        if raw.lstrip("-").isascii() and raw.lstrip("-").isdigit():
            return int(raw)
    return None


def integer(min_value: int | None = None, max_value: int | None = None, **kw) -> WholeNumber:
    return WholeNumber(min_value, max_value, **kw)


def version() -> WholeNumber:
    """The version the caller read (optimistic locking): required in a change too."""
    field = WholeNumber(1, MAX_ROW_ID, required=True)
    field.in_every_change = True
    return field


def row_ref(**kw) -> WholeNumber:
    """An id in a body (a memo, a measurement): a whole number a row can have."""
    return WholeNumber(1, MAX_ROW_ID, **kw)


class Number(_Field, fields.Decimal):
    def __init__(self, min_value: Decimal | None = None, **kwargs):
        metadata = {"exclusiveMaximum": int(MAX_NUMBER)}
        metadata["minimum" if min_value is not None else "exclusiveMinimum"] = (
            min_value if min_value is not None else -int(MAX_NUMBER)
        )
        super().__init__(metadata=metadata, **kwargs)
        self.min_value = min_value

    def _deserialize(self, value, attr, data, **kwargs):
        invalid = SchemaError(str(_l("Must be a number.")))
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
            raise invalid
        if isinstance(value, str) and json_types():
            raise invalid
        try:
            number = Decimal(str(value).strip().replace(" ", ""))
        except InvalidOperation:
            raise invalid from None
        if not number.is_finite() or abs(number) >= MAX_NUMBER:
            raise invalid
        if self.min_value is not None and number < self.min_value:
            raise SchemaError(str(_l("Must be at least %(n)s.", n=self.min_value)))
        return number


def decimal(min_value: Decimal | None = None, **kw) -> Number:
    return Number(min_value, **kw)


class Day(_Field, fields.Date):
    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, date) and not isinstance(value, datetime) and not json_types():
            day = value
        else:
            try:
                day = date.fromisoformat(value.strip()) if isinstance(value, str) else None
            except ValueError:
                day = None
            if day is None:
                raise SchemaError(str(_l("Must be a date YYYY-MM-DD.")))
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise SchemaError(
                str(
                    _l(
                        "Must be a date from %(first)s to %(last)s.",
                        first=FIRST_YEAR,
                        last=LAST_YEAR,
                    )
                )
            )
        return day


def iso_date(**kw) -> Day:
    return Day(**kw)


class Choice(_Field, fields.String):
    def __init__(self, options, **kwargs):
        self.options = tuple(options)
        required = kwargs.get("required", False)
        # A null clears an optional choice: the document lists it beside the options.
        enum = [*self.options] if required else [*self.options, None]
        super().__init__(metadata={"enum": enum}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if value not in self.options:
            raise SchemaError(
                str(_l("Must be one of: %(options)s.", options=", ".join(self.options)))
            )
        return value


def choice(options, **kw) -> Choice:
    return Choice(options, **kw)


class _Lookup(_Field):
    def __init__(self, find: Callable[[str], Any], message, **kwargs):
        super().__init__(**kwargs)
        self.find, self.message = find, message

    def _deserialize(self, value, attr, data, **kwargs):
        if not self._accepts(value):
            raise SchemaError(str(self.message))
        found = self.find(one_line(str(value)))
        if found is None:
            raise SchemaError(str(self.message))
        return found


class KeyLookup(_Lookup, fields.String):
    """A reference by natural key (a unit's code, a user's e-mail) resolved to its object."""

    def _accepts(self, value) -> bool:
        return isinstance(value, str) or (isinstance(value, int) and not json_types())


class IdLookup(_Lookup, fields.Integer):
    """A reference by id (a challenge) resolved to its object."""

    def __init__(self, find: Callable[[str], Any], message, **kwargs):
        super().__init__(find, message, metadata={"minimum": 1, "maximum": MAX_ROW_ID}, **kwargs)

    def _accepts(self, value) -> bool:
        return _whole(value) is not None


def lookup(find: Callable[[str], Any], message, **kw) -> KeyLookup:
    return KeyLookup(find, message, **kw)


def id_lookup(find: Callable[[str], Any], message, **kw) -> IdLookup:
    return IdLookup(find, message, **kw)


class Custom(_Field, fields.Field):
    """A value with its own reading (`convert` raises ValueError(message)), documented by
    `schema` (its JSON Schema: a boolean, a list of ids, ...)."""

    def __init__(self, convert: Callable[[Any], Any], schema: dict, **kwargs):
        schema = dict(schema)
        if "enum" in schema and not kwargs.get("required", False):
            schema["enum"] = [*schema["enum"], None]
        super().__init__(metadata=schema, **kwargs)
        self.convert = convert

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return self.convert(value)
        except ValueError as exc:
            raise SchemaError(str(exc)) from None


def custom(convert: Callable[[Any], Any], schema: dict, **kw) -> Custom:
    return Custom(convert, schema, **kw)


def _boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    if not json_types() and value in ("1", "0", "true", "false", "on", "off"):
        return value in ("1", "true", "on")
    raise ValueError(_l("Must be true or false."))


def boolean(**kw) -> Custom:
    return Custom(_boolean, {"type": "boolean"}, **kw)


def _secret(value) -> str:
    if not isinstance(value, str):
        raise ValueError(_l("Must be text."))
    if len(value) > 1024:
        raise ValueError(_l("At most %(n)s characters.", n=1024))
    return value


def secret(**kw) -> Custom:
    """A password: taken as typed (no spaces trimmed, nothing replaced)."""
    return Custom(_secret, {"type": "string", "maxLength": 1024, "format": "password"}, **kw)


#: For annotations: what `text()`, `choice()` and the others return.
Field = fields.Field


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


@cache
def _schema(schema: type[Schema]) -> Schema:
    return schema()


def changes(schema: type[Schema]) -> tuple[str, ...]:
    """The fields a change (PATCH) may leave out: all but the version."""
    return tuple(
        name
        for name, field in schema._declared_fields.items()
        if not getattr(field, "in_every_change", False)
    )


def parse(data: Mapping, schema: type[Schema] | dict, *, partial: bool = False) -> dict:
    """Load `data` with `schema`; return the typed values given, or raise ValidationFailed.

    With `partial`, absent keys are left out (PATCH); a key given as blank clears an optional
    field and is refused for a required one. A dict of fields is a one-off input (a form's
    single comment); inputs the API takes are named `Input` classes.
    """
    if not isinstance(data, Mapping):
        raise ValidationFailed({"body": [str(_l("Expected an object."))]})
    if isinstance(schema, dict):
        schema = Input.from_dict(schema)
        loader = schema()
    else:
        loader = _schema(schema)
    try:
        return loader.load(dict(data), partial=changes(schema) if partial else False)
    except SchemaError as exc:
        raise ValidationFailed(_flat(exc.messages)) from None


def parse_query(args: Mapping, schema: type[Schema]) -> dict:
    """A query string's values: text, read as forms are even inside an API request."""
    saved = g.get("json_types", False)
    g.json_types = False
    try:
        return parse(args.to_dict() if hasattr(args, "to_dict") else args, schema)
    finally:
        g.json_types = saved


def _flat(messages, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested errors as "regulation.number" → messages."""
    if not isinstance(messages, Mapping):
        return {prefix or "body": [str(m) for m in _as_list(messages)]}
    out: dict[str, list[str]] = {}
    for key, value in messages.items():
        name = "body" if key == "_schema" and not prefix else f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(_flat(value, f"{name}."))
        else:
            out.setdefault(name, []).extend(str(m) for m in _as_list(value))
    return out


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]
