"""Opening, refusing, upgrading and backing up the database file; transactions."""

from __future__ import annotations

import hashlib
import random
import re
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from obrero import members
from obrero.errors import DatabaseRefused, ValidationErrors
from obrero.store import database as store
from obrero.store.database import (
    APPLICATION_ID,
    BUSY_TIMEOUT_MS,
    MIGRATIONS_DIR,
    SCHEMA_HEAD,
    SCHEMA_REVISIONS,
    FileState,
    backup_copy,
    inspect_file,
    open_database,
)
from obrero.store.models import AuditEntryRow, Base, MemberRow


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pragma(db: store.Database, name: str) -> object:
    with db.engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def count(db: store.Database, row_type: type) -> int:
    return db.read(lambda session: session.scalar(select(func.count()).select_from(row_type)))


def make_stamped_empty_file(path: Path) -> None:
    """An SQLite file carrying Obrero's application id and no tables (a crash after stamping)."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        connection.commit()


# --- pragmas and stamping -------------------------------------------------------------------


def test_connection_pragmas(db):
    assert pragma(db, "journal_mode") == "wal"
    assert pragma(db, "synchronous") == 2  # FULL
    assert pragma(db, "foreign_keys") == 1
    assert pragma(db, "busy_timeout") == BUSY_TIMEOUT_MS


def test_pragmas_hold_in_service_sessions(db):
    def read_pragmas(session):
        return [
            session.execute(text(f"PRAGMA {name}")).scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys")
        ]

    assert db.read(read_pragmas) == ["wal", 2, 1]
    assert db.write(read_pragmas) == ["wal", 2, 1]


def test_new_file_is_stamped_with_application_id(db, db_path, sql):
    assert sql(db_path, "PRAGMA application_id") == [(APPLICATION_ID,)]
    assert int.from_bytes(db_path.read_bytes()[68:72], "big") == APPLICATION_ID


def test_new_file_gets_schema_at_head(db, db_path, sql):
    assert sql(db_path, "SELECT version_num FROM alembic_version") == [(SCHEMA_HEAD,)]
    tables = {name for (name,) in sql(db_path, "SELECT name FROM sqlite_master WHERE type='table'")}
    # The full-text index and FTS5's own shadow tables are not models.
    search = {name for name in tables if name.startswith("logbook_search")}
    assert "logbook_search" in search
    assert tables - search == set(Base.metadata.tables) | {"alembic_version"}
    assert inspect_file(db_path) == (FileState.CURRENT, SCHEMA_HEAD)


def test_migrated_columns_match_the_models(db, db_path, sql):
    for table in Base.metadata.sorted_tables:
        columns = [row[1] for row in sql(db_path, f"PRAGMA table_info({table.name})")]
        assert columns == [column.name for column in table.columns], table.name


def test_new_file_in_missing_folder_is_created(tmp_path):
    path = tmp_path / "deep" / "er" / "obrero.sqlite3"
    database = open_database(path)
    try:
        assert database.integrity_ok()
        assert inspect_file(path) == (FileState.CURRENT, SCHEMA_HEAD)
    finally:
        database.close()


def test_reopening_a_current_file_runs_no_migration(db, db_path, make_draft, monkeypatch):
    db.write(members.add_member, make_draft())
    db.close()

    def no_upgrade(engine):
        raise AssertionError("a current file must not be migrated")

    monkeypatch.setattr(store, "_upgrade", no_upgrade)
    backups: list[Path] = []
    reopened = open_database(db_path, on_backup=backups.append)
    try:
        assert reopened.read(members.count_members) == 1
    finally:
        reopened.close()
    assert backups == []
    assert not (db_path.parent / "backups").exists()


def test_schema_revisions_match_the_migrations_folder():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    scripts = ScriptDirectory.from_config(config)
    oldest_first = [script.revision for script in scripts.walk_revisions()][::-1]
    assert tuple(oldest_first) == SCHEMA_REVISIONS
    assert scripts.get_heads() == [SCHEMA_HEAD]


# --- refusing files that are not ours -------------------------------------------------------


def write_random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(7).randbytes(8192))


def write_text_file(path: Path) -> None:
    path.write_text("Acta de la asamblea del 6 de octubre\n" * 20, encoding="utf-8")


def write_short_text_file(path: Path) -> None:
    path.write_text("hola\n", encoding="utf-8")


@pytest.mark.parametrize("make_file", [write_random_bytes, write_text_file, write_short_text_file])
def test_non_sqlite_file_is_refused_and_untouched(tmp_path, make_file):
    path = tmp_path / "notes.sqlite3"
    make_file(path)
    before = sha256(path)

    with pytest.raises(DatabaseRefused) as refused:
        open_database(path)

    assert "is not an SQLite file" in refused.value.message
    assert str(path) in refused.value.message
    assert sha256(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite3"]


def test_sqlite_file_of_another_program_is_refused_and_untouched(tmp_path):
    path = tmp_path / "inventory.db"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE part (id INTEGER PRIMARY KEY, name TEXT)")
        connection.execute("INSERT INTO part (name) VALUES ('bulón')")
        connection.commit()
    before = sha256(path)

    with pytest.raises(DatabaseRefused) as refused:
        open_database(path)

    assert "SQLite file of another program" in refused.value.message
    assert sha256(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inventory.db"]


def test_file_from_a_newer_obrero_is_refused_and_untouched(db, db_path):
    db.close()
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
        connection.commit()
    before = sha256(db_path)
    upgrades: list[object] = []

    with pytest.raises(DatabaseRefused) as refused:
        open_database(db_path, on_backup=upgrades.append)

    assert "newer version of Obrero (schema 9999)" in refused.value.message
    assert "has not been changed" in refused.value.message
    assert sha256(db_path) == before
    assert upgrades == []
    assert not (db_path.parent / "backups").exists()


def test_empty_file_is_a_new_database(db_path):
    db_path.touch()
    assert inspect_file(db_path) == (FileState.NEW, None)
    database = open_database(db_path)
    database.close()
    assert inspect_file(db_path) == (FileState.CURRENT, SCHEMA_HEAD)


# --- upgrades and backups -------------------------------------------------------------------


def test_backup_copy_has_the_same_rows(db, db_path, make_draft, sql):
    for number, name in enumerate(["Ana Pérez", "João Silva", "Rosa Peña"]):
        db.write(members.add_member, make_draft(full_name=name, national_id=f"2000000{number}"))
    # The database is still open: the rows may be only in the WAL, and must be copied too.
    copy = backup_copy(db_path, "manual")

    assert copy.parent == db_path.parent
    assert copy.name.startswith("obrero.manual-") and copy.suffix == ".sqlite3"
    assert copy.exists() and copy != db_path
    assert sql(copy, "PRAGMA integrity_check") == [("ok",)]
    assert sql(copy, "PRAGMA application_id") == [(APPLICATION_ID,)]
    for table in ("member", "audit_entry", "alembic_version"):
        ordered = f"SELECT * FROM {table} ORDER BY 1"
        assert sql(copy, ordered) == sql(db_path, ordered), table
    assert len(sql(copy, "SELECT * FROM member")) == 3
    assert inspect_file(copy) == (FileState.CURRENT, SCHEMA_HEAD)


def test_stamped_empty_file_is_backed_up_then_upgraded(db_path, sql):
    make_stamped_empty_file(db_path)
    assert db_path.stat().st_size > 0
    assert inspect_file(db_path) == (FileState.OLDER, None)
    backups: list[Path] = []

    database = open_database(db_path, on_backup=backups.append)
    try:
        assert database.read(members.count_members) == 0
    finally:
        database.close()

    assert len(backups) == 1
    backup = backups[0]
    assert backup.parent == db_path.parent / "backups"
    assert re.fullmatch(r"obrero-\d{8}T\d{6}Z-before-upgrade\.sqlite3", backup.name)
    assert sql(backup, "PRAGMA application_id") == [(APPLICATION_ID,)]
    assert sql(backup, "SELECT name FROM sqlite_master") == []
    assert inspect_file(db_path) == (FileState.CURRENT, SCHEMA_HEAD)
    assert sql(db_path, "SELECT version_num FROM alembic_version") == [(SCHEMA_HEAD,)]


def test_failed_upgrade_leaves_the_backup_and_raises(db_path, monkeypatch):
    make_stamped_empty_file(db_path)

    def broken_upgrade(engine):
        raise RuntimeError("migration failed")

    monkeypatch.setattr(store, "_upgrade", broken_upgrade)
    backups: list[Path] = []
    with pytest.raises(RuntimeError, match="migration failed"):
        open_database(db_path, on_backup=backups.append)
    assert len(backups) == 1 and backups[0].exists()
    assert inspect_file(db_path) == (FileState.OLDER, None)


# --- transactions ---------------------------------------------------------------------------


def test_error_inside_a_transaction_writes_nothing(db, make_draft):
    with pytest.raises(RuntimeError, match="power cut"), db.transaction() as session:
        members.add_member(session, make_draft())
        assert session.scalar(select(func.count()).select_from(MemberRow)) == 1
        raise RuntimeError("power cut")

    assert count(db, MemberRow) == 0
    assert count(db, AuditEntryRow) == 0
    # The connection is usable again afterwards.
    db.write(members.add_member, make_draft())
    assert count(db, MemberRow) == 1
    assert count(db, AuditEntryRow) == 1


def test_failing_service_rolls_back_its_earlier_writes(db, make_draft):
    def add_two_with_same_id(session):
        members.add_member(session, make_draft(full_name="Ana Pérez", national_id="1.234"))
        members.add_member(session, make_draft(full_name="Rosa Peña", national_id="1234"))

    with pytest.raises(ValidationErrors):
        db.write(add_two_with_same_id)

    assert count(db, MemberRow) == 0
    assert count(db, AuditEntryRow) == 0


def test_commit_is_visible_to_a_new_connection(db, db_path, make_draft, sql):
    member = db.write(members.add_member, make_draft(join_date=date(2024, 1, 2)))
    assert sql(db_path, "SELECT id, full_name, join_date FROM member") == [
        (member.id, "Ana Pérez", "2024-01-02")
    ]
    assert db.integrity_ok()


def test_a_busy_database_refuses_the_write_with_a_message_and_keeps_nothing(
    db_path, make_draft, sql
):
    from obrero import members
    from obrero.errors import StorageError

    db = open_database(db_path, busy_timeout_ms=100)
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        with pytest.raises(StorageError) as raised:
            db.write(members.add_member, make_draft())
        assert "another Obrero is saving" in raised.value.message
        other.execute("ROLLBACK")
        assert sql(db_path, "SELECT count(*) FROM member") == [(0,)]
        db.write(members.add_member, make_draft())  # free again: it works
        assert sql(db_path, "SELECT count(*) FROM member") == [(1,)]
    finally:
        other.close()
        db.close()


def test_a_read_only_file_refuses_the_write_with_a_message(db_path, make_draft, sql):
    import os

    from obrero import members
    from obrero.errors import StorageError

    open_database(db_path).close()
    if os.geteuid() == 0:
        # root writes anyway; a read-only mode of the connection stands in for the file's.
        db = open_database(db_path)
        db.engine.dispose()
        from sqlalchemy import event

        event.listen(
            db.engine, "connect", lambda conn, _rec: conn.execute("PRAGMA query_only = ON")
        )
    else:
        db_path.chmod(0o444)
        db = open_database(db_path)
    try:
        with pytest.raises(StorageError) as raised:
            db.write(members.add_member, make_draft())
    finally:
        db.close()
        db_path.chmod(0o644)
    assert "Nothing was saved" in raised.value.message
    assert sql(db_path, "SELECT count(*) FROM member") == [(0,)]


def test_a_database_of_schema_0001_is_backed_up_then_upgraded(tmp_path, sql):
    """The checked-in file of the first released schema opens in this version."""
    import shutil

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "obrero-0001.sqlite3"
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(fixture, path)
    members_before = sql(path, "SELECT id, full_name, national_id FROM member ORDER BY id")
    assert inspect_file(path) == (FileState.OLDER, "0001")
    backups = []
    db = open_database(path, on_backup=backups.append)
    db.close()
    [backup] = backups
    assert backup.parent == path.parent / "backups" and backup.name.endswith(
        "-before-upgrade.sqlite3"
    )
    assert sql(backup, "SELECT version_num FROM alembic_version") == [("0001",)]
    assert sql(path, "SELECT version_num FROM alembic_version") == [(SCHEMA_HEAD,)]
    assert sql(path, "SELECT id, full_name, national_id FROM member ORDER BY id") == members_before
    assert sql(path, "SELECT count(*) FROM logbook_entry") == [(0,)]
    assert sql(path, "PRAGMA integrity_check") == [("ok",)]


def test_every_checked_in_database_opens_in_this_version(tmp_path, sql):
    """One small database per released schema (tests/fixtures/obrero-<revision>.sqlite3):
    each opens, upgraded when older, with its records intact. A new migration adds the
    fixture of the schema before it stops being the head."""
    import shutil

    fixtures = sorted((Path(__file__).resolve().parents[1] / "fixtures").glob("obrero-*.sqlite3"))
    assert [f.stem.split("-")[1] for f in fixtures] == ["0001", "0003"]
    for fixture in fixtures:
        revision = fixture.stem.split("-")[1]
        assert revision in SCHEMA_REVISIONS
        path = tmp_path / fixture.name
        shutil.copyfile(fixture, path)
        members_before = sql(path, "SELECT id, full_name FROM member ORDER BY id")
        open_database(path).close()
        assert sql(path, "SELECT version_num FROM alembic_version") == [(SCHEMA_HEAD,)]
        assert sql(path, "SELECT id, full_name FROM member ORDER BY id") == members_before
        assert sql(path, "PRAGMA integrity_check") == [("ok",)]
