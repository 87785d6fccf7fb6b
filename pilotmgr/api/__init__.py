"""JSON API v1: bearer tokens, problem+json errors, the same services as the web UI."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Blueprint, Flask, current_app, g, jsonify, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from pilotmgr.core.errors import GuardFailed, ServiceError, ValidationFailed
from pilotmgr.core.pagination import Page, page_args
from pilotmgr.extensions import csrf, db

bp = Blueprint("api", __name__, url_prefix="/api/v1")
PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str = "", **extra):
    body = {"type": "about:blank", "status": status, "title": title, "detail": detail}
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="pilotmgr"'
    return response


def service_error_response(exc: ServiceError):
    extra = dict(exc.extra)
    if isinstance(exc, ValidationFailed):
        extra["errors"] = {k: [str(m) for m in msgs] for k, msgs in exc.errors.items()}
    if isinstance(exc, GuardFailed):
        extra["missing"] = [str(m) for m in exc.missing]
    return problem(exc.status, exc.title, str(exc.detail), **extra)


def body() -> dict:
    """The JSON object sent with the request; anything else is a 400."""
    data = request.get_json(silent=True)
    if data is None:
        if request.mimetype == "multipart/form-data" or request.mimetype == (
            "application/x-www-form-urlencoded"
        ):
            return request.form.to_dict()
        raise ServiceError(str(_l("The request body must be a JSON object.")))
    if not isinstance(data, dict):
        # Not an object at all is a malformed request (400), not a field error (422).
        raise ServiceError(str(_l("The request body must be a JSON object.")))
    if not _clean_text(data):
        # Well-formed JSON whose text no database stores: unprocessable, not malformed.
        message = str(_l("Text must be valid Unicode without NUL characters."))
        raise ValidationFailed({"body": [message]})
    return data


def _clean_text(value) -> bool:
    """JSON may carry lone surrogates ("\\ud800") and NULs; databases refuse both with a 500."""
    if isinstance(value, str):
        return "\x00" not in value and not any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, dict):
        return all(_clean_text(k) and _clean_text(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_clean_text(v) for v in value)
    return True


def user():
    return g.api_user


def page_json(page: Page, schema) -> dict:
    """A page of items dumped with `schema` (an `Output` class), as `openapi.page_of` says."""
    return {
        "items": schema(many=True).dump(page.items),
        "total": page.total,
        "page": page.page,
        "per_page": page.per_page,
    }


def page_params() -> tuple[int, int]:
    """page/per_page from the query; a bad query string is a malformed request (400)."""
    try:
        return page_args(request.args.get("page"), request.args.get("per_page"))
    except ValidationFailed as exc:
        raise ServiceError(exc.detail, errors=exc.errors) from None


def created(payload: dict):
    db.session.commit()
    response = jsonify(payload)
    response.status_code = 201
    return response


def ok(payload):
    db.session.commit()
    return jsonify(payload)


@bp.before_request
def authenticate():
    g.api_user = None
    # JSON carries types: a number sent as text is refused here (forms send text).
    g.json_types = True
    view = current_app.view_functions.get(request.endpoint)
    operation = getattr(view, "operation", None)
    if view is not None and (unknown := _unknown_parameters(operation)):
        # A misspelt filter would otherwise list everything without a word.
        return problem(
            400, "Bad request", str(_l("Unknown query parameters: %(names)s.", names=unknown))
        )
    if getattr(operation, "public", False):
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return problem(401, "Unauthorized", "Send 'Authorization: Bearer TOKEN'.")
    g.api_user = current_app.extensions["pilotmgr.token_user"](token.strip())
    if g.api_user is None:
        return problem(401, "Unauthorized", "The token is not valid.")
    return None


def _unknown_parameters(operation) -> str:
    queries = getattr(operation, "query", None)
    queries = queries if isinstance(queries, tuple) else (queries,)
    known = {name for query in queries if query is not None for name in query._declared_fields}
    # The raw query: Werkzeug drops a parameter with an empty name ("?=x").
    sent = {k for k, _ in parse_qsl(request.query_string.decode("latin-1"), keep_blank_values=True)}
    return ", ".join(sorted(f"“{name}”" for name in sent - known))


def _is_api() -> bool:
    return request.path.startswith(bp.url_prefix + "/") or request.path == bp.url_prefix


def register_api(app: Flask, features: tuple = (), *, token_user=None) -> None:
    """The API blueprint with the features' operations (`features`: each one's `routes`);
    `token_user` finds the account of a bearer token (None when it is not valid)."""
    from pilotmgr.api import openapi

    app.extensions["pilotmgr.token_user"] = token_user

    for routes in (openapi.routes, *features):
        routes.attach(bp)
    csrf.exempt(bp)
    app.register_blueprint(bp)

    @app.errorhandler(ServiceError)
    def _service_error(exc):
        db.session.rollback()
        if _is_api():
            return service_error_response(exc)
        from pilotmgr.core.web import web_service_error

        return web_service_error(exc)

    @app.errorhandler(StaleDataError)
    def _stale(exc):
        db.session.rollback()
        if _is_api():
            return problem(409, "Conflict", "The object was changed by someone else; reload.")
        from pilotmgr.core.web import web_stale

        return web_stale()

    @app.errorhandler(IntegrityError)
    def _integrity(exc):
        db.session.rollback()
        if _is_api():
            return problem(409, "Conflict", "The change conflicts with existing data.")
        from pilotmgr.core.web import web_stale

        return web_stale()

    @app.errorhandler(HTTPException)
    def _http(exc):
        if _is_api():
            response = problem(exc.code or 500, exc.name, exc.description or "")
            # A 405 names the methods the address takes (RFC 9110).
            if allow := dict(exc.get_headers()).get("Allow"):
                response.headers["Allow"] = allow
            return response
        from pilotmgr.core.web import web_http_error

        return web_http_error(exc)
