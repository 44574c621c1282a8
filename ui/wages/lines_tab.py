"""A period's member lines: advances already paid, deductions, additions and adjustments."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QPushButton, QVBoxLayout, QWidget

from obrero.errors import ObreroError
from obrero.i18n import _
from obrero.store.database import Database
from obrero.wages import periods
from obrero.wages.periods import HoursRow, Period
from ui.wages.line_dialog import LineDialog
from ui.wages.models import LinesModel
from ui.wages.widgets import note_label, table_view


class LinesTab(QWidget):
    changed = Signal()  # a line was added or removed: the net amounts change

    def __init__(self, db: Database, parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self.period: Period | None = None
        self.sheet: list[HoursRow] = []
        self.earlier: list[Period] = []
        self.country = ""
        self.model = LinesModel(self)
        self._build()
        self.retranslate()

    def _build(self) -> None:
        self.hint = note_label()
        self.add_button = QPushButton()
        self.add_button.clicked.connect(lambda: self.add_line())
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove_line)
        self.view = table_view(self.model, "description")
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        bar = QHBoxLayout()
        bar.addWidget(self.hint, 1)
        bar.addWidget(self.add_button)
        bar.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

    def retranslate(self) -> None:
        self.hint.setText(
            _(
                "Advances already paid, deductions and additions of each member, and "
                "adjustments that correct an approved period."
            )
        )
        self.add_button.setText(_("&Add line…"))
        self.remove_button.setText(_("&Remove line"))
        self.model.refresh_texts()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def load(self, period: Period, sheet: list[HoursRow], every: list[Period]) -> None:
        """The period's lines; ``every`` period, to name the one an adjustment corrects."""
        self.period = period
        self.sheet = sheet
        self.earlier = [
            p for p in every if not p.is_draft and p.start < period.start and p.id != period.id
        ]
        lines = self._db.read(periods.member_lines, period.id)
        names = {row.member_id: row.name for row in sheet}
        self.model.load(lines, names, {p.id: p.label for p in every})
        self._update_buttons()

    def selected_member(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.line(rows[0].row()).member_id if rows else None

    def _update_buttons(self) -> None:
        draft = self.period is not None and self.period.is_draft
        self.add_button.setEnabled(draft and bool(self.sheet))
        self.remove_button.setEnabled(draft and self.view.selectionModel().hasSelection())

    def line_dialog(self, member_id: int | None = None) -> LineDialog:
        assert self.period is not None
        return LineDialog(
            self._db,
            self.period,
            [(row.member_id, row.name) for row in self.sheet],
            self.earlier,
            member_id if member_id is not None else self.selected_member(),
            self.country,
            self,
        )

    def add_line(self, member_id: int | None = None) -> bool:
        if self.period is None or not self.period.is_draft:
            return False
        dialog = self.line_dialog(member_id)
        accepted = dialog.exec() == LineDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted:
            self.load(self.period, self.sheet, self._every())
            self.changed.emit()
        return accepted

    def _every(self) -> list[Period]:
        return self._db.read(periods.list_periods)

    def remove_line(self) -> bool:
        rows = self.view.selectionModel().selectedRows()
        if not rows or self.period is None or not self.period.is_draft:
            return False
        line = self.model.line(rows[0].row())
        try:
            self._db.write(periods.remove_line, self.period.id, line.id)
        except ObreroError as error:
            QMessageBox.warning(self, _("Cannot remove the line"), error.message)
            return False
        self.load(self.period, self.sheet, self._every())
        self.changed.emit()
        return True
