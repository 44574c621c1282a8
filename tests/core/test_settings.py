"""Preferences stored in the database: operator name and UI language."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from obrero import settings
from obrero.errors import ValidationError
from obrero.settings import Settings


@pytest.fixture
def brazilian_environment(monkeypatch):
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "pt_BR.UTF-8")


def test_defaults_before_anything_is_saved(db, brazilian_environment):
    assert db.read(settings.get_settings) == Settings(operator_name="", ui_language="pt_BR")


def test_save_and_read_back(db, sql, db_path, brazilian_environment):
    saved = db.write(settings.save_settings, Settings(" Marta  Gómez ", "es"))
    assert saved == Settings("Marta Gómez", "es")
    assert db.read(settings.get_settings) == saved
    assert sorted(sql(db_path, "SELECT key, value FROM setting")) == [
        ("operator_name", "Marta Gómez"),
        ("ui_language", "es"),
    ]
    db.write(settings.save_settings, Settings("Juan", "en"))
    assert db.read(settings.get_settings) == Settings("Juan", "en")
    assert len(sql(db_path, "SELECT * FROM setting")) == 2


def test_unknown_stored_language_falls_back_to_the_environment(
    db, sql, db_path, brazilian_environment
):
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute("INSERT INTO setting (key, value) VALUES ('ui_language', 'fr')")
        connection.commit()
    assert db.read(settings.get_settings).ui_language == "pt_BR"


def test_invalid_settings_are_refused(db, sql, db_path):
    with pytest.raises(ValidationError) as refused:
        db.write(settings.save_settings, Settings("Marta", "fr"))
    assert (refused.value.field, refused.value.message) == (
        "ui_language",
        "Choose a language from the list.",
    )
    with pytest.raises(ValidationError) as refused:
        db.write(settings.save_settings, Settings("x" * 201, "es"))
    assert (refused.value.field, refused.value.message) == (
        "operator_name",
        "The operator name is too long.",
    )
    assert sql(db_path, "SELECT count(*) FROM setting") == [(0,)]


def test_backups_to_keep_defaults_to_fourteen_and_is_stored(db, sql, db_path):
    from obrero.exchange.backups import stored_keep

    assert db.read(settings.get_settings).backups_to_keep == 14
    assert stored_keep(db_path) == 14

    saved = db.write(settings.save_settings, Settings("Marta", "es", backups_to_keep=30))

    assert saved.backups_to_keep == 30
    assert db.read(settings.get_settings) == Settings("Marta", "es", 30)
    assert sql(db_path, "SELECT value FROM setting WHERE key = 'backups_to_keep'") == [("30",)]
    # The backups module reads it without the store, before the window opens it.
    assert stored_keep(db_path) == 30
    # Back to the default: the row stays, so the change is stored (and audited).
    db.write(settings.save_settings, Settings("Marta", "es"))
    assert stored_keep(db_path) == 14
    assert sql(db_path, "SELECT value FROM setting WHERE key = 'backups_to_keep'") == [("14",)]


@pytest.mark.parametrize("keep", [0, 366, -1, True, "7"])
def test_backups_to_keep_out_of_range_is_refused(db, sql, db_path, keep):
    with pytest.raises(ValidationError) as refused:
        db.write(settings.save_settings, Settings("Marta", "es", backups_to_keep=keep))

    assert (refused.value.field, refused.value.message) == (
        "backups_to_keep",
        "Keep between 1 and 365 backups.",
    )
    assert sql(db_path, "SELECT count(*) FROM setting") == [(0,)]


@pytest.mark.parametrize("stored", ["0", "400", "many", ""])
def test_a_bad_stored_backups_to_keep_reads_as_the_default(db, db_path, stored):
    from obrero.exchange.backups import stored_keep

    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute(
            "INSERT INTO setting (key, value) VALUES ('backups_to_keep', ?)", (stored,)
        )
        connection.commit()

    assert db.read(settings.get_settings).backups_to_keep == 14
    assert stored_keep(db_path) == 14
