"""The OpenAPI 3.1 description of API v1, generated from the routes and their schemas.

Each API view declares what it takes and answers (`core.routes.Operation`: the `Input`
schemas its service loads, the schema that dumps its answer); apispec's marshmallow plugin
turns those classes into JSON Schema. Nothing here lists fields: a field added to a schema
is in the document, checked, and dumped.
"""

from __future__ import annotations

import re
from functools import cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app
from marshmallow import Schema, fields

from pilotmgr.core.output import Computed
from pilotmgr.core.routes import Operation, Routes
from pilotmgr.core.validate import MAX_ROW_ID, changes

#: Attached to the API blueprint by the app factory.
routes = Routes()

PREFIX = "/api/v1"
_ARGUMENT = re.compile(r"<(?:([a-z_]+):)?([a-z_]+)>")
#: Path parameters that are not row ids, and their JSON Schemas.
_PATH_STRINGS = {"email": {"type": "string", "format": "email"}}


class Problem(Schema):
    """An error (RFC 9457): `errors` names the fields refused, `missing` what a step lacks."""

    type = fields.String()
    status = fields.Integer(required=True)
    title = fields.String(required=True)
    detail = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
    missing = fields.List(fields.String())


@cache
def page_of(item: type[Schema]) -> type[Schema]:
    """The answer of a paged list of `item`s."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item), required=True),
            "total": fields.Integer(required=True),
            "page": fields.Integer(required=True),
            "per_page": fields.Integer(required=True),
        },
        name=f"{_base_name(item)}Page",
    )


def _base_name(schema) -> str:
    cls = schema if isinstance(schema, type) else type(schema)
    return cls.__name__.removesuffix("Schema")


def _path(rule: str) -> tuple[str, list[dict]]:
    parameters = []

    def replace(match):
        converter, name = match.groups()
        schema = _PATH_STRINGS.get(name) or {"type": "integer", "minimum": 1, "maximum": MAX_ROW_ID}
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
        return "{" + name + "}"

    return _ARGUMENT.sub(replace, rule.removeprefix(PREFIX)), parameters


def _operation(endpoint: str, view, method: str, path_parameters: list[dict]) -> dict:
    op: Operation = getattr(view, "operation", Operation())
    summary, _, description = (view.__doc__ or endpoint).strip().partition("\n")
    parameters = [{**p, "schema": op.path.get(p["name"], p["schema"])} for p in path_parameters]
    queries = op.query if isinstance(op.query, tuple) else (op.query,)
    parameters += [{"in": "query", "schema": query} for query in queries if query is not None]
    success: dict = {"description": "Success"}
    if op.produces:
        success["content"] = {
            kind: {"schema": {"type": "string", "format": "binary"}} for kind in op.produces
        }
    elif op.status != 204:
        success["content"] = {"application/json": {"schema": op.out or {"type": "object"}}}
    operation = {
        "operationId": endpoint.removeprefix("api."),
        "summary": summary.strip(),
        "tags": [view.__module__.split(".")[1]],
        "parameters": parameters,
        "responses": {
            str(op.status): success,
            "default": {"$ref": "#/components/responses/Problem"},
        },
    }
    if description.strip():
        operation["description"] = " ".join(description.split())
    if op.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {op.body_media: {"schema": _body(op.body, method)}},
        }
    if op.public:
        operation["security"] = []
    return operation


def _body(schema: type[Schema], method: str):
    return schema(partial=changes(schema)) if method == "patch" else schema


def _computed(converter, field, **_kwargs) -> dict:
    """A computed answer field is documented as the field it stands for."""
    return converter.field2property(field.like) if isinstance(field, Computed) else {}


def build() -> dict:
    plugin = MarshmallowPlugin(schema_name_resolver=_base_name)
    spec = APISpec(
        title="pilotmgr API",
        version="1",
        openapi_version="3.1.0",
        plugins=[plugin],
        servers=[{"url": PREFIX}],
        security=[{"bearer": []}],
    )
    plugin.converter.add_attribute_function(_computed)
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Problem", schema=Problem)
    spec.components.response(
        "Problem",
        {
            "description": "An error (RFC 9457)",
            "content": {"application/problem+json": {"schema": "Problem"}},
        },
    )
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.endpoint.startswith("api."):
            continue
        view = current_app.view_functions[rule.endpoint]
        path, parameters = _path(rule.rule)
        operations = {
            method.lower(): _operation(rule.endpoint, view, method.lower(), parameters)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
        }
        spec.path(path=path, operations=operations)
    return spec.to_dict()


@routes.get("/openapi.json", public=True)
def openapi():
    """This document"""
    return build()
