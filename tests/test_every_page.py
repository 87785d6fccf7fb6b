"""One language at a time: every page of every demo role, crawled, holds no word of the other.

English is told from the catalogue itself: a word of an English msgid that occurs in no
Vietnamese msgstr and in none of the demo data's free text is English, wherever it shows up
on a Vietnamese page (visible text and the attributes people read). The other way round, a
Vietnamese msgstr of several words appearing verbatim on an English page is a string left
untranslated. Downloads, logout and the language switch are not followed.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import String, Text, select

from tests.conftest import CSRF_RE, _empty_tables

CATALOGUE = Path(__file__).resolve().parent.parent / "pilotmgr/translations/vi/LC_MESSAGES"
ROLES = {
    "anonymous": None,
    "admin": "admin@demo.gov.vn",
    "head": "head@demo.gov.vn",
    "head.bacninh": "head.bacninh@demo.gov.vn",
    "lead": "lead@demo.gov.vn",
    "staff": "staff@demo.gov.vn",
    "viewer": "viewer@demo.gov.vn",
}
#: Names and abbreviations the Vietnamese UI uses as they are.
ALLOWED = {"pilotmgr", "kpi", "pdf", "csv", "xlsx", "qr", "sha", "excel", "url", "id", "ics"}
#: Not followed: they download a file, end the session, switch the language or are no page.
SKIPPED = re.compile(
    r"^/(logout|lang/|static/|api/|exports/|evidence/|calendar/|import/template)"
    r"|\.(pdf|ics|csv|xlsx)$"
)
#: How many pages of one address pattern (digits and query values aside) a role visits.
PER_PATTERN = 2
MAX_PAGES = 80
#: Attributes a person reads (or hears from a screen reader).
READ_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
NOT_TEXT = {"script", "style", "code", "kbd", "samp"}
NOT_WORDS = re.compile(
    r"[\w.+-]+@[\w-]+(\.[\w-]+)+"  # e-mail addresses
    r"|https?://\S+|/[\w./%?=&#-]*"  # addresses and paths
    r"|\b[0-9a-f]{16,}\b"  # fingerprints
)
WORD = re.compile(r"[^\W\d_]+")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%|<[^>]+>")


class Page(HTMLParser):
    """The links of a page, and the text a person reads on it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.texts: list[str] = []
        self._hidden = 0
        #: Elements marked with a language of their own (the switch "English" / "Tiếng Việt").
        self._foreign: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in NOT_TEXT:
            self._hidden += 1
        if tag != "html" and values.get("lang"):
            self._foreign.append(tag)
            self._hidden += 1
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        self.texts += [values[a] for a in READ_ATTRIBUTES if values.get(a)]
        if tag == "input" and values.get("type") in ("submit", "button", "reset"):
            self.texts.append(values.get("value") or "")

    def handle_endtag(self, tag):
        if tag in NOT_TEXT and self._hidden:
            self._hidden -= 1
        if self._foreign and tag == self._foreign[-1]:
            self._foreign.pop()
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(t.split()) for t in self.texts)


def words(text: str) -> set[str]:
    """The lower-case ASCII words of a text, its addresses, paths and fingerprints left out."""
    text = NOT_WORDS.sub(" ", text)
    return {w.lower() for w in WORD.findall(text) if w.isascii() and len(w) > 1}


def _catalogue():
    with (CATALOGUE / "messages.po").open("rb") as handle:
        return [m for m in read_po(handle, locale="vi") if m.id]


