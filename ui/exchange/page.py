"""The Export area: three tabs, export, check or import an archive, and the backups."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from obrero.i18n import _
from obrero.store.database import Database
from ui.exchange.archive_tab import ArchiveTab
from ui.exchange.backups_tab import BackupsTab
from ui.exchange.export_tab import ExportTab

EXPORT, ARCHIVE, BACKUPS = range(3)  # the tabs


class ExchangePage(QWidget):
    # A Replacement (import, restore): the window closes the database, runs it, reopens.
    replace_requested = Signal(object)

    def __init__(self, db: Database, parent=None) -> None:
        super().__init__(parent)
        self.export_tab = ExportTab(db)
        self.archive_tab = ArchiveTab(db)
        self.backups_tab = BackupsTab(db)
        self.archive_tab.replace_requested.connect(self.replace_requested)
        self.backups_tab.replace_requested.connect(self.replace_requested)
        self.tabs = QTabWidget()
        for tab in (self.export_tab, self.archive_tab, self.backups_tab):
            self.tabs.addTab(tab, "")
        self.tabs.currentChanged.connect(self._tab_shown)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.retranslate()

    def retranslate(self) -> None:
        self.tabs.setTabText(EXPORT, _("E&xport"))
        self.tabs.setTabText(ARCHIVE, _("Check or &import"))
        self.tabs.setTabText(BACKUPS, _("&Backups"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        self._tab_shown(self.tabs.currentIndex())
        super().showEvent(event)

    def show_tab(self, tab: int) -> None:
        self.tabs.setCurrentIndex(tab)

    def _tab_shown(self, tab: int) -> None:
        # A stick plugged in, a copy made at start: show what is there now.
        if tab == EXPORT:
            self.export_tab.reload_targets()
        elif tab == BACKUPS:
            self.backups_tab.reload()
