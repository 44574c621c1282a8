"""Export: one signed archive of all the records, written safely to a USB stick or folder.

Layout of ``obrero-<factory>-<yyyy-mm-dd>.zip``::

    database.sqlite3   a consistent snapshot (SQLite's backup API), integrity-checked:
                       the copy Obrero restores
    csv/<table>.csv    every table for spreadsheets (see :mod:`obrero.exchange.tables`)
    records.ods        the same tables as the sheets of one OpenDocument file
    manifest.json      Obrero version, schema revision, factory, creation time (UTC),
                       and every file above with its size and SHA-256
    manifest.sig       Ed25519 signature of the exact bytes of manifest.json
    public_key.pem     the signing key's public half (see :mod:`obrero.exchange.keys`)

With a passphrase the whole zip is encrypted into ``<name>.zip.enc`` (the format
is documented in :mod:`obrero.exchange.encryption`).

Writing never costs an earlier copy: the archive is built in ``.<name>.partial``
in the target folder, flushed and fsynced, read back from the device with every
file checked against the manifest (decrypting first if encrypted), and only then
renamed over the final name. Any failure or a cancel removes the partial file
and leaves a previous archive of the same name as it was. The database is only
read.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import tempfile
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import obrero
from obrero.errors import ObreroError
from obrero.exchange import tables
from obrero.exchange.encryption import (
    NotEncrypted,
    WrongPassphrase,
    decrypt_archive,
    decrypt_stream,
    encrypt_stream,
)
from obrero.exchange.keys import fingerprint, installation_key, public_key_bytes
from obrero.i18n import DEFAULT_LANGUAGE, _
from obrero.store.files import sync_folder

if TYPE_CHECKING:
    from obrero.store.database import Database

__all__ = [
    "ENCRYPTED_SUFFIX",
    "ExportCancelled",
    "ExportError",
    "WrongPassphrase",
    "archive_name",
    "decrypt_archive",
    "export_archive",
]

ARCHIVE_SUFFIX = ".zip"
ENCRYPTED_SUFFIX = ".zip.enc"
PARTIAL_SUFFIX = ".partial"
FORMAT = "obrero-archive"
FORMAT_VERSION = 1

DATABASE = "database.sqlite3"
SPREADSHEET = "records.ods"
CSV_FOLDER = "csv"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PUBLIC_KEY = "public_key.pem"
METADATA = (MANIFEST, SIGNATURE, PUBLIC_KEY)

MAX_SLUG = 60
WORK_PREFIX = ".obrero-export-"
STALE_WORK_SECONDS = 24 * 3600
CHUNK = 1 << 20
PROGRESS_STEPS = 1000
# What reading a damaged zip raises (zipfile does not wrap them all in BadZipFile).
UNREADABLE_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    ValueError,
    RuntimeError,
    NotImplementedError,
)
# Letters NFKD does not take apart into a base letter and an accent.
_FOLDS = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "þ": "th"})


class ExportError(ObreroError):
    """The archive could not be written; no file with its name was created or changed."""


class ExportCancelled(ObreroError):  # noqa: N818 (a message, not a code path)
    """The person cancelled the export; nothing was left on the target."""


def archive_name(factory_name: str, day: date) -> str:
    """``obrero-<factory>-<yyyy-mm-dd>.zip``: ASCII letters, digits and hyphens (safe on FAT32)."""
    slug = unicodedata.normalize("NFKD", factory_name.lower().translate(_FOLDS))
    slug = re.sub(r"[^a-z0-9]+", "-", slug.encode("ascii", "ignore").decode("ascii")).strip("-")
    if len(slug) > MAX_SLUG:
        cut = slug[:MAX_SLUG]
        slug = (cut.rsplit("-", 1)[0] if "-" in cut[MAX_SLUG // 2 :] else cut).strip("-")
    parts = ["obrero", slug, day.isoformat()] if slug else ["obrero", day.isoformat()]
    return "-".join(parts) + ARCHIVE_SUFFIX


def export_archive(
    db: Database,
    target_dir: Path,
    passphrase: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    key: Ed25519PrivateKey | None = None,
    opener: Callable[[Path, str], BinaryIO] = open,
    today: date | None = None,
) -> Path:
    """Write the archive of ``db`` into ``target_dir``; returns the archive's path.

    ``progress(done, total)`` counts steps of a fixed total; ``cancelled()`` is
    asked between steps. ``key`` signs (this installation's key by default);
    ``opener(path, "wb")`` opens the temporary file on the target (tests inject
    failing files). Raises :class:`ExportError` or :class:`ExportCancelled`.
    """
    target_dir = Path(target_dir)
    if passphrase is not None and not passphrase:
        raise ExportError(_("The passphrase is empty. Type one, or export without encryption."))
    tracker = Progress(progress, cancelled)
    if not target_dir.is_dir():
        raise ExportError(_disappeared(target_dir))
    if key is None:
        try:
            key = installation_key()
        except ObreroError as error:
            raise ExportError(error.message) from error
    with _work_folder(Path(db.path)) as work:
        prepared = prepare(Path(db.path), work, tracker)
        name = archive_name(prepared.factory_name, today or date.today())
        if passphrase is not None:
            name = name.removesuffix(ARCHIVE_SUFFIX) + ENCRYPTED_SUFFIX
        return write_verified(prepared, target_dir / name, key, passphrase, opener, tracker)


# --- Progress ------------------------------------------------------------------------------


class Progress:
    """Reports work as steps of :data:`PROGRESS_STEPS`, phase by phase; checks for a cancel."""

    def __init__(
        self,
        report: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        self._report = report
        self._cancelled = cancelled
        self._start, self._end, self._units, self._done = 0, 0, 1, 0
        self._shown = -1

    def phase(self, start: int, end: int, units: int) -> None:
        self._start, self._end, self._units, self._done = start, end, max(units, 1), 0
        self.advance(0)

    def advance(self, units: int) -> None:
        if self._cancelled is not None and self._cancelled():
            raise ExportCancelled(_("The export was cancelled; nothing was written."))
        self._done = min(self._done + units, self._units)
        step = self._start + (self._end - self._start) * self._done // self._units
        if self._report is not None and step != self._shown:
            self._shown = step
            self._report(step, PROGRESS_STEPS)


# --- Preparing the files -------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """The files of an archive, ready in a work folder, and what the manifest says of them."""

    folder: Path
    files: tuple[str, ...]  # names inside the archive, relative to ``folder``
    factory_name: str
    tax_id: str
    schema_revision: str
    document_language: str
    delimiter: str
    table_rows: dict[str, int]


@contextlib.contextmanager
def _work_folder(db_path: Path) -> Iterator[Path]:
    """A private folder for the snapshot: beside the database (room for its size), else temp."""
    _remove_stale_work_folders(db_path.parent)
    try:
        folder = tempfile.TemporaryDirectory(prefix=WORK_PREFIX, dir=db_path.parent)
    except OSError:
        folder = tempfile.TemporaryDirectory(prefix=WORK_PREFIX.lstrip("."))
    with folder as name:
        yield Path(name)


def _remove_stale_work_folders(parent: Path) -> None:
    """Work folders an export interrupted by a crash or power cut left behind (a day old)."""
    limit = time.time() - STALE_WORK_SECONDS
    with contextlib.suppress(OSError):
        for stale in parent.glob(f"{WORK_PREFIX}*"):
            if stale.is_dir() and stale.stat().st_mtime < limit:
                shutil.rmtree(stale, ignore_errors=True)


def prepare(db_path: Path, folder: Path, tracker: Progress) -> Prepared:
    """Snapshot the database into ``folder`` and write its CSV and ODS copies there."""
    tracker.phase(0, 50, 1)
    snapshot = folder / DATABASE
    _snapshot(db_path, snapshot)
    try:
        with contextlib.closing(
            sqlite3.connect(f"{snapshot.as_uri()}?mode=ro", uri=True)
        ) as connection:
            revision, name, tax_id, language = _facts(connection)
            counts = {
                table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                for table in tables.exported_tables(connection)
            }
            tracker.phase(50, 300, sum(counts.values()) + len(counts))
            delimiter = tables.csv_delimiter(language)
            rows = tables.write_tables(
                connection, folder, delimiter, advance=lambda count: tracker.advance(count + 1)
            )
    except sqlite3.Error as error:
        raise ExportError(_unreadable(error)) from error
    except OSError as error:
        message = _("The copies for spreadsheets could not be made: {error}. Nothing was written.")
        raise ExportError(message.format(error=error.strerror or error)) from error
    files = (DATABASE, *(f"{CSV_FOLDER}/{table}.csv" for table in rows), SPREADSHEET)
    return Prepared(folder, files, name, tax_id, revision, language, delimiter, rows)


def _snapshot(db_path: Path, target: Path) -> None:
    """A consistent copy of the database with SQLite's backup API, integrity-checked."""
    try:
        with (
            contextlib.closing(sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)) as source,
            contextlib.closing(sqlite3.connect(target)) as copy,
        ):
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            result = [row[0] for row in copy.execute("PRAGMA integrity_check")]
    except sqlite3.Error as error:
        raise ExportError(_unreadable(error)) from error
    if result != ["ok"]:
        raise ExportError(
            _(
                "The database failed SQLite's integrity check, so it was not exported: "
                "{detail}. Restore a recent backup and export again."
            ).format(detail="; ".join(str(line) for line in result[:3]))
        )


