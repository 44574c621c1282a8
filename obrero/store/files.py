"""Checks and copies of database files that need no SQLAlchemy (quick at startup).

Whether a file is an Obrero database, which schema it has, a setting read
before the store is opened, and backup copies with SQLite's backup API.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path

from obrero.errors import DatabaseRefused
from obrero.i18n import _

# "OBRE" in the SQLite header marks a file as an Obrero database.
APPLICATION_ID = 0x4F425245
# Every migration revision this version knows, oldest first. A test checks it
# against the migrations folder, so opening a current file needs no Alembic.
SCHEMA_REVISIONS = ("0001", "0002", "0003")
SCHEMA_HEAD = SCHEMA_REVISIONS[-1]


class FileState(Enum):
    NEW = "new"
    CURRENT = "current"
    OLDER = "older"


def inspect_file(path: Path) -> tuple[FileState, str | None]:
    """Classify ``path`` without changing it; refuse what Obrero must not open."""
    if not path.exists() or path.stat().st_size == 0:
        return FileState.NEW, None
    with path.open("rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        raise DatabaseRefused(
            _("{path} is not an Obrero database (it is not an SQLite file).").format(path=path)
        )
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise DatabaseRefused(
            _("{path} is an SQLite file of another program, not an Obrero database.").format(
                path=path
            )
        )
    revision = _stored_revision(path)
    if revision == SCHEMA_HEAD:
        return FileState.CURRENT, revision
    if revision in SCHEMA_REVISIONS or revision is None:
        return FileState.OLDER, revision
    raise DatabaseRefused(
        _(
            "{path} was written by a newer version of Obrero (schema {revision}). "
            "Install that version to open it; the file has not been changed."
        ).format(path=path, revision=revision)
    )


def _stored_revision(path: Path) -> str | None:
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        if "no such table" in str(error):
            return None
        raise DatabaseRefused(
            _("{path} cannot be read as a database: {error}").format(path=path, error=error)
        ) from error
    return row[0] if row else None


def backup_copy(path: Path, label: str) -> Path:
    """Copy the database with SQLite's online backup API; returns the copy's path."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.stem}.{label}-{stamp}{path.suffix}")
    serial = 1
    while target.exists():  # two backups within one second keep both
        serial += 1
        target = path.with_name(f"{path.stem}.{label}-{stamp}-{serial}{path.suffix}")
    with (
        closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as source,
        closing(sqlite3.connect(target)) as copy,
    ):
        source.backup(copy)
    return target


def stored_setting(path: Path, key: str) -> str | None:
    """A setting of an existing Obrero database, read without opening the store.

    ``None`` when there is no such file, it is not Obrero's, or it lacks the setting.
    """
    path = Path(path).expanduser().resolve()
    try:
        state, _revision = inspect_file(path)
        if state is FileState.NEW:
            return None
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
            row = connection.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    except (DatabaseRefused, sqlite3.Error, OSError):
        return None
    return row[0] if row else None


def sync_folder(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable (POSIX); harmless where folders
    cannot be opened (Windows)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
