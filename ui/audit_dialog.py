"""The audit trail: every change to the records, who made it and when."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
)

from obrero import audit
from obrero.audit import AuditEntry
from obrero.i18n import N_, _, ngettext
from obrero.i18n.formatting import date_placeholder, format_datetime, parse_date
from obrero.store.database import Database
from ui.paged_model import Index, PagedTableModel

PAGE_SIZE = 200
COLUMNS = (N_("When"), N_("Operator"), N_("Record"), N_("Action"), N_("Changes"))


class AuditTableModel(PagedTableModel):
    """Newest first, fetched a page at a time."""

    columns = COLUMNS
    page_size = PAGE_SIZE

    def __init__(self, db: Database, time_zone: str, parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self._time_zone = time_zone
        self._since: date | None = None
        self.reload()

    def reload(self, since: date | None = None) -> None:
        self._since = since
        super().reload()

    def count(self) -> int:
        return self._db.read(audit.count_audit_entries, self._since, self._time_zone)

    def fetch(self, offset: int, limit: int) -> list[AuditEntry]:
        return self._db.read(audit.audit_entries, self._since, self._time_zone, offset, limit)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        entry = self._rows[index.row()]
        column = index.column()
        if column == 0:
            return format_datetime(entry.at, self._time_zone)
        if column == 1:
            return entry.operator
        if column == 2:
            return entry.what()
        if column == 3:
            return entry.action_text()
        return entry.changes_text()


class AuditDialog(QDialog):
    def __init__(self, db: Database, time_zone: str, parent=None) -> None:
        super().__init__(parent)
        self.model = AuditTableModel(db, time_zone, self)
        self.since = QLineEdit()
        self.since.returnPressed.connect(self.apply_since)
        self.since_label = QLabel()
        self.since_label.setBuddy(self.since)
        self.since_error = QLabel()
        self.since_error.setStyleSheet("color: #b00020;")
        self.count = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.since_label)
        bar.addWidget(self.since)
        bar.addWidget(self.since_error, 1)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        # Each change on its own line: rows grow to show them all.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 140)
        self.table.setColumnWidth(2, 220)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addWidget(buttons)
        self.model.modelReset.connect(self._update_count)
        self.resize(900, 560)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Audit trail"))
        self.since_label.setText(_("Changes since:"))
        self.since.setPlaceholderText(date_placeholder())
        self._update_count()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def apply_since(self) -> None:
        try:
            since = parse_date(self.since.text())
        except ValueError:
            self.since_error.setText(
                _("“{text}” is not a date; type it as {pattern}.").format(
                    text=self.since.text(), pattern=date_placeholder()
                )
            )
            return
        self.since_error.clear()
        self.model.reload(since)

    def _update_count(self) -> None:
        total = self.model.total()
        self.count.setText(
            ngettext("{n} change recorded", "{n} changes recorded", total).format(n=total)
        )