def _facts(connection: sqlite3.Connection) -> tuple[str, str, str, str]:
    """Schema revision, factory name, tax id and document language of a snapshot."""
    revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    profile = connection.execute(
        "SELECT name, tax_id, document_language FROM factory_profile WHERE id = 1"
    ).fetchone()
    name, tax_id, language = profile or ("", "", DEFAULT_LANGUAGE)
    return (revision[0] if revision else ""), name, tax_id, language


# --- Writing, checking, renaming -----------------------------------------------------------


def write_verified(
    prepared: Prepared,
    final: Path,
    key: Ed25519PrivateKey,
    passphrase: str | None,
    opener: Callable[[Path, str], BinaryIO],
    tracker: Progress,
) -> Path:
    """Write the archive to a partial file beside ``final``, check it, rename it to ``final``."""
    partial = final.with_name(f".{final.name}{PARTIAL_SUFFIX}")
    sizes = {name: (prepared.folder / name).stat().st_size for name in prepared.files}
    content = sum(sizes.values())
    try:
        if passphrase is None:
            tracker.phase(300, 700, content)
            with _opened(opener, partial) as handle:
                expected = _write_zip(handle, prepared, sizes, key, tracker)
                _sync(handle)
        else:
            plain = prepared.folder / "archive.zip"
            tracker.phase(300, 600, content)
            expected = _write_local_zip(plain, prepared, sizes, key, tracker)
            tracker.phase(600, 700, plain.stat().st_size)
            with plain.open("rb") as source, _opened(opener, partial) as handle:
                encrypt_stream(source, handle, passphrase, tracker.advance)
                _sync(handle)
            plain.unlink()
        _check_written(partial, expected, passphrase, prepared.folder, content, tracker)
        tracker.advance(0)  # the last moment to cancel
        os.replace(partial, final)
    except BaseException as error:
        with contextlib.suppress(OSError):
            partial.unlink()
        if isinstance(error, OSError):
            raise ExportError(_write_failed(final.parent, error)) from error
        raise
    sync_folder(final.parent)
    return final


