"""Reading the audit trail: every insert, update and delete, who made it and when.

The trail is written by database triggers (see ``store/audit_triggers.py``);
this module only reads it back for the UI and the ``obrero audit`` command.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from obrero import members, profile
from obrero.i18n import N_, _
from obrero.store.models import AuditEntryRow

TABLE_LABELS: dict[str, str] = {
    "member": N_("Member"),
    "factory_profile": N_("Factory profile"),
    "setting": N_("Setting"),
}
FIELD_LABELS: dict[str, dict[str, str]] = {
    "member": members.FIELD_LABELS,
    "factory_profile": profile.FIELD_LABELS,
    "setting": {"key": N_("Setting"), "value": N_("Value")},
}
ACTION_LABELS: dict[str, str] = {
    "insert": N_("Added"),
    "update": N_("Changed"),
    "delete": N_("Removed"),
}


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime  # UTC, timezone-aware
    operator: str
    table_name: str
    row_key: str
    action: str
    changes: dict[str, tuple[object, object]]

    def what(self) -> str:
        """E.g. "Member 12" in the UI language."""
        label = _(TABLE_LABELS.get(self.table_name, self.table_name))
        return f"{label} {self.row_key}"

    def action_text(self) -> str:
        return _(ACTION_LABELS.get(self.action, self.action))

    def changes_text(self) -> str:
        """One line per changed field: ``field: old → new`` (just ``new`` when added)."""
        labels = FIELD_LABELS.get(self.table_name, {})
        lines = []
        for field, (old, new) in self.changes.items():
            if field in ("search_key", "national_id_key"):
                continue  # derived copies of other fields
            name = _(labels[field]) if field in labels else field
            if self.action == "insert":
                lines.append(f"{name}: {_show(new)}")
            else:
                lines.append(f"{name}: {_show(old)} → {_show(new)}")
        return "\n".join(lines)


def _show(value: object) -> str:
    return "∅" if value is None or value == "" else str(value)


def _since(query: Select, since: date | None, time_zone: str) -> Select:
    if since is None:
        return query
    start = datetime.combine(since, time.min, tzinfo=ZoneInfo(time_zone))
    utc = start.astimezone(UTC).replace(tzinfo=None)
    return query.where(AuditEntryRow.at >= utc)


def audit_entries(
    session: Session,
    since: date | None = None,
    time_zone: str = "UTC",
    offset: int = 0,
    limit: int | None = None,
    newest_first: bool = True,
) -> list[AuditEntry]:
    """Entries made on or after ``since`` (a date in the factory's time zone)."""
    order = AuditEntryRow.id.desc() if newest_first else AuditEntryRow.id
    query = _since(select(AuditEntryRow), since, time_zone).order_by(order)
    rows = session.scalars(query.offset(offset).limit(limit))
    return [
        AuditEntry(
            id=row.id,
            at=row.at.replace(tzinfo=UTC),
            operator=row.operator,
            table_name=row.table_name,
            row_key=row.row_key,
            action=row.action,
            changes={key: tuple(pair) for key, pair in json.loads(row.changes or "{}").items()},
        )
        for row in rows
    ]


def count_audit_entries(session: Session, since: date | None = None, time_zone: str = "UTC") -> int:
    query = _since(select(func.count()).select_from(AuditEntryRow), since, time_zone)
    return session.scalar(query) or 0
