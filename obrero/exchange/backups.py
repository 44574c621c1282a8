"""Automatic local backups of the database, made with SQLite's online backup API.

Copies live in a ``backups/`` folder beside the database file, one self-contained
SQLite file each, named ``obrero-<yyyymmddThhmmssZ>-<reason>.sqlite3`` (a ``-2``,
``-3``... before the suffix when two are made within one second). Every copy is
written to a temporary name, integrity-checked and synced before it gets its final
name, so a crash or a full disk never leaves half a backup that looks whole.

Why a copy was made (its *reason*):

- ``daily``: the first start of each day (:func:`daily_backup`);
- ``before-import``, ``before-upgrade``, ``before-restore``: safety copies made
  just before an operation that replaces or rewrites the database;
- ``manual``: asked for by the person (``obrero backup``, the Backups screen).

Pruning rule (:func:`prune`): the newest ``keep`` daily copies are kept, and,
counted apart, the newest ``keep`` safety copies (``before-*``), so a run of
imports never pushes the daily history out, nor the other way round. Copies made
by hand are never deleted automatically; only the person deletes them.

This module needs no SQLAlchemy, so the window can make the daily copy before
it opens the store.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from obrero.errors import DatabaseRefused, ObreroError, StorageError
from obrero.i18n import N_, _
from obrero.store.files import FileState, inspect_file, stored_setting, sync_folder

BACKUPS_FOLDER = "backups"
# Reason code -> how the Backups screen names it.
REASONS: dict[str, str] = {
    "daily": N_("Daily"),
    "before-import": N_("Before an import"),
    "before-upgrade": N_("Before an upgrade"),
    "before-restore": N_("Before a restore"),
    "manual": N_("Made by hand"),
}
# The setting ``backups_to_keep`` (see obrero.settings): its default and limits.
KEEP_SETTING = "backups_to_keep"
DEFAULT_KEEP = 14
MIN_KEEP, MAX_KEEP = 1, 365

_STAMP = "%Y%m%dT%H%M%SZ"
_NAME = re.compile(
    r"obrero-(?P<stamp>\d{8}T\d{6}Z)-(?P<reason>"
    + "|".join(re.escape(reason) for reason in REASONS)
    + r")(?:-(?P<serial>\d+))?\.sqlite3"
)
_PARTIAL_PREFIX, _PARTIAL_SUFFIX = ".obrero-", ".partial"
_STALE_PARTIAL_SECONDS = 24 * 3600
_SIDECARS = ("-wal", "-shm", "-journal")
# How long a restore waits for another connection to let go of the WAL.
_CHECKPOINT_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Backup:
    """One copy in the backups folder."""

    path: Path
    made_at: datetime  # UTC
    reason: str
    size: int  # bytes

    def reason_text(self) -> str:
        """Why the copy was made, in the UI language."""
        return _(REASONS[self.reason])


def backups_dir(db_path: Path) -> Path:
    """The ``backups/`` folder beside the database file (it may not exist yet)."""
    return Path(db_path).expanduser().resolve().parent / BACKUPS_FOLDER


def backup_now(db_path: Path, reason: str, *, now: datetime | None = None) -> Path:
    """Copy the database into the backups folder now; returns the copy's path.

    The copy is consistent even while the database is open (the backup API reads
    the committed state, WAL included) and must pass SQLite's integrity check,
    else it is removed and :class:`StorageError` says so. ``now`` (UTC) stamps the
    name instead of the clock. A missing or refused database raises
    :class:`ObreroError` / :class:`DatabaseRefused` and nothing is written.
    """
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    db_path = Path(db_path).expanduser().resolve()
    if inspect_file(db_path)[0] is FileState.NEW:
        raise ObreroError(_("There is no database at {path}.").format(path=db_path))
    folder = backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    temporary = _temporary_in(folder)
    try:
        _copy_database(db_path, temporary)
        return _name_copy(temporary, folder, _stamp(now), reason)
    finally:
        _unlink_with_sidecars(temporary)


def daily_backup(db_path: Path, today: date | None = None, keep: int | None = None) -> Path | None:
    """The day's backup, if none was made yet ``today`` (the PC's local date); then prune.

    Returns the new copy, or ``None`` when today's copy exists or there is no
    database yet. ``keep`` defaults to the database's ``backups_to_keep`` setting.
    A file Obrero would refuse to open raises :class:`DatabaseRefused`.
    """
    db_path = Path(db_path).expanduser().resolve()
    if inspect_file(db_path)[0] is FileState.NEW:
        return None
    today = today or datetime.now().astimezone().date()
    for backup in list_backups(db_path):
        if backup.reason == "daily" and backup.made_at.astimezone().date() == today:
            return None
    copy = backup_now(db_path, "daily")
    prune(db_path, keep if keep is not None else stored_keep(db_path))
    return copy


def list_backups(db_path: Path) -> list[Backup]:
    """The copies in the backups folder, newest first (other files there are ignored)."""
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    found: list[tuple[tuple[datetime, int, int], Backup]] = []
    for path in folder.iterdir():
        matched = _NAME.fullmatch(path.name)
        if matched is None or not path.is_file():
            continue
        made_at = datetime.strptime(matched["stamp"], _STAMP).replace(tzinfo=UTC)
        status = path.stat()
        backup = Backup(path, made_at, matched["reason"], status.st_size)
        # Within one second, the copy written last is the newest.
        found.append(((made_at, status.st_mtime_ns, int(matched["serial"] or 1)), backup))
    found.sort(key=lambda item: item[0], reverse=True)
    return [backup for _key, backup in found]


def prune(db_path: Path, keep: int) -> list[Path]:
    """Delete automatic copies beyond the newest ``keep`` of their kind; returns them.

    Daily copies and safety copies (``before-*``) are counted apart; copies made
    by hand are never deleted here. Leftovers of interrupted copies older than a
    day are removed too.
    """
    if not MIN_KEEP <= keep <= MAX_KEEP:
        raise ValueError(f"keep must be between {MIN_KEEP} and {MAX_KEEP}, not {keep}")
    kept = {"daily": 0, "safety": 0}
    removed: list[Path] = []
    for backup in list_backups(db_path):
        if backup.reason == "manual":
            continue
        kind = "daily" if backup.reason == "daily" else "safety"
        kept[kind] += 1
        if kept[kind] > keep:
            _unlink_with_sidecars(backup.path)
            removed.append(backup.path)
    _remove_stale_partials(backups_dir(db_path))
    return removed


def delete_backup(db_path: Path, backup: Path) -> None:
    """Delete one copy of the backups folder (the person's choice on the Backups screen)."""
    backup = Path(backup).expanduser().resolve()
    if backup.parent != backups_dir(db_path) or _NAME.fullmatch(backup.name) is None:
        raise ObreroError(_("{path} is not one of this database's backups.").format(path=backup))
    _unlink_with_sidecars(backup)


def restore_backup(db_path: Path, backup: Path) -> Path | None:
    """Put the copy ``backup`` in place of the database at ``db_path``.

    The caller has closed its :class:`~obrero.store.database.Database` (and no
    other Obrero has the file open). ``backup`` must be an Obrero database of a
    schema this version knows that passes the integrity check; otherwise
    :class:`DatabaseRefused` is raised and nothing has changed. The current state
    is first saved as a ``before-restore`` copy, whose path is returned (``None``
    only when there was no database at ``db_path``); a current file too damaged
    for the backup API is saved byte for byte instead. The file is then replaced
    in one rename, after a checkpoint and with its stale ``-wal``/``-shm`` removed.
    """
    db_path = Path(db_path).expanduser().resolve()
    backup = Path(backup).expanduser().resolve()
    if backup == db_path:
        raise DatabaseRefused(_("A database cannot be restored from itself."))
    if inspect_file(backup)[0] is FileState.NEW:
        raise DatabaseRefused(
            _("{path} is empty or missing; there is nothing to restore.").format(path=backup)
        )
    db_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary_in(db_path.parent, prefix=f".{db_path.name}.restore-")
    try:
        try:
            _copy_database(backup, temporary)
        except StorageError as error:
            raise DatabaseRefused(
                _("{path} cannot be restored: {error}").format(path=backup, error=error.message)
            ) from error
        safety = _save_current(db_path)
        _checkpoint_and_drop_sidecars(db_path)
        os.replace(temporary, db_path)
        sync_folder(db_path.parent)
    finally:
        _unlink_with_sidecars(temporary)
    return safety


def stored_keep(db_path: Path) -> int:
    """The database's ``backups_to_keep`` setting, read without the store (default 14)."""
    return keep_from_text(stored_setting(db_path, KEEP_SETTING))


def keep_from_text(value: str | None) -> int:
    """A stored ``backups_to_keep``; the default when missing, not a number or out of range."""
    try:
        keep = int(value) if value is not None else DEFAULT_KEEP
    except ValueError:
        return DEFAULT_KEEP
    return keep if MIN_KEEP <= keep <= MAX_KEEP else DEFAULT_KEEP


# --- Copying ---------------------------------------------------------------------------------


def _stamp(now: datetime | None) -> str:
    moment = now.astimezone(UTC) if now is not None else datetime.now(UTC)
    return moment.strftime(_STAMP)


def _temporary_in(folder: Path, prefix: str = _PARTIAL_PREFIX) -> Path:
    handle, name = tempfile.mkstemp(prefix=prefix, suffix=_PARTIAL_SUFFIX, dir=folder)
    os.close(handle)
    return Path(name)


def _copy_database(source: Path, target: Path) -> None:
    """Copy ``source`` into the (empty) file ``target``: one file, checked and synced."""
    try:
        with (
            closing(sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)) as reader,
            closing(sqlite3.connect(target)) as copy,
        ):
            reader.backup(copy)
            # A self-contained file: no -wal beside the copy.
            copy.execute("PRAGMA journal_mode = DELETE")
            check = copy.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.Error as error:
        raise StorageError(
            _("The copy of {path} could not be made: {error}").format(path=source, error=error)
        ) from error
    if check != [("ok",)]:
        raise StorageError(
            _(
                "The copy of {path} failed SQLite's integrity check (the database may be "
                "damaged); it was not kept."
            ).format(path=source)
        )
    _sync_file(target)


