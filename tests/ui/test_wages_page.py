"""The Wages area as the secretary uses it: a period, hours by keyboard, preview, approval."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QFileDialog, QMessageBox

from obrero.i18n.formatting import format_date
from obrero.wages import periods
from obrero.wages.periods import PeriodDraft
from obrero.wages.rules import Rule
from tests.ui.conftest import add, run_dialog, type_text
from ui.wages.period_dialog import following

SAMPLES = Path("/work/shared/samples")
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
# The sample CSV's members (by national id), as on the roll; one more joins mid-October.
ROLL = (
    ("Da Silva, João", "25.901.338", "Oficial"),
    ("Gómez, Rosa Elena", "28.456.912", "Oficial"),
    ("Núñez, María José", "33.774.201", "Ayudante"),
    ("Peña, Edgardo", "30.112.045", "Ayudante"),
)


@pytest.fixture
def roll(db):
    """The four members of the sample, in the roll's (alphabetical) order."""
    return [add(db, name, dni, category=category) for name, dni, category in ROLL]


def wages(window):
    window.show_area("wages")
    return window.pages["wages"]


def october(db, amount="4500000", rule=Rule.HOURS, **extra):
    draft = PeriodDraft(
        date(2025, 10, 1), date(2025, 10, 31), "Octubre 2025", Decimal(amount), rule, **extra
    )
    return db.write(periods.create_period, draft)


def activate(qtbot, dialog) -> None:
    """Make the dialog the active window (offscreen, the main window stays active)."""
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)


def keys(qtbot, text: str) -> None:
    """Type as a person does: each key goes to whatever has the focus then."""
    for char in text:
        qtbot.keyClicks(QApplication.focusWidget(), char)


def focus(qtbot, widget) -> None:
    """Give ``widget`` the keyboard (its window active first, as after a closed box)."""
    widget.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window())
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def key(qtbot, which, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), which, modifier)


def accept_box(box) -> None:
    """Click the confirming (not the Cancel) button of a question box."""
    [button] = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole]
    button.click()


def hours_column(page, member_name: str) -> str:
    model = page.hours_tab.model
    row = next(r for r in range(model.rowCount()) if model.member(r).name == member_name)
    return model.data(model.index(row, model.column("hours")))


def stored_hours(db, period_id):
    return {row.name: row.hours for row in db.read(periods.hours_sheet, period_id)}


def preview_shares(page) -> tuple[list[int], int]:
    """The share of each member (centavos) and the totals row's, read from the model."""
    model = page.preview_model
    column = model.column("share")
    rows = [r for r in range(model.rowCount()) if not model.is_totals(r)]
    shares = [model.data(model.index(r, column), Qt.ItemDataRole.UserRole) for r in rows]
    total = model.data(model.index(model.rowCount() - 1, column), Qt.ItemDataRole.UserRole)
    return shares, total


def enter_hours(qtbot, page, values: list[str]) -> None:
    """From the first member: type each value and press Enter."""
    view = page.hours_tab.view
    page.tabs.setCurrentIndex(0)
    view.go_to(0)
    focus(qtbot, view)
    for value in values:
        keys(qtbot, value)
        key(qtbot, Qt.Key.Key_Return)


# -- periods -------------------------------------------------------------------------------------


