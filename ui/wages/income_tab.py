"""A period's income and cost lines (from which the amount to share follows) and the
coefficient of each category, as the assembly set them."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from obrero.errors import ObreroError, ValidationError, ValidationErrors
from obrero.i18n import _
from obrero.i18n.formatting import parse_number
from obrero.store.database import Database
from obrero.wages import periods
from obrero.wages.periods import Period
from ui.form_errors import FieldErrors
from ui.wages.models import CoefficientsModel, IncomeModel
from ui.wages.widgets import note_label, read_amount, table_view

INCOME, COST = 0, 1  # the choices of the kind combo


class IncomeTab(QWidget):
    changed = Signal()  # a line or a coefficient was stored: the shares change

    def __init__(self, db: Database, parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self.period: Period | None = None
        self.country = ""
        self.income_model = IncomeModel(self)
        self.coefficients_model = CoefficientsModel(self)
        self.errors = FieldErrors()
        self._categories: list[str] = []
        self._build()
        self.retranslate()

    def _build(self) -> None:
        self.income_box = QGroupBox()
        self.income_view = table_view(self.income_model, "description")
        self.income_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.kind = QComboBox()
        self.kind.addItems(["", ""])
        self.description = QLineEdit()
        self.description.returnPressed.connect(self.add_income)
        self.amount = QLineEdit()
        self.amount.setMaximumWidth(140)
        self.amount.returnPressed.connect(self.add_income)
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add_income)
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove_income)
        form = QHBoxLayout()
        form.addWidget(self.kind, 0, Qt.AlignmentFlag.AlignTop)
        form.addWidget(self.errors.field("description", self.description), 1)
        form.addWidget(self.errors.field("amount", self.amount))
        form.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignTop)
        self.total = note_label()
        below = QHBoxLayout()
        below.addWidget(self.total, 1)
        below.addWidget(self.remove_button)
        income = QVBoxLayout(self.income_box)
        income.addWidget(self.income_view, 1)
        income.addLayout(form)
        income.addLayout(below)

        self.coefficients_box = QGroupBox()
        self.coefficients_view = table_view(self.coefficients_model, "category")
        self.coefficients_model.edited.connect(self.set_coefficient)
        self.coefficients_note = note_label()
        coefficients = QVBoxLayout(self.coefficients_box)
        coefficients.addWidget(self.coefficients_view, 1)
        coefficients.addWidget(self.coefficients_note)

        layout = QHBoxLayout(self)
        layout.addWidget(self.income_box, 3)
        layout.addWidget(self.coefficients_box, 2)

    def retranslate(self) -> None:
        self.income_box.setTitle(_("Income and costs"))
        self.kind.setItemText(INCOME, _("Income"))
        self.kind.setItemText(COST, _("Cost"))
        self.description.setPlaceholderText(_("Description, e.g. Sale of tomato paste"))
        self.amount.setPlaceholderText(_("Amount"))
        self.add_button.setText(_("&Add"))
        self.remove_button.setText(_("Remove the selected line"))
        self.coefficients_box.setTitle(_("Category coefficients"))
        self.coefficients_note.setText(
            _(
                "As the assembly set them. They count under “coefficient × hours” and in a "
                "mixed rule weighted by category. Select one and type to change it."
            )
        )
        self.income_model.refresh_texts()
        self.coefficients_model.refresh_texts()
        self._show_total()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- showing ---------------------------------------------------------------
    def load(self, period: Period, categories: list[str]) -> None:
        self.period = period
        self._categories = categories
        self.income_model.set_rows(period.income)
        self.coefficients_model.load(period.coefficients, categories, period.is_draft)
        editable = QAbstractItemView.EditTrigger
        self.coefficients_view.setEditTriggers(
            editable.AnyKeyPressed | editable.DoubleClicked | editable.EditKeyPressed
            if period.is_draft
            else editable.NoEditTriggers
        )
        for widget in (self.kind, self.description, self.amount, self.add_button):
            widget.setEnabled(period.is_draft)
        self._show_total()
        self._update_buttons()

    def _show_total(self) -> None:
        period = self.period
        if period is None:
            return
        money = self.income_model.money
        self.total.setText(
            _("Amount entered {entered} + income − costs {lines} = to share {total}").format(
                entered=money(period.amount_cents),
                lines=money(sum(line.amount_cents for line in period.income)),
                total=money(period.to_share_cents),
            )
        )

    def _update_buttons(self) -> None:
        draft = self.period is not None and self.period.is_draft
        self.remove_button.setEnabled(draft and self.income_view.selectionModel().hasSelection())

    def _reload(self) -> None:
        assert self.period is not None
        self.load(self._db.read(periods.get_period, self.period.id), self._categories)
        self.changed.emit()

    # -- income and costs --------------------------------------------------------
    def add_income(self) -> bool:
        if self.period is None or not self.period.is_draft:
            return False
        errors: list[ValidationError] = []
        amount = Decimal(0)
        try:
            amount = read_amount(self.amount.text(), self.country)
        except ValidationError as error:
            errors.append(error)
        if amount < 0:
            errors.append(
                ValidationError("amount", _("Type the amount without a sign; choose “Cost”."))
            )
        try:
            if errors:
                raise ValidationErrors(errors)
            sign = -1 if self.kind.currentIndex() == COST else 1
            self._db.write(
                periods.add_income, self.period.id, self.description.text(), amount * sign
            )
        except (ValidationError, ValidationErrors) as error:
            self.errors.show(error)
            return False
        except ObreroError as error:
            QMessageBox.warning(self, _("Cannot add the line"), error.message)
            return False
        self.errors.clear()
        self.description.clear()
        self.amount.clear()
        self.description.setFocus()
        self._reload()
        return True

    def remove_income(self) -> bool:
        rows = self.income_view.selectionModel().selectedRows()
        if not rows or self.period is None or not self.period.is_draft:
            return False
        line = self.income_model.line(rows[0].row())
        try:
            self._db.write(periods.remove_income, self.period.id, line.id)
        except ObreroError as error:
            QMessageBox.warning(self, _("Cannot remove the line"), error.message)
            return False
        self._reload()
        return True

    # -- coefficients --------------------------------------------------------------
    def set_coefficient(self, category: str, text: str) -> bool:
        if self.period is None or not self.period.is_draft:
            return False
        try:
            value = parse_number(text, None, self.country)
        except ValueError:
            self.coefficients_model.set_error(
                category, text, _("“{text}” is not a number.").format(text=text)
            )
            return False
        try:
            self._db.write(periods.set_coefficient, self.period.id, category, value)
        except ObreroError as error:
            self.coefficients_model.set_error(category, text, error.message)
            return False
        # Called from inside the view's editing: change the one cell, never reset the model.
        self.coefficients_model.set_value(category, value)
        self.period = self._db.read(periods.get_period, self.period.id)
        self.changed.emit()
        return True
