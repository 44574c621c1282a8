"""Shared fixtures of the core tests: a throwaway database, English messages, a fixed PC user.

Core tests never import PySide6 or ``ui``.
"""

from __future__ import annotations

import getpass
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from obrero.i18n import current_language, set_language
from obrero.members import MemberDraft
from obrero.store.database import Database, open_database

PC_USER = "pc-user"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages in English, so tests can compare them exactly."""
    previous = current_language()
    set_language("en")
    yield
    set_language(previous)


@pytest.fixture(autouse=True)
def pc_user(monkeypatch: pytest.MonkeyPatch) -> str:
    """The login name the audit trail falls back to, fixed whoever runs the tests."""
    monkeypatch.setattr(getpass, "getuser", lambda: PC_USER)
    return PC_USER


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "obrero.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """A new database at head, with no operator override."""
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def make_draft() -> Callable[..., MemberDraft]:
    """``make_draft(full_name=..., ...)``: a valid member draft with the given changes."""

    def make(**changes: object) -> MemberDraft:
        values: dict[str, object] = {
            "full_name": "Ana Pérez",
            "national_id": "30.111.222",
            "join_date": date(2025, 3, 10),
        }
        values.update(changes)
        return MemberDraft(**values)  # type: ignore[arg-type]

    return make


def query(path: Path, sql: str, *params: object) -> list[tuple]:
    """Rows of ``sql`` read with plain sqlite3, outside SQLAlchemy."""
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql, params).fetchall()


@pytest.fixture
def sql() -> Callable[..., list[tuple]]:
    """``sql(path, "SELECT ...", *params)`` -> rows, through a plain sqlite3 connection."""
    return query