def test_new_period_by_keyboard_follows_the_latest_one(window, db, roll, qtbot):
    page = wages(window)
    assert page.stack.currentWidget() is page.empty_note
    db.write(
        periods.create_period,
        PeriodDraft(
            date(2026, 9, 1), date(2026, 9, 30), "Septiembre 2026", Decimal(900), Rule.HOURS
        ),
    )
    page.reload_periods()

    def interact(dialog):
        activate(qtbot, dialog)
        # The month after the latest period, named by Babel; the rule follows the latest.
        assert (dialog.month.currentData(), dialog.year.value()) == (10, 2026)
        assert dialog.label.text() == "October 2026"
        assert dialog.rule.currentData() == "hours"
        assert not dialog.equal_percent.isEnabled()
        key(qtbot, Qt.Key.Key_A, ALT)
        assert dialog.amount.hasFocus()
        keys(qtbot, "4,500,000.50")
        key(qtbot, Qt.Key.Key_R, ALT)
        assert dialog.rule.hasFocus()
        key(qtbot, Qt.Key.Key_Down)
        key(qtbot, Qt.Key.Key_Down)
        assert dialog.rule.currentData() == "mixed"
        assert dialog.equal_percent.isEnabled() and dialog.equal_percent.value() == 50
        key(qtbot, Qt.Key.Key_E, ALT)
        key(qtbot, Qt.Key.Key_A, CTRL)
        keys(qtbot, "40")
        key(qtbot, Qt.Key.Key_W, ALT)  # weight the rest by category coefficient
        qtbot.waitUntil(dialog.weighted.isChecked)  # a mnemonic "animates" the click
        key(qtbot, Qt.Key.Key_T, ALT)
        type_text(qtbot, QApplication.focusWidget(), "Asamblea del 30/09, punto 3")
        key(qtbot, Qt.Key.Key_Return)

    run_dialog(qtbot, lambda: qtbot.keyClick(page, Qt.Key.Key_N, CTRL), interact)
    [latest, _september] = db.read(periods.list_periods)
    assert (latest.start, latest.end, latest.label) == (
        date(2026, 10, 1),
        date(2026, 10, 31),
        "October 2026",
    )
    assert (latest.amount_cents, latest.rule, latest.equal_percent, latest.weighted) == (
        450_000_050,
        Rule.MIXED,
        40,
        True,
    )
    assert latest.resolution == "Asamblea del 30/09, punto 3"
    # Shown at once, newest first, with the amount in the profile's currency.
    assert page.periods_model.data(page.periods_model.index(0, 0)) == "October 2026"
    assert page.periods_model.data(page.periods_model.index(0, 3)) == "ARS4,500,000.50"
    assert page.period.id == latest.id and page.title.text() == "October 2026"
    assert page.hours_tab.model.rowCount() == 4
    assert "equal shares for 40%" in page.summary.text()


def test_period_names_come_from_babel_in_the_ui_language(window, db, roll, switcher, qtbot):
    db.write(
        periods.create_period,
        PeriodDraft(date(2026, 9, 1), date(2026, 9, 30), "Septiembre 2026", Decimal(900)),
    )
    page = wages(window)
    switcher.apply("es")
    seen = {}

    def interact(dialog):
        seen["label"] = dialog.label.text()
        seen["months"] = [dialog.month.itemText(row) for row in (0, 9)]
        dialog.length.setCurrentIndex(dialog.length.findData("fortnight"))
        dialog.half.setCurrentIndex(1)
        seen["fortnight"] = dialog.label.text()
        dialog.label.clear()
        type_text(qtbot, dialog.label, "Retiro de octubre")
        dialog.month.setCurrentIndex(10)  # the secretary's own name stays
        seen["kept"] = dialog.label.text()

    run_dialog(qtbot, page.new_period, interact)
    assert seen["label"] == "Octubre 2026"
    assert seen["months"] == ["Enero", "Octubre"]
    assert seen["fortnight"].startswith("Octubre 2026")
    assert seen["kept"] == "Retiro de octubre"


def test_the_period_after_the_latest_one():
    first_half = db_period(date(2026, 10, 1), date(2026, 10, 15))
    second_half = db_period(date(2026, 10, 16), date(2026, 10, 31))
    december = db_period(date(2026, 12, 1), date(2026, 12, 31))
    assert following(first_half, date(2030, 1, 1)) == ("fortnight", 2026, 10, True)
    assert following(second_half, date(2030, 1, 1)) == ("fortnight", 2026, 11, False)
    assert following(december, date(2030, 1, 1)) == ("month", 2027, 1, False)
    assert following(None, date(2026, 3, 9)) == ("month", 2026, 3, False)


def db_period(start: date, end: date) -> periods.Period:
    return periods.Period(
        id=1,
        start=start,
        end=end,
        label="",
        amount_cents=0,
        rule=Rule.EQUAL,
        equal_percent=0,
        weighted=False,
        resolution="",
        max_hours=Decimal(300),
        status="approved",
        approved_on=None,
        paid_on=None,
        notes="",
    )


