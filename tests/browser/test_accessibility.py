"""axe-core (4.x, bundled by axe-playwright-python) on the main page of every demo role, on a
desktop and on a phone: no serious or critical violation.

Each run prints (and keeps in test-artifacts/) a table of page × violations, so the pages that
still fail are named with what fails on them.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import ARTIFACTS
from tests.browser.demo_site import demo_site, sign_in  # noqa: F401  (a fixture)

BLOCKING = ("serious", "critical")
#: WCAG 2.0, 2.1 and 2.2 A and AA, and axe's best practices.
OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
AXE = Axe()


def _violations(page) -> list[dict]:
    return AXE.run(page, options=OPTIONS).response["violations"]


def _table(rows: list[tuple[str, str, list[dict]]]) -> str:
    lines = ["| role | page | serious/critical | others |", "|---|---|---|---|"]
    for role, name, violations in rows:
        blocking = [
            f"{v['id']} ×{len(v['nodes'])}" if v["nodes"] else v["id"]
            for v in violations
            if v["impact"] in BLOCKING
        ]
        other = [f"{v['id']} ({v['impact']})" for v in violations if v["impact"] not in BLOCKING]
        lines.append(f"| {role} | {name} | {', '.join(blocking) or '0'} | {', '.join(other)} |")
    return "\n".join(lines)


def _answered(status: int) -> list[dict]:
    """A page that did not open counts as a failure of its own in the table."""
    return [{"id": f"HTTP {status}", "impact": "critical", "help": "page not shown", "nodes": []}]


def _details(rows) -> str:
    found = []
    for role, name, violations in rows:
        for v in violations:
            if v["impact"] in BLOCKING:
                targets = "; ".join(" ".join(n["target"]) for n in v["nodes"][:4])
                found.append(f"{role} / {name}: {v['id']} — {v['help']} — {targets}")
    return "\n".join(found)


@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_no_serious_violation_on_any_roles_main_page(demo_site, _browser, width):  # noqa: F811
    context = _browser.new_context(
        locale="vi-VN", viewport={"width": width, "height": 844 if width < 600 else 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    rows = []
    try:
        page.goto(f"{demo_site.base}/login")
        rows.append(("—", "Đăng nhập", _violations(page)))
        for role, (email, pages) in demo_site.roles.items():
            sign_in(page, demo_site.base, email)
            for name, path in pages:
                response = page.goto(demo_site.base + path)
                found = _violations(page) if response.status == 200 else _answered(response.status)
                rows.append((role, name, found))
    finally:
        context.close()
    table = _table(rows)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"accessibility-{width}.md").write_text(table + "\n", encoding="utf-8")
    print(f"\naxe-core at {width} px\n{table}")
    blocking = [r for r in rows if any(v["impact"] in BLOCKING for v in r[2])]
    assert not blocking, f"at {width} px:\n{table}\n\n{_details(rows)}"
