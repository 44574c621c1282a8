"""Table models of the Wages area: periods, the hours grid, income, coefficients, lines, preview.

The models hold plain data handed over by the page (which reads it through the
services); the hours and coefficient models also keep what the secretary typed
until it is saved, and the message of any value the services refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from obrero.i18n import N_, _
from obrero.i18n.formatting import format_date, format_money, format_number, parse_number
from obrero.wages.periods import (
    LINE_KINDS,
    Distribution,
    HoursRow,
    IncomeLine,
    MemberLine,
    Period,
    ShareRow,
)

_Index = QModelIndex | QPersistentModelIndex
_Display = Qt.ItemDataRole.DisplayRole
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
ERROR_BACKGROUND = QColor("#f8d7da")  # a wrong cell: light red, its text stays readable
NEGATIVE = QColor("#b00020")


@dataclass(frozen=True)
class Money:
    """Centavos shown as money in the factory's currency, the way its country writes it."""

    currency: str = "ARS"
    country: str = ""

    def __call__(self, cents: int) -> str:
        return format_money(Decimal(cents) / 100, self.currency, None, self.country)


def period_dates(period: Period) -> str:
    return f"{format_date(period.start)} – {format_date(period.end)}"


def read_hours(text: str, country: str = "") -> Decimal:
    """Typed hours in the UI's way; "8,5" is eight and a half in any language, since a
    comma before one or two digits cannot separate thousands. ValueError if no number."""
    try:
        return parse_number(text, None, country)
    except ValueError:
        cleaned = text.strip().replace(" ", "")
        if re.fullmatch(r"\d+,\d{1,2}", cleaned):
            return Decimal(cleaned.replace(",", "."))
        raise


def hours_text(hours: Decimal | None) -> str:
    return "" if hours is None else format_number(hours)