def test_period_dialog_marks_each_wrong_field(window, db, roll, qtbot):
    october(db)
    page = wages(window)

    def interact(dialog):
        dialog.month.setCurrentIndex(9)
        dialog.year.setValue(2025)  # October 2025 again: it overlaps
        dialog.amount.setText("mucho")
        dialog.max_hours.setText("0")
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
        assert dialog.errors.message("amount") == "“mucho” is not a number."
        assert dialog.isVisible()
        dialog.amount.setText("1000")
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
        assert "overlaps the period “Octubre 2025”" in dialog.errors.message("start")
        assert dialog.errors.message("max_hours") == "The most hours must be more than zero."
        assert dialog.errors.message("amount") == ""
        dialog.length.setCurrentIndex(dialog.length.findData("other"))
        dialog.since.setText("1/11/2025")
        dialog.until.setText("mañana")
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
        assert "last day" in dialog.errors.message("end")

    run_dialog(qtbot, page.new_period, interact)
    assert len(db.read(periods.list_periods)) == 1


def test_edit_and_delete_a_draft(window, db, roll, qtbot):
    period = october(db, "1000")
    page = wages(window)

    def interact(dialog):
        assert dialog.windowTitle() == "Edit the period"
        assert (dialog.label.text(), dialog.amount.text()) == ("Octubre 2025", "1,000")
        assert dialog.length.currentData() == "month"
        dialog.amount.setText("2500.75")
        dialog.rule.setCurrentIndex(dialog.rule.findData("equal"))
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)

    run_dialog(qtbot, page.edit_period, interact)
    stored = db.read(periods.get_period, period.id)
    assert (stored.amount_cents, stored.rule) == (250_075, Rule.EQUAL)
    assert page.summary.text().count("ARS2,500.75") == 2  # to share, and shared

    def refuse(box):
        assert "Octubre 2025" in box.text()
        box.reject()

    assert run_dialog(qtbot, page.delete_period, refuse) is False
    assert len(db.read(periods.list_periods)) == 1
    assert run_dialog(qtbot, page.delete_period, accept_box) is True
    assert db.read(periods.list_periods) == []
    assert page.stack.currentWidget() is page.empty_note and page.period is None


# -- hours ---------------------------------------------------------------------------------------


def test_hours_typed_with_enter_tab_and_decimal_comma_are_saved_in_one_go(
    window, db, roll, switcher, qtbot
):
    period = october(db)
    page = wages(window)
    switcher.apply("es")  # an Argentine secretary types decimal commas
    view = page.hours_tab.view
    enter_hours(qtbot, page, ["176", "160,5"])
    keys(qtbot, "88")
    key(qtbot, Qt.Key.Key_Tab)  # Tab moves on too
    assert view.currentIndex().row() == 3
    keys(qtbot, "0,25")
    key(qtbot, Qt.Key.Key_Up)  # back to correct the one before
    keys(qtbot, "80")
    key(qtbot, Qt.Key.Key_Down)
    assert page.hours_tab.model.pending() == {
        roll[0].id: "176",
        roll[1].id: "160,5",
        roll[2].id: "80",
        roll[3].id: "0,25",
    }
    assert stored_hours(db, period.id)["Da Silva, João"] is None  # nothing stored yet
    assert page.hours_tab.save_button.isEnabled()
    assert "not counted" in page.preview_note.text() or page.preview_problem

    key(qtbot, Qt.Key.Key_S, CTRL)
    figures = db.read(periods.preview, period.id)
    assert [row.hours for row in figures.rows] == [
        Decimal(176),
        Decimal("160.5"),
        Decimal(80),
        Decimal("0.25"),
    ]
    assert not page.hours_tab.model.is_dirty()
    assert not page.hours_tab.save_button.isEnabled()
    assert hours_column(page, "Gómez, Rosa Elena") == "160,5"
    assert hours_column(page, "Peña, Edgardo") == "0,25"
    shares, total = preview_shares(page)
    assert sum(shares) == total == 450_000_000
    assert shares == [row.share_cents for row in figures.rows]


