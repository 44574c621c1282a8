"""The main window: a sidebar of areas beside the area's page."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

import obrero
from obrero import profile as profiles
from obrero.i18n import N_, _
from obrero.store.database import Database
from ui.audit_dialog import AuditDialog
from ui.members.page import MembersPage
from ui.profile_dialog import ProfileDialog
from ui.settings_page import SettingsPage

# The areas that exist so far, in sidebar order. An area is listed only once built.
AREAS = (("members", N_("Members")), ("settings", N_("Settings")))


class MainWindow(QMainWindow):
    def __init__(self, db: Database, apply_language: Callable[[str], None]) -> None:
        super().__init__()
        self._db = db
        self.pages: dict[str, QWidget] = {
            "members": MembersPage(db),
            "settings": SettingsPage(db, apply_language),
        }
        self.pages["settings"].profile_requested.connect(self.edit_profile)
        self.pages["settings"].audit_requested.connect(self.show_audit)
        self._build()
        self.retranslate()
        self.resize(QSize(1100, 700))

    def _build(self) -> None:
        self.sidebar = QListWidget()
        self.sidebar.setFixedWidth(180)
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setStyleSheet(
            "#sidebar { font-size: 11pt; } #sidebar::item { padding: 8px 10px; }"
        )
        self.stack = QStackedWidget()
        for key, _label in AREAS:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.sidebar.addItem(item)
            self.stack.addWidget(self.pages[key])
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.sidebar.setCurrentRow(0)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.location = QLabel()
        self.statusBar().addPermanentWidget(self.location)
        self._build_menus()

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
        self.profile_action = QAction(self)
        self.profile_action.triggered.connect(self.edit_profile)
        self.audit_action = QAction(self, shortcut=QKeySequence("Ctrl+Shift+A"))
        self.audit_action.triggered.connect(self.show_audit)
        self.records_menu.addActions([self.profile_action, self.audit_action])
        self.help_menu = self.menuBar().addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)

    def retranslate(self) -> None:
        profile = self._db.read(profiles.get_profile)
        name = profile.name if profile else ""
        self.setWindowTitle(f"Obrero — {name}" if name else "Obrero")
        for row, (_key, label) in enumerate(AREAS):
            self.sidebar.item(row).setText(_(label))
            self.area_actions[row].setText(_(label))
        self.file_menu.setTitle(_("&File"))
        self.quit_action.setText(_("&Quit"))
        self.records_menu.setTitle(_("&Records"))
        self.profile_action.setText(_("Factory &profile…"))
        self.audit_action.setText(_("Audit &trail…"))
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("&About Obrero"))
        self.location.setText(_("Database: {path}").format(path=self._db.path))

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
        if ProfileDialog(self._db, parent=self).exec() == ProfileDialog.DialogCode.Accepted:
            self.retranslate()
            self.pages["settings"].load()

    def show_audit(self) -> None:
        profile = self._db.read(profiles.get_profile)
        AuditDialog(self._db, profile.time_zone if profile else "UTC", self).exec()

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
