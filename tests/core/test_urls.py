"""Ids in URLs: ASCII digits naming a possible row, else no such page; never a 500."""

import pytest
from werkzeug.routing import IntegerConverter

from tests.api.conftest import is_problem

ODD_IDS = ["²", "٣", "0", "00", "2147483648", "99999999999999999999", "9" * 400, "-1", "1e3"]


@pytest.mark.parametrize("raw", ODD_IDS)
def test_an_odd_id_in_a_web_address_is_no_such_page(app, make, login, raw):
    lead = make.user("lead", make.unit("BNH", "Tỉnh Bắc Ninh"), email="lead@bn.gov.vn")
    client = login(lead)
    assert client.get(f"/pilots/{raw}").status_code == 404
    assert client.post(f"/pilots/kpis/{raw}", data={"csrf_token": client.csrf}).status_code == 404


@pytest.mark.parametrize("raw", ODD_IDS)
def test_an_odd_id_in_an_api_address_is_a_404_problem(app, make, api, raw):
    admin = make.user("admin", make.unit("BNH", "Tỉnh Bắc Ninh"), email="admin@bn.gov.vn")
    caller = api(admin)
    assert is_problem(caller.patch(f"/programmes/{raw}", json={"version": 1}), 404)
    assert is_problem(caller.patch(f"/challenges/{raw}", json={"version": 1}), 404)


def test_the_largest_id_is_still_looked_up(app, make, login):
    lead = make.user("lead", make.unit("BNH", "Tỉnh Bắc Ninh"), email="lead@bn.gov.vn")
    assert login(lead).get("/pilots/2147483647").status_code == 404


def test_urls_are_still_built_with_ids(app):
    from flask import url_for

    with app.test_request_context():
        assert url_for("pilots.detail", pilot_id=42).endswith("/pilots/42")


def _rules_with_ids(app):
    for rule in app.url_map.iter_rules():
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values()):
            yield rule


@pytest.mark.parametrize("raw", ["2147483648", "99999999999999999999", "٣"])
def test_no_page_with_an_id_in_its_address_answers_500_for_an_odd_one(app, make, login, raw):
    admin = make.user("admin", make.unit("BNH", "Tỉnh Bắc Ninh"), email="admin@bn.gov.vn")
    client = login(admin)
    rules = list(_rules_with_ids(app))
    assert len(rules) > 40
    for rule in rules:
        path = rule.rule
        for name, converter in rule._converters.items():
            value = raw if isinstance(converter, IntegerConverter) else "x"
            path = path.replace(f"<int:{name}>", value).replace(f"<{name}>", value)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {"csrf_token": client.csrf} if method == "POST" else None
            response = client.open(path, method=method, data=data)
            assert response.status_code in (404, 405), (method, path, response.status_code)
