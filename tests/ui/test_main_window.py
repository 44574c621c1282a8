"""The main window shell, settings and language switching, first run, audit trail."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

import obrero
from obrero import profile, settings
from tests.ui.conftest import FACTORY, add, run_dialog, type_text
from ui import app as ui_app
from ui.audit_dialog import AuditDialog
from ui.members.dialog import MemberDialog


def sidebar_texts(window):
    return [window.sidebar.item(r).text() for r in range(window.sidebar.count())]


def test_sidebar_shows_only_built_areas_and_title_names_the_factory(window, qtbot):
    assert sidebar_texts(window) == ["Members", "Settings"]
    assert window.windowTitle() == f"Obrero — {FACTORY}"
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_area() == "settings"
    assert window.stack.currentWidget() is window.pages["settings"]
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_area() == "members"


def test_settings_switch_language_without_losing_the_search(window, db, qtbot):
    add(db, "Peña, Edgardo", "30.112.045")
    members_page = window.pages["members"]
    qtbot.keyClicks(members_page.search, "pena")
    members_page.flush_search()
    window.show_area("settings")
    page = window.pages["settings"]
    page.operator.clear()
    type_text(qtbot, page.operator, "Rosa Gómez")
    page.ui_language.setCurrentIndex(page.ui_language.findData("es"))
    page.document_language.setCurrentIndex(page.document_language.findData("pt_BR"))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: sidebar_texts(window) == ["Socios", "Configuración"])
    assert page.save_button.text() == "&Guardar configuración"
    assert members_page.search.text() == "pena"
    assert members_page.model.rowCount() == 1
    assert members_page.model.headerData(0, Qt.Orientation.Horizontal) == "Nombre completo"
    assert db.read(settings.get_settings) == settings.Settings("Rosa Gómez", "es")
    assert db.read(profile.get_profile).document_language == "pt_BR"
    # Qt's own texts follow: the standard Cancel button of a new dialog.
    dialog = MemberDialog(db)
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.text().replace("&", "") == "Cancelar"
    dialog.deleteLater()

    page.ui_language.setCurrentIndex(page.ui_language.findData("pt_BR"))
    page.save()
    qtbot.waitUntil(lambda: sidebar_texts(window) == ["Associados", "Configurações"])
    page.ui_language.setCurrentIndex(page.ui_language.findData("en"))
    page.save()
    qtbot.waitUntil(lambda: sidebar_texts(window) == ["Members", "Settings"])


def test_operator_from_settings_signs_the_audit_trail(window, db, qtbot, tmp_path):
    from obrero import audit
    from obrero.store.database import open_database

    unsigned = open_database(db.path)  # no operator override: the setting counts
    try:
        window.show_area("settings")
        page = window.pages["settings"]
        page.operator.setText("  Rosa   Gómez ")
        page.save()
        assert page.operator.text() == "Rosa Gómez"
        add(unsigned, "Peña, Edgardo", "30.112.045")
        entry = unsigned.read(audit.audit_entries)[0]
        assert (entry.table_name, entry.operator) == ("member", "Rosa Gómez")
    finally:
        unsigned.close()


def test_audit_dialog_lists_changes_and_filters_by_date(window, db, qtbot):
    add(db, "Peña, Edgardo", "30.112.045", sector="Cocción")
    dialog = AuditDialog(db, "America/Argentina/Buenos_Aires", window)
    qtbot.addWidget(dialog)
    model = dialog.model
    assert model.rowCount() == 2  # the profile, then the member
    assert model.data(model.index(0, 1)) == "Secretaria Ana"
    assert model.data(model.index(0, 2)) == f"Member {1}"
    assert model.data(model.index(0, 3)) == "Added"
    assert "Full name: Peña, Edgardo" in model.data(model.index(0, 4))
    assert "Sector: Cocción" in model.data(model.index(0, 4))
    assert dialog.count.text() == "2 changes recorded"
    dialog.since.setText("31/31/2020")
    qtbot.keyClick(dialog.since, Qt.Key.Key_Return)
    assert "is not a date" in dialog.since_error.text()
    dialog.since.setText("2099-01-01")
    qtbot.keyClick(dialog.since, Qt.Key.Key_Return)
    assert dialog.since_error.text() == ""
    assert model.rowCount() == 0
    today_there = datetime.now(ZoneInfo("America/Argentina/Buenos_Aires")).date()
    dialog.since.setText(today_there.isoformat())
    qtbot.keyClick(dialog.since, Qt.Key.Key_Return)
    assert model.rowCount() == 2


def test_about_box_gives_the_version(window, message_boxes):
    window.about_action.trigger()
    [(kind, _title, text)] = message_boxes
    assert kind == "about"
    assert f"Obrero {obrero.__version__}" in text


def test_first_run_asks_for_the_profile_before_the_window(bare_db, switcher, qtbot):
    def fill(dialog):
        assert dialog.windowTitle() == "Welcome to Obrero"
        dialog.choices["country"].setCurrentIndex(dialog.choices["country"].findData("BR"))
        # The country's usual settings come along.
        assert dialog.choices["currency"].currentText() == "BRL"
        assert dialog.choices["time_zone"].currentText() == "America/Sao_Paulo"
        assert dialog.inputs["legal_form"].text() == "Cooperativa de Trabalho"
        qtbot.keyClicks(dialog.inputs["tax_id"], "11.222.333/0001-82")
        qtbot.keyClick(dialog.inputs["tax_id"], Qt.Key.Key_Return)
        assert dialog.errors.message("name") == "The factory's name cannot be empty."
        assert "not a valid CNPJ" in dialog.errors.message("tax_id")
        type_text(qtbot, dialog.inputs["name"], "Cooperativa Flaskô")
        dialog.inputs["tax_id"].setText("11.222.333/0001-81")
        qtbot.keyClick(dialog.inputs["name"], Qt.Key.Key_Return)

    window = run_dialog(qtbot, lambda: ui_app.open_main_window(bare_db, switcher), fill)
    assert window is not None and window.isVisible()
    stored = bare_db.read(profile.get_profile)
    assert stored == replace(
        profile.default_profile("BR"), name="Cooperativa Flaskô", tax_id="11.222.333/0001-81"
    )
    assert window.windowTitle() == "Obrero — Cooperativa Flaskô"
    window.close()


def test_cancelling_the_first_run_profile_opens_no_window(bare_db, switcher, qtbot):
    result = run_dialog(
        qtbot, lambda: ui_app.open_main_window(bare_db, switcher), lambda dialog: dialog.reject()
    )
    assert result is None
    assert bare_db.read(profile.get_profile) is None


def test_a_file_that_is_not_obrero_is_refused_with_a_message(tmp_path, message_boxes, qapp):
    stranger = tmp_path / "notes.sqlite3"
    stranger.write_bytes(b"shopping list: tomatoes\n" * 10)
    assert ui_app.run(stranger) == 2
    [(kind, _title, text)] = message_boxes
    assert kind == "critical"
    assert "not an Obrero database" in text
    assert stranger.read_bytes() == b"shopping list: tomatoes\n" * 10
    assert QApplication.activeModalWidget() is None
