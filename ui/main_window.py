"""The main window: a sidebar of areas beside the area's page.

The window is shown at once, before the database is open; :meth:`attach`
then puts in the pages. Their modules load the store, so they are imported
there (by then the opening thread has already loaded them).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

import obrero
from obrero.i18n import N_, _

if TYPE_CHECKING:
    from obrero.logbook.chain import ChainReport
    from obrero.store.database import Database

# The areas that exist so far, in sidebar order. An area is listed only once built.
AREAS = (
    ("members", N_("Members")),
    ("logbook", N_("Logbook")),
    ("wages", N_("Wages")),
    ("export", N_("Export")),
    ("settings", N_("Settings")),
)


class MainWindow(QMainWindow):
    # A Replacement of the database file (import, restore), for the database's owner.
    replace_requested = Signal(object)

    def __init__(self, db: Database | None, apply_language: Callable[[str], None]) -> None:
        super().__init__()
        self._db: Database | None = None
        self._apply_language = apply_language
        self._factory_name = ""
        self._busy_text = ""  # what the window waits for while it has no pages
        self._chain: ChainReport | Exception | None = None  # the last check, if any
        self._stopping = threading.Event()  # the window closes: stop the chain check
        self.pages: dict[str, QWidget] = {}
        self._build()
        self.retranslate()
        self.resize(QSize(1100, 700))
        if db is not None:
            self.attach(db)

    def _build(self) -> None:
        self.sidebar = QListWidget()
        self.sidebar.setFixedWidth(180)
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setStyleSheet(
            "#sidebar { font-size: 11pt; } #sidebar::item { padding: 8px 10px; }"
        )
        self.stack = QStackedWidget()
        self.opening = QLabel()
        self.opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.opening)
        for key, _label in AREAS:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.sidebar.addItem(item)
        self.sidebar.setEnabled(False)
        self.sidebar.currentRowChanged.connect(self._show_row)
        central = QWidget()
        column = QVBoxLayout(central)
        column.addWidget(self._build_banner())
        layout = QHBoxLayout()
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        column.addLayout(layout, 1)
        self.setCentralWidget(central)
        self.location = QLabel()
        self.statusBar().addPermanentWidget(self.location)
        self._build_menus()

    def _build_banner(self) -> QFrame:
        """A red band above every page, shown when the logbook chain does not verify."""
        self.banner = QFrame()
        self.banner.setObjectName("chainBanner")
        self.banner.setStyleSheet(
            "#chainBanner { background: #b00020; border-radius: 4px; }"
            "#chainBanner QLabel { color: white; font-weight: bold; }"
        )
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.banner_button = QPushButton()
        self.banner_button.clicked.connect(self._show_broken_entry)
        row = QHBoxLayout(self.banner)
        row.setContentsMargins(12, 8, 12, 8)
        row.addWidget(self.banner_text, 1)
        row.addWidget(self.banner_button)
        self.banner.hide()
        return self.banner

    def _build_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.quit_action = QAction(self, shortcut=QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)
        self.records_menu = self.menuBar().addMenu("")
        self.area_actions: list[QAction] = []
        for row, (key, _label) in enumerate(AREAS, start=1):
            action = QAction(self, shortcut=QKeySequence(f"Ctrl+{row}"))
            action.triggered.connect(lambda _checked=False, k=key: self.show_area(k))
            self.records_menu.addAction(action)
            self.area_actions.append(action)
        self.records_menu.addSeparator()
        self.new_entry_action = QAction(self, shortcut=QKeySequence("Ctrl+L"))
        self.new_entry_action.triggered.connect(self.new_logbook_entry)
        self.records_menu.addAction(self.new_entry_action)
        self.records_menu.addSeparator()
        self.profile_action = QAction(self)
        self.profile_action.triggered.connect(self.edit_profile)
        self.audit_action = QAction(self, shortcut=QKeySequence("Ctrl+Shift+A"))
        self.audit_action.triggered.connect(self.show_audit)
        self.records_menu.addActions([self.profile_action, self.audit_action])
        self.records_menu.setEnabled(False)
        self.help_menu = self.menuBar().addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)

    def attach(self, db: Database) -> None:
        """Put in the areas' pages, now that the database is open."""
        from obrero import profile as profiles
        from ui.exchange.page import ExchangePage
        from ui.logbook.page import LogbookPage
        from ui.members.page import MembersPage
        from ui.settings_page import SettingsPage
        from ui.wages.page import WagesPage

        self._db = db
        self._busy_text = ""
        profile = db.read(profiles.get_profile)
        self._factory_name = profile.name if profile else ""
        settings_page = SettingsPage(db, self._apply_language)
        settings_page.profile_requested.connect(self.edit_profile)
        settings_page.audit_requested.connect(self.show_audit)
        logbook_page = LogbookPage(db)
        logbook_page.chain_checked.connect(self.show_chain_report)
        logbook_page.entry_saved.connect(self._entry_saved)
        exchange_page = ExchangePage(db)
        exchange_page.replace_requested.connect(self.replace_requested)
        self.pages = {
            "members": MembersPage(db),
            "logbook": logbook_page,
            "wages": WagesPage(db),
            "export": exchange_page,
            "settings": settings_page,
        }
        for key, _label in AREAS:
            self.stack.addWidget(self.pages[key])
        self.sidebar.setEnabled(True)
        self.records_menu.setEnabled(True)
        self.sidebar.setCurrentRow(0)
        self._show_row(0)
        self.retranslate()

    def detach(self, text: str) -> None:
        """Take the pages out (the database is about to close); show ``text`` meanwhile."""
        self.stop_chain_check()
        for page in self.pages.values():
            self.stack.removeWidget(page)
            page.deleteLater()
        self.pages = {}
        self._db = None
        self.sidebar.setEnabled(False)
        self.records_menu.setEnabled(False)
        self._busy_text = text
        self.opening.setText(text)
        self.stack.setCurrentWidget(self.opening)
        self.location.clear()

    def is_attached(self) -> bool:
        return self._db is not None

    # -- the logbook chain ---------------------------------------------------------
    def check_chain(self) -> None:
        """Verify the logbook chain off the UI thread; the banner shows if it is broken."""
        from ui.logbook.chain_view import verify_in_background

        if self._db is None:
            return
        self._stopping.clear()
        verify_in_background(
            self._db, self._chain_answer, self._chain_answer, self._stopping.is_set
        )

    def stop_chain_check(self) -> None:
        """Make a running check give up (within a thousand entries): the program is closing."""
        self._stopping.set()

    def _chain_answer(self, outcome: ChainReport | Exception) -> None:
        from ui.logbook.chain_view import CancelledError

        # The window may have been closed meanwhile (and the check given up).
        if shiboken6.isValid(self) and not isinstance(outcome, CancelledError):
            self.show_chain_report(outcome)

    def show_chain_report(self, outcome: ChainReport | Exception) -> None:
        """Show the banner for a broken chain (or one that could not be read); hide it else."""
        self._chain = outcome
        broken = isinstance(outcome, Exception) or not outcome.intact
        self.banner.setVisible(broken)
        self._retranslate_banner()

    def chain_report(self) -> ChainReport | Exception | None:
        return self._chain

    def _retranslate_banner(self) -> None:
        outcome = self._chain
        if outcome is None:
            return
        # Imported only once there is a result: the module loads the store (startup time).
        from ui.logbook.chain_view import broken_text

        if isinstance(outcome, Exception):
            self.banner_text.setText(
                _("The logbook chain could not be checked: {error}").format(
                    error=getattr(outcome, "message", None) or outcome
                )
            )
            self.banner_button.hide()
        elif not outcome.intact:
            self.banner_text.setText(broken_text(outcome))
            self.banner_button.setText(_("Show entry {number}").format(number=outcome.first_broken))
            self.banner_button.show()

    def _show_broken_entry(self) -> None:
        outcome = self._chain
        if outcome is None or isinstance(outcome, Exception) or outcome.first_broken is None:
            return
        self.show_area("logbook")
        self.pages["logbook"].show_entry(outcome.first_broken)

    def new_logbook_entry(self) -> None:
        """Ctrl+L from any page: write a logbook entry without leaving the page."""
        page = self.pages.get("logbook")
        if page is not None:
            page.new_entry()

    def _entry_saved(self, entry) -> None:
        self.statusBar().showMessage(
            _("Logbook entry {number} saved.").format(number=entry.number), 8000
        )

    def _show_row(self, row: int) -> None:
        if self.pages and row >= 0:
            self.stack.setCurrentWidget(self.pages[AREAS[row][0]])

    def retranslate(self) -> None:
        name = self._factory_name
        self.setWindowTitle(f"Obrero — {name}" if name else "Obrero")
        self.opening.setText(self._busy_text or _("Opening the records…"))
        for row, (_key, label) in enumerate(AREAS):
            self.sidebar.item(row).setText(_(label))
            self.area_actions[row].setText(_(label))
        self.file_menu.setTitle(_("&File"))
        self.quit_action.setText(_("&Quit"))
        self.records_menu.setTitle(_("&Records"))
        self.profile_action.setText(_("Factory &profile…"))
        self.audit_action.setText(_("Audit &trail…"))
        self.new_entry_action.setText(_("New logbook &entry…"))
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("&About Obrero"))
        if self._db is not None:
            self.location.setText(_("Database: {path}").format(path=self._db.path))
        self._retranslate_banner()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop_chain_check()
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_area(self, key: str) -> None:
        keys = [k for k, _label in AREAS]
        self.sidebar.setCurrentRow(keys.index(key))

    def current_area(self) -> str:
        return AREAS[self.sidebar.currentRow()][0]

    def edit_profile(self) -> None:
        from ui.profile_dialog import ProfileDialog

        if self._db is None:
            return
        dialog = ProfileDialog(self._db, parent=self)
        if dialog.exec() == ProfileDialog.DialogCode.Accepted and dialog.saved is not None:
            self._factory_name = dialog.saved.name
            self.retranslate()
            self.pages["settings"].load()

    def show_audit(self) -> None:
        from obrero import profile as profiles
        from ui.audit_dialog import AuditDialog

        if self._db is None:
            return
        AuditDialog(self._db, self._db.read(profiles.factory_time_zone), self).exec()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            _("About Obrero"),
            _(
                "<h3>Obrero {version}</h3><p>The records desk of a worker-recovered factory: "
                "members, production, wages, assemblies and the occupation logbook.</p>"
                "<p>Free software under the GNU GPL, version 3 or later.</p>"
            ).format(version=obrero.__version__),
        )