class TableModel(QAbstractTableModel):
    """Rows of plain data, columns by name, headers translated at display time."""

    COLUMNS: tuple[str, ...] = ()
    HEADERS: ClassVar[Mapping[str, str]] = {}
    MONEY: frozenset[str] = frozenset()
    NUMBERS: frozenset[str] = frozenset()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self.money = Money()

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def replace(self, row: int, item: Any) -> None:
        """One row's data changed (e.g. a period's amount after an income line)."""
        self._rows[row] = item
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def column(self, name: str) -> int:
        return self.COLUMNS.index(name)

    def refresh_texts(self) -> None:
        """Headers and cells are translated at display time: ask the views to redraw."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, len(self.COLUMNS) - 1)
            )

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation, role: int = _Display):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == _Display:
            return _(self.HEADERS[self.COLUMNS[section]])
        if role == Qt.ItemDataRole.TextAlignmentRole and self._right(self.COLUMNS[section]):
            return _RIGHT
        return None

    def _right(self, column: str) -> bool:
        return column in self.MONEY or column in self.NUMBERS

    def data(self, index: _Index, role: int = _Display):
        if not index.isValid():
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and self._right(column):
            return _RIGHT
        return self.cell(index.row(), column, role)

    def cell(self, row: int, column: str, role: int):
        raise NotImplementedError


# -- the periods -------------------------------------------------------------------------------


class PeriodsModel(TableModel):
    """Every pay period, the latest first."""

    COLUMNS = ("label", "dates", "status", "to_share")
    HEADERS: ClassVar[Mapping[str, str]] = {
        "label": N_("Period"),
        "dates": N_("Dates"),
        "status": N_("Status"),
        "to_share": N_("To share"),
    }
    MONEY = frozenset({"to_share"})

    def period(self, row: int) -> Period:
        return self._rows[row]

    def row_of(self, period_id: int) -> int | None:
        return next((i for i, p in enumerate(self._rows) if p.id == period_id), None)

    def cell(self, row: int, column: str, role: int):
        period: Period = self._rows[row]
        if role == _Display:
            if column == "label":
                return period.label
            if column == "dates":
                return period_dates(period)
            if column == "status":
                return period.status_text()
            return self.money(period.to_share_cents)
        if role == Qt.ItemDataRole.UserRole:
            return period.id
        if role == Qt.ItemDataRole.FontRole and period.is_draft and column == "status":
            font = QFont()
            font.setItalic(True)
            return font
        return None


# -- the hours grid ----------------------------------------------------------------------------


class HoursModel(TableModel):
    """Members on the roll in the period; the hours column is typed into.

    Typed values stay as text until saved (``pending``); a value the services
    refuse keeps its text and gets a red background with the message as tooltip.
    """

    COLUMNS = ("name", "national_id", "category", "days_on_roll", "hours")
    HEADERS: ClassVar[Mapping[str, str]] = {
        "name": N_("Member"),
        "national_id": N_("National id"),
        "category": N_("Category"),
        "days_on_roll": N_("Days on the roll"),
        "hours": N_("Hours worked"),
    }
    NUMBERS = frozenset({"days_on_roll", "hours"})
    changed = Signal()  # something was typed (or the typing was saved or dropped)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._typed: dict[int, str] = {}
        self._errors: dict[int, str] = {}
        self._editable = False
        self._period_days = 0

    def load(self, rows: Sequence[HoursRow], period_days: int, editable: bool) -> None:
        """A period's sheet, as stored; anything typed and not saved is dropped."""
        self._typed.clear()
        self._errors.clear()
        self._editable = editable
        self._period_days = period_days
        self.set_rows(rows)
        self.changed.emit()

    def member(self, row: int) -> HoursRow:
        return self._rows[row]

    def row_of(self, member_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.member_id == member_id), None)

    def is_dirty(self) -> bool:
        return bool(self._typed)

    def pending(self) -> dict[int, str]:
        """Member id -> the text typed and not saved yet."""
        return dict(self._typed)

    def parsed(self) -> tuple[dict[int, Decimal], dict[int, str]]:
        """The typed hours as numbers, and a message for each text that is no number."""
        values: dict[int, Decimal] = {}
        errors: dict[int, str] = {}
        for member_id, text in self._typed.items():
            if not text.strip():
                values[member_id] = Decimal(0)
                continue
            try:
                values[member_id] = read_hours(text, self.money.country)
            except ValueError:
                errors[member_id] = _("“{text}” is not a number of hours.").format(text=text)
        return values, errors

    def errors(self) -> dict[int, str]:
        return dict(self._errors)

    def error_rows(self) -> list[int]:
        return sorted(row for m in self._errors if (row := self.row_of(m)) is not None)

    def set_errors(self, errors: Mapping[int, str]) -> None:
        self._errors = dict(errors)
        self._redraw_hours()

    def saved(self, values: Mapping[int, Decimal]) -> None:
        """The typed hours are stored now: they become the sheet's figures."""
        for row, item in enumerate(self._rows):
            if item.member_id in values:
                self._rows[row] = HoursRow(
                    item.member_id,
                    item.name,
                    item.national_id,
                    item.category,
                    item.days_on_roll,
                    values[item.member_id],
                )
        self._typed.clear()
        self._errors.clear()
        self._redraw_hours()
        self.changed.emit()

    def _redraw_hours(self) -> None:
        if self._rows:
            column = self.column("hours")
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self._editable and self.COLUMNS[index.column()] == "hours":
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: _Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not (index.flags() & Qt.ItemFlag.ItemIsEditable) or role != Qt.ItemDataRole.EditRole:
            return False
        item: HoursRow = self._rows[index.row()]
        text = str(value).strip()
        if text == hours_text(item.hours) and item.member_id not in self._errors:
            self._typed.pop(item.member_id, None)  # back to what is stored
        else:
            self._typed[item.member_id] = text
        self._errors.pop(item.member_id, None)
        self.dataChanged.emit(index, index)
        self.changed.emit()
        return True

    def cell(self, row: int, column: str, role: int):
        item: HoursRow = self._rows[row]
        typed = self._typed.get(item.member_id)
        if role in (_Display, Qt.ItemDataRole.EditRole):
            if column == "hours":
                return typed if typed is not None else hours_text(item.hours)
            if column == "days_on_roll":
                return format_number(item.days_on_roll)
            return getattr(item, column)
        if role == Qt.ItemDataRole.UserRole:
            return item.member_id
        if column == "hours":
            error = self._errors.get(item.member_id)
            if role == Qt.ItemDataRole.BackgroundRole and error:
                return QBrush(ERROR_BACKGROUND)
            if role == Qt.ItemDataRole.ToolTipRole:
                if error:
                    return error
                if typed is not None:
                    return _("Not saved yet (Ctrl+S saves the hours).")
            if role == Qt.ItemDataRole.FontRole and typed is not None:
                font = QFont()
                font.setBold(True)
                return font
        if (
            column == "days_on_roll"
            and role == Qt.ItemDataRole.ToolTipRole
            and item.days_on_roll < self._period_days
        ):
            return _("On the roll {days} of the period's {total} days.").format(
                days=item.days_on_roll, total=self._period_days
            )
        return None


