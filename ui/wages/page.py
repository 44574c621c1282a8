"""The Wages area: the pay periods, and the selected one's hours, lines, preview and approval.

The page holds the list of periods and the selected period's heading and
actions (edit, delete, approve, mark as paid, print); each tab edits one part
of the period and says when it changed, and the page then computes the
shares again (the preview is cheap) for the preview tab and the heading.
"""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import QEvent, QItemSelection, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from obrero import profile as profiles
from obrero.errors import ObreroError
from obrero.i18n import _, ngettext
from obrero.i18n.formatting import format_date
from obrero.store.database import Database
from obrero.wages import periods
from obrero.wages.periods import Distribution, Period
from obrero.wages.rules import Rule
from ui.questions import confirm
from ui.wages.hours_tab import HoursTab
from ui.wages.income_tab import IncomeTab
from ui.wages.lines_tab import LinesTab
from ui.wages.models import Money, PeriodsModel, PreviewModel, period_dates
from ui.wages.period_dialog import PeriodDialog
from ui.wages.print_dialog import StatementsDialog
from ui.wages.widgets import note_label, table_view

HOURS, INCOME, LINES, PREVIEW = range(4)  # the tabs of a period
STATUS_COLOURS = {"draft": "#8a5a00", "approved": "#1b5e20", "paid": "#0d47a1"}


def nbsp(html: str) -> str:
    """Keep a short phrase on one line of a wrapping label."""
    return html.replace(" ", "&nbsp;")


