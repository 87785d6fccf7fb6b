"""A lead imports pilots in the browser: a hostile file is refused with a message beside the
file field, a good one is checked, committed and lands in the pilot list."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import func, select

from pilotmgr.exports.models import ImportUpload
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Pilot
from tests.browser.conftest import log_in
from tests.dashboard.test_import import GOOD, xlsx
from tests.factories import PASSWORD


def _with_dtd(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "xl/workbook.xml":
                part = b'<!DOCTYPE x [<!ENTITY a "a">]>' + part
            target.writestr(info.filename, part)
    return out.getvalue()


def test_a_lead_imports_a_file_after_a_hostile_one_is_refused(
    live_server, browser_page, make, tmp_path
):
    province = make.unit("P", "Tỉnh Bắc Ninh")
    department = make.unit("P-D", "Sở Khoa học và Công nghệ", parent=province)
    lead = make.user("lead", department, email="lead@pd.gov.vn", name="Cao Thị Hạnh")
    make.user("staff", department, email="staff@pd.gov.vn", name="Lê Văn Bình")
    db.session.commit()
    good = tmp_path / "thi-diem.xlsx"
    good.write_bytes(xlsx(GOOD))
    hostile = tmp_path / "co-dtd.xlsx"
    hostile.write_bytes(_with_dtd(xlsx(GOOD)))
    page = browser_page
    log_in(page, live_server, lead.email, PASSWORD)

    page.goto(f"{live_server}/import")
    page.set_input_files("#import-file", str(hostile))
    page.click("#import-check")
    page.locator("#import-file.is-invalid").wait_for()
    assert "Tệp chứa DTD" in page.locator('form[action="/import"]').inner_text()

    page.set_input_files("#import-file", str(good))
    page.click("#import-check")
    page.locator("#import-summary").wait_for()
    assert page.locator("#import-summary").inner_text() == "4 dòng, 0 dòng lỗi, 2 thí điểm mới."
    page.screenshot(path=str(tmp_path / "import-checked.png"), full_page=True)
    page.click("#import-commit")
    page.wait_for_url("**/pilots/**")
    assert "Đã nhập 2 thí điểm." in page.locator("main").inner_text()
    assert "Chợ 4.0 tại Bắc Ninh" in page.locator("main").inner_text()
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Pilot)) == 2
    assert db.session.scalar(select(func.count()).select_from(ImportUpload)) == 0
