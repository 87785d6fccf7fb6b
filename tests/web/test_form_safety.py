"""Web forms: CSRF, stale edits, NFC text, cookies, and the production config's demands."""

import unicodedata

import pytest

from config import ProductionConfig
from pilotmgr import create_app
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Pilot
from tests.factories import PASSWORD


@pytest.fixture
def pilot(make):
    return make.pilot("draft")


def _form(pilot, **change) -> dict:
    return {
        "title": pilot.title,
        "summary": pilot.summary,
        "challenge_id": str(pilot.challenge_id),
        "unit": pilot.unit.code,
        "owner": pilot.owner.email,
        "start_date": pilot.start_date.isoformat(),
        "end_date": pilot.end_date.isoformat(),
        "budget": "",
        "partner": "",
        "version": str(pilot.version),
    } | change


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(app, login, pilot):
    client = login(pilot.owner)
    response = client.post(f"/pilots/{pilot.id}/edit", data=_form(pilot, title="Không có mã"))
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Pilot, pilot.id).title != "Không có mã"


def test_a_post_with_a_forged_csrf_token_is_refused(app, login, pilot):
    client = login(pilot.owner)
    data = _form(pilot, title="Giả mạo", csrf_token="forged")
    assert client.post(f"/pilots/{pilot.id}/edit", data=data).status_code == 400


def test_a_stale_edit_changes_nothing_and_says_so(app, login, pilot):
    client = login(pilot.owner)
    old = _form(pilot, csrf_token=client.csrf)
    first = client.post(f"/pilots/{pilot.id}/edit", data=old | {"title": "Bản sửa thứ nhất"})
    assert first.status_code == 302

    second = client.post(
        f"/pilots/{pilot.id}/edit", data=old | {"title": "Bản sửa cũ"}, follow_redirects=True
    )

    page = second.get_data(as_text=True)
    assert "Người khác vừa thay đổi nội dung này" in page
    db.session.expire_all()
    assert db.session.get(Pilot, pilot.id).title == "Bản sửa thứ nhất"


def test_vietnamese_typed_in_decomposed_form_is_stored_composed_and_shown_intact(app, login, pilot):
    client = login(pilot.owner)
    typed = unicodedata.normalize("NFD", "Chuyển đổi số ở Bắc Ninh")
    response = client.post(
        f"/pilots/{pilot.id}/edit", data=_form(pilot, title=typed, csrf_token=client.csrf)
    )
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Pilot, pilot.id).title
    assert stored == unicodedata.normalize("NFC", typed) == "Chuyển đổi số ở Bắc Ninh"
    assert "Chuyển đổi số ở Bắc Ninh" in client.get(f"/pilots/{pilot.id}").get_data(as_text=True)


def test_bad_input_re_renders_the_form_with_messages(app, login, pilot):
    client = login(pilot.owner)
    no_title = client.post(
        f"/pilots/{pilot.id}/edit", data=_form(pilot, title="", csrf_token=client.csrf)
    )
    backwards = client.post(
        f"/pilots/{pilot.id}/edit", data=_form(pilot, end_date="2020-01-01", csrf_token=client.csrf)
    )
    assert no_title.status_code == backwards.status_code == 422
    assert "Trường này là bắt buộc." in no_title.get_data(as_text=True)
    assert "Ngày kết thúc phải sau ngày bắt đầu." in backwards.get_data(as_text=True)


def test_the_session_cookie_is_httponly_and_samesite(app, client, make):
    user = make.user("staff")
    token = client.get("/login").get_data(as_text=True).split('name="csrf_token" value="')[1]
    response = client.post(
        "/login",
        data={
            "email": user.email,
            "password": PASSWORD,
            "csrf_token": token[: token.index('"')],
        },
    )
    cookies = " ".join(response.headers.getlist("Set-Cookie"))
    assert "HttpOnly" in cookies
    assert "SameSite=Lax" in cookies


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_sqlite_runs_with_wal_busy_timeout_and_foreign_keys(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