def _write_local_zip(
    path: Path, prepared: Prepared, sizes: dict[str, int], key: Ed25519PrivateKey, tracker: Progress
) -> dict[str, str]:
    """The zip to encrypt, in the work folder: a failure here is not the target's fault."""
    try:
        with path.open("wb") as handle:
            return _write_zip(handle, prepared, sizes, key, tracker)
    except OSError as error:
        message = _("The archive could not be prepared in {folder}: {error}. Nothing was written.")
        raise ExportError(
            message.format(folder=prepared.folder.parent, error=error.strerror or error)
        ) from error


@contextlib.contextmanager
def _opened(opener: Callable[[Path, str], BinaryIO], path: Path) -> Iterator[BinaryIO]:
    handle = opener(path, "wb")
    try:
        yield handle
    except BaseException:
        with contextlib.suppress(OSError):  # the first error is the one to report
            handle.close()
        raise
    handle.close()  # flushes: a full disk may only show here


def _write_zip(
    handle: BinaryIO,
    prepared: Prepared,
    sizes: dict[str, int],
    key: Ed25519PrivateKey,
    tracker: Progress,
) -> dict[str, str]:
    """Write every file, then the manifest, its signature and the key; returns name -> SHA-256."""
    archive = zipfile.ZipFile(handle, "w")
    try:
        # Zip cannot date files before 1980 (an old PC's clock after its battery died).
        when = max(datetime.now().timetuple()[:6], (1980, 1, 1, 0, 0, 0))
        listed = []
        for name in prepared.files:
            info = zipfile.ZipInfo(name, date_time=when)
            # The ODS is a zip already: compressing it again only costs time.
            info.compress_type = zipfile.ZIP_STORED if name == SPREADSHEET else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.file_size = sizes[name]
            digest = hashlib.sha256()
            with (prepared.folder / name).open("rb") as source, archive.open(info, "w") as member:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    member.write(chunk)
                    tracker.advance(len(chunk))
            listed.append({"name": name, "size": sizes[name], "sha256": digest.hexdigest()})
        public = public_key_bytes(key)
        manifest = _manifest(prepared, listed, fingerprint(public))
        pem = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        metadata = {MANIFEST: manifest, SIGNATURE: key.sign(manifest), PUBLIC_KEY: pem}
        for name, data in metadata.items():
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
        archive.close()
    except BaseException:
        with contextlib.suppress(Exception):
            archive.close()  # leaves the half-written zip to be deleted; frees the handle
        raise
    expected = {entry["name"]: entry["sha256"] for entry in listed}
    expected.update({name: hashlib.sha256(data).hexdigest() for name, data in metadata.items()})
    return expected


