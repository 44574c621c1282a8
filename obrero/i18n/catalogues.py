"""gettext catalogues: loading, the active UI language, and per-document translators."""

from __future__ import annotations

import gettext
import io
import os
from functools import cache
from pathlib import Path

from obrero.locations import compiled_locale_dir, translations_source_dir

DOMAIN = "obrero"
DEFAULT_LANGUAGE = "es"
# Language code -> its own name, as a person choosing it expects to read it.
LANGUAGES: dict[str, str] = {
    "es": "Español",
    "pt_BR": "Português (Brasil)",
    "en": "English",
}

_active: gettext.NullTranslations = gettext.NullTranslations()
_active_language = "en"


def N_(message: str) -> str:
    """Mark a constant for extraction; translate it later with ``_`` where shown."""
    return message


def _(message: str) -> str:
    """Translate ``message`` into the current UI language."""
    return _active.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message whose form depends on the number ``n``."""
    return _active.ngettext(singular, plural, n)


def current_language() -> str:
    return _active_language


def set_language(language: str) -> None:
    """Make ``language`` (a key of :data:`LANGUAGES`) the UI language."""
    global _active, _active_language
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    _active = translator(language)
    _active_language = language


@cache
def translator(language: str) -> gettext.NullTranslations:
    """A translations object for one language, e.g. for a document printed in it."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    if language == "en":
        return gettext.NullTranslations()
    return _load_catalogue(language)


def _load_catalogue(language: str) -> gettext.NullTranslations:
    relative = Path(language, "LC_MESSAGES", f"{DOMAIN}.mo")
    compiled = compiled_locale_dir() / relative
    source_dir = translations_source_dir()
    source = source_dir / relative.with_suffix(".po") if source_dir else None
    # A checkout edits .po files; read them directly unless a newer .mo exists.
    if (
        source is not None
        and source.exists()
        and (not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime)
    ):
        return gettext.GNUTranslations(_compile_in_memory(source, language))
    if compiled.exists():
        with compiled.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    return gettext.NullTranslations()


def _compile_in_memory(po_path: Path, language: str) -> io.BytesIO:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    return buffer


def language_from_environment(environ: dict[str, str] | None = None) -> str:
    """The supported language the environment asks for (LANGUAGE, LC_ALL, LANG...)."""
    environ = os.environ if environ is None else environ
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for wanted in environ.get(variable, "").split(":"):
            code = wanted.split(".")[0].split("@")[0]
            if not code or code in ("C", "POSIX"):
                continue
            if code in LANGUAGES:
                return code
            base = code.split("_")[0]
            if base == "pt":
                return "pt_BR"
            if base in LANGUAGES:
                return base
    return DEFAULT_LANGUAGE
