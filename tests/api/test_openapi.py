"""GET /api/v1/openapi.json describes every API route the app registers."""

import re


def test_every_api_route_is_described(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.")
    described = {
        (re.sub(r"\{\w+\}", "{}", path), method.upper())
        for path, ops in spec["paths"].items()
        for method in ops
    }
    for rule in app.url_map.iter_rules():
        # The document itself is the one route it need not describe.
        if not rule.rule.startswith("/api/v1/") or rule.rule.endswith("/openapi.json"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", "{}", rule.rule.removeprefix("/api/v1"))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in described or (f"/api/v1{path}", method) in described, (
                path,
                method,
            )
