"""Dates in words and the place line, as Decree 30 writes them."""

from __future__ import annotations

from datetime import date

from pilotmgr.memos.render import date_in_words
from pilotmgr.memos.snapshot import place_of
from pilotmgr.units.models import Unit


def test_days_below_ten_and_months_one_and_two_take_a_leading_zero():
    assert date_in_words(date(2026, 11, 22), "vi") == "ngày 22 tháng 11 năm 2026"
    assert date_in_words(date(2027, 1, 5), "vi") == "ngày 05 tháng 01 năm 2027"
    assert date_in_words(date(2027, 3, 9), "vi") == "ngày 09 tháng 3 năm 2027"
    assert date_in_words(date(2027, 2, 14), "en") == "14 February 2027"


def test_the_place_is_the_province_or_city_above_the_unit_or_the_capital():
    ward = Unit(name="Phường Kinh Bắc")
    province = Unit(name="Tỉnh Bắc Ninh")
    city = Unit(name="Thành phố Hồ Chí Minh")
    ministry = Unit(name="Bộ Khoa học và Công nghệ")
    assert place_of([ward, province, ministry]) == "Bắc Ninh"
    assert place_of([city, ministry]) == "Hồ Chí Minh"
    assert place_of([ministry]) == "Hà Nội"
