"""Reading the audit trail: every insert, update and delete, who made it and when.

The trail is written by database triggers (see ``store/audit_triggers.py``);
this module only reads it back for the UI and the ``obrero audit`` command.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from obrero import members, profile, settings
from obrero.i18n import LANGUAGES, N_, _
from obrero.i18n.formatting import format_date, format_number
from obrero.logbook import entries as logbook_entries
from obrero.store.models import AuditEntryRow, MemberRow
from obrero.wages import periods as wage_periods
from obrero.wages import rules as wage_rules

_PAY_TABLES = ("pay_period", "pay_income", "pay_coefficient", "pay_hours", "pay_line", "pay_share")
TABLE_LABELS: dict[str, str] = {
    "member": N_("Member"),
    "factory_profile": N_("Factory profile"),
    "setting": N_("Setting"),
    "logbook_entry": N_("Logbook entry"),
    "logbook_attachment": N_("Logbook attachment"),
    "pay_period": N_("Pay period"),
    "pay_income": N_("Income or cost of a pay period"),
    "pay_coefficient": N_("Category coefficient"),
    "pay_hours": N_("Hours worked"),
    "pay_line": N_("Member's pay line"),
    "pay_share": N_("Approved share"),
}
# Labels of the pay tables' columns, shared by all of them.
_PAY_FIELDS: dict[str, str] = {
    "period_id": N_("Pay period"),
    "member_id": N_("Member"),
    "start_date": N_("Starts"),
    "end_date": N_("Ends"),
    "label": N_("Name"),
    "amount_cents": N_("Amount"),
    "rule": N_("Sharing rule"),
    "equal_percent": N_("Equal part (%)"),
    "weighted": N_("Weighted by category"),
    "resolution": N_("Resolution"),
    "max_hours_centi": N_("Most hours"),
    "status": N_("Status"),
    "approved_on": N_("Approved on"),
    "paid_on": N_("Paid on"),
    "notes": N_("Notes"),
    "description": N_("Description"),
    "category": N_("Category"),
    "coefficient_milli": N_("Coefficient"),
    "hours_centi": N_("Hours"),
    "kind": N_("Kind"),
    "adjusts_period_id": N_("Adjusts period"),
    "days_on_roll": N_("Days on the roll"),
    "share_cents": N_("Share"),
    "additions_cents": N_("Additions"),
    "advances_cents": N_("Advances"),
    "deductions_cents": N_("Deductions"),
    "net_cents": N_("Net"),
}
FIELD_LABELS: dict[str, dict[str, str]] = {
    "member": members.FIELD_LABELS,
    "factory_profile": profile.FIELD_LABELS,
    "setting": {"key": N_("Setting"), "value": N_("Value")},
    "logbook_entry": logbook_entries.FIELD_LABELS,
    **{table: _PAY_FIELDS for table in _PAY_TABLES},
    "logbook_attachment": {
        "entry_id": N_("Logbook entry"),
        "position": N_("Position"),
        "filename": N_("File name"),
        "media_type": N_("Type"),
        "size": N_("Size in bytes"),
        "sha256": "SHA-256",
    },
}
# Stored codes shown by their label: (table, field) -> {code: label}.
VALUE_LABELS: dict[tuple[str, str], dict[str, str]] = {
    ("member", "status"): members.STATUS_LABELS,
    ("member", "leave_reason"): members.LEAVE_REASONS,
    ("factory_profile", "country"): profile.COUNTRIES,
    ("factory_profile", "statute_preset"): profile.STATUTE_PRESETS,
    ("logbook_entry", "category"): logbook_entries.CATEGORIES,
    ("pay_period", "status"): wage_periods.STATUS_LABELS,
    ("pay_period", "rule"): wage_rules.RULE_LABELS,
    ("pay_line", "kind"): wage_periods.LINE_KINDS,
}
DATE_FIELDS = {
    ("member", "join_date"),
    ("member", "leave_date"),
    ("pay_period", "start_date"),
    ("pay_period", "end_date"),
    ("pay_period", "approved_on"),
    ("pay_period", "paid_on"),
}
# Integers stored in hundredths (centavos, hours) or thousandths (coefficients).
SCALED_SUFFIXES = {"_cents": 2, "_centi": 2, "_milli": 3}
LANGUAGE_FIELDS = {("factory_profile", "document_language")}
# The row's own key is in what(); the others are derived copies of shown fields.
HIDDEN_FIELDS = {"id", "search_key", "national_id_key"}
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
    # Who the record is about now (a member's name), to tell rows apart at a glance.
    subject: str = ""

    def what(self) -> str:
        """E.g. "Member 12" or "Setting: Operator name" in the UI language."""
        label = _(TABLE_LABELS.get(self.table_name, self.table_name))
        if self.table_name == "setting":
            key = settings.SETTING_LABELS.get(self.row_key)
            return f"{label}: {_(key) if key else self.row_key}"
        if self.table_name == "factory_profile":
            return label
        if self.subject:
            return f"{label} {self.row_key} · {self.subject}"
        return f"{label} {self.row_key}"

    def action_text(self) -> str:
        return _(ACTION_LABELS.get(self.action, self.action))

    def changes_text(self) -> str:
        """One line per changed field: ``field: old → new`` (just ``new`` when added)."""
        labels = FIELD_LABELS.get(self.table_name, {})
        lines = []
        for field, (old, new) in self.changes.items():
            if field in HIDDEN_FIELDS or (self.table_name == "setting" and field == "key"):
                continue
            if self.action == "insert" and new in (None, ""):
                continue  # an empty field of a new record says nothing
            name = _(labels[field]) if field in labels else field
            shown_new = self._show(field, new)
            if self.action == "insert":
                lines.append(f"{name}: {shown_new}")
            else:
                lines.append(f"{name}: {self._show(field, old)} → {shown_new}")
        return "\n".join(lines)

    def _show(self, field: str, value: object) -> str:
        """A stored value as a person reads it: dates in the locale, codes by label."""
        if value is None or value == "":
            return "∅"
        where = (self.table_name, field)
        if where in DATE_FIELDS:
            return format_date(date.fromisoformat(str(value)))
        if where in VALUE_LABELS and value in VALUE_LABELS[where]:
            return _(VALUE_LABELS[where][str(value)])
        if (where in LANGUAGE_FIELDS or self.row_key == "ui_language") and value in LANGUAGES:
            return LANGUAGES[str(value)]
        for suffix, places in SCALED_SUFFIXES.items():
            if field.endswith(suffix) and isinstance(value, int):
                return format_number(Decimal(value).scaleb(-places))
        return str(value)


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
    rows = list(session.scalars(query.offset(offset).limit(limit)))
    names = _member_names(session, {row.row_key for row in rows if row.table_name == "member"})
    return [
        AuditEntry(
            id=row.id,
            at=row.at.replace(tzinfo=UTC),
            operator=row.operator,
            table_name=row.table_name,
            row_key=row.row_key,
            action=row.action,
            changes={key: tuple(pair) for key, pair in json.loads(row.changes or "{}").items()},
            subject=names.get(row.row_key, "") if row.table_name == "member" else "",
        )
        for row in rows
    ]


def _member_names(session: Session, keys: set[str]) -> dict[str, str]:
    ids = [int(key) for key in keys if key.isdigit()]
    if not ids:
        return {}
    query = select(MemberRow.id, MemberRow.full_name).where(MemberRow.id.in_(ids))
    return {str(member_id): name for member_id, name in session.execute(query)}


def count_audit_entries(session: Session, since: date | None = None, time_zone: str = "UTC") -> int:
    query = _since(select(func.count()).select_from(AuditEntryRow), since, time_zone)
    return session.scalar(query) or 0
