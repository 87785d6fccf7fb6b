"""Issued memos read back as a reader sees them: text, fonts, page, margins, metadata, data."""

from __future__ import annotations

import io
import json
import unicodedata
from itertools import product
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from pilotmgr.extensions import db
from pilotmgr.memos import service
from pilotmgr.memos.pdf import STATIC_DIR, RefusedURL, url_fetcher
from tests.memos.conftest import needs_poppler, pdftotext

MM = 72 / 25.4
FONT_DIR = STATIC_DIR / "fonts"


def _issue(org, pilot, kind="rollout", lang="vi"):
    return service.issue(org["head"], pilot, {"kind": kind, "lang": lang})


def vietnamese_letters() -> set[str]:
    """Every letter Vietnamese writes: 12 vowels × 6 tones, both cases, and đ, in NFC."""
    vowels = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"]
    tones = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
    letters = {unicodedata.normalize("NFC", v + t) for v, t in product(vowels, tones)}
    letters |= {"đ"} | set("bcdghklmnpqrstvx")
    return letters | {c.upper() for c in letters}


@pytest.mark.parametrize("name", sorted(p.name for p in FONT_DIR.glob("*.ttf")))
def test_each_bundled_font_has_every_vietnamese_letter(name):
    cmap = TTFont(FONT_DIR / name)["cmap"].getBestCmap()
    missing = sorted(c for c in vietnamese_letters() if ord(c) not in cmap)
    assert not missing, f"{name} lacks {missing}"


def test_the_four_faces_and_their_licence_are_bundled():
    names = {p.name for p in FONT_DIR.iterdir()}
    for face in ("Regular", "Bold", "Italic", "BoldItalic"):
        assert f"LiberationSerif-{face}.ttf" in names
    assert "SIL OPEN FONT LICENSE" in (FONT_DIR / "LICENSE-LiberationFonts.txt").read_text()


@needs_poppler
def test_rollout_memo_reads_back_with_motto_number_title_and_approved_figures(app, org, selected):
    memo = _issue(org, selected)
    text = pdftotext(memo.pdf)
    assert text == unicodedata.normalize("NFC", text)
    flat = " ".join(text.split())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "TỜ TRÌNH",
        f"Số: {memo.number}",
        "Kính gửi:",
        "Thí điểm một cửa điện tử cấp xã",
        "Bắc Ninh, ngày",
        "Nơi nhận:",
        "Phường Kinh Bắc",
        "80 %",  # 40 → 65, approved 60
        "71,4 %",  # 12 → 5 (decrease), approved 7
        "Nguyễn Thị Hằng",
    ):
        assert expected in flat, expected
    # Above the verification address, whose hash may hold any run of digits.
    body = flat.split("Kiểm tra tính xác thực")[0]
    assert "999" not in body, "a value not yet approved reached the memo"
    joined = "".join(text.split())  # the printed verification address may wrap
    assert f"/memos/verify/{memo.content_sha256}" in joined


@needs_poppler
def test_english_memo_has_english_labels_and_the_translated_motto(app, org, selected):
    flat = " ".join(pdftotext(_issue(org, selected, lang="en").pdf).split())
    for expected in (
        "SOCIALIST REPUBLIC OF VIET NAM",
        "Independence – Freedom – Happiness",
        "MEMO",
        "No.: ",
        "To:",
        "Recipients:",
        "Bắc Ninh,",
    ):
        assert expected in flat, expected
    assert "Kính gửi" not in flat and "TỜ TRÌNH" not in flat


def test_only_the_bundled_fonts_appear_and_all_are_embedded(app, org, selected):
    reader = PdfReader(io.BytesIO(_issue(org, selected, kind="selection").pdf))
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            seen.add(str(font["/BaseFont"]))
            descendant = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"], font["/BaseFont"]
    assert seen and all(name.split("+", 1)[1].startswith("PilotmgrSerif") for name in seen), seen


