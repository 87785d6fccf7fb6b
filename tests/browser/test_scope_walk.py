"""The ministry head tries Phổ cập while provinces are still working and reads which ones;
a province head finds his province's late target of the ministry pilot on his dashboard and
opens it. Through the pages only."""

from __future__ import annotations

import re
from datetime import timedelta

from devtools.demo import catalog
from pilotmgr.core.clock import local_today
from pilotmgr.extensions import db
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.units.service import create_unit
from tests.browser.conftest import log_in, log_out
from tests.factories import PASSWORD


def _rolling_out(make):
    """A ministry pilot rolling out to the 34 provinces: 12 not done, Bắc Ninh's late."""
    units = {}
    for code, name, parent in (
        ("BO", "Bộ Khoa học và Công nghệ", None),
        ("BO-CDS", "Cục Chuyển đổi số quốc gia", "BO"),
        *((code, name, "BO") for code, name in catalog.PROVINCES),
    ):
        units[code] = create_unit(None, {"code": code, "name": name, "parent": parent})
    db.session.commit()
    head = make.user("head", units["BO"], email="thanh@bo.gov.vn", name="Nguyễn Văn Thành")
    province_head = make.user("head", units["BNH"], email="long@bacninh.gov.vn")
    lead = make.user("lead", units["BO-CDS"], email="lan@cds.gov.vn", name="Trần Thị Lan")
    pilot = make.pilot(
        "rolling_out", owner=lead, unit_=units["BO-CDS"], title="Định danh điện tử VNeID"
    )
    provinces = [units[code] for code, _name in catalog.PROVINCES]
    open_ones = [units["BNH"], *[u for u in provinces if u.code != "BNH"][:11]]
    today = local_today()
    for unit in provinces:
        is_open = unit in open_ones
        db.session.add(
            RolloutTarget(
                pilot_id=pilot.id,
                unit_id=unit.id,
                status="in_progress" if is_open else "done",
                due_date=today - timedelta(days=3 if unit.code == "BNH" else -20),
                done_on=None if is_open else today,
            )
        )
    db.session.commit()
    names = [u.name for u in sorted(open_ones, key=lambda u: u.path)]
    return head, province_head, pilot, names


def _decision_form(page, to: str):
    form = page.locator(f"form:has(input[name=to][value={to}])").first
    if not form.is_visible():
        form.locator("xpath=ancestor::details[1]/summary").click()
    return form


def test_the_head_reads_which_units_are_open_and_a_province_head_finds_his_late_target(
    live_server, browser_page, make
):
    head, province_head, pilot, open_names = _rolling_out(make)
    page = browser_page

    # Phổ cập with 12 provinces still working: the form names the first ten and counts two.
    log_in(page, live_server, head.email, PASSWORD)
    page.goto(f"{live_server}/pilots/{pilot.id}")
    form = _decision_form(page, "scaled")
    form.locator("input[name$=regulation_number]").fill("45/2026/QĐ-BKHCN")
    form.locator("input[name$=regulation_date]").fill(local_today().strftime("%d/%m/%Y"))
    form.locator("input[name$=regulation_issuer]").fill("Bộ Khoa học và Công nghệ")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    missing = " ".join(page.locator("li.missing").all_inner_texts())
    assert "còn 12 đơn vị chưa xong" in missing
    assert ", ".join(open_names[:10]) + " và 2 đơn vị khác" in missing
    assert not any(name in missing for name in open_names[10:])
    log_out(page)

    # The province head: his late target on the dashboard, and its page one click away.
    log_in(page, live_server, province_head.email, PASSWORD)
    page.goto(f"{live_server}/dashboard")
    rows = page.locator("#overdue-targets tbody tr")
    assert rows.count() == 1
    assert "Tỉnh Bắc Ninh" in rows.first.inner_text()
    assert "Định danh điện tử VNeID" in rows.first.inner_text()
    assert page.locator("[data-figure=overdue-targets]").inner_text() == "1"
    rows.first.get_by_role("link", name="Tỉnh Bắc Ninh").click()
    page.wait_for_url(re.compile(r".*/rollout-targets/\d+$"))
    assert page.locator("h1").inner_text() == "Tỉnh Bắc Ninh"
