"""Automatic local backups: naming, integrity, the daily copy, pruning and restoring."""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from obrero import members, settings
from obrero.errors import DatabaseRefused, ObreroError, StorageError
from obrero.exchange import backups
from obrero.exchange.backups import (
    Backup,
    backup_now,
    backups_dir,
    daily_backup,
    delete_backup,
    list_backups,
    prune,
    restore_backup,
)
from obrero.i18n import set_language
from obrero.store.database import open_database
from obrero.store.files import APPLICATION_ID, SCHEMA_HEAD, FileState, inspect_file

NAME = re.compile(r"obrero-(\d{8}T\d{6}Z)-([a-z-]+?)(-\d+)?\.sqlite3")
NOON = datetime(2026, 3, 14, 12, 0, 0, tzinfo=UTC)


def dump(path: Path) -> list[str]:
    """Every table's schema and rows, as SQL text."""
    with closing(sqlite3.connect(path)) as connection:
        return list(connection.iterdump())


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_listing(path: Path) -> list[str]:
    return sorted(p.name for p in path.iterdir()) if path.exists() else []


def add_members(db, make_draft, *names: str) -> None:
    for name in names:
        digits = str(abs(hash(name)) % 10**8).zfill(8)
        db.write(members.add_member, make_draft(full_name=name, national_id=digits))


@pytest.fixture
def filled(db, db_path, make_draft):
    """The test database with three members, still open."""
    add_members(db, make_draft, "Ana Pérez", "João Silva", "Rosa Peña")
    return db


def make_at(db_path: Path, reason: str, when: datetime) -> Path:
    return backup_now(db_path, reason, now=when)


def corrupt(path: Path) -> None:
    """Overwrite two pages in the middle of the file, as a failing disk would."""
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 12 * page, "the file is too small to damage safely"
    for offset in (page * 5, page * 10):
        data[offset : offset + 40] = b"\xff" * 40
    path.write_bytes(bytes(data))


