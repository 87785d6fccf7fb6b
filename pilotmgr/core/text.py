"""Text normalisation: NFC on the way in, a folded form for diacritics-insensitive search."""

import re
import unicodedata

_SPECIAL = str.maketrans({"đ": "d", "Đ": "d"})
#: C0 and C1 control characters, DEL, and the Unicode line and paragraph separators.
_CONTROL = "\x00-\x1f\x7f-\x9f\u2028\u2029"
#: A run of white space holding at least one control character (CR, LF, tab, NUL …).
_BREAK_RUN = re.compile(rf"[^\S{_CONTROL}]*[{_CONTROL}][\s{_CONTROL}]*")
_LINE_BREAK = re.compile(r"\r\n?|[\u2028\u2029\x85]")
#: In multi-line text: every control character but the line feed.
_NOT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def nfc(value):
    """Return `value` in Unicode NFC with surrounding white space removed; other types pass."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    return value


def one_line(value):
    """`value` for a one-line field: line breaks, tabs and other control characters become
    one space (an Excel cell or a pasted title may hold them, and a mail header may not)."""
    if isinstance(value, str):
        return nfc(_BREAK_RUN.sub(" ", value))
    return value


def multi_line(value):
    """`value` for a multi-line field: line breaks kept (as LF), tabs become spaces, other
    control characters go (PostgreSQL refuses NUL; none of them shows on a page)."""
    if isinstance(value, str):
        lines = _LINE_BREAK.sub("\n", value).replace("\t", " ")
        return nfc(_NOT_NEWLINE.sub("", lines))
    return value


def fold(value: str | None) -> str:
    """Lower-case `value` and strip diacritics, so "Công nghệ số" matches "cong nghe so"."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value.translate(_SPECIAL))
    # Control characters (NUL among them, which PostgreSQL refuses in text) separate words.
    stripped = "".join(
        " " if category == "Cc" else ch
        for ch in decomposed
        if (category := unicodedata.category(ch)) != "Mn"
    )
    return " ".join(stripped.lower().split())
