"""Numbers and dates as the reader writes them: one display format per language, everywhere."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import format_date, format_decimal


def format_day(day, fmt: str = "dd/MM/yyyy") -> str:
    """Dates as Vietnamese offices write them; the numeric default skips Babel (hot in lists)."""
    if not day:
        return ""
    if fmt == "dd/MM/yyyy":
        return day.strftime("%d/%m/%Y")
    return format_date(day, fmt)


def format_number(value, empty: str = "—") -> str:
    """A number the reader's way: 450.000.000 and 12,5 in Vietnamese; no trailing zeros."""
    if value is None or value == "":
        return empty
    if isinstance(value, Decimal) and value == value.to_integral():
        value = value.quantize(Decimal(1))  # 38.0000 → 38, not 3.8E+1
    return format_decimal(value, format="#,##0.####")


def format_percent(value, empty: str = "—") -> str:
    """A percentage figure (already × 100) with its sign: "12,5 %"."""
    if value is None or value == "":
        return empty
    return f"{format_number(value)}\u00a0%"
