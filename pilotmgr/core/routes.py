"""Routes declared in a feature's module and attached by the app factory to a blueprint.

A feature's pages or API operations say `@routes.get(...)` as they would on a blueprint; the
app factory attaches them (`routes.attach(bp)`) to the blueprint they belong to. Nothing is
registered by importing a module for its side effects.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Operation:
    """What an API operation takes and answers, for its OpenAPI description.

    `body` and `query` are the `Input` schemas the service loads (`body_media`: how the body
    is sent, e.g. multipart/form-data for an upload); `out` the schema that dumps the answer
    (`status`); `produces` other media types than JSON (an export, a PDF);
    `path` JSON Schemas of path parameters other than ids; `public` needs no token.
    """

    body: type | None = None
    body_media: str = "application/json"
    query: type | tuple[type, ...] | None = None
    out: type | None = None
    status: int = 200
    produces: tuple[str, ...] = ()
    path: dict = field(default_factory=dict)
    public: bool = False


_DOC_KEYS = {"body", "body_media", "query", "out", "status", "produces", "path", "public"}


class Routes:
    """Pages declared in one module for a blueprint another module owns (the users' pages on
    the admin blueprint): `@routes.get(...)` as on a blueprint, then `routes.attach(bp)`."""

    def __init__(self):
        self._rules: list[tuple[str, object, dict]] = []
        self._attached: set[str] = set()

    def route(self, rule: str, **options):
        doc = {key: options.pop(key) for key in _DOC_KEYS & options.keys()}

        def decorator(view):
            if doc:
                view.operation = Operation(**doc)
            self._rules.append((rule, view, options))
            return view

        return decorator

    def get(self, rule: str, **options):
        return self.route(rule, methods=["GET"], **options)

    def post(self, rule: str, **options):
        return self.route(rule, methods=["POST"], **options)

    def put(self, rule: str, **options):
        return self.route(rule, methods=["PUT"], **options)

    def patch(self, rule: str, **options):
        return self.route(rule, methods=["PATCH"], **options)

    def delete(self, rule: str, **options):
        return self.route(rule, methods=["DELETE"], **options)

    def attach(self, blueprint) -> None:
        """Add the pages to `blueprint`, once (every app the process creates shares it)."""
        if blueprint.name in self._attached:
            return
        for rule, view, options in self._rules:
            blueprint.add_url_rule(rule, view_func=view, **options)
        self._attached.add(blueprint.name)
