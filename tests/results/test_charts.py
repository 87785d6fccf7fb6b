"""The SVG charts: named for screen readers, numbers the reader's way, labels cut on words."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale

from pilotmgr.core.charts import bar_chart, kpi_chart, label_lines, progress_bar, step_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parsed(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # well-formed XML: the memo PDFs parse charts as such
    # A chart whose bars are links is a named group: an image's content is not reachable.
    linked = root.find(f"{SVG}a") is not None
    assert root.get("role") == ("group" if linked else "img")
    assert root.get("aria-label")
    assert root[0].tag == f"{SVG}title" and root[0].text == root.get("aria-label")
    return root


def _texts(root) -> list[str]:
    return [t.text for t in root.iter(f"{SVG}text")]


def test_a_kpi_chart_names_its_figures_in_vietnamese(app):
    values = [(date(2026, 10, 1), Decimal("12.5")), (date(2026, 11, 1), Decimal("1200000"))]
    with force_locale("vi"):
        svg = kpi_chart(values, Decimal("8.25"), 60, name="Tỷ lệ giao dịch không tiền mặt")
    root = _parsed(svg)
    name = root.get("aria-label")
    assert name.startswith("Tỷ lệ giao dịch không tiền mặt: giá trị ban đầu 8,25, mục tiêu 60")
    assert "01/10/2026: 12,5" in name and "01/11/2026: 1.200.000" in name
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "Giá trị ban đầu: 8,25" in titles and "Mục tiêu: 60" in titles
    assert "baseline" not in svg and "12.5" not in svg


def test_a_kpi_chart_in_english_keeps_english_numbers(app):
    with force_locale("en"):
        svg = kpi_chart([(date(2026, 10, 1), Decimal("12.5"))], 8, 60, name="Share")
    name = _parsed(svg).get("aria-label")
    assert name == "Share: baseline 8, target 60; approved values: 01/10/2026: 12.5."


def test_bar_figures_are_the_readers_and_percentages_carry_a_spaced_sign(app):
    with force_locale("vi"):
        svg = bar_chart([("Bệnh viện A", 4.6), ("Bệnh viện B", 98.4)], suffix="%", name="Mức đạt")
    root = _parsed(svg)
    assert "4,6\u00a0%" in _texts(root) and "98,4\u00a0%" in _texts(root)
    assert root.get("aria-label") == "Mức đạt. Bệnh viện A: 4,6\u00a0%; Bệnh viện B: 98,4\u00a0%"
    assert "4.6" not in svg


def test_a_long_label_wraps_on_words_and_keeps_its_full_text_in_a_title(app):
    title = "Thí điểm hóa đơn điện tử từ máy tính tiền tại chợ Bến Thành"
    with force_locale("vi"):
        root = _parsed(bar_chart([(title, 4.0, "/pilots/1")]))
    lines = [t for t in _texts(root) if t != "4"]
    assert lines == ["Thí điểm hóa đơn điện tử", "từ máy tính tiền tại…"]
    assert all(len(line) <= 24 for line in lines)
    assert f"{title}: 4" in [t.text for t in root.iter(f"{SVG}title")]
    link = root.find(f"{SVG}a")
    assert link.get("href") == "/pilots/1" and link.get("aria-label") == f"{title}: 4"


@pytest.mark.parametrize(
    "label, lines",
    [
        ("Ngắn", ["Ngắn"]),
        ("Hóa đơn điện tử từ máy tính tiền", ["Hóa đơn điện tử từ máy", "tính tiền"]),
        ("", [""]),
        ("Mộttừrấtdàikhôngcókhoảngtrắngnào", ["Mộttừrấtdàikhôngcókhoản…"]),
    ],
)
def test_label_lines(label, lines):
    assert label_lines(label) == lines


def test_escaped_user_text_keeps_the_chart_valid(app):
    root = _parsed(bar_chart([("A & B <script>", None)]))
    assert "A & B <script>" in _texts(root) and "—" in _texts(root)


def test_step_and_progress_charts_are_named(app):
    with force_locale("vi"):
        step = _parsed(step_chart([(date(2026, 11, 1), 1), (date(2026, 11, 8), 3)], 1200))
        progress = _parsed(progress_bar(62))
    assert "trên tổng số 1.200" in step.get("aria-label")
    assert progress.get("aria-label") == "Độ bao phủ 62\u00a0%"
