"""Table model of the members roll, fetched page by page as the view scrolls."""

from __future__ import annotations

from PySide6.QtCore import Qt

from obrero import members
from obrero.i18n import _
from obrero.i18n.formatting import format_date
from obrero.members import FIELD_LABELS, Member, Scope
from obrero.store.database import Database
from ui.paged_model import Index, PagedTableModel

COLUMNS = ("full_name", "national_id", "sector", "category", "join_date", "status")
PAGE_SIZE = 100


class MembersTableModel(PagedTableModel):
    columns = COLUMNS
    page_size = PAGE_SIZE

    def __init__(self, db: Database, parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self._filter = ""
        self._scope = Scope.ALL
        self.reload()

    def reload(self, text: str | None = None, scope: Scope | None = None) -> None:
        """Start over (after a search, a change of scope or an edit) with the first page."""
        if text is not None:
            self._filter = text
        if scope is not None:
            self._scope = scope
        super().reload()

    def count(self) -> int:
        return self._db.read(members.count_members, self._filter, self._scope)

    def fetch(self, offset: int, limit: int) -> list[Member]:
        return self._db.read(members.find_members, self._filter, offset, limit, self._scope)

    def member(self, row: int) -> Member:
        return self.item(row)

    def row_of(self, member_id: int) -> int | None:
        """The row of the member, fetching pages until it shows (None if filtered out)."""
        return self.find_row(lambda member: member.id == member_id)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return _(FIELD_LABELS[COLUMNS[section]])
        return str(section + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
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
