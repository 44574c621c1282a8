"""Locale formatting (dates, numbers, money) and choosing the language."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from obrero.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    current_language,
    language_from_environment,
    set_language,
)
from obrero.i18n.formatting import (
    babel_locale,
    date_pattern,
    date_placeholder,
    format_date,
    format_datetime,
    format_money,
    format_number,
    parse_date,
)


@pytest.mark.parametrize(
    ("language", "pattern"), [("es", "dd/MM/yyyy"), ("pt_BR", "dd/MM/yyyy"), ("en", "MM/dd/yyyy")]
)
def test_date_pattern(language, pattern):
    assert date_pattern(language) == pattern


def test_date_placeholder_follows_the_pattern():
    assert date_placeholder("en") == "mm/dd/yyyy"
    assert date_placeholder("es") == "dd/mm/yyyy"


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("es", "06/10/2025", date(2025, 10, 6)),
        ("pt_BR", "06/10/2025", date(2025, 10, 6)),
        ("en", "10/06/2025", date(2025, 10, 6)),
        ("es", "6/10/25", date(2025, 10, 6)),
        ("en", "10/6/25", date(2025, 10, 6)),
        ("es", "06.10.2025", date(2025, 10, 6)),
        ("pt_BR", "06-10-2025", date(2025, 10, 6)),
        ("es", " 2025-10-06 ", date(2025, 10, 6)),
        ("pt_BR", "2025-10-06", date(2025, 10, 6)),
        ("en", "2025-10-06", date(2025, 10, 6)),
        ("es", "29/02/2024", date(2024, 2, 29)),
    ],
)
def test_parse_date(language, text, expected):
    assert parse_date(text, language) == expected


@pytest.mark.parametrize("text", ["", "   "])
def test_parse_empty_date_is_none(text):
    assert parse_date(text, "es") is None


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("es", "31/02/2025"),
        ("es", "29/02/2025"),
        ("en", "31/02/2025"),  # month 31
        ("es", "abc"),
        ("es", "06/10"),
        ("es", "2025-02-31"),
        ("es", "06/10/202"),  # three-digit year
        ("es", "1/2/3/4"),
    ],
)
def test_parse_bad_date_raises(language, text):
    with pytest.raises(ValueError):
        parse_date(text, language)


def test_parse_and_format_use_the_ui_language_by_default():
    assert current_language() == "en"
    assert parse_date("10/06/2025") == date(2025, 10, 6)
    assert format_date(date(2025, 10, 6)) == "10/06/2025"
    set_language("es")
    assert parse_date("10/06/2025") == date(2025, 6, 10)
    assert format_date(date(2025, 10, 6)) == "06/10/2025"


@pytest.mark.parametrize(
    ("language", "expected"), [("es", "06/10/2025"), ("pt_BR", "06/10/2025"), ("en", "10/06/2025")]
)
def test_format_date(language, expected):
    assert format_date(date(2025, 10, 6), language) == expected
    assert format_date(None, language) == ""


@given(
    day=st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)),
    language=st.sampled_from(sorted(LANGUAGES)),
)
def test_format_then_parse_round_trips(day, language):
    assert parse_date(format_date(day, language), language) == day


def test_format_datetime_in_the_factory_zone():
    moment = datetime(2025, 10, 6, 2, 30, tzinfo=UTC)
    assert format_datetime(moment, "America/Argentina/Buenos_Aires", "es") == "05/10/2025 23:30"
    assert format_datetime(moment.replace(tzinfo=None), "UTC", "en") == "10/06/2025 02:30"


def test_format_money_spanish_grouping():
    text = format_money(Decimal("1234.50"), "ARS", "es")
    assert "1.234,50" in text


def test_format_money_argentine_locale():
    assert str(babel_locale("es", "AR")) == "es_AR"
    assert str(babel_locale("pt_BR", "AR")) == "pt_BR"
    text = format_money(Decimal("1234.5"), "ARS", "es_AR")
    assert "1.234,50" in text and "$" in text


def test_format_money_brazilian():
    text = format_money(Decimal("1234.5"), "BRL", "pt_BR")
    assert text.startswith("R$")
    assert "1.234,50" in text


def test_format_money_english_and_exact_decimals():
    assert format_money(Decimal("0.1") + Decimal("0.2"), "USD", "en") == "$0.30"
    assert format_money(Decimal("1234567.89"), "ARS", "en").endswith("1,234,567.89")


def test_format_number():
    assert format_number(Decimal("1234.5"), "en") == "1,234.5"
    assert format_number(Decimal("1234.5"), "pt_BR") == "1.234,5"


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANGUAGE": "pt_BR:en"}, "pt_BR"),
        ({"LANG": "es_AR.UTF-8"}, "es"),
        ({"LANG": "C"}, DEFAULT_LANGUAGE),
        ({"LANG": "POSIX"}, DEFAULT_LANGUAGE),
        ({"LANG": "C.UTF-8"}, DEFAULT_LANGUAGE),
        ({}, DEFAULT_LANGUAGE),
        ({"LANG": "pt_PT"}, "pt_BR"),
        ({"LANG": "en_US"}, "en"),
        ({"LANG": "en_US.UTF-8@euro"}, "en"),
        ({"LANGUAGE": "fr:en", "LANG": "es_AR.UTF-8"}, "en"),
        ({"LANGUAGE": "", "LC_ALL": "pt_BR.UTF-8", "LANG": "en_US"}, "pt_BR"),
        ({"LC_MESSAGES": "en_GB", "LANG": "es_ES"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, DEFAULT_LANGUAGE),
    ],
)
def test_language_from_environment(environ, language):
    assert language_from_environment(environ) == language


def test_default_language_is_spanish():
    assert DEFAULT_LANGUAGE == "es"


def test_language_from_real_environment(monkeypatch):
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "pt_BR.UTF-8")
    assert language_from_environment() == "pt_BR"


def test_set_language_refuses_unknown():
    with pytest.raises(ValueError):
        set_language("fr")
    assert current_language() == "en"
    set_language("pt_BR")
    assert current_language() == "pt_BR"