class WagesPage(QWidget):
    def __init__(self, db: Database, parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self.money = Money()
        self.document_language = "es"
        self.period: Period | None = None
        self.distribution: Distribution | None = None
        self.preview_problem = ""
        self.periods_model = PeriodsModel(self)
        self.preview_model = PreviewModel(self)
        self._build()
        self._read_profile()
        self.retranslate()
        self.reload_periods()

    # -- building ------------------------------------------------------------
    def _build(self) -> None:
        self.new_button = QPushButton()
        self.new_button.clicked.connect(self.new_period)
        self.periods_view = table_view(self.periods_model, "label")
        self.periods_view.selectionModel().selectionChanged.connect(self._period_chosen)
        self.empty_note = note_label()
        self.empty_note.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.detail = QWidget()
        self._build_detail(self.detail)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.periods_view)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([120, 560])
        # No periods yet: a word on how to start instead of empty tables.
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_note)
        self.stack.addWidget(self.splitter)

        bar = QHBoxLayout()
        bar.addWidget(self.new_button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)

        QShortcut(QKeySequence.StandardKey.New, self, self.new_period)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_hours)

    def _build_detail(self, detail: QWidget) -> None:
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.status = QLabel()
        self.edit_button = QPushButton()
        self.edit_button.clicked.connect(self.edit_period)
        self.delete_button = QPushButton()
        self.delete_button.clicked.connect(self.delete_period)
        self.approve_button = QPushButton()
        self.approve_button.clicked.connect(self.approve)
        self.paid_button = QPushButton()
        self.paid_button.clicked.connect(self.mark_paid)
        self.print_button = QPushButton()
        self.print_button.clicked.connect(self.print_statements)
        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.status)
        heading.addStretch(1)
        for button in self._period_buttons():
            heading.addWidget(button)
        self.summary = note_label()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.locked_note = note_label()
        self.locked_note.setStyleSheet("color: #1b5e20;")
        self.problem = note_label(red=True)

        self.hours_tab = HoursTab(self._db)
        self.hours_tab.saved.connect(self.refresh_preview)
        self.hours_tab.model.changed.connect(self._show_preview_note)
        self.income_tab = IncomeTab(self._db)
        self.income_tab.changed.connect(self.refresh_preview)
        self.lines_tab = LinesTab(self._db)
        self.lines_tab.changed.connect(self.refresh_preview)
        self.preview_note = note_label()
        self.preview_view = table_view(self.preview_model)  # names whole; scrolls if narrow
        self.preview_view.horizontalHeader().setStretchLastSection(True)
        preview = QWidget()
        preview_layout = QVBoxLayout(preview)
        preview_layout.addWidget(self.preview_note)
        preview_layout.addWidget(self.preview_view, 1)
        self.tabs = QTabWidget()
        for tab in (self.hours_tab, self.income_tab, self.lines_tab, preview):
            self.tabs.addTab(tab, "")

        layout = QVBoxLayout(detail)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.locked_note)
        layout.addWidget(self.problem)
        layout.addWidget(self.tabs, 1)

    def _period_buttons(self) -> tuple[QPushButton, ...]:
        return (
            self.edit_button,
            self.delete_button,
            self.approve_button,
            self.paid_button,
            self.print_button,
        )

    def _models(self):
        return (
            self.periods_model,
            self.preview_model,
            self.hours_tab.model,
            self.income_tab.income_model,
            self.income_tab.coefficients_model,
            self.lines_tab.model,
        )

    def _read_profile(self) -> bool:
        """The currency and document language from the profile; True if the money changed."""
        profile = self._db.read(profiles.get_profile)
        before = self.money
        if profile is not None:
            self.money = Money(profile.currency, profile.country)
            self.document_language = profile.document_language
        for model in self._models():
            model.money = self.money
        for tab in (self.hours_tab, self.income_tab, self.lines_tab):
            tab.country = self.money.country
        return self.money != before

    # -- texts ---------------------------------------------------------------
    def retranslate(self) -> None:
        self.new_button.setText(_("&New period…"))
        self.new_button.setToolTip(_("Open the next month or fortnight to share (Ctrl+N)"))
        self.empty_note.setText(
            _("No pay periods yet. Open the first one with “New period…” (Ctrl+N).")
        )
        self.edit_button.setText(_("&Edit…"))
        self.edit_button.setToolTip(_("Change the dates, amount or rule of this draft"))
        self.delete_button.setText(_("&Delete…"))
        self.delete_button.setToolTip(_("Delete this draft period, made by mistake"))
        self.approve_button.setText(_("A&pprove…"))
        self.approve_button.setToolTip(
            _("Freeze the shares as the assembly approved them; the period is then locked")
        )
        self.paid_button.setText(_("&Mark as paid…"))
        self.print_button.setText(_("P&rint statements…"))
        self.print_button.setToolTip(
            _("Each member's wage statement and the summary sheet for the assembly, as a PDF")
        )
        self.tabs.setTabText(HOURS, _("&Hours"))
        self.tabs.setTabText(INCOME, _("&Income and coefficients"))
        self.tabs.setTabText(LINES, _("Member &lines"))
        self.tabs.setTabText(PREVIEW, _("Pre&view of the shares"))
        self.periods_model.refresh_texts()
        self.preview_model.refresh_texts()
        self._show_period_texts()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def showEvent(self, event) -> None:
        # The profile (currency) or the roll may have changed on another page.
        if self._read_profile():
            for model in self._models():
                model.refresh_texts()
        if not self.hours_tab.model.is_dirty():
            self.reload_periods()
        super().showEvent(event)

    # -- the periods -----------------------------------------------------------
    def reload_periods(self, select: int | None = None) -> None:
        """Read the periods again and show ``select`` (or the one shown, or the latest)."""
        chosen = select if select is not None else (self.period.id if self.period else None)
        self.periods_model.set_rows(self._db.read(periods.list_periods))
        row = self.periods_model.row_of(chosen) if chosen is not None else None
        if row is None and self.periods_model.rowCount():
            row = 0
        self.stack.setCurrentWidget(self.splitter if row is not None else self.empty_note)
        if row is None:
            self.period = None
            return
        self._select_row(row)
        self.load_period(self.periods_model.period(row).id)

    def _select_row(self, row: int) -> None:
        selection = self.periods_view.selectionModel()
        selection.blockSignals(True)
        self.periods_view.selectRow(row)
        selection.blockSignals(False)
        self.periods_view.viewport().update()

    def _period_chosen(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.periods_view.selectionModel().selectedRows()
        if not rows:
            return
        chosen = self.periods_model.period(rows[0].row())
        if self.period is not None and chosen.id == self.period.id:
            return
        if not self.hours_tab.settle():  # stay on the period with unsaved hours
            back = self.periods_model.row_of(self.period.id) if self.period else None
            if back is not None:
                self._select_row(back)
            return
        self.load_period(chosen.id)

    def load_period(self, period_id: int) -> None:
        """Show one period: its hours, income, coefficients, lines and preview."""
        period = self._db.read(periods.get_period, period_id)
        self.period = period
        sheet = self._db.read(periods.hours_sheet, period_id)
        self.hours_tab.load(period, sheet)
        self.income_tab.load(period, [row.category for row in sheet])
        self.lines_tab.load(period, sheet, self.periods_model.rows())
        self.refresh_preview()

    def refresh_preview(self) -> None:
        """Compute every share again (cheap), after any change to the period."""
        if self.period is None:
            return
        self.period = self._db.read(periods.get_period, self.period.id)
        try:
            self.distribution = self._db.read(periods.preview, self.period.id)
            self.preview_problem = ""
        except ObreroError as error:
            self.distribution = None
            self.preview_problem = error.message
        self.preview_model.load(self.distribution)
        rule = self.period.rule
        weighted = rule is Rule.COEFFICIENT_HOURS or (rule is Rule.MIXED and self.period.weighted)
        self.preview_view.setColumnHidden(self.preview_model.column("coefficient"), not weighted)
        self.preview_view.setColumnHidden(self.preview_model.column("hours"), rule is Rule.EQUAL)
        row = self.periods_model.row_of(self.period.id)
        if row is not None:  # the amount to share follows the income lines
            self.periods_model.replace(row, self.period)
        self._show_period_texts()
        self._update_buttons()

    # -- what the heading and the preview say ----------------------------------------
    def _show_period_texts(self) -> None:
        period = self.period
        if period is None:
            return
        self.title.setText(period.label)
        self.status.setText(f"· {period.status_text()}")
        self.status.setStyleSheet(f"font-weight: bold; color: {STATUS_COLOURS[period.status]};")
        parts = [
            (_("Dates:"), period_dates(period)),
            (_("Rule:"), period.rule_text()),
        ]
        if period.resolution:
            parts.append((_("Resolution:"), period.resolution))
        parts.append((_("To share:"), self.money(period.to_share_cents)))
        if self.distribution is not None:
            parts.append((_("Shared:"), self.money(self.distribution.total_share_cents)))
        self.summary.setText(
            " · ".join(f"<b>{nbsp(escape(name))}</b>&nbsp;{escape(value)}" for name, value in parts)
        )
        self.locked_note.setText(self._locked_text(period))
        self.locked_note.setVisible(not period.is_draft)
        self.problem.setText(self.problem_text())
        self.problem.setVisible(bool(self.problem.text()))
        self._show_preview_note()

    @staticmethod
    def _locked_text(period: Period) -> str:
        if period.status == "approved":
            return _(
                "Approved on {date}. The period is locked: a mistake is corrected "
                "with an adjustment in a later period."
            ).format(date=format_date(period.approved_on))
        if period.status == "paid":
            return _(
                "Paid on {date} (approved on {approved}). The period is locked: a mistake "
                "is corrected with an adjustment in a later period."
            ).format(date=format_date(period.paid_on), approved=format_date(period.approved_on))
        return ""

    def problem_text(self) -> str:
        """Why the shares cannot be computed or approved as they stand, if they cannot."""
        if self.preview_problem:
            return self.preview_problem
        if self.distribution is None:
            return ""
        return "\n".join(
            _("{name} would get less than nothing; review the deductions.").format(name=row.name)
            for row in self.distribution.negative()
        )

    def _show_preview_note(self) -> None:
        distribution = self.distribution
        if distribution is None:
            self.preview_note.setText(self.preview_problem)
            return
        count = len(distribution.rows)
        text = ngettext(
            "{n} member shares {amount}; net to pay {net}.",
            "{n} members share {amount}; net to pay {net}.",
            count,
        ).format(
            n=count,
            amount=self.money(distribution.total_share_cents),
            net=self.money(distribution.total_net_cents),
        )
        if self.hours_tab.model.is_dirty():
            text += " " + _("Hours typed and not saved yet are not counted.")
        self.preview_note.setText(text)

    def _update_buttons(self) -> None:
        status = self.period.status if self.period else ""
        self.edit_button.setEnabled(status == "draft")
        self.delete_button.setEnabled(status == "draft")
        self.approve_button.setEnabled(status == "draft")
        self.paid_button.setEnabled(status == "approved")
        self.print_button.setEnabled(bool(status))

    def _is_draft(self) -> bool:
        return self.period is not None and self.period.is_draft

    # -- periods: new, edit, delete, approve, paid -----------------------------
    def new_period(self) -> Period | None:
        if not self.hours_tab.settle():
            return None
        every = self.periods_model.rows()
        latest = max(every, key=lambda p: p.start) if every else None
        dialog = PeriodDialog(self._db, None, latest, self.money.country, self)
        saved = dialog.saved if dialog.exec() == PeriodDialog.DialogCode.Accepted else None
        dialog.deleteLater()
        if saved is not None:
            self.reload_periods(select=saved.id)
            self.hours_tab.view.setFocus()
        return saved

    def edit_period(self) -> Period | None:
        if not self._is_draft() or not self.hours_tab.settle():
            return None
        assert self.period is not None
        dialog = PeriodDialog(self._db, self.period, None, self.money.country, self)
        saved = dialog.saved if dialog.exec() == PeriodDialog.DialogCode.Accepted else None
        dialog.deleteLater()
        if saved is not None:
            self.reload_periods(select=saved.id)
        return saved

    def delete_period(self) -> bool:
        if not self._is_draft():
            return False
        assert self.period is not None
        if not confirm(
            self,
            _("Delete the period"),
            _(
                "Delete the draft period “{label}” with its hours, income and lines? "
                "This cannot be undone."
            ).format(label=self.period.label),
            _("&Delete"),
        ):
            return False
        if not self._write(_("Cannot delete"), periods.delete_draft, self.period.id):
            return False
        self.period = None
        self.reload_periods()
        return True

    def approve(self) -> bool:
        if not self._is_draft() or not self.hours_tab.settle():
            return False
        assert self.period is not None
        self.refresh_preview()
        if self.distribution is None or self.distribution.negative():
            QMessageBox.warning(self, _("Cannot approve"), self.problem_text())
            return False
        count = len(self.distribution.rows)
        question = ngettext(
            "Approve “{label}”: {n} member gets {amount}, as the preview shows?",
            "Approve “{label}”: {n} members share {amount}, as the preview shows?",
            count,
        ).format(
            label=self.period.label,
            n=count,
            amount=self.money(self.distribution.total_share_cents),
        )
        warning = _(
            "Approval locks the period: its hours, lines and shares can no longer change. "
            "A mistake is then corrected with an adjustment in a later period."
        )
        if not confirm(
            self, _("Approve the period"), f"{question}\n\n{warning}", _("A&pprove and lock")
        ):
            return False
        period_id = self.period.id
        if not self._write(_("Cannot approve"), periods.approve, period_id, date.today()):
            return False
        self.reload_periods(select=period_id)
        self.tabs.setCurrentIndex(PREVIEW)
        return True

    def mark_paid(self) -> bool:
        if self.period is None or self.period.status != "approved":
            return False
        if not confirm(
            self,
            _("Mark as paid"),
            _("Record that the shares of “{label}” were paid today ({date})?").format(
                label=self.period.label, date=format_date(date.today())
            ),
            _("&Mark as paid"),
        ):
            return False
        period_id = self.period.id
        if not self._write(_("Cannot mark as paid"), periods.mark_paid, period_id, date.today()):
            return False
        self.reload_periods(select=period_id)
        return True

    def _write(self, title: str, service, *args) -> bool:
        """One write; a refusal is shown to the secretary, never raised."""
        try:
            self._db.write(service, *args)
        except ObreroError as error:
            QMessageBox.warning(self, title, error.message)
            return False
        return True

    # -- hours, and the member chosen --------------------------------------------------
    def save_hours(self) -> bool:
        """Ctrl+S: store the hours typed (the grid shows what was refused)."""
        if not self._is_draft():
            return False
        saved = self.hours_tab.save()
        if not saved:
            self.tabs.setCurrentIndex(HOURS)
        return saved

    def selected_member(self) -> int | None:
        """The member selected in the tab shown (hours, lines or preview), if any."""
        tab = self.tabs.currentIndex()
        if tab == HOURS and self.hours_tab.view.currentIndex().isValid():
            return self.hours_tab.model.member(self.hours_tab.view.currentIndex().row()).member_id
        if tab == LINES:
            return self.lines_tab.selected_member()
        if tab == PREVIEW:
            rows = self.preview_view.selectionModel().selectedRows()
            if rows and not self.preview_model.is_totals(rows[0].row()):
                return self.preview_model.share_row(rows[0].row()).member_id
        return None

    # -- statements --------------------------------------------------------------
    def statements_dialog(self) -> StatementsDialog:
        assert self.period is not None
        return StatementsDialog(
            self._db,
            self.period,
            [(row.member_id, row.name) for row in self.hours_tab.sheet],
            self.selected_member(),
            self.document_language,
            self,
        )

    def print_statements(self) -> None:
        if self.period is None or not self.hours_tab.settle():
            return
        dialog = self.statements_dialog()
        dialog.written.connect(self._statements_written)
        dialog.exec()
        dialog.deleteLater()

    def _statements_written(self, path) -> None:
        QMessageBox.information(
            self,
            _("Statements written"),
            _("The wage statements are in {path}.").format(path=path),
        )
