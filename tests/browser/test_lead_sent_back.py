"""A lead registers a pilot with a KPI written "12,5", submits; a head sends it back with a
reason; the lead reads the reason in Thông báo and follows it to the pilot."""

import re

from tests.browser.conftest import log_in, log_out
from tests.factories import PASSWORD


def test_a_lead_is_sent_back_and_reads_the_reason_in_a_notification(
    live_server, browser_page, make
):
    province = make.unit("BNH", "Tỉnh Bắc Ninh")
    department = make.unit("BNH-YT", "Sở Y tế Bắc Ninh", parent=province)
    lead = make.user("lead", department, email="hanh@bacninh.gov.vn", name="Cao Thị Hạnh")
    make.user("head", province, email="long@bacninh.gov.vn", name="Phạm Đức Long")
    staff = make.user("staff", department, email="mai@bacninh.gov.vn", name="Vũ Thị Mai")
    make.challenge("Thanh toán không dùng tiền mặt tại bệnh viện")
    page = browser_page

    # The lead registers the pilot, dates written the Vietnamese way.
    log_in(page, live_server, lead.email, PASSWORD)
    page.goto(f"{live_server}/pilots/new")
    page.fill("#f-title", "Thanh toán viện phí bằng mã QR tại Bệnh viện tỉnh")
    page.fill("#f-summary", "Thí điểm thu viện phí bằng mã QR tại 12 quầy.")
    page.select_option("#f-challenge_id", label="Thanh toán không dùng tiền mặt tại bệnh viện")
    page.fill("#f-start_date", "01/12/2026")
    page.fill("#f-end_date", "31/05/2027")
    page.fill("#f-budget", "1.200.000.000")
    page.click("#pilot-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/pilots/\d+$"))
    pilot_url = page.url
    assert "1.200.000.000 đồng" in page.locator("main").inner_text()

    # A KPI whose baseline is written with a decimal comma.
    page.click("#add-kpi summary")
    page.fill("#kpi-name", "Tỷ lệ giao dịch không dùng tiền mặt")
    page.fill("#kpi-unit", "%")
    page.fill("#kpi-baseline", "12,5")
    page.fill("#kpi-target", "60")
    page.click("#add-kpi button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#kpis .kpi-baseline").first.inner_text() == "12,5"

    task_form = page.locator("form[action$='/tasks']")
    task_form.locator("xpath=ancestor::details").locator("summary").click()
    task_form.locator("[name=title]").fill("Lắp đặt mã QR tại 12 quầy thu")
    task_form.locator("input[name=assignee]").fill(staff.email)
    task_form.locator("[name=due_date]").fill("2027-01-15")
    task_form.locator("[name=deliverable]").fill("12 quầy đã lắp đặt")
    task_form.locator("button[type=submit]").click()
    page.wait_for_load_state()

    page.locator("#decision-submit").get_by_role("button", name="Trình phê duyệt").click()
    page.wait_for_load_state()
    assert page.locator(".stage-proposed").first.is_visible()
    log_out(page)

    # The head tries to send it back without saying why, then says why.
    log_in(page, live_server, "long@bacninh.gov.vn", PASSWORD)
    page.goto(pilot_url)
    send_back = page.locator("#decision-send_back")
    send_back.get_by_role("button", name="Trả lại").click()
    page.wait_for_load_state()
    assert page.locator("#send_back-comment-error").inner_text() == "Ý kiến nêu rõ lý do"
    assert page.locator(".stage-proposed").first.is_visible()
    page.fill("#send_back-comment", "Đề nghị bổ sung chỉ tiêu về thời gian chờ thanh toán.")
    page.locator("#decision-send_back").get_by_role("button", name="Trả lại").click()
    page.wait_for_load_state()
    assert page.locator(".stage-draft").first.is_visible()
    log_out(page)

    # The lead sees the badge, reads the reason and follows it to the pilot.
    log_in(page, live_server, lead.email, PASSWORD)
    assert page.locator("#unread-count").inner_text() == "1"
    page.click("#nav-notifications")
    page.wait_for_url(re.compile(r".*/notifications$"))
    note = page.locator(".list-group-item").first
    text = note.inner_text()
    assert "Trả lại để hoàn thiện: Thanh toán viện phí bằng mã QR tại Bệnh viện tỉnh" in text
    assert "Phạm Đức Long đã trả lại thí điểm" in text
    assert "Ý kiến: “Đề nghị bổ sung chỉ tiêu về thời gian chờ thanh toán.”" in text
    note.get_by_role("button", name="Mở").click()
    page.wait_for_url(pilot_url)
    assert page.locator("#kpis .kpi-baseline").first.inner_text() == "12,5"
    assert "Đề nghị bổ sung chỉ tiêu" in page.locator("#history").inner_text()
    assert page.locator("#unread-count").count() == 0
