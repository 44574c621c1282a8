"""Dialog to open a new pay period, or change a draft period's settings."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from obrero.errors import ValidationError, ValidationErrors
from obrero.i18n import N_, _
from obrero.i18n.formatting import (
    date_placeholder,
    format_date,
    format_month,
    format_number,
    month_names,
    parse_date,
    parse_number,
)
from obrero.store.database import Database
from obrero.wages import periods
from obrero.wages.periods import DEFAULT_MAX_HOURS, Period, PeriodDraft
from obrero.wages.rules import RULE_LABELS, Rule
from ui.form_errors import FieldErrors, save_form

LENGTHS = {
    "month": N_("A whole month"),
    "fortnight": N_("A fortnight"),
    "other": N_("Other dates"),
}
HALVES = (N_("1st to 15th"), N_("16th to the end of the month"))


def _length_of(start: date, end: date) -> tuple[str, int, int, bool]:
    """How a period's dates read in the pickers: (length, year, month, second half)."""
    month_start, month_end = periods.month_bounds(start.year, start.month)
    if (start, end) == (month_start, month_end):
        return "month", start.year, start.month, False
    for second in (False, True):
        if (start, end) == periods.fortnight_bounds(start.year, start.month, second):
            return "fortnight", start.year, start.month, second
    return "other", start.year, start.month, False


def following(latest: Period | None, today: date) -> tuple[str, int, int, bool]:
    """The period after the latest one (a month after a month, a fortnight after a
    fortnight); this month when there is none yet."""
    if latest is None:
        return "month", today.year, today.month, False
    length, *_rest = _length_of(latest.start, latest.end)
    day = latest.end + timedelta(days=1)
    if length == "fortnight":
        return "fortnight", day.year, day.month, day.day > 15
    return "month", day.year, day.month, False


