"""A viewer signs in, lands on the pilot list, opens the leaders' dashboard and reads it: the
figures of their unit, and no button that would change anything."""

import re

from tests.factories import PASSWORD


def test_a_viewer_lands_on_the_pilots_and_reads_the_dashboard(live_server, browser_page, make):
    ministry = make.unit("BO", "Bộ Khoa học và Công nghệ")
    province = make.unit("BNH", "Tỉnh Bắc Ninh", parent=ministry)
    other = make.unit("DNG", "Thành phố Đà Nẵng")
    lead = make.user("lead", province, email="nam@bacninh.gov.vn", name="Nguyễn Hoàng Nam")
    outsider = make.user("lead", other, email="an@danang.gov.vn", name="Trần Văn An")
    viewer = make.user("viewer", ministry, email="theodoi@most.gov.vn", name="Lê Minh Theo")
    make.pilot("piloting", owner=lead, unit_=province, title="Tổ công nghệ số cộng đồng Gia Bình")
    make.pilot("proposed", owner=lead, unit_=province, title="Kho dữ liệu dùng chung Bắc Ninh")
    make.pilot("piloting", owner=outsider, unit_=other, title="Trợ lý ảo thủ tục Đà Nẵng")
    page = browser_page

    page.goto(f"{live_server}/login")
    page.fill("#email", viewer.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/pilots/$"))
    assert page.get_by_role("link", name="Tổ công nghệ số cộng đồng Gia Bình").is_visible()
    assert page.get_by_text("Trợ lý ảo thủ tục Đà Nẵng").count() == 0

    page.click("#nav-dashboard")
    page.wait_for_url(re.compile(r".*/dashboard$"))
    assert page.get_by_role("heading", name="Bảng điều hành của lãnh đạo").is_visible()
    assert page.locator("[data-figure=stage-piloting]").inner_text() == "1"
    assert page.locator("[data-figure=await-proposed]").inner_text() == "1"
    assert page.get_by_text("Trợ lý ảo thủ tục Đà Nẵng").count() == 0

    main = page.locator("main")
    assert main.locator("form[method=post]").count() == 0
    # The only button is the filter's "Xem"; everything else only reads or downloads.
    assert main.get_by_role("button").all_inner_texts() == ["Xem"]
