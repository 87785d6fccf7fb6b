"""The one way a PDF is made: Jinja HTML + @page CSS through WeasyPrint, fetching only our files."""

from __future__ import annotations

import atexit
import functools
import logging
import mimetypes
import re
import threading
import time
import zlib
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

STATIC_DIR = (Path(__file__).resolve().parent.parent / "static").resolve()
#: URLs the renderer may load: this scheme, resolved inside STATIC_DIR, and nothing else.
STATIC_SCHEME = "pilotmgr-static"
#: Files made for one render (a memo's QR code), handed to `render_pdf` as `resources`.
RENDER_SCHEME = "pilotmgr-render"
PDF_VARIANT = "pdf/a-3b"
#: zlib's own default: within a few hundred bytes of level 9 on a memo, and faster.
COMPRESSION_LEVEL = 6
#: An HTML doctype, which the XML parser does not take in lower case.
_DOCTYPE = re.compile(r"^\s*<!doctype html>", re.IGNORECASE)

_font_config = None
#: Stylesheet text → its parsed form: parsed (and its @font-face files registered) once.
_stylesheets: dict[str, object] = {}
#: Pango's font map is shared by the process; one render at a time keeps it consistent.
_render_lock = threading.Lock()
log = logging.getLogger(__name__)


class RefusedURL(ValueError):
    pass


def static_url(path: str) -> str:
    """The URL a template uses for one of our static files when it is rendered to PDF."""
    return f"{STATIC_SCHEME}:///{path.lstrip('/')}"


def render_url(name: str) -> str:
    """The URL a template uses for a file passed to `render_pdf` in `resources`."""
    return f"{RENDER_SCHEME}:{name}"


def url_fetcher(url: str, timeout: int = 10, ssl_context=None, **_kw) -> dict:
    """Serve our own static files; refuse the network, the file system and everything else."""
    parts = urlsplit(url)
    if parts.scheme != STATIC_SCHEME or parts.netloc:
        raise RefusedURL(f"refused to fetch {url!r}")
    path = (STATIC_DIR / unquote(parts.path).lstrip("/")).resolve()
    if not path.is_relative_to(STATIC_DIR) or not path.is_file():
        raise RefusedURL(f"refused to fetch {url!r}")
    return {
        "string": path.read_bytes(),
        "mime_type": mimetypes.guess_type(path.name)[0] or "application/octet-stream",
        "redirected_url": url,
    }


@atexit.register
def _forget_fonts() -> None:
    """Let the font configuration remove its temporary folder while the interpreter still can."""
    global _font_config
    _stylesheets.clear()
    _font_config = None


def font_config():
    """One FontConfiguration per process: @font-face files are registered once, then reused."""
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def _stylesheet(css: str):
    found = _stylesheets.get(css)
    if found is None:
        from weasyprint import CSS

        found = _stylesheets[css] = CSS(
            string=css, base_url=static_url(""), url_fetcher=url_fetcher, font_config=font_config()
        )
    return found


def render_pdf(
    html: str,
    *,
    attachments: list[tuple[str, bytes, str]] = (),
    variant=PDF_VARIANT,
    css: str | None = None,
    resources: dict[str, tuple[bytes, str]] | None = None,
):
    """PDF bytes of `html`; `attachments` are (file name, bytes, description) embedded as files.

    `css`: a stylesheet of ours applied on top of the HTML's own; the same text is parsed once
    per process.

    Title, author, subject (description) and language come from the HTML's <title>, <meta> and
    <html lang>. `variant` is WeasyPrint's pdf_variant (PDF/A-3b allows embedded files).
    `resources`: name → (bytes, MIME type) of files made for this render, which the HTML refers
    to by `render_url(name)`; the fetcher serves those and our static files, nothing else.
    """
    from weasyprint import Attachment

    document, fetcher = _source(html, resources)
    files = [
        Attachment(
            string=data,
            name=name,
            description=description,
            url_fetcher=fetcher,
            relationship="Data",
        )
        for name, data, description in attachments
    ]
    with _render_lock:
        return document.write_pdf(
            **_styles(css),
            attachments=files,
            pdf_variant=variant,
            custom_metadata=True,
            finisher=_compress_once,
        )


def page_count(
    html: str, *, css: str | None = None, resources: dict[str, tuple[bytes, str]] | None = None
) -> int:
    """How many pages `render_pdf` makes of the same HTML, stylesheet and files."""
    document, _fetcher = _source(html, resources)
    with _render_lock:
        return len(document.render(**_styles(css)).pages)


def _source(html: str, resources: dict[str, tuple[bytes, str]] | None):
    """The parsed HTML, and the fetcher through which it (and its attachments) get files."""
    fetcher = _with_resources(resources) if resources else url_fetcher
    base_url = static_url("")
    try:
        root = ElementTree.fromstring(_DOCTYPE.sub("", html, count=1))
    except ElementTree.ParseError:
        # Not XML (the digest's HTML, or a control character typed into a memo's data).
        from weasyprint import HTML

        return HTML(string=html, base_url=base_url, url_fetcher=fetcher), fetcher
    return _parsed_html()(root, base_url=base_url, url_fetcher=fetcher), fetcher