class PeriodDialog(QDialog):
    """Enter saves, Esc cancels; each wrong field gets its message beneath it."""

    def __init__(
        self,
        db: Database,
        period: Period | None = None,
        latest: Period | None = None,
        country: str = "",
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._period = period
        self._country = country
        self.saved: Period | None = None
        self.errors = FieldErrors()
        self._labels: dict[str, QLabel] = {}
        self._suggested = ""  # the name last put in for the dates chosen
        self._build()
        self.retranslate()
        self._load(period, latest)

    # -- building ------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        form = QFormLayout()

        self.length = QComboBox()
        for code in LENGTHS:
            self.length.addItem("", code)
        self.month = QComboBox()
        for month in range(1, 13):
            self.month.addItem("", month)
        self.year = QSpinBox()
        self.year.setRange(1990, 2200)
        self.year.setGroupSeparatorShown(False)
        self.half = QComboBox()
        self.half.addItems(["", ""])
        self.since, self.until = QLineEdit(), QLineEdit()
        self.dates_row = QWidget()
        row = QHBoxLayout(self.dates_row)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.length, self.month, self.year, self.half, self.since, self.until):
            row.addWidget(widget)
        row.addStretch(1)
        for widget in (self.length, self.month, self.year, self.half):
            signal = widget.valueChanged if widget is self.year else widget.currentIndexChanged
            signal.connect(self._dates_changed)
        self._add_row(form, "dates", self.dates_row, ("start", "end"))

        self.label = QLineEdit()
        self.label.setMinimumWidth(320)
        self._add_row(form, "label", self.label)
        self.amount = QLineEdit()
        self._add_row(form, "amount", self.amount)

        self.rule = QComboBox()
        for rule in Rule:
            self.rule.addItem("", rule.value)
        self.rule.currentIndexChanged.connect(self._rule_changed)
        self._add_row(form, "rule", self.rule)
        self.equal_percent = QSpinBox()
        self.equal_percent.setRange(0, 100)
        self.equal_percent.setSuffix(" %")
        self.equal_percent.setMaximumWidth(120)
        self._add_row(form, "equal_percent", self.equal_percent)
        self.weighted = QCheckBox()
        form.addRow("", self.weighted)

        self.resolution = QLineEdit()
        self._add_row(form, "resolution", self.resolution)
        self.max_hours = QLineEdit()
        self.max_hours.setMaximumWidth(120)
        self._add_row(form, "max_hours", self.max_hours)
        self.notes = QLineEdit()
        self._add_row(form, "notes", self.notes)
        layout.addLayout(form)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _add_row(
        self, form: QFormLayout, name: str, widget: QWidget, fields: tuple[str, ...] = ()
    ) -> None:
        """A labelled row; errors of ``fields`` (default: the row's own name) show beneath."""
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        for field in fields or (name,):
            column.addWidget(self.errors.add(field, widget))
        label = QLabel()
        label.setBuddy(self.length if widget is self.dates_row else widget)
        self._labels[name] = label
        form.addRow(label, holder)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Edit the period") if self._period else _("New pay period"))
        texts = {
            "dates": _("&Period:"),
            "label": _("&Name:"),
            "amount": _("&Amount to share:"),
            "rule": _("Sharing &rule:"),
            "equal_percent": _("&Equal part:"),
            "resolution": _("Assembly resolu&tion:"),
            "max_hours": _("&Most hours per member:"),
            "notes": _("N&otes:"),
        }
        for name, text in texts.items():
            self._labels[name].setText(text)
        for row, code in enumerate(LENGTHS):
            self.length.setItemText(row, _(LENGTHS[code]))
        for row, name in enumerate(month_names()):
            self.month.setItemText(row, name)
        for row, text in enumerate(HALVES):
            self.half.setItemText(row, _(text))
        for edit in (self.since, self.until):
            edit.setPlaceholderText(date_placeholder())
        self.since.setToolTip(_("First day"))
        self.until.setToolTip(_("Last day"))
        for row in range(self.rule.count()):
            self.rule.setItemText(row, _(RULE_LABELS[self.rule.itemData(row)]))
        self.equal_percent.setToolTip(_("The part shared in equal shares; the rest goes by hours."))
        self.weighted.setText(_("&Weight the rest by category coefficient"))
        self.amount.setPlaceholderText(_("Income and costs can be added as lines later"))
        self.resolution.setPlaceholderText(_("e.g. Assembly of 30 September, item 3"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _load(self, period: Period | None, latest: Period | None) -> None:
        if period is None:
            length, year, month, second = following(latest, date.today())
            self._set_dates(length, year, month, second)
            model = latest
            self.max_hours.setText(format_number(model.max_hours if model else DEFAULT_MAX_HOURS))
            self._set_rule(model)
            self._dates_changed()
            return
        length, year, month, second = _length_of(period.start, period.end)
        self._set_dates(length, year, month, second)
        if length == "other":
            self.since.setText(format_date(period.start))
            self.until.setText(format_date(period.end))
        self.label.setText(period.label)
        self._suggested = self.suggested_label()  # what the stored dates would be called
        self.amount.setText(format_number(Decimal(period.amount_cents) / 100))
        self._set_rule(period)
        self.resolution.setText(period.resolution)
        self.max_hours.setText(format_number(period.max_hours))
        self.notes.setText(period.notes)
        self._show_length()

    def _set_dates(self, length: str, year: int, month: int, second: bool) -> None:
        for widget in (self.length, self.month, self.year, self.half):
            widget.blockSignals(True)
        self.length.setCurrentIndex(self.length.findData(length))
        self.month.setCurrentIndex(month - 1)
        self.year.setValue(year)
        self.half.setCurrentIndex(1 if second else 0)
        for widget in (self.length, self.month, self.year, self.half):
            widget.blockSignals(False)

    def _set_rule(self, model: Period | None) -> None:
        rule = model.rule if model else Rule.EQUAL
        self.rule.setCurrentIndex(self.rule.findData(rule.value))
        self.equal_percent.setValue(model.equal_percent if model else 0)
        self.weighted.setChecked(model.weighted if model else False)
        self._rule_changed()

    # -- reacting to choices ---------------------------------------------------
    def _show_length(self) -> None:
        length = self.length.currentData()
        for widget in (self.month, self.year):
            widget.setVisible(length != "other")
        self.half.setVisible(length == "fortnight")
        for widget in (self.since, self.until):
            widget.setVisible(length == "other")

    def _dates_changed(self) -> None:
        self._show_length()
        # A name the secretary typed (or a stored one of their own) stays as it is.
        if not self.label.isModified() and self.label.text() in ("", self._suggested):
            self._suggested = self.suggested_label()
            self.label.setText(self._suggested)

    def suggested_label(self) -> str:
        length = self.length.currentData()
        if length == "other":
            return self.label.text()
        month = format_month(self.year.value(), self.month.currentData())
        if length == "month":
            return month
        if self.half.currentIndex() == 0:
            return _("{month}, first fortnight").format(month=month)
        return _("{month}, second fortnight").format(month=month)

    def _rule_changed(self) -> None:
        mixed = self.rule.currentData() == Rule.MIXED.value
        self.equal_percent.setEnabled(mixed)
        self.weighted.setEnabled(mixed)
        if mixed and self.equal_percent.value() in (0, 100):
            self.equal_percent.setValue(50)

    # -- saving --------------------------------------------------------------
    def dates(self) -> tuple[date, date]:
        """The chosen first and last day; ValidationErrors if typed dates are wrong."""
        length = self.length.currentData()
        if length == "month":
            return periods.month_bounds(self.year.value(), self.month.currentData())
        if length == "fortnight":
            return periods.fortnight_bounds(
                self.year.value(), self.month.currentData(), self.half.currentIndex() == 1
            )
        errors: list[ValidationError] = []
        days: list[date] = []
        for field, edit in (("start", self.since), ("end", self.until)):
            try:
                day = parse_date(edit.text())
            except ValueError:
                day = None
            if day is None:
                message = (
                    _("Type the first day as {pattern}.")
                    if field == "start"
                    else _("Type the last day as {pattern}.")
                )
                errors.append(ValidationError(field, message.format(pattern=date_placeholder())))
            else:
                days.append(day)
        if errors:
            raise ValidationErrors(errors)
        return days[0], days[1]

    def draft(self) -> PeriodDraft:
        """The form as a draft; ValidationErrors names each field that cannot be read."""
        errors: list[ValidationError] = []
        try:
            start, end = self.dates()
        except ValidationErrors as error:
            errors += error.errors
            start = end = date.today()
        amount = self._number("amount", self.amount.text(), Decimal(0), errors)
        most = self._number("max_hours", self.max_hours.text(), DEFAULT_MAX_HOURS, errors)
        if errors:
            raise ValidationErrors(errors)
        return PeriodDraft(
            start=start,
            end=end,
            label=self.label.text(),
            amount=amount,
            rule=Rule(self.rule.currentData()),
            equal_percent=self.equal_percent.value(),
            weighted=self.weighted.isChecked(),
            resolution=self.resolution.text(),
            max_hours=most,
            notes=self.notes.text(),
        )

    def _number(
        self, field: str, text: str, empty: Decimal, errors: list[ValidationError]
    ) -> Decimal:
        if not text.strip():
            return empty
        try:
            return parse_number(text, None, self._country)
        except ValueError:
            errors.append(
                ValidationError(field, _("“{text}” is not a number.").format(text=text.strip()))
            )
            return empty

    def save(self) -> None:
        self.saved = save_form(self, self.errors, self._write)
        if self.saved is not None:
            self.accept()

    def _write(self) -> periods.Period:
        draft = self.draft()
        if self._period is None:
            return self._db.write(periods.create_period, draft)
        return self._db.write(periods.update_period, self._period.id, draft)
