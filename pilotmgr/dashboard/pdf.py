"""The digest's one-page PDF, made by the same helper as the memos, with the bundled serif."""

from __future__ import annotations

from pilotmgr.memos.pdf import render_pdf, static_url
from pilotmgr.memos.render import FONT_FAMILY

FONT_FILES = {
    ("normal", "normal"): "LiberationSerif-Regular.ttf",
    ("bold", "normal"): "LiberationSerif-Bold.ttf",
    ("normal", "italic"): "LiberationSerif-Italic.ttf",
}


def font_faces() -> str:
    """@font-face rules for the bundled serif, loaded through the helper's own URL fetcher."""
    return "\n".join(
        f"@font-face {{ font-family: '{FONT_FAMILY}'; src: url('{static_url('fonts/' + name)}'); "
        f"font-weight: {weight}; font-style: {style}; }}"
        for (weight, style), name in FONT_FILES.items()
    )


def html_to_pdf(html: str) -> bytes:
    # A plain PDF: the digest is a summary mailed weekly, not an archived record (no PDF/A).
    return render_pdf(html, variant=None)
