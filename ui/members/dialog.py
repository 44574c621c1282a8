"""Dialog to add a member to the roll or correct a member's record."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from obrero import members
from obrero.i18n import _
from obrero.i18n.formatting import date_placeholder, format_date
from obrero.members import FIELD_LABELS, LEAVE_REASONS, Member
from obrero.store.database import Database
from ui.form_errors import FieldErrors, save_form

_TEXT_FIELDS = ("full_name", "national_id", "sector", "category", "phone", "email", "address")


class MemberDialog(QDialog):
    """Enter saves, Esc cancels; each wrong field gets its message beneath it."""

    def __init__(self, db: Database, member: Member | None = None, parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self._member = member
        self.saved: Member | None = None
        self.errors = FieldErrors()
        self.inputs: dict[str, QLineEdit] = {}
        self._labels: dict[str, QLabel] = {}
        self._build()
        self.retranslate()
        self._load(member)

    # -- building ------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        # Grow when error messages appear under the fields, instead of clipping them.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        form = QFormLayout()
        for field in ("full_name", "national_id", "join_date", "sector", "category"):
            self._add_row(form, field, QLineEdit())
        self.suspended = QCheckBox()
        form.addRow("", self.suspended)
        for field in ("phone", "email", "address"):
            self._add_row(form, field, QLineEdit())
        layout.addLayout(form)

        self.leave_box = QGroupBox()
        leave_form = QFormLayout(self.leave_box)
        self._add_row(leave_form, "leave_date", QLineEdit())
        self.leave_reason = QComboBox()
        self._add_row(leave_form, "leave_reason", self.leave_reason)
        self._add_row(leave_form, "leave_note", QLineEdit())
        layout.addWidget(self.leave_box)

        # The dialog sizes itself to its layout (to make room for errors): widen via a field.
        self.inputs["full_name"].setMinimumWidth(380)
        for field in ("sector", "category"):
            completer = QCompleter(self._db.read(members.known_values, field), self)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self.inputs[field].setCompleter(completer)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _add_row(self, form: QFormLayout, field: str, widget: QWidget) -> None:
        holder = self.errors.field(field, widget)
        label = QLabel()
        label.setBuddy(widget)
        self._labels[field] = label
        form.addRow(label, holder)
        if isinstance(widget, QLineEdit):
            self.inputs[field] = widget

    def retranslate(self) -> None:
        self.setWindowTitle(_("Edit member") if self._member else _("New member"))
        for field, label in self._labels.items():
            label.setText(_(FIELD_LABELS[field]) + ":")
        self.suspended.setText(_("Suspended (keeps membership, cannot vote)"))
        self.leave_box.setTitle(_("Leaving the cooperative"))
        for field in ("join_date", "leave_date"):
            self.inputs[field].setPlaceholderText(date_placeholder())
        current = self.leave_reason.currentData()
        self.leave_reason.clear()
        self.leave_reason.addItem("", "")
        for code, text in LEAVE_REASONS.items():
            self.leave_reason.addItem(_(text), code)
        self.leave_reason.setCurrentIndex(max(0, self.leave_reason.findData(current)))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _load(self, member: Member | None) -> None:
        if member is None:
            self.inputs["join_date"].setText(format_date(date.today()))
            self.leave_box.setVisible(False)
            return
        for field in _TEXT_FIELDS:
            self.inputs[field].setText(getattr(member, field))
        self.inputs["join_date"].setText(format_date(member.join_date))
        self.inputs["leave_date"].setText(format_date(member.leave_date))
        self.inputs["leave_note"].setText(member.leave_note)
        self.leave_reason.setCurrentIndex(max(0, self.leave_reason.findData(member.leave_reason)))
        self.suspended.setChecked(member.status is members.MemberStatus.SUSPENDED)

    # -- saving --------------------------------------------------------------
    def form_values(self) -> dict[str, str | bool]:
        values: dict[str, str | bool] = {name: edit.text() for name, edit in self.inputs.items()}
        values["leave_reason"] = self.leave_reason.currentData() or ""
        values["suspended"] = self.suspended.isChecked()
        return values

    def save(self) -> None:
        self.saved = save_form(self, self.errors, self._write)
        if self.saved is not None:
            self.accept()

    def _write(self) -> Member:
        draft = members.draft_from_form(self.form_values())
        if self._member is None:
            return self._db.write(members.add_member, draft)
        return self._db.write(members.update_member, self._member.id, draft)
