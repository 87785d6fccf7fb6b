"""The rollout forms on the pages: the plan and its preview, the guide, the regulation; a
mistake brings the form back filled, the message beside the field, in Vietnamese."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import select

from pilotmgr.auth.models import User
from pilotmgr.extensions import db
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.units.models import Unit
from tests.rollout.conftest import add_target


def _plan(client, pilot, **fields):
    data = {"csrf_token": client.csrf, "level": "provinces", "wave": "1", "responsible": ""}
    return client.post(f"/pilots/{pilot.id}/rollout/plan", data=data | fields)


def _codes(pilot) -> set[str]:
    rows = db.session.scalars(select(RolloutTarget).where(RolloutTarget.pilot_id == pilot.id))
    return {t.unit.code for t in rows}


def test_the_pilot_page_offers_the_levels_in_vietnamese(org, login):
    html = login(org.head).get(f"/pilots/{org.pilot.id}").get_data(as_text=True)
    form = html.split('id="plan-form"')[1].split("</form>")[0]
    assert "Các tỉnh, thành phố trực thuộc Trung ương" in form
    assert "Các sở của một tỉnh, thành phố" in form
    assert 'name="due_date"' in form and 'placeholder="ngày/tháng/năm"' in form


def test_the_preview_lists_the_provinces_ticked_and_warns_about_nobody(org, login, make):
    add_target(org.pilot, org.hn, org.head_hn)
    client = login(org.head)
    due = make.days(30).strftime("%d/%m/%Y")
    response = _plan(client, org.pilot, due_date=due)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    units = html.split('id="plan-units"')[1].split("</ul>")[0]
    assert re.findall(r'data-unit="([^"]+)"', units) == ["HNI", "HCM", "BNH"]  # by name
    assert 'name="units" value="BNH"' in units and 'name="units" value="HCM"' in units
    assert 'name="units" value="HNI"' not in units and "đã có trong kế hoạch" in units
    warning = html.split('id="nobody-warning"')[1].split("</div>")[0]
    assert "Thành phố Hồ Chí Minh" in warning and "Tỉnh Bắc Ninh" not in warning
    assert f'name="due_date" value="{due}"' in html  # the plan travels to the next step
    assert _codes(org.pilot) == {"HNI"}  # the preview created nothing


def test_creating_keeps_only_the_ticked_units(org, login, make):
    client = login(org.head)
    response = client.post(
        f"/pilots/{org.pilot.id}/rollout/targets",
        data={
            "csrf_token": client.csrf,
            "level": "provinces",
            "due_date": make.days(30).strftime("%d/%m/%Y"),
            "wave": "1",
            "responsible": "",
            "units": ["BNH", "HNI"],
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/pilots/{org.pilot.id}/rollout")
    assert _codes(org.pilot) == {"BNH", "HNI"}


def test_unticking_every_unit_comes_back_to_the_preview_with_a_message(org, login, make):
    client = login(org.head)
    response = client.post(
        f"/pilots/{org.pilot.id}/rollout/targets",
        data={
            "csrf_token": client.csrf,
            "level": "provinces",
            "due_date": make.days(30).strftime("%d/%m/%Y"),
            "wave": "1",
            "responsible": "",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="plan-units"' in html and "Hãy chọn ít nhất một đơn vị." in html
    assert 'name="units" value="BNH" id="u-BNH">' in html  # left unticked, as sent
    assert _codes(org.pilot) == set()


def test_a_wrong_date_comes_back_on_the_pilot_page_with_what_was_typed(org, login):
    client = login(org.head)
    response = _plan(client, org.pilot, level="departments", parent="BNH", due_date="31/02/2027")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    block = html.split('id="add-targets"')[1].split("</details>")[0]
    assert block.startswith(" open")
    assert 'value="31/02/2027"' in block
    assert "Hãy nhập ngày theo dạng 31/12/2026." in block
    (level,) = re.findall(r'<input[^>]*value="departments"[^>]*>', block)
    assert "checked" in level
    assert '<a class="alert-link" href="#plan-due_date">Hạn hoàn thành</a>' in block


def test_a_level_without_units_says_so_beside_the_unit(org, login, make):
    client = login(org.head)
    due = make.days(30).strftime("%d/%m/%Y")
    response = _plan(client, org.pilot, level="departments", parent="HNI", due_date=due)
    assert response.status_code == 422
    assert "Cấp này không có đơn vị nào." in response.get_data(as_text=True)


def test_the_guide_form_keeps_what_was_typed_when_too_long(org, login):
    client = login(org.head)
    response = client.post(
        f"/pilots/{org.pilot.id}/rollout/guide",
        data={"csrf_token": client.csrf, "success_formula": "x" * 10_001, "rollout_guide": "B1"},
    )
    assert response.status_code == 422
    block = response.get_data(as_text=True).split('id="rollout-guide"')[1].split("</details>")[0]
    assert block.startswith(" open") and "B1</textarea>" in block


def test_the_regulation_form_names_its_missing_fields_in_vietnamese(org, login):
    org.pilot.stage = "rolling_out"
    db.session.commit()
    client = login(org.head)
    response = client.post(
        f"/pilots/{org.pilot.id}/regulation",
        data={"csrf_token": client.csrf, "number": "12/QĐ-BKHCN", "date": "", "issuer": ""},
    )
    assert response.status_code == 422
    block = response.get_data(as_text=True).split('id="record-regulation"')[1]
    block = block.split("</details>")[0]
    assert 'value="12/QĐ-BKHCN"' in block
    assert "Ngày ban hành" in block and "Cơ quan ban hành" in block
    assert block.count("Trường này là bắt buộc.") >= 2
    ok = client.post(
        f"/pilots/{org.pilot.id}/regulation",
        data={
            "csrf_token": client.csrf,
            "number": "12/QĐ-BKHCN",
            "date": "20/11/2026",
            "issuer": "Bộ Khoa học và Công nghệ",
        },
    )
    assert ok.status_code == 302
    db.session.expire_all()
    assert org.pilot.regulation_date.isoformat() == "2026-11-20"


def test_the_target_page_update_comes_back_filled_with_the_message(org, login, make):
    target = add_target(org.pilot, org.bn, org.head_bn, due=make.days(9))
    org.pilot.stage = "rolling_out"
    db.session.commit()
    client = login(org.head_bn)
    response = client.post(
        f"/rollout-targets/{target.id}",
        data={
            "csrf_token": client.csrf,
            "status": "blocked",
            "blocked_reason": "",
            "note": "Đang chờ máy chủ",
            "version": target.version,
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Nêu rõ lý do vướng mắc." in html
    assert "Đang chờ máy chủ</textarea>" in html


def test_a_planner_changes_the_responsible_person_on_the_target_page(org, login, make):
    target = add_target(org.pilot, org.bn, org.head_bn, due=make.days(9))
    client = login(org.lead)
    page = client.get(f"/rollout-targets/{target.id}").get_data(as_text=True)
    assert 'id="plan-target"' in page and 'id="update-target"' not in page
    bad = client.post(
        f"/rollout-targets/{target.id}/plan",
        data={
            "csrf_token": client.csrf,
            "responsible": org.staff_bn.email,
            "due_date": "hôm nay",
            "wave": "1",
            "version": target.version,
        },
    )
    assert bad.status_code == 422 and 'value="hôm nay"' in bad.get_data(as_text=True)
    ok = client.post(
        f"/rollout-targets/{target.id}/plan",
        data={
            "csrf_token": client.csrf,
            "responsible": org.staff_bn.email,
            "due_date": make.days(20).strftime("%d/%m/%Y"),
            "wave": "2",
            "version": target.version,
        },
    )
    assert ok.status_code == 302
    db.session.expire_all()
    found = db.session.get(RolloutTarget, target.id)
    assert (found.responsible_id, found.wave, found.due_date) == (
        org.staff_bn.id,
        2,
        make.days(20),
    )


def test_an_english_reader_gets_the_rollout_pages_in_english(org, login, make):
    head = make.user("head", org.ministry, lang="en")
    target = add_target(org.pilot, org.bn, org.head_bn, due=make.days(9))
    client = login(head)
    pages = [
        client.get(f"/pilots/{org.pilot.id}").get_data(as_text=True).split('id="rollout"')[1],
        client.get(f"/pilots/{org.pilot.id}/rollout").get_data(as_text=True),
        client.get(f"/rollout-targets/{target.id}").get_data(as_text=True),
        _plan(client, org.pilot, due_date=make.days(9).isoformat()).get_data(as_text=True),
    ]
    assert "The provinces and centrally-run cities" in pages[0]
    assert "Update the ticked targets together" in pages[1]
    assert "Remove from the rollout plan" in pages[2]
    assert "Nobody would answer for 1 of these units:" in pages[3]
    # The data (names of units, people, the pilot) and the language switch stay as they are.
    data = [u.name for u in db.session.scalars(select(Unit))]
    data += [u.name for u in db.session.scalars(select(User))]
    data += [org.pilot.title, org.pilot.summary, org.pilot.success_formula, "Tiếng Việt"]
    for html in pages:
        text = unescape(re.sub(r"<[^>]+>", " ", html))
        for name in sorted(data, key=len, reverse=True):
            text = text.replace(name, "")
        words = set(re.findall(r"\w*[ạảãàáâậầấẩẫăắằặẳẵđêềếểễệôồốổỗộơờớởỡợưừứửữự]\w*", text))
        assert not words, words
