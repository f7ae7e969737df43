import datetime as dt
import decimal

import pytest

from shelter_monitor.formatting import (
    format_date,
    format_datetime,
    format_decimal,
    format_figure,
    format_number,
    format_percent,
)

NBSP = "\u00a0"


@pytest.mark.parametrize("value, places, uk, en", [
    (2391.103, None, f"2{NBSP}391,103", "2,391.103"),
    (1154, None, f"1{NBSP}154", "1,154"),
    (1234567.5, 0, f"1{NBSP}234{NBSP}568", "1,234,568"),
    (decimal.Decimal("473.479"), None, "473,479", "473.479"),
    (0, None, "0", "0"),
    (-12.5, None, "-12,5", "-12.5"),
])
def test_number_in_both_languages(value, places, uk, en):
    assert format_number(value, "uk", places) == uk
    assert format_number(value, "en", places) == en


def test_decimal_has_a_fixed_number_of_places():
    assert format_decimal(63.94, "uk") == "63,9"
    assert format_decimal(63.94, "en") == "63.9"
    assert format_decimal(7, "uk", 2) == "7,00"
    assert format_decimal(2391.1, "en", 2) == "2,391.10"


def test_percent_from_a_share():
    assert format_percent(0.639, "uk") == "64%"
    assert format_percent(0.639, "en") == "64%"
    assert format_percent(0.6394, "uk", 1) == "63,9%"
    assert format_percent(0.6394, "en", 1) == "63.9%"
    assert format_percent(1, "en") == "100%"


def test_no_value_is_missing():
    assert format_number(None, "uk") == "—"
    assert format_percent(None, "en", missing="n/a") == "n/a"
    assert format_date(None, "en", missing="") == ""
    assert format_datetime(None, "uk") == "—"


def test_dates_in_the_readers_language():
    day = dt.date(2020, 10, 15)
    assert format_date(day, "uk", "long") == "15 жовтня 2020\u202fр."
    assert format_date(day, "en", "long") == "October 15, 2020"
    assert format_date(day, "uk", "short") == "15.10.20"
    assert format_date(day, "en", "d MMMM y") == "15 October 2020"
    assert format_date(dt.datetime(2020, 10, 15, 23, 0), "uk", "short") == "15.10.20"


def test_datetimes_are_taken_as_utc():
    moment = dt.datetime(2020, 10, 15, 13, 5)
    assert format_datetime(moment, "uk", "short") == "15.10.20, 13:05"
    assert format_datetime(moment, "en", "short") == "10/15/20, 1:05\u202fPM"
    kyiv = dt.timezone(dt.timedelta(hours=3))
    assert format_datetime(moment, "uk", "short", tzinfo=kyiv) == "15.10.20, 16:05"


@pytest.mark.parametrize("value, kind, uk, en", [
    (0.639, "share", "64%", "64%"),
    (12.34, "days", "12,3", "12.3"),
    (2391, "count", f"2{NBSP}391", "2,391"),
    (None, "count", "—", "—"),
])
def test_figure_by_indicator_kind(value, kind, uk, en):
    assert format_figure(value, kind, "uk") == uk
    assert format_figure(value, kind, "en") == en
