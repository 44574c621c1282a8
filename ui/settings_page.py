"""The Settings area: who is operating, the UI language, the document language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from obrero import profile as profiles
from obrero import settings as settings_service
from obrero.errors import ValidationError, ValidationErrors
from obrero.i18n import LANGUAGES, _
from obrero.store.database import Database
from ui.form_errors import FieldErrors


class SettingsPage(QWidget):
    profile_requested = Signal()
    audit_requested = Signal()
    saved = Signal()

    def __init__(self, db: Database, apply_language: Callable[[str], None], parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self._apply_language = apply_language
        self.errors = FieldErrors()
        self._saved_shown = False
        self._build()
        self.retranslate()
        self.load()

    def _build(self) -> None:
        self.operator = QLineEdit()
        self.ui_language = QComboBox()
        self.document_language = QComboBox()
        for combo in (self.ui_language, self.document_language):
            for code, name in LANGUAGES.items():
                combo.addItem(name, code)
        self.labels = [QLabel() for _field in range(3)]
        form = QFormLayout()
        for label, field, widget in zip(
            self.labels,
            ("operator_name", "ui_language", "document_language"),
            (self.operator, self.ui_language, self.document_language),
            strict=True,
        ):
            label.setBuddy(widget)
            holder = self.errors.field(field, widget)
            form.addRow(label, holder)
        self.operator_hint = QLabel()
        self.operator_hint.setWordWrap(True)
        form.addRow("", self.operator_hint)

        self.operator.textEdited.connect(self._edited)
        self.ui_language.activated.connect(self._edited)
        self.document_language.activated.connect(self._edited)
        self.save_button = QPushButton()
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.status = QLabel()
        self.profile_button = QPushButton()
        self.profile_button.clicked.connect(self.profile_requested)
        self.audit_button = QPushButton()
        self.audit_button.clicked.connect(self.audit_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.status, 1)
        others = QHBoxLayout()
        others.addWidget(self.profile_button)
        others.addWidget(self.audit_button)
        others.addStretch(1)

        self.setMaximumWidth(760)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addSpacing(24)
        layout.addLayout(others)
        layout.addStretch(1)

    def retranslate(self) -> None:
        texts = (_("Operator name:"), _("Language of the program:"), _("Documents printed in:"))
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.operator_hint.setText(_("Every change is signed with this name in the audit trail."))
        self.save_button.setText(_("&Save settings"))
        self.profile_button.setText(_("Factory &profile…"))
        self.audit_button.setText(_("Audit &trail…"))
        self.status.setText(_("Settings saved.") if self._saved_shown else "")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def load(self) -> None:
        current = self._db.read(settings_service.get_settings)
        self.operator.setText(current.operator_name)
        self.ui_language.setCurrentIndex(max(0, self.ui_language.findData(current.ui_language)))
        profile = self._db.read(profiles.get_profile)
        if profile is not None:
            index = self.document_language.findData(profile.document_language)
            self.document_language.setCurrentIndex(max(0, index))

    def save(self) -> None:
        try:
            # Only this page's fields change; the others (backups kept...) stay as stored.
            wanted = replace(
                self._db.read(settings_service.get_settings),
                operator_name=self.operator.text(),
                ui_language=self.ui_language.currentData(),
            )
            stored = self._db.write(settings_service.save_settings, wanted)
            profile = self._db.read(profiles.get_profile)
            if profile is not None:
                document = replace(profile, document_language=self.document_language.currentData())
                self._db.write(profiles.save_profile, document)
        except (ValidationError, ValidationErrors) as error:
            self.errors.show(error)
            return
        self.errors.clear()
        self.operator.setText(stored.operator_name)
        self._apply_language(stored.ui_language)
        self._saved_shown = True
        self.status.setText(_("Settings saved."))
        self.saved.emit()

    def _edited(self) -> None:
        self._saved_shown = False
        self.status.clear()