def test_pages_are_a4_with_metadata_language_and_the_snapshot_attached(app, make, org):
    draft = make.pilot("draft", owner=org["owner"], unit_=org["department"])
    memo = _issue(org, draft, kind="pilot_approval")
    reader = PdfReader(io.BytesIO(memo.pdf))
    for page in reader.pages:
        assert round(float(page.mediabox.width) / MM) == 210
        assert round(float(page.mediabox.height) / MM) == 297
    info = reader.metadata
    assert memo.number in info.title and org["department"].name == info.author
    assert info.subject
    assert reader.trailer["/Root"]["/Lang"] == "vi"
    attached = json.loads(reader.attachments["snapshot.json"][0])
    assert attached == memo.snapshot and attached["number"] == memo.number
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3" pdfaid:conformance="B"' in xmp  # PDF/A-3b, in the XMP metadata


def test_streams_are_compressed_once_and_the_file_carries_its_identifier(app, org, selected):
    """The page contents, fonts and attachment are FlateDecode streams that read back whole."""
    memo = _issue(org, selected)
    reader = PdfReader(io.BytesIO(memo.pdf), strict=True)
    first, second = reader.trailer["/ID"]  # PDF/A: the file identifier is there
    assert len(first) == len(second) == 32
    for page in reader.pages:
        contents = page["/Contents"].get_object()
        assert contents["/Filter"] == "/FlateDecode"
        assert b"BT" in contents.get_data() and b"Tf" in contents.get_data()
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            file = descendant["/FontDescriptor"]["/FontFile2"].get_object()
            assert file["/Filter"] == "/FlateDecode"
            assert file.get_data()[:4] == b"\x00\x01\x00\x00"  # a TrueType font, whole
    attached = json.loads(reader.attachments["snapshot.json"][0])
    assert attached["number"] == memo.number


@needs_poppler
def test_no_text_lies_in_the_left_30_mm_margin(app, org, selected):
    import re

    html = pdftotext(_issue(org, selected).pdf, "-bbox")
    lefts = [float(x) for x in re.findall(r'<word xMin="([\d.]+)"', html)]
    assert lefts and min(lefts) >= 30 * MM - 0.5, min(lefts)


def test_the_renderer_fetches_only_our_static_files():
    assert url_fetcher("pilotmgr-static:///fonts/LiberationSerif-Regular.ttf")["string"][:4]
    for url in (
        "pilotmgr-static:///../config.py",
        "pilotmgr-static:///fonts/../../../config.py",
        "file:///etc/passwd",
        "http://127.0.0.1:5000/static/css/app.css",
        "data:text/plain,hello",
    ):
        with pytest.raises(RefusedURL):
            url_fetcher(url)
    assert Path(STATIC_DIR).is_dir()


@needs_poppler
def test_the_rollout_memo_lists_each_target_with_its_person_and_due_date_by_wave(
    app, org, selected
):
    memo = _issue(org, selected)
    lines = [" ".join(line.split()) for line in pdftotext(memo.pdf, "-layout").splitlines()]
    due = {t["unit"]: t["due_date"] for t in memo.snapshot["targets"]}
    for unit, wave in (("Xã Đông Tiến", 1), ("Phường Kinh Bắc", 2)):
        day = "/".join(reversed(due[unit].split("-")))
        line = next(x for x in lines if unit in x)
        assert f"phụ trách: Nguyễn Thị Hằng; hạn: {day}." in line, line
        assert any(x.startswith(f"Đợt {wave}:") for x in lines), wave


@needs_poppler
def test_the_printed_qr_code_scans_to_the_verification_address(app, org, selected, tmp_path):
    """Read as a phone would: the page rasterised, then the code found and decoded."""
    import subprocess

    import zxingcpp
    from PIL import Image

    from pilotmgr.memos.render import verify_url

    memo = _issue(org, selected)
    (tmp_path / "memo.pdf").write_bytes(memo.pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", "-png", str(tmp_path / "memo.pdf"), str(tmp_path / "p")],
        check=True,
    )
    found = {
        code.text
        for page in sorted(tmp_path.glob("p*.png"))
        for code in zxingcpp.read_barcodes(Image.open(page))
    }
    assert found == {verify_url(memo.content_sha256)}


