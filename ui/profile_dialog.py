"""The factory profile form; on first run it is the first thing the secretary sees."""

from __future__ import annotations

from dataclasses import fields, replace
from zoneinfo import available_timezones

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from obrero import profile as profiles
from obrero.i18n import LANGUAGES, _
from obrero.profile import COUNTRIES, FIELD_LABELS, STATUTE_PRESETS, TAX_ID_NAMES, Profile
from obrero.store.database import Database
from ui.form_errors import FieldErrors, save_form

_TEXT_FIELDS = ("name", "legal_form", "tax_id", "registration_number", "address", "city")
_CHOICE_FIELDS = ("country", "time_zone", "currency", "document_language", "statute_preset")


class ProfileDialog(QDialog):
    def __init__(self, db: Database, first_run: bool = False, parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self._first_run = first_run
        self.saved: Profile | None = None
        self.errors = FieldErrors()
        self.inputs: dict[str, QLineEdit] = {}
        self.choices: dict[str, QComboBox] = {}
        self._labels: dict[str, QLabel] = {}
        self._build()
        self.retranslate()
        current = db.read(profiles.get_profile) or profiles.default_profile("AR")
        self._shown_country = current.country
        self._load(current)
        self.choices["country"].currentIndexChanged.connect(self._country_changed)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        # Grow when error messages appear under the fields, instead of clipping them.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setVisible(self._first_run)
        layout.addWidget(self.intro)
        form = QFormLayout()
        for field in (f.name for f in fields(Profile)):
            if field in _CHOICE_FIELDS:
                widget: QWidget = QComboBox()
                self.choices[field] = widget
            else:
                widget = QLineEdit()
                self.inputs[field] = widget
            holder = self.errors.field(field, widget)
            label = QLabel()
            label.setBuddy(widget)
            self._labels[field] = label
            form.addRow(label, holder)
        layout.addLayout(form)
        # The dialog sizes itself to its layout (to make room for errors): widen via a field.
        self.inputs["name"].setMinimumWidth(360)
        zones = self.choices["time_zone"]
        zones.setEditable(True)
        zones.addItems(sorted(available_timezones()))
        currencies = self.choices["currency"]
        currencies.setEditable(True)
        currencies.addItems(["ARS", "BRL", "VES", "UYU", "MXN", "USD", "EUR"])
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Welcome to Obrero") if self._first_run else _("Factory profile"))
        self.intro.setText(
            _(
                "Tell Obrero about your factory. Its name, tax id and address head every "
                "document; the statute rules decide quorum and majorities in assemblies."
            )
        )
        for field, label in self._labels.items():
            label.setText(_(FIELD_LABELS[field]) + ":")
        self._refill(self.choices["country"], {k: _(v) for k, v in COUNTRIES.items()})
        self._refill(self.choices["document_language"], LANGUAGES)
        self._refill(self.choices["statute_preset"], {k: _(v) for k, v in STATUTE_PRESETS.items()})
        self._update_tax_label()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @staticmethod
    def _refill(combo: QComboBox, items: dict[str, str]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for code, text in items.items():
            combo.addItem(text, code)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def _update_tax_label(self) -> None:
        kind = TAX_ID_NAMES.get(self.choices["country"].currentData() or "")
        label = _(FIELD_LABELS["tax_id"])
        self._labels["tax_id"].setText(f"{label} ({kind}):" if kind else f"{label}:")

    def _load(self, profile: Profile) -> None:
        for field in _TEXT_FIELDS:
            self.inputs[field].setText(getattr(profile, field))
        for field in ("country", "document_language", "statute_preset"):
            combo = self.choices[field]
            combo.setCurrentIndex(max(0, combo.findData(getattr(profile, field))))
        self.choices["time_zone"].setCurrentText(profile.time_zone)
        self.choices["currency"].setCurrentText(profile.currency)
        self._update_tax_label()

    def _country_changed(self) -> None:
        """Bring in the new country's defaults where the old country's are still shown."""
        country = self.choices["country"].currentData()
        old, new = profiles.default_profile(self._shown_country), profiles.default_profile(country)
        shown = self.profile()
        updates = {
            name: getattr(new, name)
            for name in (
                "legal_form",
                "time_zone",
                "currency",
                "document_language",
                "statute_preset",
            )
            if getattr(shown, name) in ("", getattr(old, name))
        }
        self._load(replace(shown, **updates))
        self._shown_country = country

    def profile(self) -> Profile:
        """The profile as typed so far."""
        values = {field: self.inputs[field].text() for field in _TEXT_FIELDS}
        values["time_zone"] = self.choices["time_zone"].currentText()
        values["currency"] = self.choices["currency"].currentText()
        for field in ("country", "document_language", "statute_preset"):
            values[field] = self.choices[field].currentData() or ""
        return Profile(**values)

    def save(self) -> None:
        self.saved = save_form(
            self, self.errors, lambda: self._db.write(profiles.save_profile, self.profile())
        )
        if self.saved is not None:
            self.accept()
