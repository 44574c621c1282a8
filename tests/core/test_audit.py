"""The audit trail: written by triggers, attributed, append-only, readable."""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from obrero import audit, members, settings
from obrero.store.database import open_database
from obrero.store.models import AuditEntryRow, Base

NOT_AUDITED = {"audit_entry", "audit_context", "alembic_version"}
# Full-text indexes are derived from audited tables (and FTS5 keeps shadow tables).
DERIVED_PREFIXES = ("logbook_search",)
# Columns deliberately kept out of the trail: attachment bytes (their SHA-256 is in it).
NOT_AUDITED_COLUMNS = {("logbook_attachment", "data")}


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    operator: str
    table_name: str
    row_key: str
    action: str
    changes: str


def entries(db) -> list[Entry]:
    """Every audit_entry row, oldest first, as read straight from the table."""

    def read(session):
        rows = session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.id))
        return [Entry(**{f.name: getattr(row, f.name) for f in fields(Entry)}) for row in rows]

    return db.read(read)


def test_adding_a_member_records_an_insert_entry(db_path, make_draft):
    db = open_database(db_path, operator="Marta Gómez")
    try:
        before = datetime.now(UTC).replace(tzinfo=None)
        member = db.write(members.add_member, make_draft(full_name="Rosa Peña", sector="Forja"))
        after = datetime.now(UTC).replace(tzinfo=None)
        [entry] = entries(db)
    finally:
        db.close()

    assert (entry.action, entry.table_name, entry.row_key) == ("insert", "member", str(member.id))
    assert entry.operator == "Marta Gómez"
    assert before - timedelta(seconds=1) <= entry.at <= after + timedelta(seconds=1)
    changes = json.loads(entry.changes)
    assert changes["id"] == [None, member.id]
    assert changes["full_name"] == [None, "Rosa Peña"]
    assert changes["national_id"] == [None, "30.111.222"]
    assert changes["national_id_key"] == [None, "30111222"]
    assert changes["join_date"] == [None, "2025-03-10"]
    assert changes["status"] == [None, "active"]
    assert changes["sector"] == [None, "Forja"]
    assert "leave_date" not in changes  # NULL before and after: nothing to record


def test_operator_comes_from_the_saved_setting(db, make_draft, pc_user):
    saved = db.write(settings.save_settings, settings.Settings("  Juan   Pérez ", "en"))
    assert saved.operator_name == "Juan Pérez"
    db.write(members.add_member, make_draft())

    trail = entries(db)
    # The setting rows were written before the name was known: the PC login signs them.
    assert [(e.table_name, e.row_key, e.operator) for e in trail] == [
        ("setting", "operator_name", pc_user),
        ("setting", "ui_language", pc_user),
        ("member", "1", "Juan Pérez"),
    ]


def test_operator_override_beats_the_setting(db_path, make_draft):
    first = open_database(db_path)
    first.write(settings.save_settings, settings.Settings("Juan Pérez", "en"))
    first.close()

    db = open_database(db_path, operator="Marta Gómez")
    try:
        db.write(members.add_member, make_draft())
        assert entries(db)[-1].operator == "Marta Gómez"
    finally:
        db.close()


def test_without_setting_or_override_the_pc_login_signs(db, make_draft, pc_user):
    db.write(members.add_member, make_draft())
    assert entries(db)[-1].operator == pc_user


def test_update_records_only_the_changed_fields(db, make_draft):
    member = db.write(members.add_member, make_draft())
    db.write(
        members.update_member,
        member.id,
        make_draft(sector="Forja", email="ana@example.org"),
    )

    insert, update = entries(db)
    assert insert.action == "insert"
    assert (update.action, update.table_name, update.row_key) == ("update", "member", "1")
    assert json.loads(update.changes) == {
        "sector": ["", "Forja"],
        "email": ["", "ana@example.org"],
    }


def test_update_changing_nothing_records_nothing(db, db_path, make_draft):
    member = db.write(members.add_member, make_draft(sector="Forja"))
    db.write(members.update_member, member.id, make_draft(sector="Forja"))
    db.write(members.update_member, member.id, make_draft(sector="  Forja "))  # tidied equal
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute("UPDATE member SET sector = sector, phone = phone")
        connection.commit()
    assert [e.action for e in entries(db)] == ["insert"]


