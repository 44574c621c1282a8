"""Starting the desktop program: language, database, first-run profile, main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

import obrero
from obrero import demo
from obrero import profile as profiles
from obrero import settings as settings_service
from obrero.errors import DatabaseRefused, ObreroError
from obrero.i18n import _, language_from_environment
from obrero.locations import resources_dir
from obrero.store.database import Database, open_database
from ui.language import LanguageSwitcher
from ui.main_window import MainWindow
from ui.profile_dialog import ProfileDialog


def application() -> QApplication:
    """The running QApplication, created with Obrero's name and icon if needed."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("Obrero")
    app.setApplicationVersion(obrero.__version__)
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "obrero.svg")))
    return app


def open_main_window(db: Database, switcher: LanguageSwitcher) -> MainWindow | None:
    """Apply the stored language, ask for the profile on first run, show the window."""
    switcher.apply(db.read(settings_service.get_settings).ui_language)
    if db.read(profiles.get_profile) is None:
        dialog = ProfileDialog(db, first_run=True)
        if dialog.exec() != ProfileDialog.DialogCode.Accepted:
            return None
    window = MainWindow(db, switcher.apply)
    window.show()
    return window


def _fill_demo(db: Database) -> None:
    try:
        db.write(demo.build_demo)
    except ObreroError as error:
        QMessageBox.warning(None, _("No demo data added"), error.message)


def run(db_path: Path, demo: bool = False) -> int:
    """Open the window on ``db_path``; returns the process exit code."""
    app = application()
    switcher = LanguageSwitcher(app)
    switcher.apply(language_from_environment())
    try:
        db = open_database(db_path)
    except (DatabaseRefused, ObreroError) as error:
        QMessageBox.critical(None, _("Cannot open the database"), error.message)
        return 2
    try:
        if demo:
            _fill_demo(db)
        window = open_main_window(db, switcher)
        return app.exec() if window is not None else 0
    finally:
        db.close()
