"""Import: replace the database with the one in an archive, after checks and a backup.

Never a merge: the archive's database replaces the current one whole, and only
when everything holds:

1. the archive verifies (:mod:`obrero.exchange.verify`) with no problem, and a
   signature by another installation was accepted by the person;
2. its ``database.sqlite3``, copied while it is hashed to a temporary file beside
   the target, is an Obrero database of a schema this version knows and passes
   SQLite's integrity check;
3. the current database has been backed up;
4. the current database is locked exclusively (which fails if another program
   has it open), checkpointed and switched out of WAL mode; its
   ``-wal``/``-shm``/``-journal`` side files are removed so none can be replayed
   onto the new file, and the temporary file is renamed over it.

Any refusal raises :class:`ImportRefused` and leaves the current database as it
was. The caller must have closed its own connection to the target.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from obrero.errors import DatabaseRefused, ObreroError
from obrero.exchange.archive import DATABASE
from obrero.exchange.verify import CopyFailed, examine
from obrero.i18n import _
from obrero.store.files import FileState, inspect_file, sync_folder

SIDE_FILES = ("-wal", "-shm", "-journal")
# How long to wait for another connection to let go of the current database.
RELEASE_TIMEOUT = 2.0


class ImportRefused(ObreroError):  # noqa: N818 (a message, not a code path)
    """The archive was not imported; the current database is unchanged. ``reasons`` says why."""

    def __init__(self, reasons: list[str] | tuple[str, ...]) -> None:
        heading = _("The archive was not imported; the current database was not changed.")
        super().__init__("\n".join([heading, *(f"- {reason}" for reason in reasons)]))
        self.reasons = tuple(reasons)


@dataclass(frozen=True)
class ImportResult:
    backup_path: Path | None  # the copy of the database that was replaced (None: there was none)
    manifest: dict


def import_archive(
    db_path: Path,
    archive: Path,
    passphrase: str | None = None,
    accept_foreign: bool = False,
    backup: Callable[[Path], Path] | None = None,
) -> ImportResult:
    """Replace the database at ``db_path`` with the one in ``archive``.

    ``backup(db_path)`` copies the current database first (by default a copy
    beside it labelled ``before-import``). Raises :class:`ImportRefused`.
    """
    db_path = Path(db_path).expanduser().resolve()
    if db_path.is_dir():
        raise ImportRefused([_("{path} is a folder, not a database file.").format(path=db_path)])
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=db_path.parent, prefix=f".{db_path.name}.import-")
    except OSError as error:
        raise ImportRefused([_cannot_write(db_path, error)]) from error
    temporary = Path(name)
    try:
        try:
            with os.fdopen(handle, "w+b") as copy:
                report = examine(Path(archive), passphrase, extract={DATABASE: copy})
                copy.flush()
                os.fsync(copy.fileno())
        except CopyFailed as failed:
            raise ImportRefused([_cannot_write(db_path, failed.error)]) from failed
        except OSError as error:
            raise ImportRefused([_cannot_write(db_path, error)]) from error
        if not report.ok:
            raise ImportRefused(report.problems)
        if report.warnings and not accept_foreign:
            raise ImportRefused(report.warnings)
        assert report.manifest is not None  # an ok report has one
        _check_database(temporary, report.manifest)
        backup_path = _back_up(db_path, backup)
        _replace(temporary, db_path)
    except BaseException:
        _remove_with_side_files(temporary)
        raise
    return ImportResult(backup_path=backup_path, manifest=report.manifest)


def _check_database(path: Path, manifest: dict) -> None:
    """The extracted copy is an Obrero database of a known schema, and intact."""
    not_obrero = _(
        "database.sqlite3 in the archive is not an Obrero database this version can open."
    )
    try:
        with contextlib.closing(sqlite3.connect(path)) as connection:
            # A hostile archive might carry a WAL-mode file; make it one self-contained file.
            connection.execute("PRAGMA journal_mode = DELETE")
            result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        state, revision = inspect_file(path)
    except (sqlite3.Error, DatabaseRefused, OSError) as error:
        raise ImportRefused([not_obrero]) from error
    if state is FileState.NEW or revision != manifest["schema_revision"]:
        raise ImportRefused([not_obrero])
    if result != ["ok"]:
        raise ImportRefused([_("database.sqlite3 in the archive failed SQLite's integrity check.")])


def _back_up(db_path: Path, backup: Callable[[Path], Path] | None) -> Path | None:
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    try:
        if backup is not None:
            return backup(db_path)
        # Into backups/ like every other safety copy, so the Backups screen lists it.
        from obrero.exchange.backups import backup_now

        return backup_now(db_path, "before-import")
    except (ObreroError, OSError, sqlite3.Error) as error:
        reason = error.message if isinstance(error, ObreroError) else str(error)
        raise ImportRefused(
            [_("The current database could not be backed up ({reason}).").format(reason=reason)]
        ) from error


def _replace(temporary: Path, db_path: Path) -> None:
    if db_path.exists():
        _release(db_path)
    with contextlib.suppress(OSError):
        os.chmod(temporary, db_path.stat().st_mode & 0o777 if db_path.exists() else 0o644)
    try:
        os.replace(temporary, db_path)
    except OSError as error:
        raise ImportRefused([_cannot_write(db_path, error)]) from error
    sync_folder(db_path.parent)


def _release(db_path: Path) -> None:
    """Checkpoint the current database into its main file and remove its side files.

    An exclusive lock in exclusive locking mode cannot be had while any other
    connection has a WAL database open, even an idle one: so the file is never
    swapped away under another program that would go on writing to it.
    """
    in_use = _(
        "The current database is open in another program (another Obrero?). Close it "
        "and import again."
    )
    try:
        with contextlib.closing(
            sqlite3.connect(db_path, timeout=RELEASE_TIMEOUT, isolation_level=None)
        ) as connection:
            connection.execute("PRAGMA locking_mode = EXCLUSIVE")
            connection.execute("BEGIN EXCLUSIVE")
            connection.execute("COMMIT")  # the lock stays until the connection closes
            mode = connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.Error as error:
        raise ImportRefused([in_use]) from error
    if str(mode).lower() != "delete":
        raise ImportRefused([in_use])
    for suffix in SIDE_FILES:
        side = db_path.with_name(db_path.name + suffix)
        try:
            side.unlink(missing_ok=True)
        except OSError as error:
            raise ImportRefused([_cannot_write(db_path, error)]) from error


def _remove_with_side_files(path: Path) -> None:
    for suffix in ("", *SIDE_FILES):
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).unlink(missing_ok=True)


def _cannot_write(db_path: Path, error: OSError) -> str:
    return _("The database folder {folder} cannot be written: {error}").format(
        folder=db_path.parent, error=error.strerror or error
    )
