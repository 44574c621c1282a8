"""Table model of the logbook timeline, fetched page by page as the view scrolls."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from obrero.i18n import N_, _
from obrero.i18n.formatting import format_datetime
from obrero.logbook.entries import FIELD_LABELS, Entry, EntryFilter, count_entries, find_entries
from obrero.store.database import Database
from ui.paged_model import Index, PagedTableModel

COLUMNS = ("id", "happened_at", "category", "title", "author_id", "attachments", "corrections")
# Short headers for the narrow columns.
HEADERS = {
    **FIELD_LABELS,
    "id": N_("No."),
    "attachments": N_("Files"),
    "corrections": N_("Corrections"),
}


class LogbookTableModel(PagedTableModel):
    """Entries in the order they happened, oldest first, as the paper book reads."""

    columns = COLUMNS

    def __init__(self, db: Database, time_zone: str, parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self._filter = EntryFilter(time_zone=time_zone)
        self.reload()

    def reload(self, criteria: EntryFilter | None = None) -> None:
        """Start over (after a change of filter or a new entry) with the first page."""
        if criteria is not None:
            self._filter = criteria
        super().reload()

    def count(self) -> int:
        return self._db.read(count_entries, self._filter)

    def fetch(self, offset: int, limit: int) -> list[Entry]:
        return self._db.read(find_entries, self._filter, offset, limit)

    def set_time_zone(self, time_zone: str) -> None:
        if time_zone != self._filter.time_zone:
            self.reload(replace(self._filter, time_zone=time_zone))

    def criteria(self) -> EntryFilter:
        return self._filter

    def entry(self, row: int) -> Entry:
        return self.item(row)

    def row_of(self, number: int) -> int | None:
        """The row of entry ``number`` among the rows fetched so far."""
        return next((i for i, e in enumerate(self._rows) if e.number == number), None)

    def find_row(self, number: int) -> int | None:  # type: ignore[override]
        """The row of entry ``number``, fetching pages until it shows (None if filtered out)."""
        return super().find_row(lambda entry: entry.number == number)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return _(HEADERS[COLUMNS[section]])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
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
