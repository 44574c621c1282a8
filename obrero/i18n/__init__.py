"""Translation of Obrero's own messages (gettext) and locale formatting (Babel).

``_`` looks the message up in the UI language at call time, so switching the
language takes effect on the next call. Documents pick their own language
through :func:`translator`, independent of the UI.
"""

from obrero.i18n.catalogues import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    N_,
    _,
    current_language,
    language_from_environment,
    ngettext,
    set_language,
    translator,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "N_",
    "_",
    "current_language",
    "language_from_environment",
    "ngettext",
    "set_language",
    "translator",
]
