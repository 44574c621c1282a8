"""Every message in the code has a translation in every catalogue, and they are used."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from obrero import members
from obrero.errors import ValidationErrors
from obrero.i18n import _, ngettext, set_language, translator
from obrero.i18n.formatting import date_placeholder

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
LANGUAGES = ("es", "pt_BR")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def extracted_messages() -> dict[str, str | None]:
    """msgid -> msgid_plural of every message marked in obrero/ and ui/ (source of truth)."""
    found: dict[str, str | None] = {}
    for package in ("obrero", "ui"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, keywords=DEFAULT_KEYWORDS
        ):
            if isinstance(message, tuple):
                found[message[0]] = message[1]
            else:
                found[message] = None
    return found


def catalogue(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "obrero.po").open("rb") as handle:
        return read_po(handle, locale=language)


def test_the_code_marks_messages_for_translation():
    messages = extracted_messages()
    assert len(messages) > 100
    assert "Members" in messages
    assert messages["{n} member"] == "{n} members"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_translates_every_extracted_message(language):
    po = catalogue(language)
    missing, fuzzy, wrong_placeholders = [], [], []
    for msgid, plural in extracted_messages().items():
        entry = po.get(msgid)
        if (
            entry is None
            or not entry.string
            or (isinstance(entry.string, tuple) and not all(entry.string))
        ):
            missing.append(msgid)
            continue
        if entry.fuzzy:
            fuzzy.append(msgid)
        translations = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = set(PLACEHOLDER.findall(msgid + (plural or "")))
        for text in translations:
            if set(PLACEHOLDER.findall(text)) != wanted:
                wrong_placeholders.append((msgid, text))
    assert missing == [], f"{language}: untranslated messages"
    assert fuzzy == [], f"{language}: fuzzy messages"
    assert wrong_placeholders == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_are_two(language):
    assert catalogue(language).num_plurals == 2


def test_messages_come_out_in_the_chosen_language():
    set_language("es")
    assert _("Members") == "Asociados"
    assert ngettext("{n} member", "{n} members", 1).format(n=1) == "1 asociado"
    assert ngettext("{n} member", "{n} members", 3).format(n=3) == "3 asociados"
    assert date_placeholder() == "dd/mm/aaaa"
    with pytest.raises(ValidationErrors) as raised:
        members.validate_draft_fields(members.MemberDraft("", "1", date(2020, 1, 1)))
    assert raised.value.by_field()["full_name"] == "El nombre no puede quedar vacío."
    set_language("pt_BR")
    assert _("Members") == "Associados"
    assert ngettext("{n} member", "{n} members", 0).format(n=0) == "0 associado"


def test_a_document_language_is_independent_of_the_ui_language():
    set_language("en")
    assert translator("pt_BR").gettext("Members") == "Associados"
    assert _("Members") == "Members"
