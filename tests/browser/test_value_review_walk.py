"""Staff records "12,5", the owner rejects it with a reason, staff reads why and corrects it."""

import re
from datetime import timedelta

from sqlalchemy import select

from pilotmgr.extensions import db
from pilotmgr.pilots.models import Kpi
from tests.browser.conftest import log_in, log_out
from tests.factories import PASSWORD

KPI = "Tỷ lệ giao dịch viện phí không dùng tiền mặt"


def test_staff_corrects_a_value_the_owner_rejected_with_a_reason(live_server, browser_page, make):
    province = make.unit("BNH", "Tỉnh Bắc Ninh")
    department = make.unit("BNH-YT", "Sở Y tế Bắc Ninh", parent=province)
    make.user("head", province, email="long@bacninh.gov.vn", name="Phạm Đức Long")
    lead = make.user("lead", department, email="hanh@bacninh.gov.vn", name="Cao Thị Hạnh")
    staff = make.user("staff", department, email="tung@bacninh.gov.vn", name="Ngô Văn Tùng")
    pilot = make.pilot(
        "piloting", owner=lead, unit_=department, title="QR viện phí tại Bệnh viện tỉnh"
    )
    kpi = db.session.scalar(select(Kpi).where(Kpi.pilot_id == pilot.id))
    kpi.name = KPI
    db.session.commit()
    measured = (pilot.start_date + timedelta(days=10)).strftime("%d/%m/%Y")
    page = browser_page

    # Staff records the value as Vietnamese write it; a wrong date first comes back in place.
    log_in(page, live_server, staff.email, PASSWORD)
    page.goto(f"{live_server}/pilots/{pilot.id}")
    block = page.locator(f"#kpi-{kpi.id} details.record-value")
    block.get_by_text("Nhập số liệu").click()
    block.get_by_label("Giá trị").fill("12,5")
    block.get_by_label("Ngày đo").fill("31/02/2026")
    block.get_by_label("Ghi chú, nguồn số liệu").fill("Báo cáo tháng 11 của phòng Tài chính")
    block.get_by_role("button", name="Ghi nhận").click()
    page.wait_for_load_state()
    block = page.locator(f"#kpi-{kpi.id} details.record-value")
    assert block.get_by_text("Hãy nhập ngày theo dạng 31/12/2026.").first.is_visible()
    assert block.get_by_label("Giá trị").input_value() == "12,5"
    block.get_by_label("Ngày đo").fill(measured)
    block.get_by_role("button", name="Ghi nhận").click()
    page.wait_for_url(re.compile(rf".*/pilots/{pilot.id}#kpi-{kpi.id}$"))
    assert page.get_by_text("Đã ghi nhận số liệu").is_visible()
    value = page.locator(".measurement-submitted").first
    assert "12,5" in value.inner_text() and "chờ duyệt" in value.inner_text()
    log_out(page)

    # The owner, told a value waits, rejects it: first without a reason, then with one.
    log_in(page, live_server, lead.email, PASSWORD)
    page.get_by_role("link", name=re.compile("Thông báo")).first.click()
    assert page.get_by_text(f"Giá trị chờ duyệt: {KPI}").is_visible()
    page.goto(f"{live_server}/pilots/{pilot.id}")
    value = page.locator(".measurement-submitted").first
    value.get_by_role("button", name="Trả lại").click()
    page.wait_for_load_state()
    value = page.locator(".measurement-submitted").first
    assert value.get_by_text("Nêu lý do trả lại số liệu.").first.is_visible()
    reason = "Số liệu chưa khớp với phần mềm viện phí, đề nghị lấy lại."
    value.get_by_label("Ý kiến (bắt buộc nêu lý do khi trả lại)").fill(reason)
    value.get_by_role("button", name="Trả lại").click()
    page.wait_for_load_state()
    rejected = page.locator(".measurement-rejected").first
    assert "bị trả lại" in rejected.inner_text() and reason in rejected.inner_text()
    log_out(page)

    # Staff reads the reason in the notifications and records the corrected value from there.
    log_in(page, live_server, staff.email, PASSWORD)
    page.get_by_role("link", name=re.compile("Thông báo")).first.click()
    note = page.locator("li[id^=notification-]").filter(has_text=f"Giá trị bị trả lại: {KPI}")
    assert reason in note.inner_text() and "12,5" in note.inner_text()
    note.get_by_role("button", name="Mở").click()
    page.wait_for_url(re.compile(rf".*/pilots/{pilot.id}#kpi-{kpi.id}$"))
    rejected = page.locator(".measurement-rejected details.correction").first
    rejected.get_by_text("Điều chỉnh số liệu này").click()
    rejected.get_by_label("Giá trị").fill("12,8")
    rejected.get_by_label("Lý do điều chỉnh").fill("Lấy lại số liệu từ phần mềm viện phí")
    rejected.get_by_role("button", name="Ghi nhận số liệu đã điều chỉnh").click()
    page.wait_for_url(re.compile(rf".*/pilots/{pilot.id}#kpi-{kpi.id}$"))
    corrected = page.locator(".measurement-submitted").first
    text = corrected.inner_text()
    assert "12,8" in text and "chờ duyệt" in text
    assert "điều chỉnh số liệu trước: Lấy lại số liệu từ phần mềm viện phí" in text
    assert "12.8" not in page.locator("#results").inner_text()
