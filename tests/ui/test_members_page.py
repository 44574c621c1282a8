"""The Members area as a secretary uses it: search, add, edit, mistakes and their messages."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from obrero import audit, members
from tests.ui.conftest import add, run_dialog, type_text


def members_page(window):
    window.show_area("members")
    return window.pages["members"]


def stored(db):
    return db.read(members.find_members, "", 0, 1000)


def test_roll_lists_members_sorted_by_name_with_status(window, db, qtbot):
    add(db, "Peña, Edgardo", "30.112.045")
    add(db, "Da Silva, João", "25.901.338", joined=date(2021, 3, 4))
    gone = add(db, "Gómez, Rosa", "28.456.912")
    db.write(members.record_leave, gone.id, date(2024, 5, 31), "resignation")
    page = members_page(window)
    page.model.reload()
    model = page.model
    names = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert names == ["Da Silva, João", "Gómez, Rosa", "Peña, Edgardo"]
    assert model.data(model.index(0, 4)) == "03/04/2021"  # en: mm/dd/yyyy
    assert model.data(model.index(1, 5)) == "Left (05/31/2024)"
    assert page.count_label.text() == "3 members"


def test_long_roll_is_fetched_page_by_page(window, db):
    with db.transaction() as session:
        for n in range(250):
            members.add_member(
                session,
                members.MemberDraft(f"Socio {n:03d}", f"{20_000_000 + n}", date(2020, 1, 1)),
            )
    page = members_page(window)
    page.model.reload()
    assert page.model.total() == 250
    assert page.model.rowCount() == 100
    assert page.model.canFetchMore()
    page.model.fetchMore()
    assert page.model.rowCount() == 200
    page.table.scrollToBottom()
    page.model.fetchMore()
    assert page.model.rowCount() == 250
    assert not page.model.canFetchMore()


def test_ctrl_f_then_typing_filters_without_accents(window, db, qtbot):
    add(db, "Peña, Edgardo", "30.112.045")
    add(db, "Núñez, María José", "33.774.201")
    page = members_page(window)
    page.model.reload()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "nunez")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.model.data(page.model.index(0, 0)) == "Núñez, María José"
    assert page.count_label.text() == "1 member"
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)


def test_ctrl_n_types_a_member_and_enter_saves_it(window, db, qtbot):
    page = members_page(window)

    def type_member(dialog):
        type_text(qtbot, dialog.inputs["full_name"], "Gómez, Rosa Elena 🍅")
        qtbot.keyClicks(dialog.inputs["national_id"], "28.456.912")
        dialog.inputs["join_date"].clear()
        qtbot.keyClicks(dialog.inputs["join_date"], "10/06/2025")
        qtbot.keyClicks(dialog.inputs["sector"], "Envasado")
        qtbot.keyClick(dialog.inputs["sector"], Qt.Key.Key_Return)

    page.table.setFocus()
    run_dialog(
        qtbot,
        lambda: qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier),
        type_member,
    )
    [member] = stored(db)
    assert member.full_name == "Gómez, Rosa Elena 🍅"
    assert member.national_id == "28.456.912"
    assert member.join_date == date(2025, 10, 6)
    assert member.sector == "Envasado"
    assert page.model.rowCount() == 1
    assert page.table.currentIndex().row() == 0
    [entry] = [e for e in db.read(audit.audit_entries) if e.table_name == "member"]
    assert entry.operator == "Secretaria Ana"
    assert entry.action == "insert"


def test_mistakes_are_named_beside_their_fields_and_nothing_is_stored(window, db, qtbot):
    add(db, "Peña, Edgardo", "30.112.045")
    page = members_page(window)
    messages = {}

    def mistakes(dialog):
        qtbot.keyClicks(dialog.inputs["national_id"], "30112045")
        dialog.inputs["join_date"].setText("31/31/2025")
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
        messages["first"] = {
            f: dialog.errors.message(f) for f in ("full_name", "join_date", "national_id")
        }
        dialog.inputs["join_date"].setText("01/15/2025")
        type_text(qtbot, dialog.inputs["full_name"], "Otro Peña")
        qtbot.keyClick(dialog.inputs["full_name"], Qt.Key.Key_Return)
        messages["second"] = {
            f: dialog.errors.message(f) for f in ("full_name", "join_date", "national_id")
        }
        assert dialog.isVisible()

    run_dialog(qtbot, page.add_member, mistakes)
    assert messages["first"]["full_name"] == "The name cannot be empty."
    assert "“31/31/2025” is not a date" in messages["first"]["join_date"]
    assert messages["second"] == {
        "full_name": "",
        "join_date": "",
        "national_id": "Peña, Edgardo already has national id 30.112.045.",
    }
    assert [m.full_name for m in stored(db)] == ["Peña, Edgardo"]


def test_escape_cancels_without_storing(window, db, qtbot):
    page = members_page(window)

    def cancel(dialog):
        qtbot.keyClicks(dialog.inputs["full_name"], "Nadie")
        qtbot.keyClicks(dialog.inputs["national_id"], "1")
        qtbot.keyClick(dialog.inputs["full_name"], Qt.Key.Key_Escape)

    assert run_dialog(qtbot, page.add_member, cancel) is None
    assert stored(db) == []


def test_enter_on_a_row_edits_it_and_leaving_needs_dates_in_order(window, db, qtbot):
    add(db, "Peña, Edgardo", "30.112.045", joined=date(2022, 3, 1), sector="Cocción")
    page = members_page(window)
    page.model.reload()
    page.table.selectRow(0)
    page.table.setFocus()
    seen = {}

    def leave(dialog):
        seen["name"] = dialog.inputs["full_name"].text()
        seen["joined"] = dialog.inputs["join_date"].text()
        dialog.inputs["leave_date"].setText("02/28/2022")
        dialog.leave_reason.setCurrentIndex(dialog.leave_reason.findData("resignation"))
        dialog.save()
        seen["order"] = dialog.errors.message("leave_date")
        dialog.inputs["leave_date"].setText("2025-10-31")
        dialog.save()

    run_dialog(qtbot, lambda: qtbot.keyClick(page.table, Qt.Key.Key_Return), leave)
    assert seen["name"] == "Peña, Edgardo"
    assert seen["joined"] == "03/01/2022"
    assert seen["order"] == "The leave date (02/28/2022) is before the join date (03/01/2022)."
    [member] = stored(db)
    assert member.leave_date == date(2025, 10, 31)
    assert member.status is members.MemberStatus.LEFT
    assert page.model.data(page.model.index(0, 5)) == "Left (10/31/2025)"
    update = db.read(audit.audit_entries)[0]
    assert update.action == "update"
    assert update.changes["leave_date"] == (None, "2025-10-31")


def test_scope_shows_current_or_former_members(window, db, qtbot):
    add(db, "Peña, Edgardo", "30.112.045")
    gone = add(db, "Gómez, Rosa", "28.456.912")
    db.write(members.record_leave, gone.id, date(2024, 5, 31), "resignation")
    page = members_page(window)
    page.model.reload()
    assert page.model.rowCount() == 2
    assert page.scope.currentText() == "Everyone on record"
    page.scope.setCurrentIndex(page.scope.findData(members.Scope.CURRENT))
    assert [page.model.member(r).full_name for r in range(page.model.rowCount())] == [
        "Peña, Edgardo"
    ]
    assert page.count_label.text() == "1 member"
    page.scope.setCurrentIndex(page.scope.findData(members.Scope.FORMER))
    assert page.model.member(0).full_name == "Gómez, Rosa"
    qtbot.keyClicks(page.search, "pena")
    page.flush_search()
    assert page.model.rowCount() == 0  # the search keeps the scope