def test_raw_sql_is_audited_too(db, db_path):
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute("INSERT INTO setting (key, value) VALUES ('printer', 'HP')")
        connection.execute("UPDATE setting SET value = 'Epson' WHERE key = 'printer'")
        connection.commit()
    trail = entries(db)
    assert [(e.action, e.row_key, json.loads(e.changes)) for e in trail] == [
        ("insert", "printer", {"key": [None, "printer"], "value": [None, "HP"]}),
        ("update", "printer", {"value": ["HP", "Epson"]}),
    ]


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_entry SET operator = 'someone else'", "DELETE FROM audit_entry"],
)
def test_audit_entries_cannot_be_changed_or_deleted(db, make_draft, statement):
    db.write(members.add_member, make_draft())
    before = [(e.id, e.operator, e.changes) for e in entries(db)]

    with pytest.raises(IntegrityError, match="audit entries are append-only"):
        db.write(lambda session: session.execute(text(statement)))

    assert [(e.id, e.operator, e.changes) for e in entries(db)] == before


def test_audit_entries_cannot_be_deleted_with_plain_sqlite(db, db_path, make_draft):
    db.write(members.add_member, make_draft())
    with (
        closing(sqlite3.connect(db_path)) as connection,
        pytest.raises(sqlite3.IntegrityError, match="append-only"),
    ):
        connection.execute("DELETE FROM audit_entry")
    assert len(entries(db)) == 1


def test_members_cannot_be_deleted(db, make_draft):
    member = db.write(members.add_member, make_draft())
    with pytest.raises(IntegrityError, match="members are never deleted"):
        db.write(lambda session: session.execute(text("DELETE FROM member")))
    assert db.read(members.get_member, member.id) == member
    assert [e.action for e in entries(db)] == ["insert"]


def _trigger_sql(db_path) -> dict[str, str]:
    with closing(sqlite3.connect(db_path)) as connection:
        return dict(connection.execute("SELECT name, sql FROM sqlite_master WHERE type='trigger'"))


