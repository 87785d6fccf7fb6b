"""Changing one's own password in Cài đặt, and the temporary one an administrator sets."""

from sqlalchemy import select

from pilotmgr.auth import accounts
from pilotmgr.auth.models import User
from pilotmgr.core.audit import HistoryEntry
from pilotmgr.extensions import db
from pilotmgr.reminders.models import Notification, OutboxMail
from tests.conftest import csrf_token
from tests.factories import PASSWORD
from tests.html import field_error

NEW = "mat-khau-moi-cua-toi-2026"


def _change(client, current, new, confirm):
    return client.post(
        "/settings/password",
        data={
            "csrf_token": client.csrf,
            "current_password": current,
            "new_password": new,
            "confirm_password": confirm,
        },
    )


def _signs_in(app, email, password) -> bool:
    """In another browser, as production would: its own application context and session."""
    other = app.test_client()
    with app.app_context():
        token = csrf_token(other)
    with app.app_context():
        response = other.post(
            "/login", data={"email": email, "password": password, "csrf_token": token}
        )
    return response.status_code == 302


def test_a_wrong_current_password_is_refused_beside_its_field_with_every_other_mistake(
    app, login, make
):
    user = make.user("staff")
    client = login(user)
    response = _change(client, "khong-phai", "ngan", "khac")
    assert response.status_code == 422
    assert field_error(response, "pw-current_password") == "Mật khẩu hiện tại không đúng."
    assert field_error(response, "pw-new_password") == "Ít nhất 10 ký tự."
    assert (
        field_error(response, "pw-confirm_password") == "Hai lần nhập mật khẩu mới không khớp nhau."
    )
    assert _signs_in(app, user.email, PASSWORD)


def test_a_person_changes_their_password_and_signs_in_with_the_new_one(app, login, make):
    user = make.user("lead")
    client = login(user)
    response = _change(client, PASSWORD, NEW, NEW)
    assert response.status_code == 302
    assert "Đã đổi mật khẩu." in client.get("/settings").get_data(as_text=True)
    assert _signs_in(app, user.email, NEW)
    assert not _signs_in(app, user.email, PASSWORD)
    entry = db.session.scalar(select(HistoryEntry).where(HistoryEntry.action == "password_changed"))
    assert entry.object_id == user.id and entry.actor_id == user.id
    assert entry.before == entry.after == {}


def test_the_new_password_must_differ_from_the_current_one(app, login, make):
    client = login(make.user("staff"))
    response = _change(client, PASSWORD, PASSWORD, PASSWORD)
    assert field_error(response, "pw-new_password") == (
        "Hãy chọn mật khẩu khác với mật khẩu hiện tại."
    )


def test_the_api_changes_the_callers_password_with_the_same_rules(app, api, make):
    user = make.user("staff")
    caller = api(user)
    refused = caller.post("/me/password", json={"current_password": "x", "new_password": NEW})
    assert refused.status_code == 422
    assert set(refused.get_json()["errors"]) == {"current_password"}
    done = caller.post("/me/password", json={"current_password": PASSWORD, "new_password": NEW})
    assert done.status_code == 200
    assert _signs_in(app, user.email, NEW)


def test_after_a_reset_the_person_signs_in_with_the_temporary_password_and_must_replace_it(
    app, client, make
):
    admin = make.user("admin", name="Quản trị viên")
    user = make.user("staff", email="lan@bacninh.gov.vn")
    accounts.reset_password(admin, user, {"password": "tam-thoi-2026-x"})
    db.session.commit()
    assert not _signs_in(app, user.email, PASSWORD)

    response = client.post(
        "/login",
        data={"email": user.email, "password": "tam-thoi-2026-x", "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert response.headers["Location"].startswith("/settings")
    # Every other page sends them back to choose a new password.
    blocked = client.get("/pilots/")
    assert blocked.status_code == 302 and blocked.headers["Location"].startswith("/settings")
    page = client.get("/settings").get_data(as_text=True)
    assert 'id="temporary-password"' in page
    client.csrf = csrf_token(client, "/settings")

    assert _change(client, "tam-thoi-2026-x", NEW, NEW).status_code == 302
    assert client.get("/pilots/").status_code == 200
    db.session.expire_all()
    assert db.session.get(User, user.id).must_change_password is False


def test_a_reset_tells_the_person_in_the_app_and_by_mail_without_the_password(app, make):
    admin = make.user("admin", name="Quản trị viên")
    user = make.user("staff")
    accounts.reset_password(admin, user, {"password": "tam-thoi-2026-x"})
    db.session.commit()
    note = db.session.scalar(select(Notification).where(Notification.user_id == user.id))
    assert note.kind == "password_reset" and note.url == "/settings"
    mail = db.session.scalar(select(OutboxMail).where(OutboxMail.user_id == user.id))
    assert "Mật khẩu của đồng chí đã được đặt lại" in mail.subject
    assert "tam-thoi-2026-x" not in mail.text_body + mail.html_body
