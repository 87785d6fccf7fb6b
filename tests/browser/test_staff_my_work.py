"""Staff work from *Việc của tôi*: finish a task with its product, ask for a new due date, and
the owner decides on it from *Chờ tôi quyết định*. Pages only, as the people who use them."""

import re
from datetime import timedelta

from pilotmgr.core.clock import local_today
from tests.browser.conftest import log_in, log_out
from tests.factories import PASSWORD

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _org(make):
    province = make.unit("BNH", "Tỉnh Bắc Ninh")
    department = make.unit("BNH-KHCN", "Sở Khoa học và Công nghệ Bắc Ninh", parent=province)
    owner = make.user("lead", department, email="nam@bacninh.gov.vn", name="Nguyễn Hoàng Nam")
    staff = make.user("staff", department, email="mai@bacninh.gov.vn", name="Vũ Thị Mai")
    pilot = make.pilot(
        "piloting", owner=owner, unit_=department, title="Tổ công nghệ số cộng đồng Gia Bình"
    )
    survey = make.task(
        pilot,
        assignee=staff,
        title="Khảo sát mức độ hài lòng của người dân",
        deliverable="Phiếu khảo sát và tổng hợp",
        due_date=local_today() + timedelta(days=10),
    )
    training = make.task(
        pilot,
        assignee=staff,
        title="Tập huấn kỹ năng số cho thành viên tổ",
        deliverable="Danh sách thành viên đã tập huấn",
        due_date=local_today() + timedelta(days=5),
    )
    return owner, staff, survey, training


def test_staff_finishes_a_task_with_its_product_and_gets_a_new_due_date_approved(
    live_server, browser_page, make
):
    owner, staff, survey, training = _org(make)
    page = browser_page

    log_in(page, live_server, staff.email, PASSWORD)
    item = page.locator(f"#task-{survey.id}")
    item.locator("summary", has_text="Hoàn thành").click()
    item.get_by_role("button", name="Xác nhận hoàn thành").click()
    page.wait_for_load_state()

    # Nothing delivered: refused, with the reason beside the field it concerns.
    note = page.locator(f"#task-{survey.id}").get_by_label("Sản phẩm đã nộp")
    error = page.locator(f"#{note.get_attribute('aria-describedby').split()[0]}")
    assert error.is_visible() and error.inner_text().startswith("Đã làm phải có sản phẩm")

    item = page.locator(f"#task-{survey.id}")
    note.fill("Đã tổng hợp 120 phiếu của 20 thôn")
    item.get_by_label("Tệp sản phẩm (không bắt buộc)").set_input_files(
        {"name": "tong-hop-khao-sat.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    item.get_by_role("button", name="Xác nhận hoàn thành").click()
    page.wait_for_url(re.compile(r".*/my-work#task-\d+$"))
    assert page.get_by_text("Nhiệm vụ đã hoàn thành; sản phẩm đã được ghi nhận.").is_visible()
    assert page.locator(f"#task-{survey.id}").count() == 0  # no longer open

    page.get_by_role("link", name="Tổ công nghệ số cộng đồng Gia Bình").first.click()
    done = page.locator(f"#task-{survey.id}")
    assert done.get_by_text("Sản phẩm đã nộp: Đã tổng hợp 120 phiếu của 20 thôn").is_visible()
    assert done.get_by_role("link", name="tong-hop-khao-sat.pdf").is_visible()

    page.goto(f"{live_server}/my-work")
    item = page.locator(f"#task-{training.id}")
    item.locator("summary", has_text="Xin lùi hạn").click()
    new_due = local_today() + timedelta(days=30)
    item.get_by_label("Hạn mới").fill(new_due.strftime("%d/%m/%Y"))
    item.get_by_label("Lý do").fill("Chờ lịch của giảng viên Sở Thông tin")
    item.get_by_role("button", name="Gửi đề nghị").click()
    page.wait_for_load_state()
    assert page.get_by_text("Đã gửi đề nghị; người chủ trì thí điểm sẽ quyết định.").is_visible()
    log_out(page)

    log_in(page, live_server, owner.email, PASSWORD)
    waiting = page.locator("#awaiting .waiting-item", has_text="Tập huấn kỹ năng số")
    assert waiting.locator(".waiting-kind").inner_text() == "Đề nghị lùi hạn"
    assert waiting.get_by_text("Chờ lịch của giảng viên Sở Thông tin").is_visible()
    assert re.search(r"\d+ ngày làm việc", waiting.locator(".waiting-since").inner_text())
    waiting.get_by_label("Ý kiến (không bắt buộc)").fill("Đồng ý, báo cáo trước hạn mới")
    waiting.get_by_role("button", name="Đồng ý lùi hạn").click()
    page.wait_for_load_state()
    assert page.get_by_text("Đã đồng ý lùi hạn.").is_visible()
    assert page.locator("#awaiting").count() == 0
    log_out(page)

    log_in(page, live_server, staff.email, PASSWORD)
    shown = new_due.strftime("%d/%m/%Y")
    assert page.locator(f"#task-{training.id} .task-due").inner_text() == shown
    assert page.locator("#unread-count").is_visible()
    page.click("#nav-notifications")
    note = page.locator(".list-group-item", has_text="Hạn mới: Tập huấn kỹ năng số")
    assert note.is_visible()
    assert shown in note.inner_text() and "Đồng ý, báo cáo trước hạn mới" in note.inner_text()


def test_my_work_fits_a_phone(live_server, browser_page, make):
    _owner, staff, survey, _training = _org(make)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, staff.email, PASSWORD)
    item = page.locator(f"#task-{survey.id}")
    item.locator("summary", has_text="Hoàn thành").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    button = item.get_by_role("button", name="Xác nhận hoàn thành")
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
