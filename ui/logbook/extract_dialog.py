"""Choosing and writing a certified extract of the logbook (a PDF for a judge or a lawyer)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from obrero import profile as profiles
from obrero.documents.logbook_extract import render_logbook_extract
from obrero.documents.output import write_document
from obrero.errors import ValidationError, ValidationErrors
from obrero.i18n import LANGUAGES, _
from obrero.i18n.formatting import date_placeholder, parse_date
from obrero.logbook.entries import CATEGORIES
from obrero.logbook.extract import build_extract
from obrero.store.database import Database
from ui.background import run_with_progress
from ui.form_errors import FieldErrors


class ExtractDialog(QDialog):
    """Period, categories and language of the extract; writing happens off the UI thread."""

    written = Signal(object)  # the Path of the PDF

    def __init__(
        self,
        db: Database,
        since: str = "",
        until: str = "",
        categories: frozenset[str] = frozenset(),
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self.errors = FieldErrors()
        self._build(since, until, categories)
        self.retranslate()

    def _build(self, since: str, until: str, categories: frozenset[str]) -> None:
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        form = QFormLayout()
        self.since, self.until = QLineEdit(since), QLineEdit(until)
        self.categories = QListWidget()
        for code in CATEGORIES:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, code)
            chosen = not categories or code in categories
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
            self.categories.addItem(item)
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        profile = self._db.read(profiles.get_profile)
        if profile is not None:
            self.language.setCurrentIndex(self.language.findData(profile.document_language))
        self._labels = [QLabel() for _row in range(4)]
        rows = (
            ("since", self.since),
            ("until", self.until),
            ("categories", self.categories),
            ("language", self.language),
        )
        for label, (field, widget) in zip(self._labels, rows, strict=True):
            label.setBuddy(widget)
            form.addRow(label, self.errors.field(field, widget))
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.choose_file)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Certified extract of the logbook"))
        texts = (_("From:"), _("To:"), _("Categories:"), _("Language:"))
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        for edit in (self.since, self.until):
            edit.setPlaceholderText(date_placeholder())
        for row in range(self.categories.count()):
            item = self.categories.item(row)
            item.setText(_(CATEGORIES[item.data(Qt.ItemDataRole.UserRole)]))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("&Save PDF…"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- choices ---------------------------------------------------------------
    def choices(self) -> tuple[date | None, date | None, frozenset[str], str]:
        """Period, categories and language as chosen; ValidationErrors names what is wrong."""
        errors: list[ValidationError] = []
        days: list[date | None] = []
        for field, edit in (("since", self.since), ("until", self.until)):
            try:
                days.append(parse_date(edit.text()))
            except ValueError:
                days.append(None)
                errors.append(
                    ValidationError(
                        field,
                        _("“{text}” is not a date; type it as {pattern}.").format(
                            text=edit.text(), pattern=date_placeholder()
                        ),
                    )
                )
        since, until = days
        if since and until and until < since:
            errors.append(ValidationError("until", _("The last day comes before the first day.")))
        chosen = frozenset(
            self.categories.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.categories.count())
            if self.categories.item(row).checkState() == Qt.CheckState.Checked
        )
        if not chosen:
            errors.append(ValidationError("categories", _("Choose at least one category.")))
        if errors:
            raise ValidationErrors(errors)
        return since, until, chosen, self.language.currentData()

    def choose_file(self) -> None:
        try:
            self.choices()
        except ValidationErrors as error:
            self.errors.show(error)
            return
        self.errors.clear()
        suggested = Path.home() / _("logbook-extract-{day}.pdf").format(day=date.today())
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the extract"), str(suggested), _("PDF documents (*.pdf)")
        )
        if path:
            self.write_to(Path(path))

    def write_to(self, path: Path) -> None:
        """Build, render and write the PDF on a pool thread, with a busy indicator."""
        since, until, categories, language = self.choices()

        def work() -> Path:
            extract = self._db.read(build_extract, since, until, categories)
            return write_document(path, render_logbook_extract(extract, language))

        run_with_progress(
            self, _("Writing the extract…"), work, self._written, _("The extract was not written")
        )

    def _written(self, path: Path) -> None:
        self.written.emit(path)
        self.accept()
