"""Numbers, percentages and dates as a reader of the given language writes them (Babel, from CLDR).

The one formatter for pages, the deck, the PDF and XLSX labels: "63,9" and "2 391" (a no-break space) in
Ukrainian, "63.9" and "2,391" in English. The locale is always passed in ("uk", "en" or a babel Locale), so this
module needs no request and imports no Flask; the web layer passes the reader's locale through its Jinja filters.

A value of None is "no data" and comes back as `missing`. Rounding is Babel's (half-even on the decimal value).
"""
import copy
import datetime as dt
import decimal
from numbers import Real

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.numbers import NumberPattern

MISSING = "—"

Number = Real | decimal.Decimal


def _locale(locale: Locale | str) -> Locale:
    return locale if isinstance(locale, Locale) else Locale.parse(locale)


def _pattern(base: NumberPattern, places: int | None) -> NumberPattern:
    """The locale's own pattern (its grouping and symbols) with exactly `places` fraction digits."""
    if places is None:
        return base
    fixed = copy.copy(base)
    fixed.frac_prec = (places, places)
    return fixed


def format_number(value: Number | None, locale: Locale | str, places: int | None = None,
                  missing: str = MISSING) -> str:
    """A number with the locale's grouping and decimal sign: up to three fraction digits as given
    (2391.103 -> "2 391,103" in uk), or exactly `places` of them (places=0 rounds to a whole number)."""
    if value is None:
        return missing
    loc = _locale(locale)
    return _pattern(loc.decimal_formats[None], places).apply(value, loc)


def format_decimal(value: Number | None, locale: Locale | str, places: int = 1, missing: str = MISSING) -> str:
    """A number with a fixed number of fraction digits: 63.94 -> "63,9" (uk), "63.9" (en) with places=1."""
    return format_number(value, locale, places, missing)


def format_percent(share: Number | None, locale: Locale | str, places: int = 0, missing: str = MISSING) -> str:
    """A share (0..1) as a percentage in the locale's pattern: 0.639 -> "64%"; with places=1 "63,9%" (uk)."""
    if share is None:
        return missing
    loc = _locale(locale)
    return _pattern(loc.percent_formats[None], places).apply(share, loc)


def format_date(day: dt.date | dt.datetime | None, locale: Locale | str, format: str = "medium",
                missing: str = MISSING) -> str:
    """A date in the locale's "short", "medium", "long" or "full" format, or a CLDR pattern such as "d MMMM y"
    (uk medium: "15 жовт. 2020 р."; en: "Oct 15, 2020")."""
    if day is None:
        return missing
    if isinstance(day, dt.datetime):
        day = day.date()
    return babel_format_date(day, format, locale=_locale(locale))


def format_datetime(moment: dt.datetime | None, locale: Locale | str, format: str = "medium",
                    tzinfo: dt.tzinfo | None = None, missing: str = MISSING) -> str:
    """A date and time in the locale's format. A naive datetime is taken as UTC (the database's times are);
    `tzinfo` converts it for display (none: shown in UTC)."""
    if moment is None:
        return missing
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return babel_format_datetime(moment, format, tzinfo=tzinfo or dt.UTC, locale=_locale(locale))


def format_figure(value: Number | None, kind: str, locale: Locale | str, missing: str = MISSING) -> str:
    """An indicator's value by its kind (dashboards.indicators.IndicatorSpec.kind): "share" as a whole
    percentage, "days" with one decimal, "count" (and anything else) as a grouped number."""
    if kind == "share":
        return format_percent(value, locale, 0, missing)
    if kind == "days":
        return format_decimal(value, locale, 1, missing)
    return format_number(value, locale, missing=missing)
