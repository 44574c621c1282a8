"""Table model of the members roll, fetched page by page as the view scrolls."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from obrero import members
from obrero.i18n import _
from obrero.i18n.formatting import format_date
from obrero.members import FIELD_LABELS, Member, Scope
from obrero.store.database import Database

COLUMNS = ("full_name", "national_id", "sector", "category", "join_date", "status")
PAGE_SIZE = 100

_Index = QModelIndex | QPersistentModelIndex


class MembersTableModel(QAbstractTableModel):
    def __init__(self, db: Database, parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self._filter = ""
        self._scope = Scope.ALL
        self._rows: list[Member] = []
        self._total = 0
        self.reload()

    # -- loading -------------------------------------------------------------
    def reload(self, text: str | None = None, scope: Scope | None = None) -> None:
        """Start over (after a search, a change of scope or an edit) with the first page."""
        if text is not None:
            self._filter = text
        if scope is not None:
            self._scope = scope
        self.beginResetModel()
        self._total = self._db.read(members.count_members, self._filter, self._scope)
        self._rows = self._page(0)
        self.endResetModel()

    def _page(self, offset: int) -> list[Member]:
        return self._db.read(members.find_members, self._filter, offset, PAGE_SIZE, self._scope)

    def total(self) -> int:
        """How many members match the search (not just those fetched so far)."""
        return self._total

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:
        if parent.isValid():
            return
        page = self._page(len(self._rows))
        if not page:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def member(self, row: int) -> Member:
        return self._rows[row]

    def row_of(self, member_id: int) -> int | None:
        return next((i for i, m in enumerate(self._rows) if m.id == member_id), None)

    def refresh_texts(self) -> None:
        """Header and cells are translated at display time: ask the view to redraw."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1)
            )

    # -- Qt model interface ---------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return _(FIELD_LABELS[COLUMNS[section]])
        return str(section + 1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        member = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell_text(member, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == "status" and member.leave_note:
            return member.leave_note
        if role == Qt.ItemDataRole.UserRole:
            return member.id
        return None


def _cell_text(member: Member, column: str) -> str:
    if column == "join_date":
        return format_date(member.join_date)
    if column == "status":
        return member.status_text()
    return str(getattr(member, column))
