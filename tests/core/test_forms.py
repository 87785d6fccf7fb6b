"""Forms take numbers and dates as people write them and name errors by their labels."""

from datetime import date
from decimal import Decimal

import pytest

from pilotmgr.core.forms import parse_day
from pilotmgr.pilots.forms import KpiForm


def _kpi_form(app, lang: str, **data):
    with app.test_request_context(
        "/", method="POST", data=data, headers={"Cookie": f"lang={lang}"}
    ):
        form = KpiForm(meta={"csrf": False})
        form.validate()
        return form.data, {k: [str(m) for m in v] for k, v in form.errors.items()}


@pytest.mark.parametrize(
    ("lang", "typed", "number"),
    [
        ("vi", "12,5", Decimal("12.5")),
        ("vi", "1.200.000", Decimal("1200000")),
        ("vi", "1.200.000,75", Decimal("1200000.75")),
        ("vi", "-3,25", Decimal("-3.25")),
        ("en", "12.5", Decimal("12.5")),
        ("en", "1,200,000", Decimal("1200000")),
    ],
)
def test_numbers_are_read_the_way_the_readers_language_writes_them(app, lang, typed, number):
    data, errors = _kpi_form(app, lang, name="Tỷ lệ", baseline=typed, direction="increase")
    assert errors == {}
    assert data["baseline"] == number


@pytest.mark.parametrize(("lang", "typed"), [("vi", "12.5"), ("vi", "1,200,000"), ("en", "12,5")])
def test_a_number_in_the_other_languages_form_is_refused_with_an_example(app, lang, typed):
    _data, errors = _kpi_form(app, lang, name="Tỷ lệ", baseline=typed, direction="increase")
    example = "1.200.000,5" if lang == "vi" else "1,200,000.5"
    assert errors["baseline"] and example in errors["baseline"][0]


def test_vietnamese_messages_never_name_a_field_by_its_code(app):
    _data, errors = _kpi_form(app, "vi", name="", baseline="x", direction="sideways")
    assert errors["name"] == ["Trường này là bắt buộc."]
    assert errors["baseline"] == ["Hãy nhập số theo dạng 1.200.000,5."]
    assert errors["direction"] == ["Lựa chọn không hợp lệ."]


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("31/12/2026", date(2026, 12, 31)),
        ("1/2/2027", date(2027, 2, 1)),
        ("31-12-2026", date(2026, 12, 31)),
        ("31.12.2026", date(2026, 12, 31)),
        ("2026-12-31", date(2026, 12, 31)),
    ],
)
def test_dates_are_read_day_first_or_iso(typed, day):
    assert parse_day(typed) == day


@pytest.mark.parametrize(
    "typed",
    [
        "31/02/2026",
        "12/31/26",
        "2026-13-01",
        "01/01/9999",
        "31/12/1899",
        "01/01/2201",
        "0001-01-01",
        "hôm nay",
        "٣١/١٢/٢٠٢٦",
    ],
)
def test_impossible_or_far_dates_are_refused(typed):
    assert parse_day(typed) is None


@pytest.mark.parametrize(
    ("typed", "day"), [("01/01/1900", date(1900, 1, 1)), ("2200-12-31", date(2200, 12, 31))]
)
def test_the_first_and_last_years_are_taken(typed, day):
    assert parse_day(typed) == day
