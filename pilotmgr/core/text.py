"""Text normalisation: NFC on the way in, a folded form for diacritics-insensitive search."""

import unicodedata

_SPECIAL = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(value):
    """Return `value` in Unicode NFC with surrounding white space removed; other types pass."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
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