def _tables(db_path) -> dict[str, list[str]]:
    with closing(sqlite3.connect(db_path)) as connection:
        names = [
            n for (n,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {
            name: [row[1] for row in connection.execute(f"PRAGMA table_info({name})")]
            for name in names
        }


def audit_gaps(db_path) -> list[str]:
    """What the audit triggers miss: tables without triggers, columns a trigger ignores."""
    triggers = _trigger_sql(db_path)
    tables = _tables(db_path)
    gaps = []
    for table in sorted((set(Base.metadata.tables) | set(tables)) - NOT_AUDITED):
        if table.startswith(DERIVED_PREFIXES):
            continue
        if table not in tables:
            gaps.append(f"{table}: in the models but not in the database")
            continue
        for action in ("insert", "update", "delete"):
            if f"audit_{table}_{action}" not in triggers:
                gaps.append(f"{table}: no {action} trigger")
                continue
            sql = triggers[f"audit_{table}_{action}"]
            rows = {"insert": ["NEW"], "update": ["OLD", "NEW"], "delete": ["OLD"]}[action]
            for column in tables[table]:
                if (table, column) in NOT_AUDITED_COLUMNS:
                    continue
                for row in rows:
                    if not re.search(rf"\b{row}\.{column}\b", sql):
                        gaps.append(f"{table}.{column}: {action} trigger ignores {row}")
    return gaps


def test_every_table_has_audit_triggers_covering_every_column(db, db_path):
    """Guards future migrations: a new table or column must be audited too."""
    assert {"member", "factory_profile", "setting"} <= set(_tables(db_path))
    assert audit_gaps(db_path) == []


def test_audit_gaps_finds_an_unaudited_column_and_table(db, db_path):
    """The guard above can fail: a column added without re-creating the triggers."""
    db.close()
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute("ALTER TABLE member ADD COLUMN nickname TEXT")
        connection.execute("CREATE TABLE tool (id INTEGER PRIMARY KEY)")
    assert audit_gaps(db_path) == [
        "member.nickname: insert trigger ignores NEW",
        "member.nickname: update trigger ignores OLD",
        "member.nickname: update trigger ignores NEW",
        "member.nickname: delete trigger ignores OLD",
        "tool: no insert trigger",
        "tool: no update trigger",
        "tool: no delete trigger",
    ]


def test_a_migration_adding_a_column_re_creates_the_triggers(db, db_path):
    """What a later migration does when it changes a table: drop, alter, create again."""
    from obrero.store.audit_triggers import create_audit_triggers, drop_audit_triggers

    db.close()
    columns = [*_tables(db_path)["member"], "nickname"]
    with closing(sqlite3.connect(db_path)) as connection:
        for statement in drop_audit_triggers("member"):
            connection.execute(statement)
        connection.execute("ALTER TABLE member ADD COLUMN nickname TEXT")
        for statement in create_audit_triggers("member", columns):
            connection.execute(statement)
        connection.commit()
    assert audit_gaps(db_path) == []


def test_audit_tables_themselves_are_protected(db, db_path):
    triggers = _trigger_sql(db_path)
    assert "forbid_audit_entry_update" in triggers
    assert "forbid_audit_entry_delete" in triggers
    assert not any(name.startswith("audit_audit_") for name in triggers)


def _add_entry(db_path, at: str, row_key: str) -> None:
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute(
            "INSERT INTO audit_entry (at, operator, table_name, row_key, action, changes) "
            "VALUES (?, 'Marta', 'member', ?, 'update', '{}')",
            (at, row_key),
        )
        connection.commit()


def test_audit_entries_since_a_date_in_the_factory_time_zone(db, db_path):
    # Buenos Aires is UTC-3: 02:30 UTC on 6 October is still 5 October there.
    _add_entry(db_path, "2025-10-05 12:00:00.000000", "a")
    _add_entry(db_path, "2025-10-06 02:30:00.000000", "b")
    _add_entry(db_path, "2025-10-06 03:30:00.000000", "c")
    zone = "America/Argentina/Buenos_Aires"

    def keys(**kwargs):
        return [e.row_key for e in db.read(audit.audit_entries, **kwargs)]

    assert keys(since=date(2025, 10, 6), time_zone=zone) == ["c"]
    assert keys(since=date(2025, 10, 6)) == ["c", "b"]  # UTC
    assert keys(since=date(2025, 10, 5), time_zone=zone) == ["c", "b", "a"]
    assert keys(since=date(2025, 10, 7), time_zone=zone) == []
    assert keys(newest_first=False) == ["a", "b", "c"]
    assert keys(offset=1, limit=1) == ["b"]
    assert db.read(audit.count_audit_entries, since=date(2025, 10, 6), time_zone=zone) == 1
    assert db.read(audit.count_audit_entries) == 3
    [latest] = db.read(audit.audit_entries, limit=1)
    assert latest.at == datetime(2025, 10, 6, 3, 30, tzinfo=UTC)


def test_changes_text_shows_field_labels(db, make_draft):
    member = db.write(members.add_member, make_draft(full_name="Rosa Peña"))
    db.write(members.update_member, member.id, make_draft(full_name="Rosa Peña", sector="Forja"))

    update, insert = db.read(audit.audit_entries)
    assert update.changes_text() == "Sector: ∅ → Forja"
    assert update.what() == "Member 1 · Rosa Peña"
    assert update.action_text() == "Changed"
    assert insert.action_text() == "Added"
    lines = insert.changes_text().splitlines()
    assert "Full name: Rosa Peña" in lines
    assert "National id: 30.111.222" in lines
    assert "Joined: 03/10/2025" in lines
    assert not any(line.startswith(("search_key", "national_id_key")) for line in lines)


def test_changes_text_of_settings_and_unknown_fields():
    entry = audit.AuditEntry(
        id=1,
        at=datetime(2025, 1, 1, tzinfo=UTC),
        operator="Marta",
        table_name="setting",
        row_key="ui_language",
        action="update",
        changes={"value": ("es", "pt_BR"), "mystery": (None, 3)},
    )
    assert entry.changes_text() == "Value: Español → Português (Brasil)\nmystery: ∅ → 3"
    assert entry.what() == "Setting: Language of the program"
