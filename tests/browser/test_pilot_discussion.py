"""On the pilot page: a wrong number is refused in Vietnamese beside its field and kept; a
comment that mentions a colleague reaches them in Thông báo and leads back to the comment."""

import re

from tests.browser.conftest import log_in, log_out
from tests.factories import PASSWORD


def test_a_wrong_number_then_a_mention_that_notifies(live_server, browser_page, make):
    province = make.unit("BNH", "Tỉnh Bắc Ninh")
    department = make.unit("BNH-YT", "Sở Y tế Bắc Ninh", parent=province)
    lead = make.user("lead", department, email="hanh@bacninh.gov.vn", name="Cao Thị Hạnh")
    staff = make.user("staff", department, email="mai@bacninh.gov.vn", name="Vũ Thị Mai")
    elsewhere = make.user("staff", make.unit("DNG", "Thành phố Đà Nẵng"), email="tung@dn.gov.vn")
    pilot = make.pilot("draft", owner=lead, unit_=department, title="Bệnh án điện tử tuyến xã")
    make.task(pilot, assignee=staff, title="Nhập liệu hồ sơ bệnh án")
    page = browser_page

    log_in(page, live_server, lead.email, PASSWORD)
    page.goto(f"{live_server}/pilots/{pilot.id}")

    # "12.5" is English: refused beside the field, in Vietnamese, with what was typed kept.
    page.click("#add-kpi summary")
    page.fill("#kpi-name", "Tỷ lệ hồ sơ bệnh án điện tử")
    page.fill("#kpi-baseline", "12.5")
    page.fill("#kpi-target", "80")
    page.click("#add-kpi button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#add-kpi").get_attribute("open") is not None
    assert page.locator("#kpi-baseline-error").inner_text() == "Hãy nhập số theo dạng 1.200.000,5."
    assert page.locator("#kpi-baseline").input_value() == "12.5"
    assert page.locator("#kpi-name").input_value() == "Tỷ lệ hồ sơ bệnh án điện tử"
    assert "baseline" not in page.locator("#kpis").inner_text()
    page.fill("#kpi-baseline", "12,5")
    page.click("#add-kpi button[type=submit]")
    page.wait_for_load_state()
    assert "Tỷ lệ hồ sơ bệnh án điện tử" in page.locator("#kpis").inner_text()

    # Someone who may not see the pilot cannot be mentioned.
    page.fill("#comment-body", f"Mời @{elsewhere.email} cùng theo dõi.")
    page.click("#comment-form button[type=submit]")
    page.wait_for_load_state()
    assert (
        "chỉ nhắc được những người có quyền xem thí điểm này"
        in page.locator("#comment-body-error").inner_text()
    )
    assert page.locator("#comment-body").input_value() == f"Mời @{elsewhere.email} cùng theo dõi."

    # The people of the pilot are offered; mentioning one of them tells her.
    page.click("#mention-people summary")
    assert "@mai@bacninh.gov.vn" in page.locator("#mention-people").inner_text()
    page.fill("#comment-body", "Nhờ @mai@bacninh.gov.vn cập nhật số hồ sơ đã nhập trước thứ Sáu.")
    page.click("#comment-form button[type=submit]")
    page.wait_for_url(re.compile(rf".*/pilots/{pilot.id}#comment-\d+$"))
    comment = page.locator("#comments li").last
    assert "Nhờ @mai@bacninh.gov.vn cập nhật" in comment.inner_text()
    assert "Cao Thị Hạnh" in comment.inner_text()
    assert "Tham gia trao đổi" in page.locator("#history").inner_text()
    log_out(page)

    log_in(page, live_server, staff.email, PASSWORD)
    assert page.locator("#unread-count").inner_text() == "1"
    page.click("#nav-notifications")
    note = page.locator(".list-group-item").first
    assert "Cao Thị Hạnh nhắc đến đồng chí: Bệnh án điện tử tuyến xã" in note.inner_text()
    assert "cập nhật số hồ sơ đã nhập" in note.inner_text()
    note.get_by_role("button", name="Mở").click()
    page.wait_for_url(re.compile(rf".*/pilots/{pilot.id}#comment-\d+$"))
    assert page.locator("#comments li").last.is_visible()