def test_wrong_hours_are_marked_on_their_cells_and_nothing_is_saved(window, db, roll, qtbot):
    period = october(db, max_hours=Decimal(200))
    db.write(periods.set_hours, period.id, {roll[0].id: Decimal(150)})
    page = wages(window)
    enter_hours(qtbot, page, ["175,5", "999", "abc"])  # a decimal comma, even in English
    key(qtbot, Qt.Key.Key_S, CTRL)
    model = page.hours_tab.model
    column = model.column("hours")
    cell = model.index(2, column)
    assert model.data(cell, Qt.ItemDataRole.ToolTipRole) == "“abc” is not a number of hours."
    assert model.data(cell, Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(cell) == "abc"  # what was typed stays, to be corrected
    assert page.hours_tab.view.currentIndex().row() == 2  # on the first wrong cell
    assert "1 value was not saved" in page.hours_tab.status.text()
    assert stored_hours(db, period.id)["Da Silva, João"] == Decimal(150)

    keys(qtbot, "16")
    key(qtbot, Qt.Key.Key_Return)
    key(qtbot, Qt.Key.Key_S, CTRL)
    message = model.data(model.index(1, column), Qt.ItemDataRole.ToolTipRole)
    assert message == "999 hours for Gómez, Rosa Elena is more than the 200 this period allows."
    assert model.data(model.index(1, column), Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(model.index(2, column), Qt.ItemDataRole.BackgroundRole) is None
    assert stored_hours(db, period.id) == {  # all or nothing
        "Da Silva, João": Decimal(150),
        "Gómez, Rosa Elena": None,
        "Núñez, María José": None,
        "Peña, Edgardo": None,
    }
    page.hours_tab.view.go_to(1)
    keys(qtbot, "160")
    key(qtbot, Qt.Key.Key_Return)
    assert page.save_hours() is True
    assert stored_hours(db, period.id)["Gómez, Rosa Elena"] == Decimal(160)
    assert stored_hours(db, period.id)["Núñez, María José"] == Decimal(16)
    assert stored_hours(db, period.id)["Da Silva, João"] == Decimal("175.5")
    assert page.hours_tab.status.text() == "Hours saved."
    qtbot.wait(50)  # let the layouts settle before the picture
    window.grab().save("/tmp/wages_hours.png")


def test_leaving_a_period_with_unsaved_hours_asks_first(window, db, roll, qtbot):
    october(db)
    db.write(
        periods.create_period,
        PeriodDraft(date(2025, 11, 1), date(2025, 11, 30), "Noviembre 2025", Decimal(10)),
    )
    page = wages(window)
    assert page.period.label == "Noviembre 2025"
    page.periods_view.selectRow(1)
    enter_hours(qtbot, page, ["170"])

    def cancel(box):
        assert "Octubre 2025" in box.text()
        box.reject()

    run_dialog(qtbot, lambda: page.periods_view.selectRow(0), cancel)
    assert page.period.label == "Octubre 2025"
    assert page.periods_view.selectionModel().selectedRows()[0].row() == 1
    assert page.hours_tab.model.is_dirty()

    run_dialog(qtbot, lambda: page.periods_view.selectRow(0), accept_box)  # save them
    assert page.period.label == "Noviembre 2025"
    october_id = page.periods_model.period(1).id
    assert stored_hours(db, october_id)["Da Silva, João"] == Decimal(170)


# -- income, coefficients, lines, preview ----------------------------------------------------------


def test_preview_follows_income_coefficients_and_lines(window, db, roll, qtbot):
    period = october(db, "1000000", Rule.COEFFICIENT_HOURS)
    db.write(periods.set_hours, period.id, {m.id: Decimal(100) for m in roll})
    page = wages(window)
    shares, total = preview_shares(page)
    assert shares == [25_000_000] * 4 and total == 100_000_000
    assert not page.preview_view.isColumnHidden(page.preview_model.column("coefficient"))

    # An income line typed in the income tab: the amount to share grows at once.
    page.tabs.setCurrentIndex(1)
    tab = page.income_tab
    type_text(qtbot, tab.description, "Venta de 1.200 kg de puré")
    qtbot.keyClicks(tab.amount, "200000")
    qtbot.keyClick(tab.amount, Qt.Key.Key_Return)
    assert tab.income_model.rowCount() == 1 and tab.description.text() == ""
    shares, total = preview_shares(page)
    assert total == 120_000_000 == sum(shares)
    assert "ARS1,200,000.00" in page.summary.text()
    assert page.periods_model.data(page.periods_model.index(0, 3)) == "ARS1,200,000.00"
    # A cost, and a wrong amount marked under its field.
    tab.kind.setCurrentIndex(1)
    tab.description.setText("Gas")
    tab.amount.setText("-5")
    qtbot.keyClick(tab.amount, Qt.Key.Key_Return)
    assert tab.errors.message("amount") == "Type the amount without a sign; choose “Cost”."
    tab.amount.setText("100000")
    qtbot.keyClick(tab.amount, Qt.Key.Key_Return)
    assert preview_shares(page)[1] == 110_000_000

    # The oficiales' coefficient typed in the table.
    coefficients = tab.coefficients_model
    row = next(
        r for r in range(coefficients.rowCount()) if coefficients.rows()[r].category == "Oficial"
    )
    tab.coefficients_view.setCurrentIndex(coefficients.index(row, 1))
    focus(qtbot, tab.coefficients_view)
    keys(qtbot, "1.5")
    key(qtbot, Qt.Key.Key_Return)
    # Qt's own editor commits on Enter through the event queue.
    qtbot.waitUntil(
        lambda: db.read(periods.get_period, period.id).coefficients["Oficial"] == Decimal("1.5")
    )
    shares, total = preview_shares(page)
    assert shares == [33_000_000, 33_000_000, 22_000_000, 22_000_000] and total == sum(shares)
    keys(qtbot, "cero")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: coefficients.error("Oficial") == "“cero” is not a number.")

    # An advance bigger than the share: the net goes red, with the message, and no approval.
    page.tabs.setCurrentIndex(2)

    def advance(dialog):
        dialog.member.setCurrentIndex(dialog.member.findData(roll[3].id))
        assert dialog.kind.currentData() == "advance"
        type_text(qtbot, dialog.description, "Adelanto del día 10")
        qtbot.keyClicks(dialog.amount, "250000")
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)

    assert run_dialog(qtbot, page.lines_tab.add_line, advance) is True
    lines = page.lines_tab.model
    assert lines.data(lines.index(0, 0)) == "Peña, Edgardo"
    assert lines.data(lines.index(0, 1)) == "Advance already paid"
    preview = page.preview_model
    net = preview.index(3, preview.column("net"))
    assert preview.data(net, Qt.ItemDataRole.UserRole) == 22_000_000 - 25_000_000
    assert preview.data(net, Qt.ItemDataRole.ForegroundRole) is not None
    assert page.problem.isVisibleTo(page)
    assert "Peña, Edgardo would get less than nothing" in page.problem.text()
    qtbot.wait(50)  # let the layouts settle before the picture
    window.grab().save("/tmp/wages_lines.png")
    page.tabs.setCurrentIndex(3)
    qtbot.wait(50)  # let the layouts settle before the picture
    window.grab().save("/tmp/wages_preview_negative.png")
    assert page.approve() is False
    page.lines_tab.view.selectRow(0)
    assert page.lines_tab.remove_line() is True
    assert page.problem.text() == ""


