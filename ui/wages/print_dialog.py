"""Choosing and writing a period's wage statements (recibos de retiro) as one PDF."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
)

from obrero.documents.output import write_document
from obrero.i18n import LANGUAGES, _
from obrero.store.database import Database
from obrero.wages.periods import Period
from ui.background import run_with_progress


class StatementsDialog(QDialog):
    """Language and members of the statements; rendering happens off the UI thread."""

    written = Signal(object)  # the Path of the PDF

    def __init__(
        self,
        db: Database,
        period: Period,
        members: list[tuple[int, str]],
        member_id: int | None = None,
        language: str = "es",
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._period = period
        self._build(members, member_id, language)
        self.retranslate()

    def _build(self, members: list[tuple[int, str]], member_id: int | None, language: str) -> None:
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.everyone = QRadioButton()
        self.one = QRadioButton()
        self.member = QComboBox()
        for member, name in members:
            self.member.addItem(name, member)
        self.member.setMinimumContentsLength(24)
        group = QButtonGroup(self)
        group.addButton(self.everyone)
        group.addButton(self.one)
        if member_id is not None and self.member.findData(member_id) >= 0:
            self.member.setCurrentIndex(self.member.findData(member_id))
        self.everyone.setChecked(True)
        self.one.setEnabled(self.member.count() > 0)
        self.member.setEnabled(False)
        self.one.toggled.connect(self.member.setEnabled)
        self.member.activated.connect(lambda _row: self.one.setChecked(True))
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language)
        form = QFormLayout()
        form.addRow(self.everyone)
        form.addRow(self.one, self.member)
        form.addRow(self.language_label, self.language)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.choose_file)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Print wage statements"))
        heading = _("Wage statements of “{label}”.").format(label=self._period.label)
        if self._period.is_draft:
            heading += " " + _("The period is not approved yet: every page is marked as a draft.")
        self.heading.setText(heading)
        self.everyone.setText(_("&Every member, one page each, and the summary sheet"))
        self.one.setText(_("&Only:"))
        self.language_label.setText(_("&Language:"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("&Save PDF…"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def choices(self) -> tuple[int | None, str]:
        """The member chosen (None for everyone) and the language of the statements."""
        member = self.member.currentData() if self.one.isChecked() else None
        return member, self.language.currentData()

    def suggested_name(self) -> str:
        member, _language = self.choices()
        label = re.sub(r"[^\w-]+", "-", self._period.label.lower()).strip("-")
        if member is not None:
            name = re.sub(r"[^\w-]+", "-", self.member.currentText().lower()).strip("-")
            return _("wage-statement-{period}-{member}.pdf").format(period=label, member=name)
        return _("wage-statements-{period}.pdf").format(period=label)

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save the statements"),
            str(Path.home() / self.suggested_name()),
            _("PDF documents (*.pdf)"),
        )
        if path:
            self.write_to(Path(path))

    def write_to(self, path: Path) -> None:
        """Gather, render and write the PDF on a pool thread, with a busy indicator."""
        member, language = self.choices()
        period_id = self._period.id
        self.buttons.setEnabled(False)

        def work() -> Path:
            from obrero.documents.wage_statements import render_wage_statements
            from obrero.wages.statements import build_statements

            statements = self._db.read(build_statements, period_id, member)
            pdf = render_wage_statements(statements, language, summary=member is None)
            return write_document(path, pdf)

        run_with_progress(
            self,
            _("Writing the statements…"),
            work,
            self._written,
            _("The statements were not written"),
            after_failure=lambda: self.buttons.setEnabled(True),
        )

    def _written(self, path: Path) -> None:
        self.buttons.setEnabled(True)
        self.written.emit(path)
        self.accept()
