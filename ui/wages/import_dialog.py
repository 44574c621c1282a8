"""What a CSV file of hours says, before anything is stored: its lines and its problems.

Apply is offered only for a file without a single problem, because importing
is all or nothing: the secretary corrects the spreadsheet (or the roll) and
imports again, and the grid never ends up half-imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
)

from obrero.i18n import N_, _, ngettext
from obrero.wages.hours_import import HoursImport
from ui.wages.models import ERROR_BACKGROUND, NEGATIVE, TableModel, hours_text
from ui.wages.widgets import note_label, table_view


class ImportRowsModel(TableModel):
    """The file's lines: what each says and the member of the roll it names."""

    COLUMNS = ("line", "national_id", "name", "member", "hours")
    HEADERS: ClassVar[Mapping[str, str]] = {
        "line": N_("Line"),
        "national_id": N_("National id"),
        "name": N_("Name in the file"),
        "member": N_("Member on the roll"),
        "hours": N_("Hours"),
    }
    NUMBERS = frozenset({"line", "hours"})

    def __init__(self, names: Mapping[int, str], parent=None) -> None:
        super().__init__(parent)
        self._names = dict(names)

    def cell(self, row: int, column: str, role: int):
        item = self._rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "line":
                return str(item.line)
            if column == "hours":
                return hours_text(item.hours)
            if column == "member":
                if item.member_id is None:
                    return _("Not on the roll")
                return self._names.get(item.member_id, "")
            return getattr(item, column)
        if item.member_id is None:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(ERROR_BACKGROUND)
            if role == Qt.ItemDataRole.ForegroundRole and column == "member":
                return QBrush(NEGATIVE)
        return None


class ImportDialog(QDialog):
    """The lines read and the problems found; Apply stores the hours (all of them)."""

    def __init__(
        self,
        imported: HoursImport,
        file_name: str,
        period_label: str,
        names: Mapping[int, str],
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.imported = imported
        self._file_name = file_name
        self._period_label = period_label
        self.rows_model = ImportRowsModel(names, self)
        self.rows_model.set_rows(imported.rows)
        self._build()
        self.retranslate()
        self.resize(760, 520)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.heading = note_label()
        self.columns_note = note_label()
        self.rows_view = table_view(self.rows_model, "name")
        self.problems_label = QLabel()
        self.problems_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.problems = QListWidget()
        self.problems.setStyleSheet("color: #b00020;")
        self.problems.setWordWrap(True)
        self.problems.addItems(list(self.imported.problems))
        self.problems.setSizeAdjustPolicy(QListWidget.SizeAdjustPolicy.AdjustToContents)
        self.problems.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self.problems.setMaximumHeight(160)
        self.advice = note_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = QPushButton()
        self.buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setEnabled(self.imported.ok)
        self.apply_button.setDefault(self.imported.ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.heading)
        layout.addWidget(self.columns_note)
        layout.addWidget(self.rows_view, 1)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems)
        layout.addWidget(self.advice)
        layout.addWidget(self.buttons)
        has_problems = bool(self.imported.problems)
        for widget in (self.problems_label, self.problems):
            widget.setVisible(has_problems)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Import hours"))
        count = len(self.imported.rows)
        self.heading.setText(
            ngettext(
                "{file}: {n} line of hours for “{period}”.",
                "{file}: {n} lines of hours for “{period}”.",
                count,
            ).format(file=self._file_name, n=count, period=self._period_label)
        )
        columns = self.imported.hours_columns
        self.columns_note.setText(
            _("Hours added up from the columns: {columns}.").format(
                columns=", ".join(f"“{c}”" for c in columns)
            )
            if len(columns) > 1
            else ""
        )
        self.columns_note.setVisible(len(columns) > 1)
        problems = len(self.imported.problems)
        self.problems_label.setText(
            ngettext("{n} problem:", "{n} problems:", problems).format(n=problems)
        )
        self.advice.setText(
            _(
                "Nothing is imported while the file has problems: correct the spreadsheet "
                "(or the roll), save it as CSV again and import it again."
            )
            if problems
            else _("Apply stores these hours in the period, replacing those entered for them.")
        )
        self.apply_button.setText(_("&Apply"))
        self.rows_model.refresh_texts()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def problem_texts(self) -> list[str]:
        return [self.problems.item(row).text() for row in range(self.problems.count())]
