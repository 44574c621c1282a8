"""The factory profile: country defaults, tax ids, validation, storage."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import replace

import pytest

from obrero import audit, profile
from obrero.errors import ValidationErrors
from obrero.profile import Profile, cnpj_is_valid, cuit_is_valid, rif_is_valid


def good_profile(**changes: str) -> Profile:
    base = replace(
        profile.default_profile("AR"),
        name="Cooperativa de Trabajo La Forja Ltda.",
        tax_id="30-50001091-2",
        city="Avellaneda",
    )
    return replace(base, **changes)


@pytest.mark.parametrize(
    ("country", "zone", "currency", "language", "preset", "legal_form"),
    [
        (
            "AR",
            "America/Argentina/Buenos_Aires",
            "ARS",
            "es",
            "argentina",
            "Cooperativa de Trabajo",
        ),
        ("BR", "America/Sao_Paulo", "BRL", "pt_BR", "brazil", "Cooperativa de Trabalho"),
        ("VE", "America/Caracas", "VES", "es", "custom", "Cooperativa"),
        ("UY", "America/Montevideo", "UYU", "es", "custom", "Cooperativa de Trabajo"),
        ("MX", "America/Mexico_City", "MXN", "es", "custom", "Sociedad Cooperativa"),
    ],
)
def test_default_profile_per_country(country, zone, currency, language, preset, legal_form):
    defaults = profile.default_profile(country)
    assert defaults.country == country
    assert (defaults.time_zone, defaults.currency, defaults.document_language) == (
        zone,
        currency,
        language,
    )
    assert (defaults.statute_preset, defaults.legal_form) == (preset, legal_form)
    assert (defaults.name, defaults.tax_id) == ("", "")
    # Filling in a name makes it a valid profile.
    profile.validate_profile(replace(defaults, name="La Forja"))


def test_default_profile_of_another_country_keeps_the_country():
    other = profile.default_profile("OT")
    assert other.country == "OT"
    profile.validate_profile(replace(other, name="La Forja", tax_id="anything"))


@pytest.mark.parametrize(
    "cuit",
    ["20-17254359-7", "30-50001091-2", "20172543597", "30 50001091 2", "33-69345023-9"],
)
def test_valid_cuit(cuit):
    assert cuit_is_valid(cuit)


@pytest.mark.parametrize(
    "cuit",
    [
        "20-17254359-8",  # wrong check digit
        "30-50001091-3",
        "33-69345023-0",  # prefix 33 does not excuse a wrong check digit
        "23-12345678-0",
        "20-1725435-7",  # too short
        "20-172543597-7",  # too long
        "",
        "CUIT",
    ],
)
def test_invalid_cuit(cuit):
    assert not cuit_is_valid(cuit)


def test_cnpj():
    assert cnpj_is_valid("11.222.333/0001-81")
    assert cnpj_is_valid("11222333000181")
    assert not cnpj_is_valid("11.222.333/0001-82")
    assert not cnpj_is_valid("11.222.333/0001-91")
    assert not cnpj_is_valid("00.000.000/0000-00")
    assert not cnpj_is_valid("11.111.111/1111-11")
    assert not cnpj_is_valid("11.222.333/0001-8")


@pytest.mark.parametrize(
    ("rif", "valid"),
    [
        ("J-12345678-9", True),
        ("J123456789", True),
        (" v-12345678-0 ", True),
        ("G-20000001-5", True),
        ("X-12345678-9", False),
        ("J-1234567-9", False),
        ("J-12345678", False),
        ("12345678-9", False),
    ],
)
def test_rif_shape(rif, valid):
    assert rif_is_valid(rif) is valid


def test_good_profile_is_valid():
    profile.validate_profile(good_profile())
    profile.validate_profile(good_profile(tax_id=""))  # not known yet


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "The factory's name cannot be empty."),
        (
            {"tax_id": "30-50001091-3"},
            "tax_id",
            "30-50001091-3 is not a valid CUIT: check the digits.",
        ),
        (
            {"country": "BR", "tax_id": "11.222.333/0001-82"},
            "tax_id",
            "11.222.333/0001-82 is not a valid CNPJ: check the digits.",
        ),
        (
            {"country": "VE", "tax_id": "J-123"},
            "tax_id",
            "J-123 is not a valid RIF: check the digits.",
        ),
        ({"time_zone": "Mars/Base"}, "time_zone", "Mars/Base is not a known time zone."),
        ({"time_zone": ""}, "time_zone", " is not a known time zone."),
        (
            {"currency": "XYZ"},
            "currency",
            "XYZ is not a currency code (such as ARS or BRL).",
        ),
        ({"document_language": "fr"}, "document_language", "Choose a document language."),
        ({"country": "ZZ"}, "country", "Choose a country from the list."),
        ({"statute_preset": "france"}, "statute_preset", "Choose a statute preset."),
    ],
)
def test_validate_profile_names_the_field(changes, field, message):
    with pytest.raises(ValidationErrors) as refused:
        profile.validate_profile(good_profile(**changes))
    assert refused.value.by_field() == {field: message}


def test_validate_profile_reports_every_field():
    bad = good_profile(name="", time_zone="Mars/Base", currency="XYZ", document_language="de")
    with pytest.raises(ValidationErrors) as refused:
        profile.validate_profile(bad)
    assert set(refused.value.by_field()) == {"name", "time_zone", "currency", "document_language"}


def test_profile_is_none_before_first_run(db):
    assert db.read(profile.get_profile) is None


def test_save_and_get_profile(db):
    saved = db.write(
        profile.save_profile, good_profile(name="  La Forja  ", currency="ars", city=" Avellaneda")
    )
    assert saved == good_profile(name="La Forja", currency="ARS", city="Avellaneda")
    assert db.read(profile.get_profile) == saved


def test_invalid_profile_is_not_stored(db):
    with pytest.raises(ValidationErrors):
        db.write(profile.save_profile, good_profile(name=""))
    assert db.read(profile.get_profile) is None
    assert db.read(audit.count_audit_entries) == 0


def test_saving_twice_updates_the_single_row(db, sql, db_path):
    db.write(profile.save_profile, good_profile(name="La Forja"))
    db.write(profile.save_profile, good_profile(name="La Forja Ltda."))

    assert sql(db_path, "SELECT id, name FROM factory_profile") == [(1, "La Forja Ltda.")]
    update, insert = db.read(audit.audit_entries)
    assert (insert.table_name, insert.action, insert.row_key) == ("factory_profile", "insert", "1")
    assert (update.table_name, update.action, update.row_key) == ("factory_profile", "update", "1")
    assert update.changes == {"name": ("La Forja", "La Forja Ltda.")}
    assert update.changes_text() == "Name: La Forja → La Forja Ltda."
    raw = sql(db_path, "SELECT changes FROM audit_entry WHERE action = 'update'")
    assert json.loads(raw[0][0]) == {"name": ["La Forja", "La Forja Ltda."]}


def test_second_profile_row_is_refused_by_the_database(db, db_path):
    db.write(profile.save_profile, good_profile())
    with closing(sqlite3.connect(db_path)) as connection, pytest.raises(sqlite3.IntegrityError):
        connection.execute(
            "INSERT INTO factory_profile (id, name, legal_form, tax_id, registration_number,"
            " address, city, country, time_zone, currency, document_language, statute_preset)"
            " VALUES (2, 'x', '', '', '', '', '', 'AR', 'UTC', 'ARS', 'es', 'custom')"
        )


def test_times_are_shown_in_utc_until_the_factory_has_a_profile(db):
    assert db.read(profile.factory_time_zone) == "UTC"
    draft = replace(profile.default_profile("BR"), name="Flaskô")
    db.write(profile.save_profile, draft)
    assert db.read(profile.factory_time_zone) == "America/Sao_Paulo"
