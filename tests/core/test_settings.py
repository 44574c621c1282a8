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
