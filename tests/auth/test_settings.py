"""Cài đặt: language and e-mail preferences through the form; wrong values come back named."""

from pilotmgr.auth.models import User
from pilotmgr.extensions import db
from tests.html import field_error, parse, value


def test_a_person_switches_to_english_and_daily_digest(app, login, make):
    user = make.user("staff")
    client = login(user)
    response = client.post(
        "/settings", data={"csrf_token": client.csrf, "lang": "en", "email_mode": "digest"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(User, user.id)
    assert (saved.lang, saved.email_mode) == ("en", "digest")
    assert "Settings saved." in client.get("/settings").get_data(as_text=True)


def test_a_value_not_offered_is_refused_beside_its_field(app, login, make):
    client = login(make.user("staff"))
    response = client.post(
        "/settings", data={"csrf_token": client.csrf, "lang": "fr", "email_mode": "off"}
    )
    assert response.status_code == 422
    assert field_error(response, "f-lang") == "Lựa chọn không hợp lệ."
    assert value(response, "f-email_mode") == "off"


def test_only_heads_and_admins_are_offered_the_leader_digest(app, login, make):
    staff_page = login(make.user("staff")).get("/settings")
    assert parse(staff_page).get_element_by_id("f-leader_digest", None) is None
    head_page = login(make.user("head")).get("/settings")
    assert value(head_page, "f-leader_digest") == "1"


def test_role_names_are_words_not_codes(app, login, make):
    user = make.user("lead", name="Trần Thị Lan", email="lan@bacninh.gov.vn")
    page = login(user).get("/settings").get_data(as_text=True)
    identity = parse(page).find_class("text-muted")[0].text_content()
    assert "Cán bộ chủ trì" in identity
    assert "lead" not in identity.replace(user.email, "")
