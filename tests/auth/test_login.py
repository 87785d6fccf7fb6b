"""Signing in: what was typed stays, wrong input is told in Vietnamese, and a deactivated
account neither signs in nor keeps an open session — without telling strangers who has one."""

from urllib.parse import quote

import pytest
from flask import url_for

from pilotmgr.auth import accounts
from pilotmgr.extensions import db
from tests.conftest import csrf_token
from tests.factories import PASSWORD
from tests.html import field_error, parse, summary, value


def _post_login(client, email, password):
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(client)},
    )


def test_the_login_form_keeps_the_inputs_named_email_and_password(client):
    page = parse(client.get("/login"))
    assert page.get_element_by_id("email").get("name") == "email"
    assert page.get_element_by_id("password").get("type") == "password"


def test_a_wrong_password_keeps_the_email_and_says_so_in_vietnamese(app, client, make):
    user = make.user("staff", email="mai@bacninh.gov.vn")
    response = _post_login(client, user.email, "mat-khau-sai")
    assert response.status_code == 401
    assert "Sai thư điện tử hoặc mật khẩu." in summary(response)
    assert value(response, "email") == "mai@bacninh.gov.vn"
    assert value(response, "password") == ""


def test_empty_fields_are_named_by_their_labels_beside_them(client):
    response = _post_login(client, "", "")
    assert response.status_code == 422
    assert field_error(response, "email") == "Trường này là bắt buộc."
    assert field_error(response, "password") == "Trường này là bắt buộc."
    assert "Thư điện tử" in summary(response) and "Mật khẩu" in summary(response)


def test_a_deactivated_account_cannot_sign_in_and_is_told_so_only_with_the_right_password(
    app, client, make
):
    admin = make.user("admin")
    user = make.user("staff", email="hung@bacninh.gov.vn")
    accounts.set_active(admin, user, False, {"version": user.version})
    db.session.commit()

    right = _post_login(client, user.email, PASSWORD)
    assert right.status_code == 401
    assert "Tài khoản này đã bị khóa" in summary(right)
    assert client.get("/my-work").status_code == 302

    # Without the password, a deactivated account looks like any wrong sign-in.
    wrong = _post_login(client, user.email, "mat-khau-sai")
    nobody = _post_login(client, "khong-co-ai@bacninh.gov.vn", "mat-khau-sai")
    assert (
        summary(wrong)
        == summary(nobody)
        == summary(_post_login(client, make.user("staff").email, "mat-khau-sai"))
    )
    assert "khóa" not in summary(wrong)


def _get(app, client, path):
    """One request in its own application context, as in production (nothing cached in g)."""
    with app.app_context():
        return client.get(path)


def test_deactivating_ends_an_open_session(app, client, login, make):
    admin = make.user("admin")
    user = make.user("staff")
    login(user)
    assert _get(app, client, "/my-work").status_code == 200

    accounts.set_active(admin, user, False, {"version": user.version})
    db.session.commit()

    response = _get(app, client, "/my-work")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_deactivating_ends_a_remembered_sign_in_too(app, client, make):
    admin = make.user("admin")
    user = make.user("staff")
    with app.app_context():
        token = csrf_token(client)
    with app.app_context():
        client.post(
            "/login",
            data={"email": user.email, "password": PASSWORD, "remember": "y", "csrf_token": token},
        )
    assert client.get_cookie("remember_token") is not None
    # A new browser session: only the remember-me cookie is left.
    client.delete_cookie("session")
    assert _get(app, client, "/my-work").status_code == 200

    accounts.set_active(admin, user, False, {"version": user.version})
    db.session.commit()
    client.delete_cookie("session")
    assert _get(app, client, "/my-work").status_code == 302


def test_the_english_login_page_speaks_english(client):
    client.set_cookie("lang", "en")
    response = _post_login(client, "", "")
    assert field_error(response, "email") == "This field is required."
    assert "E-mail" in summary(response)


OFF_SITE = [
    "//evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\r\nSet-Cookie: a=b",
    "/pilots\n",
    "/\x00",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_follows_next_only_to_a_path_on_this_site(app, client, make, target):
    user = make.user("lead", make.unit("BNH", "Tỉnh Bắc Ninh"), email="lead@bn.gov.vn")
    token = csrf_token(client)
    response = client.post(
        f"/login?next={quote(target, safe='')}",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    with app.test_request_context():
        assert response.headers["Location"] == url_for("dashboard.index")


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_language_switch_follows_next_only_to_a_path_on_this_site(client, target):
    response = client.get(f"/lang/en?next={quote(target, safe='')}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"


@pytest.mark.parametrize("target", ["/pilots/?stage=draft", "/pilots/3#kpis", "/tìm-kiếm"])
def test_next_to_a_path_on_this_site_is_followed(client, target):
    response = client.get(f"/lang/en?next={quote(target, safe='')}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/")
    assert response.headers["Location"] != "/login"