def test_an_adjustment_picks_an_earlier_approved_period(window, db, roll, qtbot):
    september = db.write(
        periods.create_period,
        PeriodDraft(date(2025, 9, 1), date(2025, 9, 30), "Septiembre 2025", Decimal(4000)),
    )
    db.write(periods.approve, september.id, date(2025, 10, 2))
    october(db, "4000", Rule.EQUAL)
    page = wages(window)
    page.tabs.setCurrentIndex(2)

    def adjustment(dialog):
        assert not dialog.adjusts.isVisibleTo(dialog)
        dialog.kind.setCurrentIndex(dialog.kind.findData("adjustment"))
        assert dialog.adjusts.isVisibleTo(dialog)
        assert dialog.adjusts.currentText() == "Septiembre 2025"
        dialog.description.setText("Horas de septiembre mal cargadas")
        dialog.amount.setText("-150.50")
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)

    assert run_dialog(qtbot, page.lines_tab.add_line, adjustment) is True
    [line] = db.read(periods.member_lines, page.period.id)
    assert (line.kind, line.amount_cents, line.adjusts_period_id) == (
        "adjustment",
        -15_050,
        september.id,
    )
    model = page.lines_tab.model
    assert model.data(model.index(0, model.column("adjusts"))) == "Septiembre 2025"


