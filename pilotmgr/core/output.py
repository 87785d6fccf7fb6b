"""Answers of the JSON API: marshmallow schemas that dump them and describe them.

An `Output` class both produces the JSON (`Schema().dump(obj)`) and, through apispec, is the
response schema in /api/v1/openapi.json, so the document says what is sent. Every field is
always present (required in the document); `null=True` where it may be null.
"""

from __future__ import annotations

from marshmallow import Schema, fields


class Output(Schema):
    """A JSON answer."""


def _kw(null: bool, **kw) -> dict:
    return {"required": True, "allow_none": null, **kw}


def text(*, null: bool = False, **kw) -> fields.String:
    return fields.String(**_kw(null, **kw))


def integer(*, null: bool = False, **kw) -> fields.Integer:
    return fields.Integer(**_kw(null, **kw))


def number(*, null: bool = False, **kw) -> fields.Float:
    """A decimal amount or measurement, as a JSON number."""
    return fields.Float(**_kw(null, **kw))


def boolean(**kw) -> fields.Boolean:
    return fields.Boolean(**_kw(False, **kw))


def day(*, null: bool = False, **kw) -> fields.Date:
    return fields.Date(**_kw(null, **kw))


def moment(*, null: bool = False, **kw) -> fields.DateTime:
    return fields.DateTime(**_kw(null, **kw))


def choice(options, *, null: bool = False, **kw) -> fields.String:
    enum = [*options, None] if null else [*options]
    return fields.String(**_kw(null, metadata={"enum": enum}, **kw))


def nested(schema, *, null: bool = False, many: bool = False, **kw) -> fields.Nested:
    return fields.Nested(schema, many=many, **_kw(null, **kw))


def strings(**kw) -> fields.List:
    return fields.List(fields.String(), **_kw(False, **kw))


def method(name: str, field: fields.Field) -> fields.Method:
    """A value computed by the schema's method `name`, documented as `field` is."""
    return Computed(name, field)


class Computed(fields.Method):
    """fields.Method that apispec documents as the field it stands for."""

    def __init__(self, name: str, like: fields.Field):
        super().__init__(name, required=like.required, allow_none=like.allow_none)
        self.like = like
