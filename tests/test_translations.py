"""Vietnamese first: every UI string has a Vietnamese translation, and pages use it."""

import re
from pathlib import Path

from babel.messages.pofile import read_po

CATALOG = (
    Path(__file__).resolve().parent.parent / "pilotmgr/translations/vi/LC_MESSAGES/messages.po"
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
#: A "%" that is neither a placeholder nor "%%" breaks Jinja's formatting of the message.
STRAY_PERCENT = re.compile(r"%(?!\(\w+\)[sd]|%)")


def _messages():
    with CATALOG.open("rb") as handle:
        return [m for m in read_po(handle, locale="vi") if m.id]


def test_every_message_has_a_vietnamese_translation():
    untranslated = [m.id for m in _messages() if not m.string]
    assert untranslated == []


def test_translations_keep_their_placeholders():
    wrong = [
        m.id
        for m in _messages()
        if isinstance(m.id, str)
        and sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))
    ]
    assert wrong == []


def test_translations_have_no_stray_percent_signs():
    stray = [
        m.id
        for m in _messages()
        if isinstance(m.string, str) and STRAY_PERCENT.search(m.string.replace("%%", ""))
    ]
    assert stray == []


def test_login_page_speaks_vietnamese_by_default_and_english_on_request(client):
    assert "Đăng nhập" in client.get("/login").get_data(as_text=True)
    client.set_cookie("lang", "en")
    assert "Log in" in client.get("/login").get_data(as_text=True)


def test_a_user_who_chose_english_sees_english(app, login, make):
    user = make.user("staff", lang="en")
    page = login(user).get("/my-work").get_data(as_text=True)
    assert "My work" in page


def test_the_settings_page_offers_language_mail_preference_and_calendar(app, login, make):
    page = login(make.user("staff")).get("/settings").get_data(as_text=True)
    assert "<title>Cài đặt" in page
    assert page.count('id="calendar-url"') == 1
    assert 'name="email_mode"' in page