# -- approval, payment, statements ---------------------------------------------------------------


def test_approve_locks_every_editor_then_mark_paid(window, db, roll, qtbot):
    period = october(db, "4500000")
    page = wages(window)
    enter_hours(qtbot, page, ["176", "160.5", "88", "176"])
    key(qtbot, Qt.Key.Key_S, CTRL)

    def approve(box):
        assert "Octubre 2025" in box.text() and "locks the period" in box.text()
        assert "4 members share ARS4,500,000.00" in box.text()
        accept_box(box)

    assert run_dialog(qtbot, page.approve, approve) is True
    stored = db.read(periods.get_period, period.id)
    assert stored.status == "approved" and stored.approved_on == date.today()
    assert page.status.text() == "· Approved"
    assert page.periods_model.data(page.periods_model.index(0, 2)) == "Approved"
    assert page.tabs.currentIndex() == 3
    shares, total = preview_shares(page)
    assert sum(shares) == total == 450_000_000
    assert format_date(date.today()) in page.locked_note.text()

    # Every editor is read-only now.
    for button in (page.edit_button, page.delete_button, page.approve_button):
        assert not button.isEnabled()
    hours = page.hours_tab
    assert hours.view.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert not hours.model.flags(hours.model.index(0, hours.model.column("hours"))) & (
        Qt.ItemFlag.ItemIsEditable
    )
    assert not hours.import_button.isEnabled() and not hours.save_button.isEnabled()
    assert not page.income_tab.add_button.isEnabled()
    assert not page.income_tab.description.isEnabled()
    coefficients = page.income_tab.coefficients_model
    assert not coefficients.flags(coefficients.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    assert not page.lines_tab.add_button.isEnabled()
    # Typing into the grid changes nothing, and Ctrl+S saves nothing.
    page.tabs.setCurrentIndex(0)
    hours.view.go_to(0)
    focus(qtbot, hours.view)
    keys(qtbot, "99")
    key(qtbot, Qt.Key.Key_Return)
    key(qtbot, Qt.Key.Key_S, CTRL)
    assert not hours.model.is_dirty()
    assert hours_column(page, "Da Silva, João") == "176"
    assert db.read(periods.preview, period.id).rows[0].hours == Decimal(176)
    assert hours.status.text() == "The hours are locked with the period."
    qtbot.wait(50)  # let the layouts settle before the picture
    window.grab().save("/tmp/wages_approved.png")

    assert page.paid_button.isEnabled()
    assert run_dialog(qtbot, page.mark_paid, accept_box) is True
    assert db.read(periods.get_period, period.id).status == "paid"
    assert page.status.text() == "· Paid"
    assert not page.paid_button.isEnabled()
    assert page.print_button.isEnabled()


def test_print_statements_writes_a_pdf_in_the_background(
    window, db, roll, qtbot, tmp_path, monkeypatch, message_boxes
):
    period = october(db, "4500000", Rule.EQUAL)
    db.write(periods.approve, period.id, date(2025, 11, 3))
    page = wages(window)
    page.tabs.setCurrentIndex(3)
    page.preview_view.selectRow(1)  # Gómez
    target = tmp_path / "retiros octubre.pdf"
    asked = []

    def save_as(parent, title, suggested, filters):
        asked.append(Path(suggested).name)
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))

    def interact(dialog):
        # The profile's document language; the selected member is offered, all is the default.
        assert dialog.language.currentData() == "es"
        assert dialog.member.currentText() == "Gómez, Rosa Elena"
        assert dialog.choices() == (None, "es")
        dialog.language.setCurrentIndex(dialog.language.findData("pt_BR"))
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
        )
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)

    run_dialog(qtbot, page.print_statements, interact)
    assert asked == ["wage-statements-octubre-2025.pdf"]
    assert target.read_bytes().startswith(b"%PDF")
    assert message_boxes[-1][:2] == ("information", "Statements written")

    one = tmp_path / "rosa.pdf"

    def only_rosa(dialog):
        dialog.one.setChecked(True)
        assert dialog.choices() == (roll[1].id, "es")
        dialog.write_to(one)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)

    run_dialog(qtbot, page.print_statements, only_rosa)
    assert one.read_bytes().startswith(b"%PDF")
    assert one.stat().st_size < target.stat().st_size


