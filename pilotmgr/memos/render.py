"""A memo snapshot → HTML (preview) or PDF (issue): the same template, the same data."""

from __future__ import annotations

import hashlib
import io
import json
import re
from datetime import date
from decimal import Decimal

from babel.numbers import format_decimal
from flask import current_app, render_template, url_for
from flask_babel import force_locale, get_translations
from flask_babel import gettext as _
from jinja2 import pass_context
from markupsafe import Markup

from pilotmgr.core.charts import bar_chart
from pilotmgr.memos import pdf

MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_BLOCKS = "html|head|body|title|meta|div|p|h[1-6]|ol|ul|li|table|colgroup|col|thead|tbody|tr|td|th"
#: Line breaks and indentation of the template before a block's start or end tag: they render
#: as nothing, but WeasyPrint makes a box of each run before it drops it.
_BLOCK_SPACE = re.compile(rf"\s*\n\s*(?=</?(?:{_BLOCKS})\b)")
#: One family name of our own, so no installed font can stand in for the bundled files.
FONT_FAMILY = "PilotmgrSerif"


def canonical_json(snapshot: dict) -> bytes:
    return json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def content_sha256(snapshot: dict) -> str:
    return hashlib.sha256(canonical_json(snapshot)).hexdigest()


def date_in_words(day: date, lang: str) -> str:
    """Decree 30: "ngày 05 tháng 01 năm 2027" (a zero before days below 10 and months 1 and 2)."""
    if lang == "en":
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    dd = f"{day.day:02d}" if day.day < 10 else str(day.day)
    mm = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {dd} tháng {mm} năm {day.year}"


def short_date(value: str | None) -> str:
    return date.fromisoformat(value).strftime("%d/%m/%Y") if value else "—"


def number(value, lang: str, empty: str = "—") -> str:
    if value is None or value == "":
        return empty
    return format_decimal(Decimal(value), format="#,##0.#", locale=lang)


def verify_url(sha: str) -> str:
    base = current_app.config.get("PILOTMGR_BASE_URL", "").rstrip("/")
    return f"{base}/memos/verify/{sha}"


#: A memo's QR code travels to the PDF renderer as this file (see `pdf.render_url`).
QR_FILE = "qr.png"
QR_MASK = 0
#: A QR module (1 dark, 0 light) → its grey value.
_GREY = bytes([255, 0]) + bytes(254)


def qr_png(url: str) -> bytes:
    """The verification address as a QR code: a small greyscale PNG, drawn unsmoothed.

    A bitmap rather than SVG: WeasyPrint draws a PNG as one image, while the SVG path of a
    QR code (hundreds of runs) costs more than a page of text to parse and draw. Eight-bit
    grey because WeasyPrint embeds that as it is, where a one-bit PNG is first converted to
    RGB and encoded again.
    """
    import segno
    from PIL import Image

    # One pixel a module, enlarged unsmoothed by the page (image-rendering: pixelated). A fixed
    # mask: readers accept any of the eight, and trying all eight costs more than the rest.
    code = segno.make(url, error="m", mask=QR_MASK, micro=False)
    pixels = b"".join(code.matrix).translate(_GREY)
    out = io.BytesIO()
    Image.frombytes("L", code.symbol_size(scale=1, border=0), pixels).save(out, format="PNG")
    return out.getvalue()


def charts(snapshot: dict) -> dict:
    """The selection memo's SVG charts, drawn from the snapshot's figures in the memo's font."""
    candidates = snapshot.get("candidates") or []
    if snapshot["kind"] != "selection" or not candidates:
        return {}
    return {
        "scores": bar_chart(
            [(c["title"], float(c["composite"]) if c["composite"] else None) for c in candidates],
            width=430,
            font_family=FONT_FAMILY,
        ),
        "attainment": bar_chart(
            [
                (c["title"], float(c["mean_attainment"]) if c["mean_attainment"] else None)
                for c in candidates
            ],
            width=430,
            font_family=FONT_FAMILY,
            suffix="%",
        ),
    }


def asset_url(for_pdf: bool):
    return (lambda p: pdf.static_url(p)) if for_pdf else (lambda p: url_for("static", filename=p))


def stylesheet(for_pdf: bool) -> str:
    return render_template("memos/memo.css", font_family=FONT_FAMILY, asset=asset_url(for_pdf))


def verification_url(snapshot: dict, content: bytes | None = None) -> str | None:
    """Where an issued memo is checked (its QR code's address); none before it has a number.

    `content`: the snapshot's canonical JSON, when the caller has made it already.
    """
    if not snapshot.get("number"):
        return None
    return verify_url(hashlib.sha256(content or canonical_json(snapshot)).hexdigest())


def render_html(
    snapshot: dict, *, for_pdf: bool, inline_css: bool = True, verify: str | None = None
) -> str:
    """The memo as an HTML document; for the PDF its files come through pdf.url_fetcher.

    `inline_css=False` leaves the stylesheet out, for the caller to pass as `stylesheet()`.
    """
    lang = snapshot["lang"]
    verify = verify or verification_url(snapshot)
    with force_locale(lang):
        html = render_template(
            "memos/memo.html",
            m=snapshot,
            lang=lang,
            font_family=FONT_FAMILY,
            asset=asset_url(for_pdf),
            inline_css=inline_css,
            charts=charts(snapshot),
            day_words=date_in_words(date.fromisoformat(snapshot["issued_on"]), lang),
            d=short_date,
            n=lambda v, empty="—": number(v, lang, empty),
            verify=verify,
            # The QR code is drawn in the PDF alone, from the file render_memo_pdf hands over.
            qr=pdf.render_url(QR_FILE) if verify and for_pdf else None,
            kind_label=kind_labels()[snapshot["kind"]],
            for_pdf=for_pdf,
            gettext=_gettext_for(get_translations()),
        )
    return _BLOCK_SPACE.sub("", html) if for_pdf else html


def _gettext_for(translations):
    """The template's `_` bound to one catalogue, looked up once for the memo's fifty labels.

    As Jinja's new-style gettext: the translation is markup (autoescaped templates) and is
    %-formatted with the escaped values.
    """

    @pass_context
    def gettext(context, string: str, **variables) -> str:
        text = translations.ugettext(string)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return gettext


def kind_labels() -> dict:
    return {
        "pilot_approval": _("Approval of a pilot"),
        "selection": _("Selection of the successful model"),
        "rollout": _("Rollout"),
    }


def _pdf_parts(snapshot: dict, content: bytes | None = None) -> tuple[str, dict]:
    """The issued memo's HTML and the files made for it (its QR code)."""
    verify = verification_url(snapshot, content)
    html = render_html(snapshot, for_pdf=True, inline_css=False, verify=verify)
    return html, {QR_FILE: (qr_png(verify), "image/png")} if verify else {}


def render_memo_pdf(snapshot: dict) -> bytes:
    """The issued memo's PDF, with its frozen data embedded as snapshot.json."""
    content = canonical_json(snapshot)
    html, resources = _pdf_parts(snapshot, content)
    with force_locale(snapshot["lang"]):
        description = _("The data this memo was issued from")
    return pdf.render_pdf(
        html,
        attachments=[("snapshot.json", content, description)],
        css=stylesheet(for_pdf=True),
        resources=resources,
    )


def memo_pages(snapshot: dict) -> int:
    """How many pages the memo of this snapshot has, laid out exactly as it is issued."""
    html, resources = _pdf_parts(snapshot)
    return pdf.page_count(html, css=stylesheet(for_pdf=True), resources=resources)
