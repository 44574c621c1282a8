"""Preferences kept in the database: who is operating, the UI language, backups to keep."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from obrero.errors import ValidationError
from obrero.exchange.backups import (
    DEFAULT_KEEP,
    KEEP_SETTING,
    MAX_KEEP,
    MIN_KEEP,
    keep_from_text,
)
from obrero.i18n import LANGUAGES, N_, _, language_from_environment
from obrero.store.models import SettingRow

SETTING_LABELS: dict[str, str] = {
    "operator_name": N_("Operator name"),
    "ui_language": N_("Language of the program"),
    KEEP_SETTING: N_("Automatic backups to keep"),
}


@dataclass(frozen=True)
class Settings:
    operator_name: str
    ui_language: str
    # How many daily copies (and, counted apart, safety copies) obrero.exchange.backups keeps.
    backups_to_keep: int = DEFAULT_KEEP


def get_settings(session: Session) -> Settings:
    """Stored settings; the UI language defaults to the environment's."""
    rows = session.execute(select(SettingRow.key, SettingRow.value))
    stored = {key: value for key, value in rows}
    language = stored.get("ui_language", "")
    return Settings(
        operator_name=stored.get("operator_name", ""),
        ui_language=language if language in LANGUAGES else language_from_environment(),
        backups_to_keep=keep_from_text(stored.get(KEEP_SETTING)),
    )


def save_settings(session: Session, settings: Settings) -> Settings:
    """Validate and store ``settings``; the operator name signs every later change."""
    if settings.ui_language not in LANGUAGES:
        raise ValidationError("ui_language", _("Choose a language from the list."))
    operator = " ".join(settings.operator_name.split())
    if len(operator) > 200:
        raise ValidationError("operator_name", _("The operator name is too long."))
    keep = settings.backups_to_keep
    if isinstance(keep, bool) or not isinstance(keep, int) or not MIN_KEEP <= keep <= MAX_KEEP:
        raise ValidationError(
            KEEP_SETTING,
            _("Keep between {low} and {high} backups.").format(low=MIN_KEEP, high=MAX_KEEP),
        )
    for key, value in (
        ("operator_name", operator),
        ("ui_language", settings.ui_language),
        (KEEP_SETTING, str(keep)),
    ):
        row = session.get(SettingRow, key)
        if row is None:
            # The default number of backups needs no row (nor a line in the audit trail).
            if key != KEEP_SETTING or keep != DEFAULT_KEEP:
                session.add(SettingRow(key=key, value=value))
        else:
            row.value = value
    return Settings(operator_name=operator, ui_language=settings.ui_language, backups_to_keep=keep)
