"""Starting the desktop program: the window at once, the database opened behind it.

The window shows before the store's modules are even loaded; a pool thread
opens (and if needed upgrades, after a backup) the database, then the UI
thread asks for the factory profile on first run and puts in the pages.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

import obrero
from obrero.errors import ObreroError
from obrero.i18n import LANGUAGES, _, language_from_environment
from obrero.locations import resources_dir
from obrero.store.files import stored_setting
from ui.background import run_in_background
from ui.language import LanguageSwitcher
from ui.main_window import MainWindow

if TYPE_CHECKING:
    from obrero.store.database import Database
    from ui.profile_dialog import ProfileDialog
    from ui.replacement import Replacement

EXIT_REFUSED = 2


def application() -> QApplication:
    """The running QApplication, created with Obrero's name and icon if needed."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("Obrero")
    app.setApplicationVersion(obrero.__version__)
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "obrero.svg")))
    return app


def open_store(db_path: Path, demo: bool) -> tuple[Database, str]:
    """Open the database (on a pool thread); fill it with the demo factory if asked.

    Returns the database and a message to show (why no demo was added), if any.
    """
    # Load the pages' modules here, so the UI thread does not pay for them.
    import ui.exchange.page
    import ui.logbook.page
    import ui.members.page
    import ui.settings_page
    import ui.wages.page  # noqa: F401
    from obrero import demo as demo_factory
    from obrero.logbook.chain import qr_modules
    from obrero.store.database import open_database

    qr_modules("")  # loads the QR encoder for the logbook's chain head, off the UI thread

    db = open_database(db_path)
    daily_backup(db)
    note = ""
    if demo:
        try:
            db.write(demo_factory.build_demo)
        except ObreroError as error:
            note = error.message
    return db, note


def daily_backup(db: Database) -> Path | None:
    """The first start of the day copies the database; a failure never stops the start."""
    from obrero import settings as settings_service
    from obrero.exchange import backups

    try:
        keep = db.read(settings_service.get_settings).backups_to_keep
        return backups.daily_backup(db.path, keep=keep)
    except Exception:  # a full disk must not keep the secretary from the records
        print("Obrero: the daily backup copy could not be made:", file=sys.stderr)
        traceback.print_exc()
        return None


class Startup(QObject):
    """The window, shown at once, and the opening of the database behind it."""

    def __init__(self, db_path: Path, demo: bool, switcher: LanguageSwitcher) -> None:
        super().__init__()
        self.db: Database | None = None
        self.profile_dialog: ProfileDialog | None = None
        self.exit_code = 0
        self._switcher = switcher
        self.window = MainWindow(None, switcher.apply)
        self.window.replace_requested.connect(self._replace)
        self.window.show()
        run_in_background(lambda: open_store(db_path, demo), self._opened, self._failed)

    def _opened(self, outcome: tuple[Database, str]) -> None:
        from obrero import profile as profiles
        from obrero import settings as settings_service
        from ui.profile_dialog import ProfileDialog

        self.db, note = outcome
        self._switcher.apply(self.db.read(settings_service.get_settings).ui_language)
        if note:
            QMessageBox.warning(self.window, _("No demo data added"), note)
        if self.db.read(profiles.get_profile) is not None:
            self._attach()
            return
        # First run: the profile comes first; without it there is nothing to head documents.
        self.profile_dialog = ProfileDialog(self.db, first_run=True, parent=self.window)
        self.profile_dialog.finished.connect(self._profile_answered)
        self.profile_dialog.open()

    def _profile_answered(self, result: int) -> None:
        assert self.db is not None and self.profile_dialog is not None
        self.profile_dialog.deleteLater()
        self.profile_dialog = None
        if result == QDialog.DialogCode.Accepted:
            self._attach()
        else:
            self.window.close()

    def _attach(self) -> None:
        """Put in the pages, then check the logbook chain behind them."""
        assert self.db is not None
        self.window.attach(self.db)
        self.window.check_chain()

    def _replace(self, replacement: Replacement) -> None:
        """Close the database, run ``replacement.work`` on it off the UI thread, reopen.

        The pages go first (each holds the database), and background work
        ends before the file is closed. Whether the work succeeds or is
        refused, the file is opened again and the pages come back.
        """
        from obrero.store.database import open_database

        if self.db is None:
            return
        db, self.db = self.db, None
        path = db.path
        self.window.detach(replacement.busy_text)
        QThreadPool.globalInstance().waitForDone(30_000)
        db.close()

        def work() -> tuple[Database, object]:
            try:
                outcome = replacement.work(path)
            except Exception as error:  # the file is untouched: reopen it all the same
                outcome = error
            return open_database(path), outcome

        run_in_background(work, lambda opened: self._replaced(replacement, *opened), self._failed)

    def _replaced(self, replacement: Replacement, db: Database, outcome: object) -> None:
        self._opened((db, ""))
        if self.window.is_attached():
            self.window.show_area(replacement.area)
        if isinstance(outcome, Exception):
            message = outcome.message if isinstance(outcome, ObreroError) else str(outcome)
            QMessageBox.warning(self.window, replacement.failure_title, message)
        else:
            QMessageBox.information(
                self.window, replacement.done_title, replacement.done_text(outcome)
            )

    def _failed(self, error: Exception) -> None:
        message = error.message if isinstance(error, ObreroError) else str(error)
        QMessageBox.critical(self.window, _("Cannot open the database"), message)
        self.exit_code = EXIT_REFUSED
        self.window.close()

    def close(self) -> None:
        # Background work (the chain check, thumbnails) ends before the database closes.
        self.window.stop_chain_check()
        QThreadPool.globalInstance().waitForDone(30_000)
        if self.db is not None:
            self.db.close()


def show_unexpected_error(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    """Last resort for a fault in the program itself: say so, keep the details on stderr.

    Every write is one transaction, so whatever failed left nothing half-stored.
    """
    traceback.print_exception(kind, error, trace)
    QMessageBox.critical(
        QApplication.activeWindow(),
        _("Something went wrong"),
        _(
            "Obrero met an error it did not expect. Nothing half-done was saved: "
            "what you were saving was either stored whole or not at all.\n\n{error}"
        ).format(error=f"{kind.__name__}: {error}"),
    )


def start_language(db_path: Path) -> str:
    """The language to show the first window in: the stored one, else the environment's."""
    stored = stored_setting(db_path, "ui_language")
    return stored if stored in LANGUAGES else language_from_environment()


def run(db_path: Path, demo: bool = False) -> int:
    """Open the window on ``db_path``; returns the process exit code."""
    app = application()
    sys.excepthook = show_unexpected_error
    switcher = LanguageSwitcher(app)
    switcher.apply(start_language(db_path))
    startup = Startup(db_path, demo, switcher)
    try:
        code = app.exec()
    finally:
        startup.close()
    return startup.exit_code or code
