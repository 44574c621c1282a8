"""Table models fetched a page at a time as the view scrolls (long rolls, logbooks, trails)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class PagedTableModel(QAbstractTableModel):
    """Rows come from ``count()`` and ``fetch(offset, limit)``, which subclasses define.

    Only the pages the view has scrolled to are loaded, so a table over a
    million rows opens at once.
    """

    page_size = 200
    columns: tuple[str, ...] = ()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._total = 0

    def count(self) -> int:
        raise NotImplementedError

    def fetch(self, offset: int, limit: int) -> list[Any]:
        raise NotImplementedError

    def reload(self) -> None:
        """Start over (after a new filter or an edit) with the first page."""
        self.beginResetModel()
        self._total = self.count()
        self._rows = self.fetch(0, self.page_size)
        self.endResetModel()

    def total(self) -> int:
        """How many rows match (not just those fetched so far)."""
        return self._total

    def item(self, row: int) -> Any:
        return self._rows[row]

    def find_row(self, matches: Callable[[Any], bool]) -> int | None:
        """The first row that ``matches``, fetching pages until it shows (None if none does)."""
        start = 0
        while True:
            for row in range(start, len(self._rows)):
                if matches(self._rows[row]):
                    return row
            start = len(self._rows)
            if not self.canFetchMore():
                return None
            self.fetchMore()

    def refresh_texts(self) -> None:
        """Headers and cells are translated at display time: ask the view to redraw them."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self._rows:
            last = self.index(len(self._rows) - 1, len(self.columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid():
            return
        page = self.fetch(len(self._rows), self.page_size)
        if not page:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)
