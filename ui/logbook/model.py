"""Table model of the logbook timeline, fetched page by page as the view scrolls."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from obrero.i18n import N_, _
from obrero.i18n.formatting import format_datetime
from obrero.logbook.entries import FIELD_LABELS, Entry, EntryFilter, count_entries, find_entries
from obrero.store.database import Database

COLUMNS = ("id", "happened_at", "category", "title", "author_id", "attachments", "corrections")
# Short headers for the narrow columns.
HEADERS = {
    **FIELD_LABELS,
    "id": N_("No."),
    "attachments": N_("Files"),
    "corrections": N_("Corrections"),
}
PAGE_SIZE = 200

_Index = QModelIndex | QPersistentModelIndex


class LogbookTableModel(QAbstractTableModel):
    """Entries in the order they happened, oldest first, as the paper book reads."""

    def __init__(self, db: Database, time_zone: str, parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self._filter = EntryFilter(time_zone=time_zone)
        self._rows: list[Entry] = []
        self._total = 0
        self.reload()

    # -- loading -------------------------------------------------------------
    def reload(self, criteria: EntryFilter | None = None) -> None:
        """Start over (after a change of filter or a new entry) with the first page."""
        if criteria is not None:
            self._filter = criteria
        self.beginResetModel()
        self._total = self._db.read(count_entries, self._filter)
        self._rows = self._page(0)
        self.endResetModel()

    def set_time_zone(self, time_zone: str) -> None:
        if time_zone != self._filter.time_zone:
            self.reload(replace(self._filter, time_zone=time_zone))

    def criteria(self) -> EntryFilter:
        return self._filter

    def _page(self, offset: int) -> list[Entry]:
        return self._db.read(find_entries, self._filter, offset, PAGE_SIZE)

    def total(self) -> int:
        """How many entries match the filter (not just those fetched so far)."""
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

    def entry(self, row: int) -> Entry:
        return self._rows[row]

    def row_of(self, number: int) -> int | None:
        return next((i for i, e in enumerate(self._rows) if e.number == number), None)

    def find_row(self, number: int) -> int | None:
        """The row of entry ``number``, fetching pages until it shows (None if filtered out)."""
        row = self.row_of(number)
        while row is None and self.canFetchMore():
            self.fetchMore()
            row = self.row_of(number)
        return row

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
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return _(HEADERS[COLUMNS[section]])

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        entry = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell_text(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "title" and entry.text:
                return entry.text[:600]
            if column == "corrections":
                return corrections_text(entry) or None
            return None
        if role == Qt.ItemDataRole.FontRole and column == "title" and entry.amended_by:
            font = QFont()
            font.setItalic(True)  # corrected later: read it with its correction
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("id", "attachments"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return entry.number
        return None

    def _cell_text(self, entry: Entry, column: str) -> str:
        if column == "id":
            return str(entry.number)
        if column == "happened_at":
            return format_datetime(entry.happened_at, self._filter.time_zone)
        if column == "category":
            return entry.category_text()
        if column == "title":
            return entry.title
        if column == "author_id":
            return entry.author_name
        if column == "attachments":
            return str(len(entry.attachments)) if entry.attachments else ""
        return corrections_text(entry)


def corrections_text(entry: Entry) -> str:
    """ "amends 3", "amended by 7, 9" or both, for the list's mark."""
    parts = []
    if entry.amends_id is not None:
        parts.append(_("amends {number}").format(number=entry.amends_id))
    if entry.amended_by:
        numbers = ", ".join(str(n) for n in entry.amended_by)
        parts.append(_("amended by {numbers}").format(numbers=numbers))
    return "; ".join(parts)