# -- importing hours -------------------------------------------------------------------------------


def test_import_of_the_sample_csv_lists_the_unknown_member_and_refuses_to_apply(
    window, db, roll, qtbot
):
    period = october(db)
    page = wages(window)
    seen = {}

    def interact(dialog):
        seen["problems"] = dialog.problem_texts()
        seen["rows"] = dialog.rows_model.rowCount()
        seen["apply"] = dialog.apply_button.isEnabled()
        dialog.grab().save("/tmp/wages_import.png")

    result = run_dialog(
        qtbot, lambda: page.hours_tab.import_file(SAMPLES / "horas_2025-10.csv"), interact
    )
    assert result is False
    assert seen["apply"] is False
    assert seen["rows"] == 5  # the unknown member's line is listed too, marked
    assert seen["problems"] == [
        "Line 6: no member has the national id 99.999.999 (Persona no registrada)."
    ]
    assert set(stored_hours(db, period.id).values()) == {None}


def test_import_applies_when_there_are_no_problems(window, db, roll, qtbot, tmp_path, monkeypatch):
    period = october(db)
    page = wages(window)
    lines = (SAMPLES / "horas_2025-10.csv").read_bytes().splitlines(keepends=True)
    clean = tmp_path / "horas.csv"
    clean.write_bytes(b"".join(line for line in lines if b"99.999.999" not in line))

    def interact(dialog):
        assert dialog.problem_texts() == []
        assert dialog.apply_button.isEnabled()
        dialog.apply_button.click()

    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *args: (str(clean), ""))
    )
    run_dialog(qtbot, page.hours_tab.import_button.click, interact)
    hours = stored_hours(db, period.id)
    assert all(value is not None for value in hours.values())
    assert page.hours_tab.status.text() == "Hours imported from horas.csv."
    shares, total = preview_shares(page)
    assert sum(shares) == total == 450_000_000


# -- languages -------------------------------------------------------------------------------------


def test_the_page_follows_the_ui_language(window, db, roll, switcher, qtbot):
    october(db, "4500000")
    page = wages(window)
    hours_header = page.hours_tab.model.column("hours")
    switcher.apply("es")
    # Qt delivers the language change through the event loop.
    qtbot.waitUntil(lambda: window.sidebar.item(2).text() == "Retiros")
    assert page.new_button.text() == "&Nuevo período…"
    assert page.tabs.tabText(0) == "&Horas"
    assert page.status.text() == "· Borrador"
    assert page.periods_model.data(page.periods_model.index(0, 3)) == "$4.500.000,00"
    header = page.hours_tab.model.headerData(hours_header, Qt.Orientation.Horizontal)
    assert header == "Horas trabajadas"
    switcher.apply("pt_BR")
    qtbot.waitUntil(lambda: window.sidebar.item(2).text() == "Retiradas")
    assert page.new_button.text() == "&Novo período…"
    assert page.tabs.tabText(0) == "&Horas"
    assert page.status.text() == "· Rascunho"
    header = page.hours_tab.model.headerData(hours_header, Qt.Orientation.Horizontal)
    assert header == "Horas trabalhadas"
