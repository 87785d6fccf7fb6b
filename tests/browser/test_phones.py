"""On a phone (390 × 844) no page scrolls sideways, no control is cut off, the menu collapses.

Wide tables may scroll inside their own box (`.table-responsive`); the page itself may not.
"""

from __future__ import annotations

from tests.browser.demo_site import demo_site, sign_in  # noqa: F401  (a fixture)

PHONE = {"width": 390, "height": 844}
#: Form controls and buttons of the page's main part that stick out of the screen, other than
#: those inside a box that scrolls on purpose.
CUT_OFF = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('main button, main input, main select, main textarea, main a.btn')) {
    if (el.type === 'hidden' || el.closest('.table-responsive, .visually-hidden')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.left < -1 || box.right > width + 1) {
      out.push((el.id ? '#' + el.id : el.tagName.toLowerCase()) + ' ' + (el.name || el.textContent.trim()).slice(0, 30));
    }
  }
  return out;
}"""
WIDE = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 1 && !el.closest('.table-responsive'))
    .filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > width + 1))
    .slice(0, 3)
    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' + [...el.classList].join('.'));
}"""


#: Boxes that scroll sideways but cannot take the keyboard's focus, or have no name.
UNREACHABLE = """() => [...document.querySelectorAll('.table-responsive')]
  .filter(box => box.scrollWidth > box.clientWidth + 1)
  .filter(box => box.tabIndex < 0 || !box.getAttribute('aria-label')).length"""


def _phone(browser):
    context = browser.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _check(page, url: str) -> list[str]:
    """What is wrong with the page at `url` on a phone (nothing when it fits)."""
    response = page.goto(url)
    problems = []
    if response.status >= 500:
        problems.append(f"answered {response.status}")
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if scroll > client:
        problems.append(f"scrolls sideways: {scroll} px wide ({', '.join(page.evaluate(WIDE))})")
    cut = page.evaluate(CUT_OFF)
    if cut:
        problems.append(f"controls cut off: {', '.join(cut[:5])}")
    unreachable = page.evaluate(UNREACHABLE)
    if unreachable:
        problems.append(f"{unreachable} scrolling table(s) not reachable by keyboard")
    return problems


def test_no_page_of_any_role_scrolls_sideways_on_a_phone(demo_site, _browser):  # noqa: F811
    context, page = _phone(_browser)
    found, checked = {}, 0
    try:
        problems = _check(page, f"{demo_site.base}/login")
        if problems:
            found["— / Đăng nhập (/login)"] = problems
        for role, (email, pages) in demo_site.roles.items():
            sign_in(page, demo_site.base, email)
            extra = demo_site.more if role == "head" else []
            for name, path in [*pages, *extra]:
                checked += 1
                problems = _check(page, demo_site.base + path)
                if problems:
                    found[f"{role} / {name} ({path})"] = problems
    finally:
        context.close()
    assert checked > 25
    assert not found, "\n".join(f"{where}: {'; '.join(p)}" for where, p in found.items())


def test_the_menu_collapses_behind_a_button_on_a_phone(demo_site, _browser):  # noqa: F811
    context, page = _phone(_browser)
    try:
        sign_in(page, demo_site.base, "head@demo.gov.vn")
        page.goto(f"{demo_site.base}/my-work")
        toggler = page.locator(".navbar-toggler")
        menu = page.locator("#nav")
        assert toggler.is_visible() and not menu.is_visible()
        assert toggler.get_attribute("aria-expanded") == "false"

        toggler.click()
        page.locator("#nav.show").wait_for()
        assert toggler.get_attribute("aria-expanded") == "true"
        links = page.locator("#nav a.nav-link")
        assert links.count() >= 5
        for i in range(links.count()):
            box = links.nth(i).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], links.nth(i)
        assert page.locator('#nav a.nav-link[aria-current="page"]').inner_text() == "Việc của tôi"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
