"""The owner attaches the wrong file, retracts it with a reason; name and hash stay on record."""

import hashlib
import re

from tests.browser.conftest import log_in
from tests.factories import PASSWORD

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_owner_retracts_a_file_uploaded_by_mistake(live_server, browser_page, make, tmp_path):
    province = make.unit("BNH", "Tỉnh Bắc Ninh")
    department = make.unit("BNH-YT", "Sở Y tế Bắc Ninh", parent=province)
    lead = make.user("lead", department, email="hanh@bacninh.gov.vn", name="Cao Thị Hạnh")
    pilot = make.pilot(
        "piloting", owner=lead, unit_=department, title="QR viện phí tại Bệnh viện tỉnh"
    )
    wrong = tmp_path / "bien-ban-quy-3.pdf"
    wrong.write_bytes(PDF)
    sha256 = hashlib.sha256(PDF).hexdigest()
    page = browser_page

    log_in(page, live_server, lead.email, PASSWORD)
    page.goto(f"{live_server}/pilots/{pilot.id}")
    evidence = page.locator("#evidence")
    evidence.get_by_label("Tệp").set_input_files(str(wrong))
    evidence.get_by_label("Nội dung minh chứng").fill("Biên bản nghiệm thu quý IV")
    evidence.get_by_role("button", name="Đính kèm").click()
    page.wait_for_url(re.compile(rf".*/pilots/{pilot.id}#evidence$"))
    item = page.locator(".evidence-item").filter(has_text="bien-ban-quy-3.pdf")
    assert item.get_by_role("link", name="bien-ban-quy-3.pdf").is_visible()
    assert page.locator("#evidence h2 .badge").inner_text() == "1"

    # A retraction needs its reason: the form says so beside the box and keeps the file.
    item.get_by_text("Rút lại tệp này").click()
    item.get_by_role("button", name="Rút lại tệp").click()
    page.wait_for_load_state()
    item = page.locator(".evidence-item").filter(has_text="bien-ban-quy-3.pdf")
    assert item.get_by_text("Trường này là bắt buộc.").first.is_visible()
    assert item.get_by_role("link", name="bien-ban-quy-3.pdf").count() == 1
    item.get_by_label("Lý do rút lại").fill("Tải nhầm biên bản của quý III")
    item.get_by_role("button", name="Rút lại tệp").click()
    page.wait_for_url(re.compile(rf".*/pilots/{pilot.id}#evidence$"))

    # Struck through, said to be retracted, by whom and why; no longer offered or counted.
    item = page.locator(".evidence-item").filter(has_text="bien-ban-quy-3.pdf")
    assert item.locator("del", has_text="bien-ban-quy-3.pdf").is_visible()
    text = item.inner_text()
    assert "đã rút lại" in text
    assert "Cao Thị Hạnh rút lại lúc" in text and "Tải nhầm biên bản của quý III" in text
    assert item.get_by_role("link", name="bien-ban-quy-3.pdf").count() == 0
    assert page.locator("#evidence h2 .badge").inner_text() == "0"
    history = page.locator(".timeline li").filter(has_text="Rút lại minh chứng")
    assert f"bien-ban-quy-3.pdf (SHA-256 {sha256})" in history.inner_text()
    assert "Tải nhầm biên bản của quý III" in history.inner_text()
    added = page.locator(".timeline li").filter(has_text="Thêm minh chứng")
    assert f"bien-ban-quy-3.pdf (SHA-256 {sha256})" in added.inner_text()
