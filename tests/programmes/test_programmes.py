"""Programmes and challenges in the browser: heads and admins add and change them, on record;
everyone reads them, counting only the pilots they may see."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pilotmgr.core.audit import HistoryEntry
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Challenge, Programme
from tests.html import field_error, parse, summary, text, value


@pytest.fixture
def people(make):
    province = make.unit("BNH", "Tỉnh Bắc Ninh")
    department = make.unit("BNH-YT", "Sở Y tế Bắc Ninh", province)
    other = make.unit("HNI", "Thành phố Hà Nội")
    return {
        "head": make.user("head", province, name="Phạm Đức Long"),
        "admin": make.user("admin", province),
        "lead": make.user("lead", department),
        "staff": make.user("staff", department),
        "other_lead": make.user("lead", other),
        "department": department,
        "other": other,
    }


def test_a_head_creates_a_programme_and_a_challenge_under_it(app, login, people):
    client = login(people["head"])
    response = client.post(
        "/programmes/new",
        data={
            "csrf_token": client.csrf,
            "name": "Chương trình Y tế số Bắc Ninh 2027",
            "description": "Bệnh án điện tử tại mọi bệnh viện tuyến tỉnh.",
        },
    )
    assert response.status_code == 302
    programme = db.session.scalar(select(Programme))
    assert programme.created_by_id == people["head"].id

    form = client.get(f"/challenges/new?programme={programme.id}")
    assert value(form, "f-programme_id") == str(programme.id)
    created = client.post(
        "/challenges/new",
        data={
            "csrf_token": client.csrf,
            "programme_id": str(programme.id),
            "title": "Người bệnh phải mang hồ sơ giấy giữa các bệnh viện",
            "problem": "Mỗi lần chuyển tuyến phải chụp lại phim.",
        },
        follow_redirects=True,
    )
    challenge = db.session.scalar(select(Challenge))
    assert challenge.programme_id == programme.id
    listing = text(created, f"programme-{programme.id}")
    assert "Người bệnh phải mang hồ sơ giấy giữa các bệnh viện" in listing
    assert "0 thí điểm" in listing


def test_mistakes_come_back_beside_their_fields_with_what_was_typed(app, login, people):
    client = login(people["admin"])
    empty = client.post(
        "/programmes/new",
        data={"csrf_token": client.csrf, "name": "  ", "description": "Giữ nguyên mô tả"},
    )
    assert empty.status_code == 422
    assert field_error(empty, "f-name") == "Trường này là bắt buộc."
    assert value(empty, "f-description") == "Giữ nguyên mô tả"

    orphan = client.post(
        "/challenges/new",
        data={"csrf_token": client.csrf, "programme_id": "", "title": "x" * 300},
    )
    assert orphan.status_code == 422
    assert field_error(orphan, "f-programme_id") == "Trường này là bắt buộc."
    assert "Chương trình" in summary(orphan) and "Tên vấn đề" in summary(orphan)
    assert value(orphan, "f-title") == "x" * 300


def test_an_edit_is_on_record_and_a_stale_one_changes_nothing(app, login, people, make):
    challenge = make.challenge("Thanh toán viện phí không dùng tiền mặt")
    programme = db.session.get(Programme, challenge.programme_id)
    client = login(people["head"])
    page = client.get(f"/programmes/{programme.id}/edit")
    version = value(page, "f-version")
    done = client.post(
        f"/programmes/{programme.id}/edit",
        data={
            "csrf_token": client.csrf,
            "name": "Chương trình chuyển đổi số y tế",
            "description": "",
            "version": version,
        },
    )
    assert done.status_code == 302
    entry = db.session.scalar(
        select(HistoryEntry).where(
            HistoryEntry.object_type == "programme", HistoryEntry.action == "update"
        )
    )
    assert entry.before == {"name": "Chương trình chuyển đổi số"}
    assert entry.after == {"name": "Chương trình chuyển đổi số y tế"}
    assert entry.actor_id == people["head"].id

    stale = client.post(
        f"/programmes/{programme.id}/edit",
        data={"csrf_token": client.csrf, "name": "Tên khác", "version": version},
        follow_redirects=True,
    )
    assert "Người khác vừa thay đổi" in stale.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Programme, programme.id).name == "Chương trình chuyển đổi số y tế"


def test_a_challenge_moves_to_another_programme(app, login, people, make):
    challenge = make.challenge("Hồ sơ sức khỏe điện tử")
    target = Programme(name="Chương trình Y tế số", description="")
    db.session.add(target)
    db.session.commit()
    client = login(people["admin"])
    response = client.post(
        f"/challenges/{challenge.id}/edit",
        data={
            "csrf_token": client.csrf,
            "programme_id": str(target.id),
            "title": "Hồ sơ sức khỏe điện tử cho mọi người dân",
            "problem": "",
            "version": str(challenge.version),
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    moved = db.session.get(Challenge, challenge.id)
    assert (moved.programme_id, moved.title) == (
        target.id,
        "Hồ sơ sức khỏe điện tử cho mọi người dân",
    )


def test_pilot_counts_only_count_pilots_the_reader_may_see(app, login, people, make):
    challenge = make.challenge("Dịch vụ công trực tuyến toàn trình")
    make.pilot("piloting", owner=people["lead"], challenge_id=challenge.id)
    make.pilot("draft", owner=people["other_lead"], challenge_id=challenge.id)
    own = text(login(people["lead"]).get("/programmes"), f"challenge-{challenge.id}")
    assert "1 thí điểm" in own
    everything = text(login(people["admin"]).get("/programmes"), f"challenge-{challenge.id}")
    assert "2 thí điểm" in everything


@pytest.mark.parametrize("who", ["lead", "staff"])
def test_others_read_the_catalogue_but_cannot_change_it(app, login, people, make, who):
    challenge = make.challenge()
    client = login(people[who])
    listing = client.get("/programmes")
    assert listing.status_code == 200
    assert parse(listing).get_element_by_id("new-programme", None) is None
    for path in ("/programmes/new", "/challenges/new", f"/challenges/{challenge.id}/edit"):
        assert client.get(path).status_code == 403, path


def test_only_heads_and_admins_see_the_programmes_link(app, login, people):
    assert 'id="nav-programmes"' in login(people["head"]).get("/my-work").get_data(as_text=True)
    assert 'id="nav-programmes"' not in login(people["lead"]).get("/my-work").get_data(as_text=True)


# --- the API -----------------------------------------------------------------------------------


def test_the_api_changes_a_programme_and_a_challenge(app, api, people, make):
    challenge = make.challenge()
    head = api(people["head"])
    programme = head.patch(
        f"/programmes/{challenge.programme_id}",
        json={"description": "Giai đoạn 2026–2030", "version": 1},
    )
    assert programme.status_code == 200
    assert programme.get_json()["description"] == "Giai đoạn 2026–2030"
    changed = head.patch(
        f"/challenges/{challenge.id}", json={"title": "Tên mới", "version": challenge.version}
    )
    assert changed.status_code == 200 and changed.get_json()["title"] == "Tên mới"
    assert (
        head.patch(f"/challenges/{challenge.id}", json={"title": "X", "version": 1}).status_code
        == 409
    )


@pytest.mark.parametrize(
    ("path", "payload", "status"),
    [
        ("/programmes/{p}", {"name": "", "version": 1}, 422),
        ("/challenges/{c}", {"programme_id": 999_999, "version": 1}, 422),
        ("/challenges/{c}", {"title": "X"}, 422),
        ("/programmes/999999", {"name": "X", "version": 1}, 404),
        ("/challenges/999999", {"title": "X", "version": 1}, 404),
    ],
)
def test_the_api_refuses_bad_edits(app, api, people, make, path, payload, status):
    challenge = make.challenge()
    url = path.format(p=challenge.programme_id, c=challenge.id)
    assert api(people["admin"]).patch(url, json=payload).status_code == status


def test_leads_cannot_change_programmes_through_the_api(app, api, people, make):
    challenge = make.challenge()
    lead = api(people["lead"])
    response = lead.patch(f"/programmes/{challenge.programme_id}", json={"name": "X", "version": 1})
    assert response.status_code == 403