def test_a_render_serves_its_own_files_and_still_nothing_else():
    from pilotmgr.memos.pdf import _with_resources, render_url

    fetch = _with_resources({"qr.png": (b"\x89PNG", "image/png")})
    assert fetch(render_url("qr.png"))["string"] == b"\x89PNG"
    assert fetch("pilotmgr-static:///fonts/LiberationSerif-Regular.ttf")["string"][:4]
    for url in (render_url("other.png"), "file:///etc/passwd", "data:text/plain,hello"):
        with pytest.raises(RefusedURL):
            fetch(url)


@needs_poppler
def test_the_closing_blocks_keep_together_at_every_length(app, org, selected):
    """The recipients beside the signature, the head's decision box and the QR code beside its
    address each stay on one page, wherever the page break falls before them."""
    from pilotmgr.memos import render

    base = service.preview(org["head"], selected, "rollout", "vi") | {"number": "7/TTr-SKHCN-BN"}
    target = base["targets"][0]
    breaks = set()  # page counts seen
    for count in range(1, 37):
        snapshot = base | {
            "targets": [target | {"seq": n, "unit": f"Xã số {n}"} for n in range(1, count + 1)]
        }
        data = render.render_memo_pdf(snapshot)
        pages = pdftotext(data).split("\f")
        images = [
            bool(page["/Resources"].get("/XObject")) for page in PdfReader(io.BytesIO(data)).pages
        ]
        for first, last in (
            ("Nơi nhận:", "(Ký, ghi rõ họ tên)"),
            ("Ý KIẾN CỦA LÃNH ĐẠO", "(Ký, ghi rõ họ tên, ngày)"),
        ):
            where = [n for n, page in enumerate(pages) if first in page]
            assert len(where) == 1 and last in pages[where[0]], (count, first)
        link = [n for n, page in enumerate(pages) if "Kiểm tra tính xác thực" in page]
        assert len(link) == 1 and images[link[0]], count
        breaks.add(len(images))
    assert len(breaks) >= 2  # the lengths tried do cross page breaks


#: The HTML parser keeps an SVG's `xmlns` as an attribute; the XML parser, in the tag names.
XMLNS = "{http://www.w3.org/2000/xmlns/}"


def _tree(element) -> tuple:
    """An element tree as plain values: tag, attributes, text, tail and children, in order."""
    return (
        element.tag,
        sorted((k, v) for k, v in element.attrib.items() if not k.startswith(XMLNS)),
        element.text or "",
        element.tail or "",
        [_tree(child) for child in element],
    )


DECIDED = {
    "outcome": "approve_with_conditions",
    "decision_number": "15/QĐ-UBND",
    "decided_on": "2026-12-01",
    "decided_by": "Trần Văn Đức",
    "conditions": [
        {"text": "Bổ sung dữ liệu <đủ> & sạch", "assignee": "Nguyễn Thị Hằng", "due_date": None}
    ],
}


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("kind", ["pilot_approval", "selection", "rollout"])
@pytest.mark.parametrize("decision", [None, DECIDED], ids=["open", "decided"])
def test_the_memo_markup_is_read_as_xml_into_the_tree_the_html_parser_builds(
    app, org, selected, kind, lang, decision
):
    """Each memo's markup is well-formed XML, so the fast parser reads it, and it gives the
    very tree WeasyPrint's own HTML parser would (SVG charts and escaped user text included)."""
    import tinyhtml5

    from pilotmgr.memos import pdf, render

    snapshot = service.preview(org["head"], selected, kind, lang) | {
        "number": "7/TTr-SKHCN-BN",
        "decision": decision,
        "reissue_of": "6/TTr-SKHCN-BN" if decision else None,
    }
    html, resources = render._pdf_parts(snapshot)
    document, _fetcher = pdf._source(html, resources)
    assert type(document) is pdf._parsed_html()
    assert _tree(document.etree_element) == _tree(
        tinyhtml5.parse(html, namespace_html_elements=False)
    )
    if kind == "selection":
        assert "<svg" in html


