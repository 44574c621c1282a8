"""Switching the UI language: our gettext catalogues and Qt's own translations.

Installing or removing a QTranslator makes Qt send every widget a
``LanguageChange`` event; our widgets answer it by re-setting their texts
(``retranslate``), so nothing typed or selected is lost.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from obrero.i18n import current_language, set_language

_QT_CATALOGUES = {"es": "qtbase_es", "pt_BR": "qtbase_pt_BR"}


class LanguageSwitcher:
    """Owns the Qt translator installed on the application."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._translator: QTranslator | None = None

    def apply(self, language: str) -> None:
        """Make ``language`` the UI language, for our strings and Qt's dialogs alike."""
        changed = language != current_language()
        set_language(language)
        QLocale.setDefault(QLocale(language))
        had_translator = self._translator is not None
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None
        translator = QTranslator(self._app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        name = _QT_CATALOGUES.get(language)
        if name and translator.load(name, folder):
            self._app.installTranslator(translator)
            self._translator = translator
        elif changed and not had_translator:
            # No Qt catalogue was swapped, so Qt sent no LanguageChange: send it ourselves.
            for widget in QApplication.allWidgets():
                QCoreApplication.postEvent(widget, QEvent(QEvent.Type.LanguageChange))