def _manifest(prepared: Prepared, files: list[dict], signer: str) -> bytes:
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "obrero_version": obrero.__version__,
        "schema_revision": prepared.schema_revision,
        "factory": {"name": prepared.factory_name, "tax_id": prepared.tax_id},
        "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "document_language": prepared.document_language,
        "csv_delimiter": prepared.delimiter,
        "signer": signer,
        "tables": prepared.table_rows,
        "files": files,
    }
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _sync(handle: BinaryIO) -> None:
    """Flush ``handle`` to the device, and drop it from the cache so a re-read reads the device."""
    handle.flush()
    try:
        descriptor = handle.fileno()
    except (AttributeError, io.UnsupportedOperation):
        return
    os.fsync(descriptor)
    if hasattr(os, "posix_fadvise"):
        with contextlib.suppress(OSError):
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)


def _check_written(
    partial: Path,
    expected: dict[str, str],
    passphrase: str | None,
    work: Path,
    content: int,
    tracker: Progress,
) -> None:
    """Read the written file back and compare every file in it with what was written."""
    try:
        with partial.open("rb") as written:
            if passphrase is None:
                tracker.phase(700, 1000, content)
                _check_zip(written, expected, tracker)
            else:
                with (work / "check.zip").open("w+b") as plain:
                    size = os.fstat(written.fileno()).st_size
                    tracker.phase(700, 800, size)
                    decrypt_stream(written, size, plain, passphrase, tracker.advance)
                    plain.seek(0)
                    tracker.phase(800, 1000, content)
                    _check_zip(plain, expected, tracker)
    except (*UNREADABLE_ZIP_ERRORS, WrongPassphrase, NotEncrypted) as error:
        raise ExportError(_check_failed(partial.parent, str(error))) from error


def _check_zip(handle: BinaryIO, expected: dict[str, str], tracker: Progress) -> None:
    with zipfile.ZipFile(handle) as archive:
        names = archive.namelist()
        if sorted(names) != sorted(expected):
            raise ValueError(_("the files in it are not the files written"))
        for name in names:
            digest = hashlib.sha256()
            with archive.open(name) as member:
                while chunk := member.read(CHUNK):
                    digest.update(chunk)
                    tracker.advance(len(chunk))
            if digest.hexdigest() != expected[name]:
                raise ValueError(_("{name} differs from what was written").format(name=name))


# --- Messages ------------------------------------------------------------------------------

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_GONE = {errno.ENOENT, errno.ENODEV, errno.ENXIO, errno.EIO, errno.ENOTDIR}
_GONE |= {getattr(errno, "ESTALE", errno.ENOENT)}
_LOCKED = {errno.EROFS, errno.EACCES, errno.EPERM}


def _write_failed(folder: Path, error: OSError) -> str:
    if error.errno in _FULL:
        return _(
            "{folder} is full: the archive did not fit. Nothing was written there; "
            "free some space or use another USB stick."
        ).format(folder=folder)
    if error.errno == errno.EFBIG:
        return _(
            "The archive is too large for the file system of {folder} (FAT32 holds files "
            "of at most 4 GB). Nothing was written there; use a stick formatted as exFAT or NTFS."
        ).format(folder=folder)
    if error.errno in _GONE:
        return _disappeared(folder)
    if error.errno in _LOCKED:
        return _(
            "{folder} cannot be written (it is read-only, or this user may not write there). "
            "Nothing was written."
        ).format(folder=folder)
    return _("Writing the archive to {folder} failed: {error}. Nothing was written there.").format(
        folder=folder, error=error.strerror or error
    )


def _disappeared(folder: Path) -> str:
    return _(
        "{folder} is not there any more (was the USB stick removed?). The archive was not "
        "written; plug the stick in again and export again."
    ).format(folder=folder)


def _check_failed(folder: Path, detail: str) -> str:
    return _(
        "The archive written to {folder} did not read back correctly ({detail}), so it was "
        "removed. The USB stick may be failing: try another one."
    ).format(folder=folder, detail=detail)


def _unreadable(error: Exception) -> str:
    return _("The database could not be read for the export: {error}. Nothing was written.").format(
        error=error
    )