def _name_copy(temporary: Path, folder: Path, stamp: str, reason: str) -> Path:
    """Give the finished copy its final name, never replacing another copy."""
    serial = 1
    while True:
        suffix = "" if serial == 1 else f"-{serial}"
        target = folder / f"obrero-{stamp}-{reason}{suffix}.sqlite3"
        try:
            os.link(temporary, target)  # fails if the name is taken, atomically
        except FileExistsError:
            serial += 1
            continue
        except OSError:  # no hard links on this file system: rename to a free name
            if target.exists():
                serial += 1
                continue
            os.replace(temporary, target)
        sync_folder(folder)
        return target


def _save_current(db_path: Path) -> Path | None:
    """The before-restore copy of what is at ``db_path`` now (``None`` if nothing is)."""
    if not db_path.exists() or (
        db_path.stat().st_size == 0 and not Path(f"{db_path}-wal").exists()
    ):
        return None
    try:
        return backup_now(db_path, "before-restore")
    except ObreroError:
        # Too damaged (or not Obrero's) to copy page by page: keep its bytes as they are.
        return _raw_copy(db_path, "before-restore")


def _raw_copy(db_path: Path, reason: str) -> Path:
    folder = backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    temporary = _temporary_in(folder)
    try:
        shutil.copyfile(db_path, temporary)
        _sync_file(temporary)
        target = _name_copy(temporary, folder, _stamp(None), reason)
    finally:
        temporary.unlink(missing_ok=True)
    wal = Path(f"{db_path}-wal")
    if wal.exists():  # SQLite reads it with the copy, as it would have with the original
        shutil.copyfile(wal, f"{target}-wal")
    return target


def _checkpoint_and_drop_sidecars(db_path: Path) -> None:
    """Fold the WAL into the file, then remove ``-wal``/``-shm`` so none is stale."""
    if db_path.exists():
        try:
            with closing(sqlite3.connect(db_path, timeout=_CHECKPOINT_TIMEOUT_S)) as connection:
                busy = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        except sqlite3.Error:
            busy = 0  # a damaged file: its bytes and WAL are in the before-restore copy
        if busy:
            raise StorageError(
                _(
                    "The database is in use by another Obrero; close it and try again. "
                    "Nothing was restored."
                )
            )
    for sidecar in _SIDECARS:
        Path(f"{db_path}{sidecar}").unlink(missing_ok=True)


def _unlink_with_sidecars(path: Path) -> None:
    path.unlink(missing_ok=True)
    for sidecar in _SIDECARS:
        Path(f"{path}{sidecar}").unlink(missing_ok=True)


def _remove_stale_partials(folder: Path) -> None:
    if not folder.is_dir():
        return
    too_old = time.time() - _STALE_PARTIAL_SECONDS
    for path in folder.glob(f"{_PARTIAL_PREFIX}*{_PARTIAL_SUFFIX}"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < too_old:
                path.unlink()


def _sync_file(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())
