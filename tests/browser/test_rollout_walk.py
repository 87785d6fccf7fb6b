"""A head approves a rollout to every province; a province marks its target done; coverage moves."""

import re

from sqlalchemy import delete

from pilotmgr.extensions import db
from pilotmgr.memos.models import Memo
from pilotmgr.rollout.models import RolloutTarget
from tests.browser.conftest import log_in, log_out
from tests.factories import PASSWORD


def test_a_head_rolls_out_to_the_provinces_and_a_province_reports_done(
    live_server, browser_page, make
):
    ministry = make.unit("BO", "Bộ Khoa học và Công nghệ")
    cds = make.unit("BO-CDS", "Cục Chuyển đổi số quốc gia", ministry)
    provinces = [
        make.unit(code, name, ministry)
        for code, name in (
            ("BNH", "Tỉnh Bắc Ninh"),
            ("HNI", "Thành phố Hà Nội"),
            ("HCM", "Thành phố Hồ Chí Minh"),
        )
    ]
    head = make.user("head", ministry, email="thanh@bo.gov.vn", name="Nguyễn Văn Thành")
    make.user("head", provinces[0], email="long@bacninh.gov.vn", name="Phạm Đức Long")
    lead = make.user("lead", cds)
    pilot = make.pilot("selected", owner=lead, unit_=cds, title="Dịch vụ công toàn trình")
    db.session.execute(delete(RolloutTarget).where(RolloutTarget.pilot_id == pilot.id))
    db.session.execute(delete(Memo).where(Memo.pilot_id == pilot.id))
    db.session.commit()
    page = browser_page

    # The head plans "every unit under the ministry" in one action, then approves the rollout.
    log_in(page, live_server, head.email, PASSWORD)
    page.goto(f"{live_server}/pilots/{pilot.id}")
    page.click("#add-targets summary")
    form = page.locator("#add-targets form")
    form.locator("select[name=under]").select_option("BO")
    form.locator("input[name=due_date]").fill(make.days(30).isoformat())
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf".*/pilots/{pilot.id}/rollout$"))
    assert page.locator("#targets tbody tr").count() == 4  # the three provinces and the Cục
    assert "0/4 — 0 %" in page.locator("#coverage").inner_text()

    # Approving needs an issued rollout memo: the head issues one and decides on it.
    page.goto(f"{live_server}/pilots/{pilot.id}")
    page.select_option("#memo-kind", "rollout")
    page.click("#memos form button[type=submit]")
    page.wait_for_url(re.compile(rf".*/pilots/{pilot.id}(#memos)?$"))
    assert "/TTr-BO-CDS" in page.locator("#memos table").inner_text()
    page.click("#decide-memo summary")
    decide = page.locator("#decide-memo form")
    decide.locator("input[name=decision_number]").fill("125/QĐ-BKHCN")
    decide.locator("input[name=decision_date]").fill(make.days(0).isoformat())
    decide.locator("input[name=comment]").fill("Nhân rộng ra toàn quốc.")
    decide.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "125/QĐ-BKHCN" in page.locator("#rollout").inner_text()
    log_out(page)

    # Bắc Ninh's head, responsible by default, finds the target in My work and marks it done.
    log_in(page, live_server, "long@bacninh.gov.vn", PASSWORD)
    page.click("#my-targets a")
    page.wait_for_url(re.compile(r".*/rollout-targets/\d+$"))
    page.select_option("#f-status", "done")
    page.fill("#f-note", "Đã vận hành từ ngày 01/12.")
    page.click("#update-target button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server}/pilots/{pilot.id}/rollout")
    assert "1/4 — 25 %" in page.locator("#coverage").inner_text()
    assert page.locator("tr.target-done[data-unit=BNH]").count() == 1
    log_out(page)

    # The head sees the coverage move on the board.
    log_in(page, live_server, head.email, PASSWORD)
    page.goto(f"{live_server}/pilots/{pilot.id}/rollout")
    assert "1/4 — 25 %" in page.locator("#coverage").inner_text()
    assert page.locator("svg.step-chart").count() == 1
