"""A period's hours: the grid typed into, saved in one go, or imported from a CSV file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from obrero.errors import ObreroError, ValidationError, ValidationErrors
from obrero.i18n import _, ngettext
from obrero.store.database import Database
from obrero.wages import periods
from obrero.wages.hours_import import apply_hours, read_hours
from obrero.wages.periods import HoursRow, Period
from ui.wages.hours_view import HoursView
from ui.wages.import_dialog import ImportDialog
from ui.wages.models import HoursModel
from ui.wages.widgets import note_label


class HoursTab(QWidget):
    saved = Signal()  # hours were stored (typed or imported): the shares change

    def __init__(self, db: Database, parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self.period: Period | None = None
        self.sheet: list[HoursRow] = []
        self.model = HoursModel(self)
        self.import_dialog = None  # the preview of an import, while it is open
        self._done = ""  # what was last done ("Hours saved."), until the next typing
        self._build()
        self.retranslate()

    def _build(self) -> None:
        self.hint = note_label()
        self.import_button = QPushButton()
        self.import_button.clicked.connect(self.import_hours)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.view = HoursView()
        self.view.setModel(self.model)
        self.view.setColumnWidth(self.model.column("hours"), 150)
        self.view.setColumnWidth(self.model.column("national_id"), 110)
        self.view.setColumnWidth(self.model.column("category"), 140)
        self.view.setColumnWidth(self.model.column("days_on_roll"), 120)
        self.status = note_label()
        self.model.changed.connect(self._typed)
        bar = QHBoxLayout()
        bar.addWidget(self.hint, 1)
        bar.addWidget(self.import_button)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)

    def retranslate(self) -> None:
        self.hint.setText(
            _(
                "Type each member's hours and press Enter to go to the next one; "
                "a decimal comma is fine. Ctrl+S saves."
            )
        )
        self.import_button.setText(_("&Import hours from CSV…"))
        self.import_button.setToolTip(
            _("Hours from a spreadsheet: one line per member, named by national id")
        )
        self.save_button.setText(_("&Save hours"))
        self.save_button.setToolTip(_("Store the hours typed (Ctrl+S)"))
        self.model.refresh_texts()
        self._show_status()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- showing ---------------------------------------------------------------
    def load(self, period: Period, sheet: list[HoursRow]) -> None:
        """Show a period's sheet as stored; read-only unless the period is a draft."""
        same = self.period is not None and self.period.id == period.id
        keep_row = self.view.currentIndex().row() if same else 0
        self.period = period
        self.sheet = sheet
        self._done = ""
        self.model.load(sheet, period.days, period.is_draft)
        self.view.set_editable(period.is_draft)
        self.import_button.setEnabled(period.is_draft)
        self.hint.setVisible(period.is_draft)
        if sheet:
            self.view.go_to(min(max(keep_row, 0), len(sheet) - 1))
        self._show_status()

    def is_dirty(self) -> bool:
        self.view.commit_editing()
        return self.model.is_dirty()

    def _typed(self) -> None:
        self._done = ""
        self._show_status()

    def _show_status(self) -> None:
        errors = len(self.model.errors())
        typed = len(self.model.pending())
        draft = self.period is not None and self.period.is_draft
        if errors:
            text = ngettext(
                "{n} value was not saved: see the cell marked in red.",
                "{n} values were not saved: see the cells marked in red.",
                errors,
            ).format(n=errors)
        elif typed:
            text = ngettext(
                "Hours of {n} member typed, not saved yet (Ctrl+S saves).",
                "Hours of {n} members typed, not saved yet (Ctrl+S saves).",
                typed,
            ).format(n=typed)
        elif self.period is not None and not draft:
            text = _("The hours are locked with the period.")
        else:
            text = self._done
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if errors else "")
        self.save_button.setEnabled(bool(typed) and draft)

    # -- saving ----------------------------------------------------------------
    def save(self) -> bool:
        """Store every typed value in one go, or none: wrong ones are marked on their cell."""
        if self.period is None or not self.period.is_draft:
            return False
        if not self.is_dirty():
            return True
        values, unreadable = self.model.parsed()
        if unreadable:
            self._mark(unreadable)
            return False
        try:
            self._db.write(periods.set_hours, self.period.id, values)
        except (ValidationError, ValidationErrors) as error:
            errors = error.errors if isinstance(error, ValidationErrors) else [error]
            marked: dict[int, str] = {}
            stray: list[str] = []
            for item in errors:
                name, _sep, member = item.field.partition(":")
                if name == "hours" and member.isdigit():
                    marked[int(member)] = item.message
                else:
                    stray.append(item.message)
            self._mark(marked)
            if stray:
                QMessageBox.warning(self, _("Hours not saved"), "\n".join(stray))
            return False
        except ObreroError as error:
            QMessageBox.warning(self, _("Hours not saved"), error.message)
            return False
        self.model.saved(values)
        self.sheet = self.model.rows()
        self._done = _("Hours saved.")
        self._show_status()
        self.saved.emit()
        return True

    def _mark(self, errors: dict[int, str]) -> None:
        self.model.set_errors(errors)
        rows = self.model.error_rows()
        if rows:
            self.view.go_to(rows[0])
            self.view.setFocus()
        self._show_status()

    def settle(self) -> bool:
        """Before leaving the period: save or drop the hours typed (or stay, on Cancel)."""
        if self.period is None or not self.is_dirty():
            return True
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Hours not saved"),
            _("The hours typed for “{label}” are not saved yet.").format(label=self.period.label),
            QMessageBox.StandardButton.NoButton,
        )
        box.setParent(self, box.windowFlags())
        save = box.addButton(_("&Save hours"), QMessageBox.ButtonRole.AcceptRole)
        drop = box.addButton(_("&Discard them"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save)
        box.exec()
        clicked = box.clickedButton()
        box.deleteLater()
        if clicked is save:
            return self.save()
        if clicked is drop:
            self.load(self.period, self.sheet)
            return True
        return False

    # -- importing -------------------------------------------------------------
    def import_hours(self) -> None:
        if self.period is None or not self.period.is_draft or not self.settle():
            return
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Import hours"),
            str(Path.home()),
            _("Spreadsheets saved as CSV (*.csv *.txt);;All files (*)"),
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> bool:
        """Read hours from a CSV file, show them with any problems, apply on request."""
        if self.period is None or not self.period.is_draft:
            return False
        period = self.period
        try:
            data = path.read_bytes()
            imported = self._db.read(read_hours, data, period.id)
        except OSError as error:
            QMessageBox.warning(self, _("Cannot read the file"), str(error))
            return False
        except ObreroError as error:
            QMessageBox.warning(self, _("Cannot read the file"), error.message)
            return False
        names = {row.member_id: row.name for row in self.sheet}
        self.import_dialog = ImportDialog(imported, path.name, period.label, names, self)
        try:
            if self.import_dialog.exec() != ImportDialog.DialogCode.Accepted:
                return False
        finally:
            self.import_dialog.deleteLater()
            self.import_dialog = None
        try:
            self._db.write(apply_hours, period.id, imported)
        except ObreroError as error:
            QMessageBox.warning(self, _("Hours not imported"), error.message)
            return False
        self.load(period, self._db.read(periods.hours_sheet, period.id))
        self._done = _("Hours imported from {file}.").format(file=path.name)
        self._show_status()
        self.saved.emit()
        return True
