"""SQL for the triggers that keep the audit trail and protect append-only tables.

Triggers, not Python hooks, so that every write is recorded however it is made.
Migrations call these with the column list of the table *at that revision*;
a migration that changes a table's columns drops and re-creates its triggers.
"""

from __future__ import annotations

from collections.abc import Sequence

_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now') || '000'"
_OPERATOR = "COALESCE((SELECT operator FROM audit_context WHERE id = 1), '')"


def _changes(columns: Sequence[str], old: str | None, new: str | None) -> str:
    """A JSON object {column: [old, new]} of the columns that differ."""
    selects = []
    for column in columns:
        before = f"{old}.{column}" if old else "NULL"
        after = f"{new}.{column}" if new else "NULL"
        selects.append(
            f"SELECT '{column}' AS name, json_array({before}, {after}) AS change "
            f"WHERE {before} IS NOT {after}"
        )
    union = " UNION ALL ".join(selects)
    return f"(SELECT json_group_object(name, json(change)) FROM ({union}))"


def _insert_entry(table: str, key: str, action: str, changes: str) -> str:
    return (
        "INSERT INTO audit_entry (at, operator, table_name, row_key, action, changes) "
        f"VALUES ({_NOW}, {_OPERATOR}, '{table}', {key}, '{action}', {changes});"
    )


def audit_trigger_names(table: str) -> list[str]:
    return [f"audit_{table}_{action}" for action in ("insert", "update", "delete")]


def create_audit_triggers(table: str, columns: Sequence[str], key: str = "id") -> list[str]:
    """CREATE TRIGGER statements recording inserts, updates and deletes of ``table``."""
    changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in columns)
    insert, update, delete = audit_trigger_names(table)
    return [
        f"CREATE TRIGGER {insert} AFTER INSERT ON {table} BEGIN "
        + _insert_entry(table, f"NEW.{key}", "insert", _changes(columns, None, "NEW"))
        + " END",
        f"CREATE TRIGGER {update} AFTER UPDATE ON {table} WHEN {changed} BEGIN "
        + _insert_entry(table, f"NEW.{key}", "update", _changes(columns, "OLD", "NEW"))
        + " END",
        f"CREATE TRIGGER {delete} AFTER DELETE ON {table} BEGIN "
        + _insert_entry(table, f"OLD.{key}", "delete", _changes(columns, "OLD", None))
        + " END",
    ]


def drop_audit_triggers(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name}" for name in audit_trigger_names(table)]


def forbid(table: str, action: str, message: str) -> str:
    """A trigger refusing every ``action`` (UPDATE or DELETE) on ``table``.

    ``message`` is a stable English key; the core maps it to a translated text.
    """
    return (
        f"CREATE TRIGGER forbid_{table}_{action.lower()} BEFORE {action} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
    )