def _texts(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def demo_texts(db) -> list[str]:
    """The free text of the demo data (names, titles, notes): what users wrote, not codes."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            found += [v for v in row if isinstance(v, str) and (" " in v or not v.isascii())]
    return found


def english_words(demo: list[str]) -> set[str]:
    english, vietnamese = set(), set()
    for message in _catalogue():
        for msgid in _texts(message.id):
            english |= words(PLACEHOLDER.sub(" ", msgid))
        for msgstr in _texts(message.string):
            vietnamese |= words(PLACEHOLDER.sub(" ", msgstr))
    in_demo = set().union(*(words(t) for t in demo))
    return english - vietnamese - in_demo - ALLOWED


def vietnamese_phrases(demo: list[str]) -> set[str]:
    """Pieces of Vietnamese msgstrs (between placeholders) of two words or more."""
    corpus = "\n".join(demo)
    found = set()
    for message in _catalogue():
        for msgid, msgstr in zip(_texts(message.id), _texts(message.string), strict=False):
            if not msgstr or msgstr == msgid:
                continue
            for piece in PLACEHOLDER.split(msgstr):
                piece = " ".join(piece.strip(" :.,;()“”\"'«»-–—…").split())
                if len(piece.split()) >= 2 and not piece.isascii() and piece not in corpus:
                    found.add(piece)
    return found


def pattern(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted({k for k, _v in parse_qsl(parts.query)})
    return re.sub(r"[0-9a-f]{16,}|\d+", "#", parts.path) + "?" + "&".join(keys)


class Crawler:
    def __init__(self, client, lang: str):
        self.client = client
        #: A memo previewed in the other language is a document in that language, on purpose.
        self.other_lang = "lang=" + ("en" if lang == "vi" else "vi")
        self.pages: dict[str, tuple[int, Page]] = {}

    def get(self, url: str) -> tuple[int, Page]:
        # Redirects are followed as a browser does: their own bodies are never read.
        response = self.client.get(url, follow_redirects=True)
        page = Page()
        page.feed(response.get_data(as_text=True))
        self.pages[url] = (response.status_code, page)
        return response.status_code, page

    def crawl(self, start: list[str]) -> None:
        queue, seen = deque(start), {}
        while queue and len(self.pages) < MAX_PAGES:
            url = queue.popleft()
            if url in self.pages:
                continue
            status, page = self.get(url)
            if status != 200:
                continue
            for href in page.links:
                parts = urlsplit(urljoin("http://localhost" + url, href))
                if parts.netloc != "localhost" or SKIPPED.search(parts.path):
                    continue
                if self.other_lang in parts.query.split("&"):
                    continue
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                key = pattern(target)
                if (
                    target not in self.pages
                    and target not in queue
                    and seen.get(key, 0) < (PER_PATTERN)
                ):
                    seen[key] = seen.get(key, 0) + 1
                    queue.append(target)


@pytest.fixture(scope="module")
def demo(_app):
    """The demo organisation, loaded once for this module's crawls."""
    from devtools.demo.data import load_demo
    from pilotmgr.extensions import db

    with _app.app_context():
        load_demo()
        db.session.commit()
        texts = demo_texts(db)
        yield {"english": english_words(texts), "phrases": vietnamese_phrases(texts)}
        _empty_tables()


def _user(email: str | None):
    from pilotmgr.auth.models import User
    from pilotmgr.extensions import db

    if email is None:
        return None
    return db.session.scalar(select(User).where(User.email == email))


def _logged_in(_app, email: str | None):
    from devtools.demo.catalog import PASSWORD

    client = _app.test_client()
    if email is None:
        return client
    token = CSRF_RE.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, f"{email} cannot log in"
    return client


def start_pages(user) -> list[str]:
    """The nav's pages, one pilot per stage the user may see, and what a GET can get wrong."""
    from pilotmgr.pilots.permissions import visible_pilots_clause

    if user is None:  # what anyone may open without signing in, or is sent from
        return ["/login", "/memos/verify", "/memos/verify/" + "0" * 64, "/pilots/", "/dashboard"]
    from pilotmgr.extensions import db
    from pilotmgr.pilots.models import Pilot

    query = select(Pilot.stage, Pilot.id).order_by(Pilot.id)
    clause = visible_pilots_clause(user)
    if clause is not None:
        query = query.where(clause)
    one_per_stage = {}
    for stage, pilot_id in db.session.execute(query):
        one_per_stage.setdefault(stage, f"/pilots/{pilot_id}")
    return [
        "/",
        "/my-work",
        *one_per_stage.values(),
        "/pilots/?start_date=31/02/2026&end_date=hôm+qua&stage=xyz&page=abc",
        "/dashboard?start=ngày+mai&end=2026-13-45&unit=KHONG-CO",
        "/search?q=%25_%00",
        "/notifications?page=999",
        # Beyond the id range: an OFFSET or an id the database cannot hold used to answer 500.
        "/notifications?page=99999999999999999999",
        "/pilots/?page=2147483648&per_page=²",
        "/dashboard?programme=99999999999999999999&start=01/01/9999",
        "/lessons?page=9223372036854775808",
        "/memos/verify/" + "0" * 64,
    ]


def error_pages(user) -> dict[str, int]:
    """Addresses that answer an error page: not found, not allowed, wrong method."""
    from pilotmgr.extensions import db
    from pilotmgr.pilots.models import Pilot
    from pilotmgr.pilots.permissions import can_view_pilot

    if user is None:
        return {"/no-such-page": 404}
    pages = {"/no-such-page": 404, "/pilots/999999": 404, "/logout": 405}
    hidden = next(
        (p for p in db.session.scalars(select(Pilot)) if not can_view_pilot(user, p)), None
    )
    if hidden is not None:
        pages[f"/pilots/{hidden.id}"] = 404
    if user.role != "admin":
        pages["/admin/users"] = 403
    return pages


def _report(found: dict[str, set[str]], what: str) -> str:
    lines = [f"{len(found)} pages hold {what}:"]
    lines += [f"  {url}: {', '.join(sorted(items))}" for url, items in sorted(found.items())]
    return "\n".join(lines)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_is_in_vietnamese(_app, demo, role):
    with _app.app_context():
        user = _user(ROLES[role])
        crawler = Crawler(_logged_in(_app, ROLES[role]), "vi")
        crawler.crawl(start_pages(user))
        wrong_status = {}
        for url, expected in error_pages(user).items():
            status, _page = crawler.get(url)
            if status != expected:
                wrong_status[url] = {f"{status} instead of {expected}"}
    failing = {u: {f"answered {s}"} for u, (s, _p) in crawler.pages.items() if s >= 500}
    english = {}
    for url, (_status, page) in crawler.pages.items():
        found = words(page.text) & demo["english"]
        if found:
            english[url] = found
    print(f"{role}: {len(crawler.pages)} pages read")
    assert not failing and not wrong_status, _report({**failing, **wrong_status}, "errors")
    assert len(crawler.pages) > (4 if user is None else 10), sorted(crawler.pages)
    assert not english, _report(english, "English words")


@pytest.mark.parametrize("role", ["admin", "head", "staff", "viewer"])
def test_every_page_of_the_role_in_english_holds_no_vietnamese_ui_string(_app, demo, role):
    from pilotmgr.extensions import db

    with _app.app_context():
        user = _user(ROLES[role])
        user.lang = "en"
        db.session.commit()
        try:
            crawler = Crawler(_logged_in(_app, user.email), "en")
            crawler.crawl(start_pages(user))
        finally:
            user.lang = "vi"
            db.session.commit()
    vietnamese = {}
    for url, (_status, page) in crawler.pages.items():
        text = page.text
        found = {phrase for phrase in demo["phrases"] if phrase in text}
        if found:
            vietnamese[url] = found
    assert len(crawler.pages) > 10, sorted(crawler.pages)
    assert not vietnamese, _report(vietnamese, "Vietnamese UI strings")


def test_the_detector_finds_the_english_the_issue_names(demo):
    """The words the issue found on Vietnamese pages count as English here."""
    for sample in (
        "No such pilot.",
        "issue tờ trình",
        "Thêm selection",
        "Vai trò: lead, staff",
        "in_progress",
        "baseline: 12,5",
    ):
        assert words(sample) & demo["english"], sample
    assert not words("Đồng chí Trần Thị Lan, Sở Y tế Hà Nội, KPI 12,5 %") & demo["english"]
