"""The Members area: the roll with search, and the dialogs to add and edit."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from obrero.i18n import _, ngettext
from obrero.members import SCOPE_LABELS, Member, Scope
from obrero.store.database import Database
from ui.members.dialog import MemberDialog
from ui.members.model import MembersTableModel
from ui.tables import list_of_rows

SEARCH_DELAY_MS = 200


class MembersView(QTableView):
    """The roll; Enter opens the selected member like a double click does."""

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.doubleClicked.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class MembersPage(QWidget):
    def __init__(self, db: Database, parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self.model = MembersTableModel(db, self)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self._build()
        self.retranslate()

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_timer.start)
        self.scope = QComboBox()
        for code in Scope:
            self.scope.addItem("", code)
        self.scope.currentIndexChanged.connect(self._apply_scope)
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add_member)
        self.edit_button = QPushButton()
        self.edit_button.clicked.connect(self.edit_selected)
        self.count_label = QLabel()

        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.scope)
        bar.addWidget(self.add_button)
        bar.addWidget(self.edit_button)

        self.table = list_of_rows(MembersView(), self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(0, 260)
        self.table.doubleClicked.connect(self._open_index)
        self.model.modelReset.connect(self._update_count)
        self.model.modelReset.connect(self._update_buttons)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        QShortcut(QKeySequence.StandardKey.New, self, self.add_member)
        self._update_buttons()

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Search by name or national id (Ctrl+F)"))
        self.add_button.setText(_("&Add member…"))
        self.add_button.setToolTip(_("Put a new member on the roll (Ctrl+N)"))
        self.edit_button.setText(_("&Edit…"))
        for row in range(self.scope.count()):
            self.scope.setItemText(row, _(SCOPE_LABELS[self.scope.itemData(row)]))
        self.model.refresh_texts()
        self._update_count()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- actions ---------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _apply_search(self) -> None:
        self.model.reload(self.search.text())

    def _apply_scope(self) -> None:
        self.model.reload(scope=Scope(self.scope.currentData()))

    def flush_search(self) -> None:
        """Apply a pending search now (instead of after the typing pause)."""
        if self._search_timer.isActive():
            self._search_timer.stop()
            self._apply_search()

    def add_member(self) -> Member | None:
        dialog = MemberDialog(self._db, None, self)
        if dialog.exec() != MemberDialog.DialogCode.Accepted or dialog.saved is None:
            return None
        self._show_saved(dialog.saved)
        return dialog.saved

    def edit_selected(self) -> Member | None:
        index = self.table.currentIndex()
        return self._open_index(index) if index.isValid() else None

    def _open_index(self, index: QModelIndex) -> Member | None:
        dialog = MemberDialog(self._db, self.model.member(index.row()), self)
        if dialog.exec() != MemberDialog.DialogCode.Accepted or dialog.saved is None:
            return None
        self._show_saved(dialog.saved)
        return dialog.saved

    def _show_saved(self, member: Member) -> None:
        """Reload, then select the saved member (fetching pages until it shows)."""
        self.model.reload()
        row = self.model.row_of(member.id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _update_count(self) -> None:
        total = self.model.total()
        self.count_label.setText(ngettext("{n} member", "{n} members", total).format(n=total))

    def _update_buttons(self) -> None:
        self.edit_button.setEnabled(self.table.currentIndex().isValid())