def grow(path: Path) -> None:
    """Enough rows that the file spans many pages (for :func:`corrupt`)."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, text TEXT)")
        connection.executemany("INSERT INTO filler (text) VALUES (?)", [("x" * 300,)] * 400)
        connection.commit()


# --- backup_now ------------------------------------------------------------------------------


def test_backups_folder_is_beside_the_database(db_path):
    assert backups_dir(db_path) == db_path.parent / "backups"


def test_backup_now_makes_a_checked_copy_with_a_dated_name(filled, db_path, sql):
    before = datetime.now(UTC).replace(microsecond=0)

    copy = backup_now(db_path, "manual")

    assert copy.parent == db_path.parent / "backups"
    stamp, reason, serial = NAME.fullmatch(copy.name).groups()
    assert (reason, serial) == ("manual", None)
    made_at = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert before <= made_at <= datetime.now(UTC)
    # The database is still open: rows only in its WAL are in the copy too.
    assert sql(copy, "SELECT * FROM member ORDER BY id") == sql(
        db_path, "SELECT * FROM member ORDER BY id"
    )
    assert len(sql(copy, "SELECT * FROM member")) == 3
    assert sql(copy, "PRAGMA integrity_check") == [("ok",)]
    assert sql(copy, "PRAGMA application_id") == [(APPLICATION_ID,)]
    # One self-contained file: no WAL needed beside it, no leftovers in the folder.
    assert sql(copy, "PRAGMA journal_mode") == [("delete",)]
    assert folder_listing(copy.parent) == [copy.name]
    assert inspect_file(copy) == (FileState.CURRENT, SCHEMA_HEAD)


def test_two_copies_in_the_same_second_are_both_kept(filled, db_path):
    first = make_at(db_path, "before-import", NOON)
    second = make_at(db_path, "before-import", NOON)
    third = make_at(db_path, "before-import", NOON)

    assert first.name == "obrero-20260314T120000Z-before-import.sqlite3"
    assert second.name == "obrero-20260314T120000Z-before-import-2.sqlite3"
    assert third.name == "obrero-20260314T120000Z-before-import-3.sqlite3"
    assert [b.path for b in list_backups(db_path)] == [third, second, first]


def test_backup_stamp_is_utc(filled, db_path):
    three_hours_west = datetime(2026, 3, 14, 9, 0, 0, tzinfo=UTC).astimezone(
        timezone(timedelta(hours=-3))
    )

    copy = make_at(db_path, "manual", three_hours_west)

    assert copy.name == "obrero-20260314T090000Z-manual.sqlite3"


def test_list_backups_newest_first_with_reason_and_size(filled, db_path):
    old = make_at(db_path, "daily", NOON - timedelta(days=2))
    new = make_at(db_path, "manual", NOON)
    middle = make_at(db_path, "before-upgrade", NOON - timedelta(days=1))
    folder = backups_dir(db_path)
    (folder / "notes.txt").write_text("not a backup")
    (folder / "obrero-20260314T120000Z-holiday.sqlite3").write_bytes(b"unknown reason")

    found = list_backups(db_path)

    assert [b.path for b in found] == [new, middle, old]
    assert found[0] == Backup(new, NOON, "manual", new.stat().st_size)
    assert found[0].size > 0
    assert [b.reason_text() for b in found] == ["Made by hand", "Before an upgrade", "Daily"]


def test_every_reason_has_a_text():
    for reason in ("daily", "before-import", "before-upgrade", "before-restore", "manual"):
        backup = Backup(Path("x"), NOON, reason, 0)
        assert backup.reason_text()
    set_language("es")  # translated at call time; a catalogue without it falls back to English
    assert Backup(Path("x"), NOON, "daily", 0).reason_text()


def test_list_backups_without_a_folder_is_empty(db_path):
    assert list_backups(db_path) == []


def test_backup_now_of_no_database_makes_nothing(db_path):
    with pytest.raises(ObreroError) as refused:
        backup_now(db_path, "manual")

    assert refused.value.message == f"There is no database at {db_path}."
    assert not db_path.exists()
    assert not backups_dir(db_path).exists()


def test_backup_now_refuses_an_unknown_reason(filled, db_path):
    with pytest.raises(ValueError):
        backup_now(db_path, "whenever")
    assert list_backups(db_path) == []


def test_backup_now_of_a_file_that_is_not_obreros_makes_nothing(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("shopping list\n" * 20)

    with pytest.raises(DatabaseRefused):
        backup_now(path, "manual")

    assert folder_listing(tmp_path) == ["notes.sqlite3"]


def test_a_copy_of_a_damaged_database_is_not_kept(filled, db_path):
    filled.close()
    grow(db_path)
    corrupt(db_path)

    with pytest.raises(StorageError) as failed:
        backup_now(db_path, "manual")

    assert str(db_path) in failed.value.message
    # Neither a copy with a final name nor a half-written leftover.
    assert folder_listing(backups_dir(db_path)) == []


# --- daily_backup ----------------------------------------------------------------------------


def test_daily_backup_once_a_day(filled, db_path):
    first = daily_backup(db_path)

    assert first is not None
    assert NAME.fullmatch(first.name).group(2) == "daily"
    assert daily_backup(db_path) is None
    assert daily_backup(db_path, today=date.today()) is None
    # Another kind of copy made today does not count as the day's.
    assert [b.path for b in list_backups(db_path)] == [first]

    tomorrow = daily_backup(db_path, today=date.today() + timedelta(days=1))

    assert tomorrow is not None and tomorrow != first
    assert len(list_backups(db_path)) == 2


def test_a_copy_of_another_kind_is_not_the_days(filled, db_path):
    backup_now(db_path, "manual")
    backup_now(db_path, "before-import")

    assert daily_backup(db_path) is not None


def test_yesterdays_daily_copy_does_not_count_for_today(filled, db_path):
    make_at(db_path, "daily", datetime.now(UTC) - timedelta(days=1, hours=1))

    assert daily_backup(db_path) is not None


def test_daily_backup_of_no_database_does_nothing(db_path):
    assert daily_backup(db_path) is None
    assert not db_path.exists()
    assert not backups_dir(db_path).exists()


def test_daily_backup_prunes_old_daily_copies(filled, db_path):
    for days in range(1, 6):
        make_at(db_path, "daily", NOON - timedelta(days=days))
    by_hand = make_at(db_path, "manual", NOON - timedelta(days=30))

    today = daily_backup(db_path, keep=3)

    found = list_backups(db_path)
    assert [b.reason for b in found] == ["daily", "daily", "daily", "manual"]
    assert found[0].path == today
    assert [b.made_at for b in found[1:3]] == [NOON - timedelta(days=1), NOON - timedelta(days=2)]
    assert by_hand.exists()


def test_daily_backup_keeps_the_number_in_the_settings(filled, db_path):
    filled.write(settings.save_settings, settings.Settings("Marta", "es", backups_to_keep=2))
    for days in range(1, 6):
        make_at(db_path, "daily", NOON - timedelta(days=days))

    daily_backup(db_path)

    assert [b.reason for b in list_backups(db_path)] == ["daily", "daily"]


# --- prune -----------------------------------------------------------------------------------


def test_prune_keeps_the_newest_daily_and_safety_copies_apart_and_every_manual_one(filled, db_path):
    daily = [make_at(db_path, "daily", NOON - timedelta(days=d)) for d in range(4)]
    safety = [
        make_at(db_path, reason, NOON - timedelta(hours=h))
        for h, reason in enumerate(
            ["before-import", "before-restore", "before-upgrade", "before-import"]
        )
    ]
    manual = [make_at(db_path, "manual", NOON - timedelta(days=100 + d)) for d in range(4)]

    removed = prune(db_path, keep=2)

    assert sorted(removed) == sorted(daily[2:] + safety[2:])
    assert not any(path.exists() for path in removed)
    assert {b.path for b in list_backups(db_path)} == set(daily[:2] + safety[:2] + manual)
    assert prune(db_path, keep=2) == []


def test_prune_with_room_for_everything_removes_nothing(filled, db_path):
    made = [make_at(db_path, "daily", NOON - timedelta(days=d)) for d in range(3)]

    assert prune(db_path, keep=14) == []
    assert all(path.exists() for path in made)


@pytest.mark.parametrize("keep", [0, -1, 366])
def test_prune_refuses_a_number_out_of_range(filled, db_path, keep):
    make_at(db_path, "daily", NOON)

    with pytest.raises(ValueError):
        prune(db_path, keep)
    assert len(list_backups(db_path)) == 1


def test_prune_removes_old_leftovers_of_interrupted_copies(filled, db_path):
    import os
    import time

    make_at(db_path, "daily", NOON)
    folder = backups_dir(db_path)
    stale, fresh = folder / ".obrero-abc.partial", folder / ".obrero-def.partial"
    stale.write_bytes(b"half a copy")
    fresh.write_bytes(b"a copy being written")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(stale, (two_days_ago, two_days_ago))

    prune(db_path, keep=1)

    assert not stale.exists()
    assert fresh.exists()


def test_delete_backup_deletes_only_this_databases_copies(filled, db_path, tmp_path):
    copy = backup_now(db_path, "manual")
    other = tmp_path / "elsewhere.sqlite3"
    shutil.copyfile(copy, other)

    with pytest.raises(ObreroError):
        delete_backup(db_path, other)
    with pytest.raises(ObreroError):
        delete_backup(db_path, db_path)
    assert other.exists() and db_path.exists()

    delete_backup(db_path, copy)

    assert list_backups(db_path) == []


# --- restore_backup --------------------------------------------------------------------------


def test_restore_saves_the_current_state_then_puts_the_backup_in_place(
    filled, db_path, make_draft, sql
):
    copy = backup_now(db_path, "manual")
    add_members(filled, make_draft, "Luis Gómez", "Marta Ruiz")
    current = dump(db_path)
    filled.close()

    safety = restore_backup(db_path, copy)

    assert safety is not None
    assert safety.parent == backups_dir(db_path)
    assert NAME.fullmatch(safety.name).group(2) == "before-restore"
    assert list_backups(db_path)[0].path == safety
    assert dump(safety) == current  # nothing of the state before is lost
    assert dump(db_path) == dump(copy)
    assert sql(db_path, "PRAGMA integrity_check") == [("ok",)]
    assert not any(Path(f"{db_path}{sidecar}").exists() for sidecar in ("-wal", "-shm", "-journal"))
    assert folder_listing(db_path.parent) == ["backups", db_path.name]
    database = open_database(db_path)
    try:
        assert database.read(members.count_members) == 3
    finally:
        database.close()


def test_restore_removes_a_stale_wal_of_the_old_file(filled, db_path, make_draft, sql):
    copy = backup_now(db_path, "manual")
    filled.close()
    # A write left in the WAL of the old file (as after a crash) must not reach the new one.
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute("PRAGMA wal_autocheckpoint = 0")
        connection.execute("INSERT INTO setting (key, value) VALUES ('stale', 'yes')")
        connection.commit()
        shutil.copyfile(f"{db_path}-wal", db_path.parent / "saved-wal")
    shutil.copyfile(db_path.parent / "saved-wal", f"{db_path}-wal")
    (db_path.parent / "saved-wal").unlink()

    safety = restore_backup(db_path, copy)

    assert sql(safety, "SELECT value FROM setting WHERE key = 'stale'") == [("yes",)]
    assert sql(db_path, "SELECT value FROM setting WHERE key = 'stale'") == []
    assert dump(db_path) == dump(copy)
    assert not Path(f"{db_path}-wal").exists()


def test_restore_an_older_schema_then_open_upgrades_it(db_path, tmp_path, sql):
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "obrero-0001.sqlite3"
    old = tmp_path / "old-copy.sqlite3"
    shutil.copyfile(fixture, old)
    open_database(db_path).close()

    restore_backup(db_path, old)

    assert inspect_file(db_path) == (FileState.OLDER, "0001")
    open_database(db_path).close()
    assert inspect_file(db_path) == (FileState.CURRENT, SCHEMA_HEAD)
    reasons = [b.reason for b in list_backups(db_path)]
    assert reasons == ["before-upgrade", "before-restore"]


def test_restore_where_there_is_no_database_yet(filled, db_path, tmp_path):
    copy = backup_now(db_path, "manual")
    target = tmp_path / "new place" / "obrero.sqlite3"

    assert restore_backup(target, copy) is None

    assert dump(target) == dump(copy)


def test_restore_over_a_damaged_database_keeps_its_bytes(filled, db_path):
    copy = backup_now(db_path, "manual")
    filled.close()
    grow(db_path)
    corrupt(db_path)
    damaged = db_path.read_bytes()

    safety = restore_backup(db_path, copy)

    assert safety.read_bytes() == damaged
    assert NAME.fullmatch(safety.name).group(2) == "before-restore"
    assert dump(db_path) == dump(copy)


def refused_backups(tmp_path: Path) -> dict[str, Path]:
    """Files that must never be restored, by what is wrong with them."""
    text = tmp_path / "text.sqlite3"
    text.write_text("shopping list\n" * 20)
    foreign = tmp_path / "foreign.sqlite3"
    with closing(sqlite3.connect(foreign)) as connection:
        connection.execute("CREATE TABLE stock (item TEXT)")
        connection.commit()
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    return {"text": text, "foreign": foreign, "empty": empty, "missing": tmp_path / "gone"}


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("text", "is not an Obrero database"),
        ("foreign", "SQLite file of another program"),
        ("empty", "is empty or missing"),
        ("missing", "is empty or missing"),
        ("newer", "newer version of Obrero (schema 9999)"),
        ("damaged", "cannot be restored"),
        ("itself", "cannot be restored from itself"),
    ],
)
def test_a_refused_backup_changes_nothing(filled, db_path, tmp_path, kind, message):
    sources = refused_backups(tmp_path)
    if kind == "newer":
        sources[kind] = backup_now(db_path, "manual")
        with closing(sqlite3.connect(sources[kind])) as connection:
            connection.execute("UPDATE alembic_version SET version_num = '9999'")
            connection.commit()
    elif kind == "damaged":
        sources[kind] = damaged = tmp_path / "damaged.sqlite3"
        shutil.copyfile(backup_now(db_path, "manual"), damaged)
        grow(damaged)
        corrupt(damaged)
    elif kind == "itself":
        sources[kind] = db_path
    filled.close()
    before_db, before_backups = sha256(db_path), folder_listing(backups_dir(db_path))
    before_folder = folder_listing(db_path.parent)

    with pytest.raises(DatabaseRefused) as refused:
        restore_backup(db_path, sources[kind])

    assert message in refused.value.message
    assert sha256(db_path) == before_db
    assert folder_listing(backups_dir(db_path)) == before_backups
    assert folder_listing(db_path.parent) == before_folder


def test_restore_refuses_while_another_connection_holds_the_wal(filled, db_path, monkeypatch):
    copy = backup_now(db_path, "manual")
    filled.close()
    holder = sqlite3.connect(db_path)
    try:
        holder.execute("PRAGMA wal_autocheckpoint = 0")
        holder.execute("INSERT INTO setting (key, value) VALUES ('late', 'write')")
        holder.commit()
        holder.execute("BEGIN")
        holder.execute("SELECT count(*) FROM setting").fetchone()  # a reader pins the WAL
        monkeypatch.setattr(backups, "_CHECKPOINT_TIMEOUT_S", 0.1)

        with pytest.raises(StorageError) as refused:
            restore_backup(db_path, copy)

        assert "in use by another Obrero" in refused.value.message
        assert Path(f"{db_path}-wal").exists()
    finally:
        holder.rollback()
        holder.close()
    assert len(list_backups(db_path)) == 2  # the copy and the before-restore one
