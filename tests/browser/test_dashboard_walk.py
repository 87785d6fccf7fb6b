"""A head opens the leaders' dashboard, narrows it to one unit, follows a figure to its list
and downloads an export that opens in a spreadsheet library."""

import io
import re
from datetime import timedelta
from pathlib import Path

from openpyxl import load_workbook

from pilotmgr.core.clock import local_today
from tests.browser.conftest import log_in
from tests.factories import PASSWORD


def test_a_head_uses_the_dashboard_and_downloads_an_export(live_server, browser_page, make):
    province = make.unit("BNH", "Tỉnh Bắc Ninh")
    health = make.unit("BNH-YT", "Sở Y tế Bắc Ninh", parent=province)
    school = make.unit("BNH-GD", "Sở Giáo dục Bắc Ninh", parent=province)
    other = make.unit("DNG", "Thành phố Đà Nẵng")
    head = make.user("head", province, email="long@bacninh.gov.vn", name="Phạm Đức Long")
    lead = make.user("lead", health, email="hanh@bacninh.gov.vn", name="Cao Thị Hạnh")
    lead_school = make.user("lead", school, email="tung@bacninh.gov.vn", name="Ngô Văn Tùng")
    outsider = make.user("lead", other, email="nam@danang.gov.vn", name="Trần Văn Nam")
    pilot = make.pilot("piloting", owner=lead, unit_=health, title="Bệnh án điện tử tuyến huyện")
    make.task(
        pilot, assignee=lead, title="Số hóa hồ sơ", due_date=local_today() - timedelta(days=3)
    )
    make.pilot("proposed", owner=lead_school, unit_=school, title="Học bạ số tiểu học")
    make.pilot("piloting", owner=outsider, unit_=other, title="Sổ sức khỏe Đà Nẵng")
    page = browser_page

    log_in(page, live_server, head.email, PASSWORD)
    page.click("#nav-dashboard")
    page.wait_for_url(re.compile(r".*/dashboard$"))
    assert page.locator("[data-figure=stage-piloting]").inner_text() == "1"
    assert page.locator("[data-figure=overdue-tasks]").inner_text() == "1"
    assert "Sổ sức khỏe Đà Nẵng" not in page.content()
    assert page.locator("#funnel svg").count() == 1

    page.select_option("#f-unit", value="BNH-GD")
    page.click("#dashboard-filters button[type=submit]")
    page.wait_for_url(re.compile(r".*unit=BNH-GD.*"))
    assert page.locator("[data-figure=stage-piloting]").inner_text() == "0"
    assert page.locator("[data-figure=await-proposed]").inner_text() == "1"

    page.click("[data-figure=await-proposed]")
    page.wait_for_url(re.compile(r".*/pilots/\?.*stage=proposed.*"))
    assert page.get_by_text("Học bạ số tiểu học").is_visible()

    page.goto(f"{live_server}/dashboard")
    with page.expect_download() as info:
        page.click("#export-pilots-xlsx")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    data = io.BytesIO(Path(download.path()).read_bytes())
    rows = list(load_workbook(data, read_only=True).worksheets[0].iter_rows(values_only=True))
    titles = sorted(r[2] for r in rows[1:])
    assert titles == ["Bệnh án điện tử tuyến huyện", "Học bạ số tiểu học"]
