"""Dialog to add a member's line to a period: advance, deduction, addition or adjustment."""

from __future__ import annotations

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
)

from obrero.i18n import _
from obrero.store.database import Database
from obrero.wages import periods
from obrero.wages.periods import LINE_KINDS, MemberLine, Period
from ui.form_errors import FieldErrors, save_form
from ui.wages.widgets import read_amount


class LineDialog(QDialog):
    """``members``: (id, name) of those on the roll; ``earlier``: approved earlier periods."""

    def __init__(
        self,
        db: Database,
        period: Period,
        members: list[tuple[int, str]],
        earlier: list[Period],
        member_id: int | None = None,
        country: str = "",
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._period = period
        self._country = country
        self.saved: MemberLine | None = None
        self.errors = FieldErrors()
        self._labels: dict[str, QLabel] = {}
        self._build(members, earlier)
        self.retranslate()
        if member_id is not None:
            self.member.setCurrentIndex(max(0, self.member.findData(member_id)))
        self._kind_changed()

    def _build(self, members: list[tuple[int, str]], earlier: list[Period]) -> None:
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        form = QFormLayout()
        self.member = QComboBox()
        for member_id, name in members:
            self.member.addItem(name, member_id)
        self.kind = QComboBox()
        for code in LINE_KINDS:
            self.kind.addItem("", code)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.description = QLineEdit()
        self.description.setMinimumWidth(320)
        self.amount = QLineEdit()
        self.adjusts = QComboBox()
        for period in earlier:
            self.adjusts.addItem(period.label, period.id)
        rows = (
            ("member", self.member),
            ("kind", self.kind),
            ("description", self.description),
            ("amount", self.amount),
            ("adjusts_period", self.adjusts),
        )
        for field, widget in rows:
            label = QLabel()
            label.setBuddy(widget)
            self._labels[field] = label
            form.addRow(label, self.errors.field(field, widget))
        self.adjusts_row = self.adjusts.parentWidget()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555555;")
        layout.addLayout(form)
        layout.addWidget(self.hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def retranslate(self) -> None:
        self.setWindowTitle(_("New line of a member"))
        texts = {
            "member": _("&Member:"),
            "kind": _("&Kind:"),
            "description": _("&Description:"),
            "amount": _("&Amount:"),
            "adjusts_period": _("&Corrects the period:"),
        }
        for field, text in texts.items():
            self._labels[field].setText(text)
        for row in range(self.kind.count()):
            self.kind.setItemText(row, _(LINE_KINDS[self.kind.itemData(row)]))
        self._kind_changed()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _kind_changed(self) -> None:
        adjustment = self.kind.currentData() == "adjustment"
        self.adjusts_row.setVisible(adjustment)
        self._labels["adjusts_period"].setVisible(adjustment)
        hints = {
            "advance": _("Money the member already received in this period; it is subtracted."),
            "deduction": _("A contribution or a loan payment; it is subtracted."),
            "addition": _("A bonus or refund approved by the assembly; it is added."),
            "adjustment": _(
                "Corrects a mistake in an approved period: a positive amount is owed to the "
                "member, a negative one (e.g. -1500) is owed by the member."
            ),
        }
        self.hint.setText(hints.get(self.kind.currentData(), ""))

    def save(self) -> None:
        self.saved = save_form(self, self.errors, self._write)
        if self.saved is not None:
            self.accept()

    def _write(self) -> periods.MemberLine:
        amount = read_amount(self.amount.text(), self._country)
        kind = self.kind.currentData()
        return self._db.write(
            periods.add_line,
            self._period.id,
            self.member.currentData() or 0,
            kind,
            self.description.text(),
            amount,
            self.adjusts.currentData() if kind == "adjustment" else None,
        )