# -- income and coefficients ---------------------------------------------------------------------


class IncomeModel(TableModel):
    COLUMNS = ("description", "amount")
    HEADERS: ClassVar[Mapping[str, str]] = {
        "description": N_("Description"),
        "amount": N_("Amount"),
    }
    MONEY = frozenset({"amount"})

    def line(self, row: int) -> IncomeLine:
        return self._rows[row]

    def cell(self, row: int, column: str, role: int):
        line: IncomeLine = self._rows[row]
        if role == _Display:
            return line.description if column == "description" else self.money(line.amount_cents)
        if role == Qt.ItemDataRole.UserRole:
            return line.id
        if role == Qt.ItemDataRole.ForegroundRole and line.amount_cents < 0:
            return QBrush(NEGATIVE)
        return None


@dataclass(frozen=True)
class Coefficient:
    category: str
    value: Decimal


class CoefficientsModel(TableModel):
    """The coefficient of each category; the second column is typed into."""

    COLUMNS = ("category", "coefficient")
    HEADERS: ClassVar[Mapping[str, str]] = {
        "category": N_("Category"),
        "coefficient": N_("Coefficient"),
    }
    NUMBERS = frozenset({"coefficient"})
    edited = Signal(str, str)  # category, the text typed

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._errors: dict[str, tuple[str, str]] = {}  # category -> (typed text, message)
        self._editable = False

    def load(self, coefficients: Mapping[str, Decimal], categories: Sequence[str], editable: bool):
        """The period's coefficients, plus any category on the roll still at the default 1."""
        every = dict.fromkeys(sorted({*coefficients, *(c for c in categories if c)}))
        self._errors.clear()
        self._editable = editable
        self.set_rows(
            [Coefficient(category, coefficients.get(category, Decimal(1))) for category in every]
        )

    def set_error(self, category: str, text: str, message: str) -> None:
        self._errors[category] = (text, message)
        self._redraw()

    def set_value(self, category: str, value: Decimal) -> None:
        """A coefficient as stored now."""
        self._errors.pop(category, None)
        for row, item in enumerate(self._rows):
            if item.category == category:
                self.replace(row, Coefficient(category, value))

    def error(self, category: str) -> str:
        return self._errors.get(category, ("", ""))[1]

    def _redraw(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, 1), self.index(len(self._rows) - 1, 1))

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self._editable and index.column() == 1:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: _Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not (index.flags() & Qt.ItemFlag.ItemIsEditable) or role != Qt.ItemDataRole.EditRole:
            return False
        category = self._rows[index.row()].category
        self._errors.pop(category, None)
        self.edited.emit(category, str(value).strip())
        return True

    def cell(self, row: int, column: str, role: int):
        item: Coefficient = self._rows[row]
        error = self._errors.get(item.category)
        if role in (_Display, Qt.ItemDataRole.EditRole):
            if column == "category":
                return item.category
            return error[0] if error else format_number(item.value)
        if column == "coefficient" and error:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(ERROR_BACKGROUND)
            if role == Qt.ItemDataRole.ToolTipRole:
                return error[1]
        return None


# -- member lines --------------------------------------------------------------------------------


class LinesModel(TableModel):
    COLUMNS = ("member", "kind", "description", "amount", "adjusts")
    HEADERS: ClassVar[Mapping[str, str]] = {
        "member": N_("Member"),
        "kind": N_("Kind"),
        "description": N_("Description"),
        "amount": N_("Amount"),
        "adjusts": N_("Corrects"),
    }
    MONEY = frozenset({"amount"})

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._names: dict[int, str] = {}
        self._periods: dict[int, str] = {}

    def load(
        self, lines: Sequence[MemberLine], names: Mapping[int, str], periods: Mapping[int, str]
    ) -> None:
        self._names = dict(names)
        self._periods = dict(periods)
        self.set_rows(lines)

    def line(self, row: int) -> MemberLine:
        return self._rows[row]

    def cell(self, row: int, column: str, role: int):
        line: MemberLine = self._rows[row]
        if role == _Display:
            if column == "member":
                return self._names.get(line.member_id, str(line.member_id))
            if column == "kind":
                return _(LINE_KINDS[line.kind])
            if column == "description":
                return line.description
            if column == "amount":
                return self.money(line.amount_cents)
            if line.adjusts_period_id is None:
                return ""
            return self._periods.get(line.adjusts_period_id, str(line.adjusts_period_id))
        if role == Qt.ItemDataRole.UserRole:
            return line.id
        taken = line.kind in ("advance", "deduction") or line.amount_cents < 0
        if role == Qt.ItemDataRole.ForegroundRole and column == "amount" and taken:
            return QBrush(NEGATIVE)
        return None


