"""A slow step shows that it is under way: a button with data-busy says so, spins and waits."""

from __future__ import annotations

import json

from tests.factories import PASSWORD

#: Reports the button's state to the console as it changes; once it is disabled, submits its
#: form again and reports whether that second submission was refused.
WATCH = """(selector) => {
  const button = document.querySelector(selector);
  const report = () => {
    const status = button.querySelector('[role=status]');
    console.log('busy ' + JSON.stringify({
      disabled: button.disabled,
      status: status ? status.textContent.trim() : null,
      spinner: button.querySelectorAll('.spinner-border[aria-hidden=true]').length,
      busyForms: document.querySelectorAll('form[aria-busy=true]').length,
    }));
    if (button.disabled && !button.dataset.tried) {
      button.dataset.tried = '1';
      window.addEventListener('submit', (e) => console.log('again refused=' + e.defaultPrevented));
      button.form.requestSubmit();
    }
  };
  new MutationObserver(report).observe(button, {attributes: true, childList: true, subtree: true});
}"""


def _held_posts(page, path: str) -> list:
    """Hold every POST to `path` until the test lets it go, as a slow server would."""
    held = []

    def handle(route):
        if route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    page.route(f"**{path}", handle)
    return held


def test_the_import_check_shows_a_busy_state_until_the_answer_comes(
    live_server, browser_page, make, tmp_path
):
    unit = make.unit("BNH-KHCN", "Sở Khoa học và Công nghệ Bắc Ninh")
    lead = make.user("lead", unit, email="nam@bacninh.gov.vn", name="Nguyễn Hoàng Nam")
    sheet = tmp_path / "thi-diem.csv"
    sheet.write_text(
        "\ufeffSố tham chiếu,Loại dòng,Tên,Mã đơn vị,Thư điện tử người phụ trách\r\n"
        "BN-01,thí điểm,Chợ không tiền mặt,BNH-KHCN,nam@bacninh.gov.vn\r\n",
        encoding="utf-8",
    )
    page = browser_page
    sign_in_as(page, live_server, lead.email)
    page.goto(f"{live_server}/import")
    button = page.locator("#import-check")
    assert button.inner_text() == "Kiểm tra (chạy thử)" and button.is_enabled()
    held = _held_posts(page, "/import")
    reports = []
    page.on("console", lambda message: reports.append(message))

    # While the answer is awaited Playwright will not read the page (it waits for the
    # navigation), so the page reports what it shows through its console.
    page.evaluate(WATCH, "#import-check")
    page.set_input_files("#import-file", str(sheet))
    try:
        with page.expect_event("console", predicate=lambda m: m.text.startswith("again ")) as again:
            button.click(no_wait_after=True)
        shown = [m.text for m in reports if m.text.startswith("busy ")]
        assert shown and json.loads(shown[-1][5:]) == {
            "disabled": True,
            "status": "Đang kiểm tra tệp…",
            "spinner": 1,
            "busyForms": 1,
        }
        assert again.value.text == "again refused=true"  # a second press sends nothing more
        for _ in range(40):  # the held request reaches its handler between Playwright's calls
            if held:
                break
            page.wait_for_timeout(50)
        page.wait_for_timeout(200)
        assert len(held) == 1
    finally:
        for route in held:
            route.continue_()
    page.locator("#import-summary").wait_for()
    assert "1 dòng" in page.locator("#import-summary").inner_text()
    assert page.locator("#import-check").is_enabled()
    assert page.locator("#import-rows").inner_text().count("Sẽ được tạo mới") == 1


def sign_in_as(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def test_a_busy_button_still_sends_its_own_name_and_value(live_server, browser_page, make):
    """The button is disabled only after the browser has read the form."""
    user = make.user("staff")
    page = browser_page
    sign_in_as(page, live_server, user.email)
    page.goto(f"{live_server}/search")
    page.evaluate(
        """() => {
        const form = document.querySelector('main form[role=search]');
        const button = form.querySelector('button[type=submit]');
        button.name = 'q'; button.value = 'tờ trình'; button.dataset.busy = 'Đang tìm…';
        form.querySelector('input[name=q]').removeAttribute('name');
    }"""
    )
    page.click("main form[role=search] button[type=submit]")
    page.wait_for_url(lambda url: "q=" in url)
    assert "tờ trình" in page.locator("main").inner_text()
