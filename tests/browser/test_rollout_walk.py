"""A head plans a ministry pilot's rollout to the 34 provinces through the preview, a province is
told and starts, the head updates targets together, records the regulation and confirms scaled.
Through the pages only, as the people who use them would."""

from __future__ import annotations

import re

from sqlalchemy import delete

from devtools.demo import catalog
from pilotmgr.extensions import db
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.units.service import create_unit
from tests.browser.conftest import log_in, log_out
from tests.factories import PASSWORD


def _organisation(make):
    """The ministry, two of its agencies and the 34 provinces; heads in three provinces."""
    units = {}
    for code, name, parent in (
        ("BO", "Bộ Khoa học và Công nghệ", None),
        ("BO-CDS", "Cục Chuyển đổi số quốc gia", "BO"),
        ("BO-VP", "Văn phòng Bộ", "BO"),
        *((code, name, "BO") for code, name in catalog.PROVINCES),
    ):
        units[code] = create_unit(None, {"code": code, "name": name, "parent": parent})
    db.session.commit()
    head = make.user("head", units["BO"], email="thanh@bo.gov.vn", name="Nguyễn Văn Thành")
    make.user("head", units["BNH"], email="long@bacninh.gov.vn", name="Phạm Đức Long")
    make.user("head", units["HNI"], email="ha@hanoi.gov.vn", name="Lê Thị Thu Hà")
    make.user("head", units["HCM"], email="tam@hcm.gov.vn", name="Võ Minh Tâm")
    lead = make.user("lead", units["BO-CDS"], email="lan@cds.gov.vn", name="Trần Thị Lan")
    pilot = make.pilot(
        "selected", owner=lead, unit_=units["BO-CDS"], title="Dịch vụ công trực tuyến toàn trình"
    )
    # The factory's selected pilot has one target already (and its rollout memo): start empty.
    db.session.execute(delete(RolloutTarget).where(RolloutTarget.pilot_id == pilot.id))
    db.session.commit()
    return head, pilot


def _decision_form(page, to: str):
    """The pilot page's form for one decision, opened if it sits in a closed <details>."""
    form = page.locator(f"form:has(input[name=to][value={to}])").first
    if not form.is_visible():
        form.locator("xpath=ancestor::details[1]/summary").click()
    return form


def _history(page) -> list[str]:
    return [" ".join(t.split()) for t in page.locator("ol.timeline li").all_inner_texts()]


