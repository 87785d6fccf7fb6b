"""Viewers (README: "read dashboards and memos", "reads everything in the ministry, changes
nothing"): they start on the pilot list and read the leaders' dashboard of their subtree."""

from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_token
from tests.factories import PASSWORD


@pytest.fixture
def viewer(world, make):
    return make.user("viewer", world.province, email="theodoi@p.gov.vn", name="Người theo dõi")


def test_a_viewer_lands_on_the_pilot_list_and_others_on_their_work(world, viewer, client):
    for user, landing in (
        (viewer, "/pilots/"),
        (world.staff, "/my-work"),
        (world.head_p, "/my-work"),
    ):
        token = csrf_token(client)
        response = client.post(
            "/login",
            data={"email": user.email, "password": PASSWORD, "csrf_token": token},
            follow_redirects=True,
        )
        assert response.request.path == landing, user.email
        client.post("/logout", data={"csrf_token": csrf_token(client, "/settings")})


def test_a_viewer_reads_the_dashboard_of_their_subtree_without_any_form_to_change_things(
    world, viewer, login
):
    page = login(viewer).get("/dashboard")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    main = html.split("<main", 1)[1]
    assert 'method="post"' not in main
    assert 'id="nav-dashboard"' in html
    assert "Tỉnh Bắc Ninh" in html and "Sổ sức khỏe điện tử" not in html  # q1 is in Q
    assert re.search(r'data-figure="stage-piloting"[^>]*>1<', html)


def test_a_viewer_may_not_widen_the_dashboard_beyond_their_subtree(world, viewer, login):
    html = login(viewer).get("/dashboard?unit=Q").get_data(as_text=True)
    assert "Sổ sức khỏe điện tử" not in html


def test_a_viewer_has_nothing_to_decide_or_do(world, viewer, login):
    html = login(viewer).get("/my-work").get_data(as_text=True)
    assert 'id="awaiting"' not in html and "/pilots/tasks/" not in html
