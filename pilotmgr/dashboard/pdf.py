"""The digest's one-page PDF: Jinja HTML through WeasyPrint, fetching only our own fonts.

Kept small and local on purpose; it will fold onto the shared memo PDF helper.
"""

from __future__ import annotations

from pathlib import Path

from pilotmgr import ROOT

#: A font shipped with the package wins; else Liberation Serif from fonts-liberation2.
FONT_DIRS = (
    ROOT / "pilotmgr" / "static" / "fonts",
    Path("/usr/share/fonts/truetype/liberation2"),
)
FONT_FILES = {
    ("normal", "normal"): "LiberationSerif-Regular.ttf",
    ("bold", "normal"): "LiberationSerif-Bold.ttf",
    ("normal", "italic"): "LiberationSerif-Italic.ttf",
}


def _font_files() -> dict[tuple[str, str], Path]:
    for directory in FONT_DIRS:
        found = {key: directory / name for key, name in FONT_FILES.items()}
        if all(path.is_file() for path in found.values()):
            return found
    return {}


def font_faces() -> str:
    """@font-face rules for the serif the PDFs use (empty if no font file is installed)."""
    rules = []
    for (weight, style), path in _font_files().items():
        rules.append(
            "@font-face { font-family: 'PilotSerif'; "
            f"src: url('{path.as_uri()}'); font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)


def _fetcher(url: str, *args, **kwargs):
    """Refuse everything but the font files above: no network, no other local files."""
    from weasyprint import default_url_fetcher

    allowed = {path.as_uri() for path in _font_files().values()}
    if url not in allowed:
        raise ValueError(f"refusing to fetch {url!r}")
    return default_url_fetcher(url, *args, **kwargs)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(ROOT), url_fetcher=_fetcher).write_pdf()
