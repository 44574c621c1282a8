"""Dates, numbers and money shown and typed in the user's locale (Babel).

Dates are typed in the locale's short numeric order with a four-digit year
(``dd/mm/aaaa`` in Spanish and Portuguese); ISO ``yyyy-mm-dd`` is always
accepted too, so a pasted date from a spreadsheet works in any language.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from obrero.i18n.catalogues import current_language

_COUNTRY_LOCALES = {"es": {"AR": "es_AR", "VE": "es_VE", "UY": "es_UY", "MX": "es_MX"}}


def babel_locale(language: str | None = None, country: str | None = None) -> Locale:
    """The Babel locale for a UI/document language, refined by the factory's country."""
    language = language or current_language()
    code = _COUNTRY_LOCALES.get(language, {}).get(country or "", language)
    return Locale.parse(code)


def date_pattern(language: str | None = None) -> str:
    """The locale's short numeric date pattern with two-digit day/month, four-digit year."""
    pattern = babel_dates.get_date_format("short", locale=babel_locale(language)).pattern
    pattern = re.sub(r"y+", "yyyy", pattern)
    pattern = re.sub(r"(?<!d)d(?!d)", "dd", pattern)
    return re.sub(r"(?<!M)M(?!M)", "MM", pattern)


def date_placeholder(language: str | None = None) -> str:
    """What to show in an empty date field, e.g. ``dd/mm/aaaa``."""
    from obrero.i18n.catalogues import _

    # Translators: letters standing for day, month and year in a date field hint.
    day, month, year = _("d"), _("m"), _("y")
    pattern = date_pattern(language)
    return pattern.replace("dd", day * 2).replace("MM", month * 2).replace("yyyy", year * 4)


def format_date(value: date | None, language: str | None = None) -> str:
    if value is None:
        return ""
    return babel_dates.format_date(value, date_pattern(language), locale=babel_locale(language))


def parse_date(text: str, language: str | None = None) -> date | None:
    """Read a typed date; ``None`` for an empty field, ``ValueError`` if it is no date."""
    text = text.strip()
    if not text:
        return None
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
        return date(year, month, day)
    parts = re.fullmatch(r"(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})", text)
    if not parts:
        raise ValueError(text)
    order = [field[0] for field in re.findall(r"d+|M+|y+", date_pattern(language))]
    values = dict(zip(order, (int(part) for part in parts.groups()), strict=True))
    year = values["y"]
    if year < 100:
        year += 2000
    elif year < 1000:
        raise ValueError(text)
    return date(year, values["M"], values["d"])


def month_names(language: str | None = None) -> list[str]:
    """The twelve months as named standing alone, capitalised ("Enero" ... "Diciembre")."""
    names = babel_dates.get_month_names("wide", "stand-alone", locale=babel_locale(language))
    return [names[month][:1].upper() + names[month][1:] for month in range(1, 13)]


def format_month(year: int, month: int, language: str | None = None) -> str:
    """A month as a period is named: "Octubre 2026", "Outubro 2026", "October 2026"."""
    text = babel_dates.format_date(date(year, month, 1), "LLLL y", locale=babel_locale(language))
    return text[:1].upper() + text[1:]


def format_datetime(moment: datetime, time_zone: str, language: str | None = None) -> str:
    """A UTC moment shown in the factory's time zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(ZoneInfo(time_zone))
    time_text = babel_dates.format_time(local, "HH:mm", locale=babel_locale(language))
    return f"{format_date(local.date(), language)} {time_text}"


def format_number(
    value: Decimal | int | float, language: str | None = None, country: str | None = None
) -> str:
    return babel_numbers.format_decimal(value, locale=babel_locale(language, country))


def format_money(
    amount: Decimal, currency: str, language: str | None = None, country: str | None = None
) -> str:
    """An amount with its currency, as written where the factory is ("$ 1.234,50" in AR)."""
    return babel_numbers.format_currency(amount, currency, locale=babel_locale(language, country))


def parse_number(text: str, language: str | None = None, country: str | None = None) -> Decimal:
    """A typed number in the locale's way ("1.234,5" in Spanish); ``ValueError`` if it is none.

    A plain "8.5" is read as eight and a half in any language when it cannot be a
    thousands separator, so a pasted English number works too.
    """
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if not cleaned:
        raise ValueError(text)
    locale = babel_locale(language, country)
    try:
        return Decimal(babel_numbers.parse_decimal(cleaned, locale=locale, strict=True))
    except babel_numbers.NumberFormatError:
        if re.fullmatch(r"-?\d+\.\d{1,2}", cleaned):
            return Decimal(cleaned)
        raise ValueError(text) from None
