"""The main window shell, settings and language switching, first run, audit trail."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

import obrero
from obrero import profile, settings
from tests.ui.conftest import FACTORY, add, type_text
from ui import app as ui_app
from ui.audit_dialog import AuditDialog
from ui.members.dialog import MemberDialog


def sidebar_texts(window):
    return [window.sidebar.item(r).text() for r in range(window.sidebar.count())]


def test_sidebar_shows_only_built_areas_and_title_names_the_factory(window, qtbot):
    assert sidebar_texts(window) == ["Members", "Logbook", "Wages", "Export", "Settings"]
    assert window.windowTitle() == f"Obrero — {FACTORY}"
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_area() == "settings"
    assert window.stack.currentWidget() is window.pages["settings"]
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_area() == "export"
    assert window.stack.currentWidget() is window.pages["export"]
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_area() == "wages"
    assert window.stack.currentWidget() is window.pages["wages"]
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_area() == "logbook"
    assert window.stack.currentWidget() is window.pages["logbook"]
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

    qtbot.waitUntil(
        lambda: (
            sidebar_texts(window)
            == ["Asociados", "Libro de guardia", "Retiros", "Exportar", "Configuración"]
        )
    )
    assert page.save_button.text() == "&Guardar configuración"
    assert members_page.search.text() == "pena"
    assert members_page.model.rowCount() == 1
    assert members_page.model.headerData(0, Qt.Orientation.Horizontal) == "Nombre completo"
    assert db.read(settings.get_settings) == settings.Settings("Rosa Gómez", "es", 14)
    assert db.read(profile.get_profile).document_language == "pt_BR"
    # Qt's own texts follow: the standard Cancel button of a new dialog.
    dialog = MemberDialog(db)
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.text().replace("&", "") == "Cancelar"
    dialog.deleteLater()

    page.ui_language.setCurrentIndex(page.ui_language.findData("pt_BR"))
    page.save()
    qtbot.waitUntil(
        lambda: (
            sidebar_texts(window)
            == ["Associados", "Livro de ocorrências", "Retiradas", "Exportar", "Configurações"]
        )
    )
    page.ui_language.setCurrentIndex(page.ui_language.findData("en"))
    page.save()
    qtbot.waitUntil(
        lambda: sidebar_texts(window) == ["Members", "Logbook", "Wages", "Export", "Settings"]
    )


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
    assert model.data(model.index(0, 2)) == "Member 1 · Peña, Edgardo"
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


def start(qtbot, path, switcher, demo=False):
    startup = ui_app.Startup(path, demo, switcher)
    qtbot.addWidget(startup.window)
    assert startup.window.isVisible()  # at once, before the database is open
    return startup


def test_first_run_asks_for_the_profile_then_shows_the_roll(tmp_path, switcher, qtbot):
    startup = start(qtbot, tmp_path / "new.sqlite3", switcher)
    assert not startup.window.sidebar.isEnabled()
    qtbot.waitUntil(lambda: startup.profile_dialog is not None)
    dialog = startup.profile_dialog
    assert dialog.isVisible() and dialog.windowTitle() == "Welcome to Obrero"
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
    qtbot.waitUntil(startup.window.is_attached)
    assert startup.db.read(profile.get_profile) == replace(
        profile.default_profile("BR"), name="Cooperativa Flaskô", tax_id="11.222.333/0001-81"
    )
    assert startup.window.windowTitle() == "Obrero — Cooperativa Flaskô"
    assert startup.window.sidebar.isEnabled()
    assert startup.window.current_area() == "members"
    startup.close()


def test_cancelling_the_first_run_profile_closes_the_window(tmp_path, switcher, qtbot):
    startup = start(qtbot, tmp_path / "new.sqlite3", switcher)
    qtbot.waitUntil(lambda: startup.profile_dialog is not None)
    qtbot.keyClick(startup.profile_dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not startup.window.isVisible())
    assert startup.db.read(profile.get_profile) is None
    assert not startup.window.is_attached()
    startup.close()


def test_demo_start_opens_the_demo_factory_in_the_stored_language(tmp_path, switcher, qtbot):
    path = tmp_path / "demo.sqlite3"
    startup = start(qtbot, path, switcher, demo=True)
    qtbot.waitUntil(startup.window.is_attached)
    page = startup.window.pages["members"]
    assert page.model.total() == 60
    assert startup.window.windowTitle().startswith("Obrero — Cooperativa de Trabajo")
    startup.db.write(settings.save_settings, settings.Settings("Ana", "pt_BR"))
    startup.close()
    # The next start shows its very first window in the stored language.
    assert ui_app.start_language(path) == "pt_BR"


def test_a_file_that_is_not_obrero_is_refused_with_a_message(
    tmp_path, switcher, message_boxes, qtbot
):
    stranger = tmp_path / "notes.sqlite3"
    stranger.write_bytes(b"shopping list: tomatoes\n" * 10)
    startup = start(qtbot, stranger, switcher)
    qtbot.waitUntil(lambda: startup.exit_code == ui_app.EXIT_REFUSED)
    [(kind, _title, text)] = message_boxes
    assert kind == "critical"
    assert "not an Obrero database" in text
    assert not startup.window.isVisible()
    assert stranger.read_bytes() == b"shopping list: tomatoes\n" * 10
    assert ui_app.start_language(stranger) in ("es", "pt_BR", "en")


def test_run_returns_the_refusal_as_exit_code(tmp_path, message_boxes, qapp):
    from PySide6.QtCore import QTimer

    stranger = tmp_path / "notes.sqlite3"
    stranger.write_bytes(b"not a database")
    guard = QTimer(singleShot=True, interval=10_000)
    guard.timeout.connect(qapp.quit)  # never hang the suite if the window stays open
    guard.start()
    assert ui_app.run(stranger) == ui_app.EXIT_REFUSED
    guard.stop()
    assert [kind for kind, _title, _text in message_boxes] == ["critical"]


def test_settings_saved_note_survives_the_language_switch_and_clears_on_edit(window, qtbot):
    window.show_area("settings")
    page = window.pages["settings"]
    page.ui_language.setCurrentIndex(page.ui_language.findData("pt_BR"))
    page.save()
    qtbot.waitUntil(lambda: page.save_button.text() == "&Salvar configurações")
    assert page.status.text() == "Configurações salvas."
    qtbot.keyClicks(page.operator, "x")
    assert page.status.text() == ""


def test_an_unexpected_error_is_shown_not_swallowed(message_boxes, capsys):
    try:
        raise RuntimeError("disk on fire")
    except RuntimeError as error:
        ui_app.show_unexpected_error(RuntimeError, error, error.__traceback__)
    [(kind, title, text)] = message_boxes
    assert (kind, title) == ("critical", "Something went wrong")
    assert "RuntimeError: disk on fire" in text
    assert "Nothing half-done was saved" in text
    assert "disk on fire" in capsys.readouterr().err


def test_the_empty_window_appears_before_the_store_is_loaded():
    """Startup time: building and showing the window shell loads no SQLAlchemy or ReportLab
    (the pages, which do, come in attach(), after a pool thread has loaded them)."""
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "import ui.app\n"
        "from ui.main_window import MainWindow\n"
        "window = MainWindow(None, lambda language: None)\n"
        "window.show()\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'reportlab'}))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"
