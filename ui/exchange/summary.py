"""What an archive's manifest says, as lines for a person to read."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

from obrero.i18n import _, ngettext
from obrero.i18n.formatting import format_datetime, format_number


def _value(manifest: Any, name: str) -> Any:
    if isinstance(manifest, dict):
        return manifest.get(name)
    return getattr(manifest, name, None)


def manifest_summary(manifest: Any, time_zone: str) -> list[tuple[str, str]]:
    """(label, value) rows: the factory, when it was made, by which Obrero, what it holds."""
    if manifest is None:
        return []
    rows: list[tuple[str, str]] = []
    factory = _value(manifest, "factory")
    if isinstance(factory, dict):
        tax_id = factory.get("tax_id")
        factory = factory.get("name")
        if factory and tax_id:
            factory = f"{factory} ({tax_id})"
    if factory:
        rows.append((_("Factory:"), str(factory)))
    created = _value(manifest, "created_at")
    if isinstance(created, str):
        with contextlib.suppress(ValueError):
            created = datetime.fromisoformat(created)
    if isinstance(created, datetime):
        rows.append((_("Made on:"), format_datetime(created, time_zone)))
    elif created:
        rows.append((_("Made on:"), str(created)))
    version = _value(manifest, "obrero_version")
    if version:
        rows.append((_("By Obrero:"), str(version)))
    schema = _value(manifest, "schema_revision")
    if schema:
        rows.append((_("Records version:"), str(schema)))
    tables = _value(manifest, "tables")
    if isinstance(tables, dict) and tables:
        count = sum(value for value in tables.values() if isinstance(value, int))
        rows.append(
            (
                _("Contents:"),
                ngettext("{n} table", "{n} tables", len(tables)).format(n=len(tables))
                + ", "
                + ngettext("{n} row", "{n} rows", count).format(n=format_number(count)),
            )
        )
    files = _value(manifest, "files")
    if files:
        rows.append(
            (_("Files:"), ngettext("{n} file", "{n} files", len(files)).format(n=len(files)))
        )
    return rows
