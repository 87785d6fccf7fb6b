"""A rollout target counts where the work is: the heads of its unit (and above) see it on the
dashboard, in the weekly digest and on the scoreboard, and may open it; another province's
head sees none of it."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import event

from pilotmgr.core.clock import local_today, local_zone
from pilotmgr.dashboard.digest import summary
from pilotmgr.extensions import db
from pilotmgr.results.models import Evidence
from pilotmgr.rollout.models import RolloutTarget


def _target(pilot, unit, responsible, due_days: int, status: str = "planned"):
    target = RolloutTarget(
        pilot_id=pilot.id,
        unit_id=unit.id,
        responsible_id=responsible.id,
        due_date=local_today() + timedelta(days=due_days),
        status=status,
    )
    db.session.add(target)
    db.session.commit()
    return target


@pytest.fixture
def ministry_rollout(make):
    """A ministry pilot rolling out to provinces P (late) and Q (late too); R has no target."""
    ministry = make.unit("BO", "Bộ Khoa học và Công nghệ")
    agency = make.unit("BO-CDS", "Cục Chuyển đổi số quốc gia", ministry)
    w = SimpleNamespace(ministry=ministry)
    w.p = make.unit("PRV-P", "Tỉnh Phú Thọ", ministry)
    w.q = make.unit("PRV-Q", "Tỉnh Quảng Trị", ministry)
    w.r = make.unit("PRV-R", "Tỉnh Lào Cai", ministry)
    w.head_bo = make.user("head", ministry, email="head@bo.gov.vn")
    w.head_p = make.user("head", w.p, email="head@phutho.gov.vn", name="Nguyễn Văn Phú")
    w.head_q = make.user("head", w.q, email="head@quangtri.gov.vn", name="Lê Thị Quế")
    w.head_r = make.user("head", w.r, email="head@laocai.gov.vn", name="Hoàng Văn Lào")
    w.staff_p = make.user("staff", w.p, email="staff@phutho.gov.vn", name="Đinh Thị Thu")
    w.staff_q = make.user("staff", w.q, email="staff@quangtri.gov.vn", name="Võ Văn Quang")
    lead = make.user("lead", agency, email="lead@bo.gov.vn")
    w.pilot = make.pilot("rolling_out", owner=lead, unit_=agency, title="Định danh điện tử VNeID")
    w.target_p = _target(w.pilot, w.p, w.staff_p, -3)
    w.target_q = _target(w.pilot, w.q, w.staff_q, -2)
    return w


def _page(login, user) -> str:
    response = login(user).get("/dashboard")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _overdue_targets(html: str) -> list[str]:
    return re.findall(r'data-target="(\d+)"', html)


def _scores(html: str, board: str) -> str:
    return html.split(f'id="scores-{board}"')[1].split("</table>")[0]


def test_a_province_head_sees_his_late_target_of_a_ministry_pilot_on_the_dashboard(
    ministry_rollout, login
):
    w = ministry_rollout
    html = _page(login, w.head_p)
    assert _overdue_targets(html) == [str(w.target_p.id)]
    assert re.search(r'data-figure="overdue-targets"[^>]*>1<', html)
    assert f'href="/rollout-targets/{w.target_p.id}"' in html
    assert "Tỉnh Phú Thọ" in html and "Tỉnh Quảng Trị" not in html
    # Rollout coverage counts his province's target only: 0 of 1.
    assert f'data-figure="coverage-{w.pilot.id}">0<' in html and "0/1" in html


def test_another_province_head_sees_only_his_own_target_and_a_third_none(ministry_rollout, login):
    w = ministry_rollout
    html = _page(login, w.head_q)
    assert _overdue_targets(html) == [str(w.target_q.id)]
    assert "Tỉnh Phú Thọ" not in html
    html = _page(login, w.head_r)
    assert _overdue_targets(html) == []
    assert w.pilot.title not in html


def test_the_ministry_head_sees_every_late_target_of_its_pilot(ministry_rollout, login):
    w = ministry_rollout
    html = _page(login, w.head_bo)
    assert sorted(_overdue_targets(html)) == sorted([str(w.target_p.id), str(w.target_q.id)])
    assert "0/2" not in html and "1/3" in html  # with the factory's done target of the agency


def test_the_scoreboard_counts_the_target_for_its_province_and_its_responsible_person(
    ministry_rollout, login
):
    w = ministry_rollout
    html = _page(login, w.head_p)
    units = _scores(html, "unit")
    assert "Tỉnh Phú Thọ" in units and "Tỉnh Quảng Trị" not in units
    row = units.split("Tỉnh Phú Thọ")[1].split("</tr>")[0]
    # due 1, on time 0, rate 0 %, overdue 1, late by the working days since the due date
    cells = re.findall(r'<td class="text-end[^"]*">(?:<a [^>]*>)?([^<]*)', row)
    assert cells[0] == "1" and cells[1] == "0" and cells[3] == "1"
    people = _scores(html, "owner")
    assert "Đinh Thị Thu" in people and "Võ Văn Quang" not in people
    other = _page(login, w.head_r)
    assert "Tỉnh Phú Thọ" not in _scores(other, "unit")


def test_a_target_done_on_time_counts_as_on_time_on_the_scoreboard(ministry_rollout, login):
    w = ministry_rollout
    w.target_p.status, w.target_p.done_on = "done", w.target_p.due_date
    db.session.commit()
    units = _scores(_page(login, w.head_p), "unit")
    row = units.split("Tỉnh Phú Thọ")[1].split("</tr>")[0]
    cells = re.findall(r'<td class="text-end[^"]*">(?:<a [^>]*>)?([^<]*)', row)
    assert cells[:2] == ["1", "1"] and cells[3] == "0"


def test_the_weekly_digest_of_the_province_head_names_his_late_target(ministry_rollout, app):
    w = ministry_rollout
    now = datetime.now(local_zone())
    mine = summary(w.head_p, now)
    assert mine["late_targets"] == 1
    assert [t.id for t in mine["worst_targets"]] == [w.target_p.id]
    assert [title for title, _percent in mine["rollouts"]] == [w.pilot.title]
    other = summary(w.head_r, now)
    assert other["late_targets"] == 0 and other["worst_targets"] == [] and not other["rollouts"]


def test_the_digest_mail_links_the_late_target(ministry_rollout, app):
    from pilotmgr.dashboard.digest import render

    w = ministry_rollout
    _subject, text, html, _pdf = render(w.head_p, datetime.now(local_zone()))
    assert f"/rollout-targets/{w.target_p.id}" in text and "Tỉnh Phú Thọ" in text
    assert f"/rollout-targets/{w.target_p.id}" in html
    assert "Tỉnh Quảng Trị" not in text


def test_the_province_head_opens_his_target_but_not_another_provinces(ministry_rollout, login):
    w = ministry_rollout
    client = login(w.head_p)
    assert client.get(f"/rollout-targets/{w.target_p.id}").status_code == 200
    assert client.get(f"/pilots/{w.pilot.id}").status_code == 200
    assert client.get(f"/rollout-targets/{w.target_q.id}").status_code == 404
    assert login(w.head_r).get(f"/rollout-targets/{w.target_p.id}").status_code == 404
    # The pilot's own side sees every target.
    assert login(w.head_bo).get(f"/rollout-targets/{w.target_q.id}").status_code == 200


def test_another_provinces_target_evidence_is_not_downloadable(ministry_rollout, login, app):
    w = ministry_rollout
    from pilotmgr.core.storage import file_store

    evidence = Evidence(
        pilot_id=w.pilot.id,
        rollout_target_id=w.target_q.id,
        filename="bien-ban.pdf",
        stored_name=file_store().put(b"%PDF-1.4\n"),
        kind="pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by_id=w.staff_q.id,
    )
    db.session.add(evidence)
    db.session.commit()
    from pilotmgr.core.errors import NotFound
    from pilotmgr.results.evidence import find_evidence

    with pytest.raises(NotFound):
        find_evidence(w.head_p, evidence.id)
    found, _pilot = find_evidence(w.head_q, evidence.id)
    assert found.id == evidence.id


def _count_queries(client, path: str) -> int:
    seen = []

    def count(*_args):
        seen.append(1)

    # The test's session outlives requests: start each count from the same (committed, empty)
    # state, so that each count also holds the same transaction statements.
    db.session.commit()
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_the_province_dashboard_issues_as_many_queries_with_many_targets(
    ministry_rollout, login, make
):
    w = ministry_rollout
    client = login(w.head_p)
    before = _count_queries(client, "/dashboard")
    lead = make.user("lead", w.ministry)
    for n in range(6):
        pilot = make.pilot("rolling_out", owner=lead, unit_=w.ministry, title=f"Mô hình {n}")
        district = make.unit(f"PRV-P-{n}", f"Huyện {n}", w.p)
        _target(pilot, district, w.staff_p, -n - 1)
        _target(pilot, w.p, w.staff_p, -2, status="in_progress")
    after = _count_queries(client, "/dashboard")
    assert after == before