def test_a_document_parsed_by_us_carries_what_weasyprint_sets_on_its_own():
    from weasyprint import HTML

    from pilotmgr.memos import pdf

    markup = '<html lang="vi"><head><title>Tờ trình</title></head><body><p>Số: 1</p></body></html>'
    own = HTML(string=markup, base_url=pdf.static_url(""), url_fetcher=pdf.url_fetcher)
    ours, _fetcher = pdf._source(markup, None)
    assert type(ours) is pdf._parsed_html()
    assert vars(ours).keys() == vars(own).keys()
    for name in ("base_url", "url_fetcher", "media_type"):
        assert getattr(ours, name) == getattr(own, name), name
    assert _tree(ours.etree_element) == _tree(own.etree_element)


@needs_poppler
def test_text_that_is_not_well_formed_xml_goes_through_the_html_parser(app, org, selected):
    """A control character typed into a title cannot be XML; the memo still issues whole."""
    from weasyprint import HTML

    from pilotmgr.memos import pdf, render

    selected.title = "Thí điểm một cửa\x0b điện tử cấp xã"
    db.session.flush()
    snapshot = service.preview(org["head"], selected, "rollout", "vi") | {"number": "7/TTr-X"}
    document, _fetcher = pdf._source(render._pdf_parts(snapshot)[0], None)
    assert type(document) is HTML
    flat = " ".join(pdftotext(_issue(org, selected).pdf).split())
    assert "Thí điểm một cửa" in flat and "điện tử cấp xã" in flat


@needs_poppler
def test_the_selection_memo_and_its_charts_look_the_same_from_either_parser(
    app, org, selected, tmp_path
):
    """Pixel for pixel, with its SVG charts (whose `xmlns` the two parsers keep differently)."""
    import subprocess

    from weasyprint import HTML

    from pilotmgr.memos import pdf, render

    snapshot = service.preview(org["head"], selected, "selection", "vi") | {"number": "7/TTr-X"}
    html, resources = render._pdf_parts(snapshot)
    ours, fetcher = pdf._source(html, resources)
    theirs = HTML(string=html, base_url=pdf.static_url(""), url_fetcher=fetcher)
    for name, document in (("ours", ours), ("theirs", theirs)):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(document.write_pdf(**pdf._styles(render.stylesheet(for_pdf=True))))
        subprocess.run(["pdftoppm", "-r", "60", "-png", path, tmp_path / name], check=True)
    pages = sorted(tmp_path.glob("ours-*.png"))
    assert pages
    for page in pages:
        assert page.read_bytes() == (tmp_path / page.name.replace("ours", "theirs")).read_bytes()


@needs_poppler
def test_markup_typed_into_the_data_is_printed_as_text(app, org, selected):
    """Values go into the translated sentences escaped: the memo shows them as typed, and its
    markup stays well-formed (the fast parser still reads it)."""
    from pilotmgr.memos import pdf, render

    selected.title = 'Thí điểm <b>một cửa</b> & "liên thông"'
    db.session.flush()
    snapshot = service.preview(org["head"], selected, "rollout", "en") | {"number": "7/TTr-X"}
    with app.test_request_context():
        html = render.render_html(snapshot, for_pdf=False)
    assert "&lt;b&gt;một cửa&lt;/b&gt; &amp; &#34;liên thông&#34;" in html
    assert "<b>một cửa</b>" not in html
    markup, resources = render._pdf_parts(snapshot)
    assert type(pdf._source(markup, resources)[0]) is pdf._parsed_html()
    flat = " ".join(pdftotext(_issue(org, selected, lang="en").pdf).split())
    assert 'rolling out the model “Thí điểm <b>một cửa</b> & "liên thông"”' in flat
