"""Preferences kept in the database: who is operating, and the UI language."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from obrero.errors import ValidationError
from obrero.i18n import LANGUAGES, N_, _, language_from_environment
from obrero.store.models import SettingRow

SETTING_LABELS: dict[str, str] = {
    "operator_name": N_("Operator name"),
    "ui_language": N_("Language of the program"),
}


@dataclass(frozen=True)
class Settings:
    operator_name: str
    ui_language: str


def get_settings(session: Session) -> Settings:
    """Stored settings; the UI language defaults to the environment's."""
    rows = session.execute(select(SettingRow.key, SettingRow.value))
    stored = {key: value for key, value in rows}
    language = stored.get("ui_language", "")
    return Settings(
        operator_name=stored.get("operator_name", ""),
        ui_language=language if language in LANGUAGES else language_from_environment(),
    )


def save_settings(session: Session, settings: Settings) -> Settings:
    """Validate and store ``settings``; the operator name signs every later change."""
    if settings.ui_language not in LANGUAGES:
        raise ValidationError("ui_language", _("Choose a language from the list."))
    operator = " ".join(settings.operator_name.split())
    if len(operator) > 200:
        raise ValidationError("operator_name", _("The operator name is too long."))
    for key, value in (("operator_name", operator), ("ui_language", settings.ui_language)):
        row = session.get(SettingRow, key)
        if row is None:
            session.add(SettingRow(key=key, value=value))
        else:
            row.value = value
    return Settings(operator_name=operator, ui_language=settings.ui_language)
