"""Administrators' pages for people: find, create, edit, deactivate, reactivate, reset."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pilotmgr.auth import accounts
from pilotmgr.auth.models import ApiToken, User
from pilotmgr.core.audit import HistoryEntry
from pilotmgr.extensions import db
from tests.factories import PASSWORD
from tests.html import field_error, parse, summary, text, value


def _rows(response) -> list[str]:
    return [
        " ".join(row.text_content().split())
        for row in parse(response).xpath("//table[@id='users-table']/tbody/tr")
    ]


def _fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_the_list_names_roles_in_words_and_marks_deactivated_accounts(org, login):
    accounts.set_active(org.admin, org.staff_hn, False, {"version": org.staff_hn.version})
    db.session.commit()
    rows = _rows(login(org.admin).get("/admin/users"))
    assert "Nguyễn Thị Lan lan@bacninh.gov.vn Cán bộ chủ trì Sở Khoa học và Công nghệ Bắc Ninh" in (
        " ".join(rows)
    )
    assert any("Đặng Thu Trang" in r and "Đã khóa" in r for r in rows)
    assert not any(code in " ".join(rows).split() for code in ("lead", "staff", "head", "admin"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=nguyen+thi", ["Nguyễn Thị Lan"]),
        ("q=NGUYỄN", ["Nguyễn Thị Lan"]),
        ("q=hanoi.gov", ["Đặng Thu Trang"]),
        ("role=staff", ["Vũ Thị Mai", "Đặng Thu Trang"]),
        ("unit=BNH", ["Nguyễn Thị Lan", "Phạm Đức Long", "Vũ Thị Mai"]),
        ("unit=BNH&role=staff", ["Vũ Thị Mai"]),
        ("status=inactive", []),
        ("role=nonsense", None),
    ],
)
def test_the_list_is_searched_by_name_or_email_and_filtered_by_role_and_unit(
    org, login, query, expected
):
    response = login(org.admin).get(f"/admin/users?{query}")
    assert response.status_code == 200
    shown = [
        link.text_content().strip()
        for link in parse(response).xpath("//table[@id='users-table']/tbody/tr/td[1]/a")
    ]
    if expected is None:  # a filter naming nothing filters nothing
        assert len(shown) == 5
    else:
        assert sorted(shown) == sorted(expected)


def test_the_list_is_paginated(org, login, make):
    for n in range(30):
        make.user("staff", org.hn, name=f"Cán bộ thử {n:02d}")
    client = login(org.admin)
    first, second = client.get("/admin/users"), client.get("/admin/users?page=2")
    assert len(_rows(first)) == 25 and len(_rows(second)) == 10
    assert text(first, "user-count") == "35 tài khoản"
    assert "Trang sau" in text(first, "users-pages")


def test_creating_an_account_shows_every_mistake_beside_its_field_and_keeps_what_was_typed(
    org, login
):
    client = login(org.admin)
    response = client.post(
        "/admin/users",
        data={
            "csrf_token": client.csrf,
            "email": "khong-phai-email",
            "name": "Nguyễn Thị Hoa",
            "role": "",
            "unit": "BNH-KHCN",
            "lang": "vi",
            "password": "ngan",
        },
    )
    assert response.status_code == 422
    assert field_error(response, "f-email") == "Địa chỉ thư điện tử không hợp lệ."
    assert field_error(response, "f-password") == "Ít nhất 10 ký tự."
    assert field_error(response, "f-role") == "Trường này là bắt buộc."
    assert value(response, "f-name") == "Nguyễn Thị Hoa"
    assert value(response, "f-unit") == "BNH-KHCN"
    assert "email" not in summary(response) and "Vai trò" in summary(response)


def test_an_admin_creates_an_account_that_must_change_its_password(org, login):
    client = login(org.admin)
    response = client.post(
        "/admin/users",
        data={
            "csrf_token": client.csrf,
            "email": "Hoa@BacNinh.gov.vn",
            "name": "Nguyễn Thị Hoa",
            "role": "staff",
            "unit": "BNH-KHCN",
            "lang": "vi",
            "password": "tam-thoi-2026-x",
            "must_change_password": "y",
        },
    )
    created = db.session.scalar(select(User).where(User.email == "hoa@bacninh.gov.vn"))
    assert response.headers["Location"] == f"/admin/users/{created.id}"
    assert created.role == "staff" and created.must_change_password
    assert created.check_password("tam-thoi-2026-x")


def test_an_admin_changes_a_role_and_a_unit_on_record(org, login):
    client = login(org.admin)
    person = org.staff_bn
    response = client.post(
        f"/admin/users/{person.id}",
        data={
            "csrf_token": client.csrf,
            "name": "Vũ Thị Mai",
            "role": "lead",
            "unit": "HNI",
            "lang": "en",
            "version": person.version,
        },
    )
    assert response.status_code == 302
    saved = _fresh(person)
    assert (saved.role, saved.unit.code, saved.lang) == ("lead", "HNI", "en")
    entry = db.session.scalar(
        select(HistoryEntry).where(
            HistoryEntry.object_id == person.id, HistoryEntry.action == "update"
        )
    )
    assert entry.before == {"role": "staff", "unit": "BNH-KHCN", "lang": "vi"}
    assert entry.after == {"role": "lead", "unit": "HNI", "lang": "en"}
    page = client.get(f"/admin/users/{person.id}")
    history = text(page, "account-history")
    assert "vai trò: Cán bộ → Cán bộ chủ trì" in history
    assert "đơn vị: Sở Khoa học và Công nghệ Bắc Ninh → Thành phố Hà Nội" in history
    assert "Quản trị hệ thống" in history


def test_an_edit_from_a_stale_page_changes_nothing(org, login):
    client = login(org.admin)
    person = org.staff_bn
    stale = person.version
    accounts.update_user(org.admin, person, {"name": "Vũ Thị Mai (Sở)", "version": stale})
    db.session.commit()
    response = client.post(
        f"/admin/users/{person.id}",
        data={
            "csrf_token": client.csrf,
            "name": "Tên khác",
            "role": "head",
            "unit": "BNH-KHCN",
            "lang": "vi",
            "version": stale,
        },
        follow_redirects=True,
    )
    assert "Người khác vừa thay đổi" in response.get_data(as_text=True)
    assert _fresh(person).role == "staff"


def test_an_admin_cannot_lock_themself_out(org, login):
    client = login(org.admin)
    response = client.post(
        f"/admin/users/{org.admin.id}",
        data={
            "csrf_token": client.csrf,
            "name": org.admin.name,
            "role": "viewer",
            "unit": "BO",
            "lang": "vi",
            "version": org.admin.version,
        },
    )
    assert response.status_code == 422
    assert "Đồng chí không thể tự bỏ vai trò quản trị" in field_error(response, "f-role")
    refused = client.post(
        f"/admin/users/{org.admin.id}/active",
        data={"csrf_token": client.csrf, "version": org.admin.version},
    )
    assert refused.status_code == 422
    assert "không thể tự khóa" in summary(refused)
    assert _fresh(org.admin).is_active_account and _fresh(org.admin).role == "admin"


def test_deactivating_stops_sign_in_and_api_tokens_and_keeps_the_reason(org, login, api):
    caller = api(org.staff_bn)
    assert caller.get("/me").status_code == 200
    client = login(org.admin)
    page = client.get(f"/admin/users/{org.staff_bn.id}")
    response = client.post(
        f"/admin/users/{org.staff_bn.id}/active",
        data={
            "csrf_token": client.csrf,
            "reason": "Nghỉ hưu từ 01/12/2026",
            "version": value(page, "active-version"),
        },
        follow_redirects=True,
    )
    assert "Đã khóa tài khoản của Vũ Thị Mai" in response.get_data(as_text=True)
    assert text(response, "account-status") == "Đã khóa"
    assert "Nghỉ hưu từ 01/12/2026" in text(response, "account-history")
    assert caller.get("/me").status_code == 401
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0

    reactivated = client.post(
        f"/admin/users/{org.staff_bn.id}/active",
        data={"csrf_token": client.csrf, "version": _fresh(org.staff_bn).version},
        follow_redirects=True,
    )
    assert text(reactivated, "account-status") == "Đang hoạt động"
    # Old tokens stay revoked; the password works again.
    assert caller.get("/me").status_code == 401
    assert _fresh(org.staff_bn).check_password(PASSWORD)


def test_the_page_lists_what_a_person_still_has_to_hand_over(org, login, make):
    pilot = make.pilot("piloting", owner=org.lead_bn)
    make.task(pilot, assignee=org.lead_bn, title="Tập huấn")
    page = login(org.admin).get(f"/admin/users/{org.lead_bn.id}")
    assert "2 nhiệm vụ chưa xong, 1 thí điểm chủ trì, 0 đơn vị phổ cập" in text(page, "open-work")


def test_a_reset_password_works_once_given_and_is_on_record_without_it(org, login, app):
    client = login(org.admin)
    short = client.post(
        f"/admin/users/{org.staff_bn.id}/password",
        data={"csrf_token": client.csrf, "password": "ngan"},
    )
    assert short.status_code == 422
    assert field_error(short, "reset-password") == "Ít nhất 10 ký tự."
    done = client.post(
        f"/admin/users/{org.staff_bn.id}/password",
        data={"csrf_token": client.csrf, "password": "tam-thoi-2026-x"},
    )
    assert done.status_code == 302
    saved = _fresh(org.staff_bn)
    assert saved.check_password("tam-thoi-2026-x") and saved.must_change_password
    entry = db.session.scalar(select(HistoryEntry).where(HistoryEntry.action == "password_reset"))
    assert entry.before == entry.after == {}
    assert "tam-thoi" not in str(entry.comment)


def test_a_missing_account_is_not_found(org, login):
    assert login(org.admin).get("/admin/users/999999").status_code == 404


# --- the API -----------------------------------------------------------------------------------


def test_the_api_changes_role_unit_and_language_for_admins(org, api):
    response = api(org.admin).patch(
        "/users/mai@bacninh.gov.vn",
        json={"role": "lead", "unit": "HNI", "lang": "en", "version": org.staff_bn.version},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json() | {"id": 0, "version": 0} == {
        "id": 0,
        "email": "mai@bacninh.gov.vn",
        "name": "Vũ Thị Mai",
        "role": "lead",
        "unit": "HNI",
        "lang": "en",
        "active": True,
        "version": 0,
    }


def test_the_api_deactivates_and_the_tokens_stop_working(org, api):
    caller = api(org.staff_bn)
    response = api(org.admin).patch(
        "/users/mai@bacninh.gov.vn", json={"active": False, "version": org.staff_bn.version}
    )
    assert response.status_code == 200 and response.get_json()["active"] is False
    assert caller.get("/me").status_code == 401


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"role": "chief"}, 422, "role"),
        ({"unit": "KHONG-CO"}, 422, "unit"),
        ({"active": "maybe"}, 422, "active"),
        ({"name": ""}, 422, "name"),
        ({"role": "lead"}, 422, "version"),
    ],
)
def test_the_api_names_wrong_fields(org, api, payload, status, field):
    data = payload if field == "version" else payload | {"version": org.staff_bn.version}
    response = api(org.admin).patch("/users/mai@bacninh.gov.vn", json=data)
    assert response.status_code == status
    assert field in response.get_json()["errors"]


def test_the_api_refuses_a_stale_version(org, api):
    response = api(org.admin).patch(
        "/users/mai@bacninh.gov.vn", json={"name": "X", "version": org.staff_bn.version + 5}
    )
    assert response.status_code == 409


@pytest.mark.parametrize("who", ["head_bn", "lead_bn", "staff_bn"])
def test_only_admins_change_users_and_others_learn_nothing(org, api, who):
    caller = api(getattr(org, who))
    real = caller.patch("/users/trang@hanoi.gov.vn", json={"role": "admin", "version": 1})
    nobody = caller.patch("/users/khong-co@hanoi.gov.vn", json={"role": "admin", "version": 1})
    assert real.status_code == nobody.status_code == 403
    assert real.get_json()["detail"] == nobody.get_json()["detail"]
    assert _fresh(org.staff_hn).role == "staff"


def test_the_api_answers_404_for_an_unknown_email(org, api):
    assert api(org.admin).patch("/users/khong-co@x.vn", json={"version": 1}).status_code == 404


@pytest.mark.parametrize(
    ("query", "emails"),
    [
        ("q=nguyen+thi+lan", ["lan@bacninh.gov.vn"]),
        ("role=staff&unit=BNH", ["mai@bacninh.gov.vn"]),
        ("active=0", []),
    ],
)
def test_the_api_list_takes_the_same_filters(org, api, query, emails):
    items = api(org.admin).get(f"/users?{query}").get_json()["items"]
    assert [u["email"] for u in items] == emails


@pytest.mark.parametrize("query", ["role=chief", "unit=KHONG-CO", "active=maybe"])
def test_the_api_list_refuses_filters_naming_nothing(org, api, query):
    response = api(org.admin).get(f"/users?{query}")
    assert response.status_code == 422
    assert query.split("=")[0] in response.get_json()["errors"]