# -- the preview ---------------------------------------------------------------------------------


class PreviewModel(TableModel):
    """Every member's share and net amount, then a last row with the totals.

    ``UserRole`` gives the centavos of the money columns (and the member id in the
    first column; ``None`` on the totals row).
    """

    # The category shows in the hours grid; here its coefficient, to leave room for the money.
    COLUMNS = (
        "name",
        "days_on_roll",
        "hours",
        "coefficient",
        "share",
        "additions",
        "advances",
        "deductions",
        "net",
    )
    HEADERS: ClassVar[Mapping[str, str]] = {
        "name": N_("Member"),
        "days_on_roll": N_("Days"),
        "hours": N_("Hours"),
        "coefficient": N_("Coefficient"),
        "share": N_("Share"),
        "additions": N_("Additions"),
        "advances": N_("Advances"),
        "deductions": N_("Deductions"),
        "net": N_("Net"),
    }
    MONEY = frozenset({"share", "additions", "advances", "deductions", "net"})
    NUMBERS = frozenset({"days_on_roll", "hours", "coefficient"})
    _CENTS: ClassVar[Mapping[str, str]] = {
        "share": "share_cents",
        "additions": "additions_cents",
        "advances": "advances_cents",
        "deductions": "deductions_cents",
        "net": "net_cents",
    }

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.distribution: Distribution | None = None

    def load(self, distribution: Distribution | None) -> None:
        self.distribution = distribution
        self.set_rows(distribution.rows if distribution else ())

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        if parent.isValid() or not self._rows:
            return 0
        return len(self._rows) + 1  # and the totals

    def is_totals(self, row: int) -> bool:
        return row == len(self._rows)

    def share_row(self, row: int) -> ShareRow:
        return self._rows[row]

    def row_of(self, member_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.member_id == member_id), None)

    def _total(self, column: str) -> int:
        return sum(getattr(row, self._CENTS[column]) for row in self._rows)

    def cell(self, row: int, column: str, role: int):
        if self.is_totals(row):
            return self._totals_cell(column, role)
        item: ShareRow = self._rows[row]
        if role == _Display:
            if column in self.MONEY:
                cents = getattr(item, self._CENTS[column])
                if not cents and column in ("additions", "advances", "deductions"):
                    return ""  # an empty cell reads quicker than a column of zeros
                return self.money(cents)
            if column == "hours":
                return hours_text(item.hours)
            if column == "coefficient":
                return format_number(item.coefficient)
            if column == "days_on_roll":
                return format_number(item.days_on_roll)
            return getattr(item, column)
        if role == Qt.ItemDataRole.UserRole:
            if column in self.MONEY:
                return getattr(item, self._CENTS[column])
            return item.member_id if column == "name" else None
        if role == Qt.ItemDataRole.ForegroundRole and column == "net" and item.net_cents < 0:
            return QBrush(NEGATIVE)
        if role == Qt.ItemDataRole.ToolTipRole and column == "name" and item.category:
            return item.category
        if role == Qt.ItemDataRole.ToolTipRole and column == "net" and item.net_cents < 0:
            return _("{name} would get less than nothing; review the deductions.").format(
                name=item.name
            )
        return None

    def _totals_cell(self, column: str, role: int):
        if role == _Display:
            if column == "name":
                return _("Total")
            if column in self.MONEY:
                return self.money(self._total(column))
            if column == "hours":
                return hours_text(sum((r.hours for r in self._rows), Decimal(0)))
            return ""
        if role == Qt.ItemDataRole.UserRole and column in self.MONEY:
            return self._total(column)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor("#ececec"))
        return None
