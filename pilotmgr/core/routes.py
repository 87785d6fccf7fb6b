"""Routes declared in a feature's module and attached by the app factory to a blueprint.

A feature's pages or API operations say `@routes.get(...)` as they would on a blueprint; the
app factory attaches them (`routes.attach(bp)`) to the blueprint they belong to. Nothing is
registered by importing a module for its side effects.
"""

from __future__ import annotations


class Routes:
    """Pages declared in one module for a blueprint another module owns (the users' pages on
    the admin blueprint): `@routes.get(...)` as on a blueprint, then `routes.attach(bp)`."""

    def __init__(self):
        self._rules: list[tuple[str, object, dict]] = []
        self._attached: set[str] = set()

    def route(self, rule: str, **options):
        def decorator(view):
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