def test_a_head_plans_the_34_provinces_updates_them_together_and_confirms_scaled(
    live_server, browser_page, make
):
    head, pilot = _organisation(make)
    page = browser_page
    due = make.days(45).strftime("%d/%m/%Y")

    # The head chooses "the provinces"; a mistyped date comes back with the message beside it.
    log_in(page, live_server, head.email, PASSWORD)
    page.goto(f"{live_server}/pilots/{pilot.id}")
    page.click("#add-targets summary")
    assert page.is_checked("#add-targets input[name=level][value=provinces]")
    page.fill("#plan-due_date", "31/02/2027")
    page.click("#plan-preview")
    assert (
        "Hãy nhập ngày theo dạng 31/12/2026." in page.locator("#plan-due_date-error").inner_text()
    )
    assert page.input_value("#plan-due_date") == "31/02/2027"
    page.fill("#plan-due_date", due)
    page.click("#plan-preview")

    # The preview: 34 provinces ticked, no Cục, and a warning for those nobody answers for.
    page.wait_for_selector("#plan-units")
    assert page.locator("#plan-units li").count() == 34
    assert page.locator("#plan-units input[name=units]:checked").count() == 34
    assert "Cục" not in page.locator("#plan-units").inner_text()
    warning = page.locator("#nobody-warning").inner_text()
    assert "Chưa có người chịu trách nhiệm tại 31 đơn vị" in warning
    assert "Tỉnh Cao Bằng" in warning and "Tỉnh Bắc Ninh" not in warning
    page.click("#plan-create")

    page.wait_for_url(re.compile(rf".*/pilots/{pilot.id}/rollout$"))
    assert page.locator("#targets tbody tr").count() == 34
    assert page.locator("#targets tr[data-unit=BO-CDS], #targets tr[data-unit=BO-VP]").count() == 0
    assert "0/34 — 0 %" in page.locator("#coverage").inner_text()

    # The rollout is approved on its memo.
    page.goto(f"{live_server}/pilots/{pilot.id}")
    approve = _decision_form(page, "rolling_out")
    approve.locator("input[name=decision_number]").fill("125/QĐ-BKHCN")
    approve.locator("input[name=decision_date]").fill(make.days(0).isoformat())
    approve.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "125/QĐ-BKHCN" in page.locator("#rollout").inner_text()
    log_out(page)

    # Bắc Ninh's head was told, follows the notification to the target and starts.
    log_in(page, live_server, "long@bacninh.gov.vn", PASSWORD)
    page.goto(f"{live_server}/notifications")
    told = page.locator("li", has_text="Đồng chí chịu trách nhiệm phổ cập tại Tỉnh Bắc Ninh")
    told.locator("button[name=open]").click()
    page.wait_for_url(re.compile(r".*/rollout-targets/\d+$"))
    page.select_option("#f-status", "in_progress")
    page.fill("#f-note", "Đã cử đầu mối kỹ thuật.")
    page.click("#update-target button[type=submit]")
    page.wait_for_load_state()
    assert "Đã cử đầu mối kỹ thuật." in page.locator("dl").inner_text()
    log_out(page)

    # The head ticks three cities and starts them with one note, then ticks all: done.
    log_in(page, live_server, head.email, PASSWORD)
    board = f"{live_server}/pilots/{pilot.id}/rollout"
    page.goto(board)
    for code in ("HNI", "HPG", "DNG"):
        page.check(f"#targets tr[data-unit={code}] input[name=targets]")
    page.select_option("#bulk-status", "in_progress")
    page.fill("#bulk-note", "Đã giao đầu mối, đang kết nối dữ liệu.")
    page.click("#bulk-apply")
    page.wait_for_url(re.compile(r".*/rollout$"))
    assert page.locator("tr.target-in_progress").count() == 4
    # Applying with nothing ticked says so, in place.
    page.select_option("#bulk-status", "done")
    page.click("#bulk-apply")
    assert "Hãy đánh dấu ít nhất một mục tiêu." in page.locator(".form-errors").inner_text()
    page.check("#tick-all")
    assert page.locator("input[name=targets]:checked").count() == 34
    page.select_option("#bulk-status", "done")
    page.fill("#bulk-note", "Đã vận hành, có biên bản nghiệm thu.")
    page.click("#bulk-apply")
    page.wait_for_url(re.compile(r".*/rollout$"))
    assert "34/34 — 100 %" in page.locator("#coverage").inner_text()

    # The board fits a phone: the table scrolls in its own box, the page does not.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})

    # The regulation that makes the model mandatory, then scaled, confirmed.
    page.goto(f"{live_server}/pilots/{pilot.id}")
    page.click("#record-regulation summary")
    page.fill("#regulation-number", "45/2026/QĐ-BKHCN")
    page.fill("#regulation-date", make.days(-1).strftime("%d/%m/%Y"))
    page.fill("#regulation-issuer", "Bộ Khoa học và Công nghệ")
    page.click("#record-regulation button[type=submit]")
    page.wait_for_load_state()
    assert "45/2026/QĐ-BKHCN" in page.locator("#regulation").inner_text()
    _decision_form(page, "scaled").locator("button[type=submit]").click()
    page.wait_for_selector("#confirm-button")
    assert page.locator("#consequences li").count() >= 1
    page.click("#confirm-button")
    page.wait_for_url(re.compile(rf".*/pilots/{pilot.id}$"))
    assert "Đã phổ cập" in page.locator("h1 + div .badge.stage").inner_text()

    # One history line per action, naming its units.
    lines = _history(page)
    planned = [x for x in lines if "Lập kế hoạch phổ cập tới:" in x]
    assert len(planned) == 1 and "Tỉnh Cao Bằng" in planned[0] and "Cục" not in planned[0]
    started = [x for x in lines if "Bắt đầu phổ cập tại:" in x]
    assert len(started) == 2  # Bắc Ninh on its own page, then the three cities together
    assert any(
        "Thành phố Đà Nẵng, Thành phố Hà Nội, Thành phố Hải Phòng" in x
        and "Đã giao đầu mối, đang kết nối dữ liệu." in x
        for x in started
    )
    finished = [x for x in lines if "Ghi nhận đã phổ cập xong tại:" in x]
    assert len(finished) == 1
    assert "Tỉnh Bắc Ninh" in finished[0] and "Tỉnh Cà Mau" in finished[0]
