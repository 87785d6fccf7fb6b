"""Accounts and administration in Chromium, through the pages only: an administrator
deactivates, edits and merges; people change their own password; a head sets up a programme
that a lead then registers a pilot under."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in, log_out
from tests.factories import PASSWORD

NEW_PASSWORD = "mat-khau-moi-cua-mai-2026"


def _sign_in_attempt(page, base: str, email: str, password: str) -> str:
    """Try to sign in; the text the login page answers with."""
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state()
    return page.locator(".form-errors").inner_text()


def test_an_admin_deactivates_a_user_who_is_signed_out_and_cannot_sign_in_again(
    live_server, browser_page, _browser, make
):
    province = make.unit("BNH", "Tỉnh Bắc Ninh")
    department = make.unit("BNH-KHCN", "Sở Khoa học và Công nghệ Bắc Ninh", province)
    make.user("admin", province, email="admin@bacninh.gov.vn", name="Quản trị hệ thống")
    make.user("staff", department, email="mai@bacninh.gov.vn", name="Vũ Thị Mai")

    # Mai is at work in her own browser.
    hers = _browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    mai = hers.new_page()
    log_in(mai, live_server, "mai@bacninh.gov.vn", PASSWORD)

    admin = browser_page
    log_in(admin, live_server, "admin@bacninh.gov.vn", PASSWORD)
    admin.click("nav >> text=Người dùng")
    admin.fill("#filter-q", "vu thi mai")  # typed without diacritics
    admin.click("#user-filters button[type=submit]")
    expect(admin.locator("#users-table tbody tr")).to_have_count(1)
    admin.click("#users-table >> text=Vũ Thị Mai")
    admin.fill("#active-reason", "Chuyển công tác sang Sở Nội vụ")
    admin.click("#deactivate-button")
    admin.wait_for_load_state()
    assert admin.locator("#account-status").inner_text() == "Đã khóa"
    assert "Chuyển công tác sang Sở Nội vụ" in admin.locator("#account-history").inner_text()
    assert "không thể đăng nhập" in admin.locator(".flashes").inner_text()

    # Her open session has ended: the next page she opens is the login page.
    mai.reload()
    mai.wait_for_url(re.compile(r".*/login\?next=.*"))
    # With her password she is told why; with a wrong one she learns no more than a stranger.
    told = _sign_in_attempt(mai, live_server, "mai@bacninh.gov.vn", PASSWORD)
    assert "Tài khoản này đã bị khóa. Đề nghị đồng chí liên hệ quản trị hệ thống." in told
    wrong = _sign_in_attempt(mai, live_server, "mai@bacninh.gov.vn", "doan-bua-2026")
    stranger = _sign_in_attempt(mai, live_server, "khong-co@bacninh.gov.vn", "doan-bua-2026")
    assert wrong == stranger
    assert "Sai thư điện tử hoặc mật khẩu." in wrong and "khóa" not in wrong
    assert mai.input_value("#email") == "khong-co@bacninh.gov.vn"
    hers.close()


def test_an_admin_changes_a_users_role_and_unit_and_the_user_sees_it(
    live_server, browser_page, make
):
    ministry = make.unit("BO", "Bộ Khoa học và Công nghệ")
    make.unit("BNH", "Tỉnh Bắc Ninh", ministry)
    hanoi = make.unit("HNI", "Thành phố Hà Nội", ministry)
    make.user("admin", ministry, email="admin@bo.gov.vn", name="Quản trị hệ thống")
    make.user("staff", hanoi, email="tung@hanoi.gov.vn", name="Ngô Văn Tùng")
    page = browser_page

    log_in(page, live_server, "admin@bo.gov.vn", PASSWORD)
    page.goto(f"{live_server}/admin/users")
    row = page.locator("#users-table tr", has_text="Ngô Văn Tùng")
    assert "Cán bộ" in row.inner_text() and "staff" not in row.inner_text()
    row.get_by_role("link").click()
    page.select_option("#f-role", label="Lãnh đạo")
    page.select_option("#f-unit", label="· Tỉnh Bắc Ninh")
    page.click("#user-edit-form button[type=submit]")
    page.wait_for_load_state()
    history = page.locator("#account-history").inner_text()
    assert "vai trò: Cán bộ → Lãnh đạo" in history
    assert "đơn vị: Thành phố Hà Nội → Tỉnh Bắc Ninh" in history
    log_out(page)

    log_in(page, live_server, "tung@hanoi.gov.vn", PASSWORD)
    page.goto(f"{live_server}/settings")
    assert "Lãnh đạo · Tỉnh Bắc Ninh" in page.locator("main").inner_text()


def test_a_user_changes_their_password_and_signs_in_with_the_new_one(
    live_server, browser_page, make
):
    unit = make.unit("BNH", "Tỉnh Bắc Ninh")
    make.user("staff", unit, email="mai@bacninh.gov.vn", name="Vũ Thị Mai")
    page = browser_page
    log_in(page, live_server, "mai@bacninh.gov.vn", PASSWORD)
    page.click("nav >> text=Vũ Thị Mai")
    page.wait_for_url(re.compile(r".*/settings$"))

    page.fill("#pw-current_password", "khong-phai-mat-khau")
    page.fill("#pw-new_password", NEW_PASSWORD)
    page.fill("#pw-confirm_password", NEW_PASSWORD)
    page.click("#password-form button[type=submit]")
    page.wait_for_load_state()
    assert (
        page.locator("#pw-current_password-error").inner_text() == "Mật khẩu hiện tại không đúng."
    )
    assert page.locator("#pw-current_password").get_attribute("aria-invalid") == "true"

    page.fill("#pw-current_password", PASSWORD)
    page.fill("#pw-new_password", NEW_PASSWORD)
    page.fill("#pw-confirm_password", NEW_PASSWORD)
    page.click("#password-form button[type=submit]")
    page.wait_for_load_state()
    assert "Đã đổi mật khẩu." in page.locator(".flashes").inner_text()
    log_out(page)

    assert "Sai thư điện tử hoặc mật khẩu." in _sign_in_attempt(
        page, live_server, "mai@bacninh.gov.vn", PASSWORD
    )
    log_in(page, live_server, "mai@bacninh.gov.vn", NEW_PASSWORD)
    assert page.locator("h1").first.is_visible()


def test_a_temporary_password_from_the_admin_must_be_replaced_at_sign_in(
    live_server, browser_page, make
):
    unit = make.unit("BNH", "Tỉnh Bắc Ninh")
    make.user("admin", unit, email="admin@bacninh.gov.vn", name="Quản trị hệ thống")
    make.user("lead", unit, email="lan@bacninh.gov.vn", name="Nguyễn Thị Lan")
    page = browser_page
    log_in(page, live_server, "admin@bacninh.gov.vn", PASSWORD)
    page.goto(f"{live_server}/admin/users")
    page.click("#users-table >> text=Nguyễn Thị Lan")
    page.fill("#reset-password", "ngan")
    page.click("#reset-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#reset-password-error").inner_text() == "Ít nhất 10 ký tự."
    page.fill("#reset-password", "tam-thoi-cho-lan-2026")
    page.click("#reset-form button[type=submit]")
    page.wait_for_load_state()
    assert "Đã đặt mật khẩu tạm thời cho Nguyễn Thị Lan" in page.locator(".flashes").inner_text()
    log_out(page)

    page.goto(f"{live_server}/login")
    page.fill("#email", "lan@bacninh.gov.vn")
    page.fill("#password", "tam-thoi-cho-lan-2026")
    page.click("#login-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/settings#password$"))
    assert page.locator("#temporary-password").is_visible()
    page.goto(f"{live_server}/pilots/")
    assert "/settings" in page.url  # nothing else opens yet
    page.fill("#pw-current_password", "tam-thoi-cho-lan-2026")
    page.fill("#pw-new_password", NEW_PASSWORD)
    page.fill("#pw-confirm_password", NEW_PASSWORD)
    page.click("#password-form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server}/pilots/")
    assert page.url.endswith("/pilots/")


def test_a_head_sets_up_a_programme_and_a_lead_registers_a_pilot_under_it(
    live_server, browser_page, make
):
    province = make.unit("BNH", "Tỉnh Bắc Ninh")
    health = make.unit("BNH-YT", "Sở Y tế Bắc Ninh", province)
    make.user("head", province, email="long@bacninh.gov.vn", name="Phạm Đức Long")
    make.user("lead", health, email="hanh@bacninh.gov.vn", name="Cao Thị Hạnh")
    page = browser_page

    log_in(page, live_server, "long@bacninh.gov.vn", PASSWORD)
    page.click("#nav-programmes")
    page.click("#new-programme")
    page.fill("#f-description", "Bệnh án điện tử tại mọi bệnh viện tuyến tỉnh.")
    page.click("#programme-form button[type=submit]")  # no name yet
    page.wait_for_load_state()
    assert page.locator("#f-name-error").inner_text() == "Trường này là bắt buộc."
    assert page.input_value("#f-description") == "Bệnh án điện tử tại mọi bệnh viện tuyến tỉnh."
    page.fill("#f-name", "Chương trình Y tế số Bắc Ninh 2027")
    page.click("#programme-form button[type=submit]")
    page.wait_for_load_state()
    card = page.locator("section.card", has_text="Chương trình Y tế số Bắc Ninh 2027")
    card.get_by_role("link", name=re.compile("Thêm vấn đề")).click()
    assert page.locator("#f-programme_id option:checked").inner_text() == (
        "Chương trình Y tế số Bắc Ninh 2027"
    )
    page.fill("#f-title", "Người bệnh phải mang hồ sơ giấy khi chuyển tuyến")
    page.fill("#f-problem", "Mỗi lần chuyển tuyến phải chụp lại phim, xét nghiệm lại.")
    page.click("#challenge-form button[type=submit]")
    page.wait_for_load_state()
    assert "0 thí điểm" in card.inner_text()
    log_out(page)

    log_in(page, live_server, "hanh@bacninh.gov.vn", PASSWORD)
    page.goto(f"{live_server}/pilots/new")
    page.fill("#f-title", "Bệnh án điện tử liên thông tuyến tỉnh")
    page.select_option("#f-challenge_id", label="Người bệnh phải mang hồ sơ giấy khi chuyển tuyến")
    page.select_option("#f-unit", value="BNH-YT")
    page.fill("#f-start_date", "01/02/2027")
    page.fill("#f-end_date", "31/07/2027")
    page.click("#pilot-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/pilots/\d+$"))
    assert page.get_by_text("Người bệnh phải mang hồ sơ giấy khi chuyển tuyến").is_visible()


def test_a_unit_merge_shows_what_will_move_before_anything_moves(live_server, browser_page, make):
    ministry = make.unit("BO", "Bộ Nội vụ")
    old = make.unit("HGI", "Tỉnh Hà Giang", ministry)
    make.unit("HGI-YT", "Sở Y tế Hà Giang", old)
    new = make.unit("TQG", "Tỉnh Tuyên Quang", ministry)
    make.user("admin", ministry, email="admin@bnv.gov.vn", name="Quản trị hệ thống")
    lead = make.user("lead", old, email="lead@hagiang.gov.vn", name="Lò Văn Sáng")
    make.user("staff", old, email="staff@hagiang.gov.vn", name="Sùng Thị Mỷ")
    make.pilot("piloting", owner=lead, unit_=old, title="Chợ phiên không dùng tiền mặt")
    make.user("head", new, email="head@tuyenquang.gov.vn")
    page = browser_page

    log_in(page, live_server, "admin@bnv.gov.vn", PASSWORD)
    page.click("nav >> text=Đơn vị")
    page.select_option("#merge-source", "HGI")
    page.select_option("#merge-target", "TQG")
    page.click("#merge-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Sáp nhập Tỉnh Hà Giang vào Tỉnh Tuyên Quang"
    lines = page.locator("#consequences li").all_inner_texts()
    assert "2 người dùng chuyển sang Tỉnh Tuyên Quang." in lines
    assert "1 thí điểm (cùng 1 nhiệm vụ của chúng) chuyển sang Tỉnh Tuyên Quang." in lines
    assert "1 đơn vị trực thuộc được chuyển về trực thuộc Tỉnh Tuyên Quang." in lines

    # Going back changes nothing.
    page.click("text=Hủy, quay lại")
    page.wait_for_url(re.compile(r".*/admin/units$"))
    assert page.locator("#units-table", has_text="Tỉnh Hà Giang").count() == 1

    page.select_option("#merge-source", "HGI")
    page.select_option("#merge-target", "TQG")
    page.click("#merge-form button[type=submit]")
    page.click("#confirm-button")
    page.wait_for_url(re.compile(r".*/admin/units$"))
    assert "Đã sáp nhập" in page.locator(".flashes").inner_text()
    table = page.locator("#units-table").inner_text()
    assert "Tỉnh Hà Giang" not in table
    # The department now hangs under Tuyên Quang, right after it in the tree.
    assert table.index("Sở Y tế Hà Giang") > table.index("Tỉnh Tuyên Quang")