@functools.cache
def _parsed_html():
    """WeasyPrint's HTML document, made from an element tree we parsed ourselves.

    Our templates write markup that is also well-formed XML (void elements closed, character
    references by number). The C XML parser reads a memo in 0.2 ms; the pure-Python HTML5
    parser WeasyPrint uses takes about 4 ms, and both give the same tree.

    Private use of WeasyPrint: `HTML` has no public way to take a parsed tree, so this
    subclass sets the attributes `HTML.__init__` sets. It buys about 4 ms of each memo's
    render. Guarded by tests/memos/test_pdf.py
    (`test_a_document_parsed_by_us_carries_what_weasyprint_sets_on_its_own` compares the
    attributes with WeasyPrint's own, `test_the_memo_markup_is_read_as_xml_into_the_tree_the_
    html_parser_builds` the trees); anything that is not XML goes through `HTML` itself.
    """
    import cssselect2
    from weasyprint import HTML

    class ParsedHTML(HTML):
        def __init__(self, root, *, base_url: str, url_fetcher):
            self.base_url = base_url
            self.url_fetcher = url_fetcher
            self.media_type = "print"
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(
                root, content_language=None
            )
            self.etree_element = self.wrapper_element.etree_element

    return ParsedHTML


def _styles(css: str | None) -> dict:
    """Our stylesheet (parsed once per process) and the process's one font configuration."""
    return {"stylesheets": [_stylesheet(css)] if css else None, "font_config": font_config()}


def _compress_once(_document, pdf) -> None:
    """Compress each content stream once, before the file is written.

    pydyf compresses a stream each time its bytes are asked for, at zlib level 9, and a
    PDF/A file asks twice: once to hash the whole file for its /ID, once to write it. A
    stream compressed here is handed over as finished FlateDecode data, asked for as often
    as pydyf likes. Streams that are already filtered (images) or hold anything but bytes are
    left to pydyf.

    `finisher` is WeasyPrint's public hook; what it receives is a pydyf document (pydyf is a
    declared dependency), whose `Stream` fields are read and set here. It buys one
    compression of each stream instead of two. Guarded by tests/memos/test_pdf.py
    (`test_streams_are_compressed_once_and_the_file_carries_its_identifier`, and every test
    that reads a memo back with pypdf and pdftotext).
    """
    import pydyf

    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Stream) or not obj.compress or "Filter" in obj.extra:
            continue
        if not all(isinstance(item, bytes) for item in obj.stream):
            continue
        obj.stream = [zlib.compress(b"\n".join(obj.stream), COMPRESSION_LEVEL)]
        obj.compress = False
        obj.extra["Filter"] = "/FlateDecode"


def _with_resources(resources: dict[str, tuple[bytes, str]]):
    """The url_fetcher, serving also this render's own files by their `render_url`."""

    def fetch(url: str, *args, **kwargs) -> dict:
        scheme, _, name = url.partition(":")
        if scheme == RENDER_SCHEME:
            if name not in resources:
                raise RefusedURL(f"refused to fetch {url!r}")
            data, mime_type = resources[name]
            return {"string": data, "mime_type": mime_type, "redirected_url": url}
        return url_fetcher(url, *args, **kwargs)

    return fetch


#: A page in the memo's stylesheet with every face of its font, Vietnamese letters and a PNG:
#: rendering it loads what the first real memo would otherwise wait for.
_WARM_UP_HTML = (
    '<html lang="vi"><head><title>warm-up</title></head><body>'
    '<div class="header"><div class="issuer upper">Cơ quan</div><div class="motto">'
    '<div class="nation">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div>'
    '<div class="words"><span>Độc lập - Tự do - Hạnh phúc</span></div></div></div>'
    "<h1>TỜ TRÌNH</h1><p>Kính gửi: Lãnh đạo. Thí điểm, lựa chọn, phổ cập 12,5 %.</p>"
    "<p><b>Đậm</b> <i>nghiêng</i> <b><i>đậm nghiêng</i></b></p>"
    '<img src="{qr}" alt="" style="width: 20mm; image-rendering: pixelated"/>'
    "</body></html>"
)


def warm_up(app) -> float:
    """Make ready, once per server worker, what issuing the first memo would wait for.

    WeasyPrint and its font stack (Pango, fontconfig, HarfBuzz) load on first use, the memo
    stylesheet registers its four bundled font files, the QR code's libraries load and Jinja
    compiles the memo templates: in a fresh worker the first memo took seconds, the next ones
    a tenth of that. Called where a process starts serving (gunicorn.conf.py's
    post_worker_init; wsgi.py under `flask run`), never by tests or other CLI commands.
    Returns the seconds it took.
    """
    from pilotmgr.memos import render  # render imports this module

    started = time.perf_counter()
    with app.app_context():
        for name in app.jinja_env.list_templates(filter_func=lambda n: n.startswith("memos/")):
            app.jinja_env.get_template(name)
        qr = render.qr_png("pilotmgr")
        render_pdf(
            _WARM_UP_HTML.format(qr=render_url(render.QR_FILE)),
            css=render.stylesheet(for_pdf=True),
            resources={render.QR_FILE: (qr, "image/png")},
        )
    seconds = time.perf_counter() - started
    log.info("memo renderer ready in %.2f s", seconds)
    return seconds
