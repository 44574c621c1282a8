"""The Export area: export to a stick or folder, check and import archives, backups."""

from __future__ import annotations

import time
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QPushButton

from obrero import members, profile, settings
from obrero.exchange import archive, backups, keys, restore, verify
from obrero.store.database import open_database
from tests.ui.conftest import FACTORY, add, run_dialog
from ui import app as ui_app
from ui.exchange import archive_tab, backups_tab
from ui.exchange import page as exchange_page
from ui.exchange.targets import ANOTHER_FOLDER, export_targets, is_removable, target_text


def exchange(window):
    window.show_area("export")
    return window.pages["export"]


def this_installation() -> str:
    return keys.fingerprint(keys.public_key_bytes(keys.installation_key()))


def wait_exported(qtbot, tab) -> None:
    qtbot.waitUntil(lambda: tab.run is None, timeout=20_000)


@pytest.fixture
def answers(monkeypatch):
    """Answer every confirmation with yes, recording what was asked."""
    asked: list[tuple[str, str]] = []

    def yes(parent, title, text, action):
        asked.append((title, text))
        return True

    monkeypatch.setattr(archive_tab, "confirm", yes)
    monkeypatch.setattr(backups_tab, "confirm", yes)
    return asked


@pytest.fixture
def stored_db(tmp_path):
    """A database with the profile and two members, closed: for a real start of the window."""
    path = tmp_path / "records" / "obrero.sqlite3"
    db = open_database(path, operator="Secretaria Ana")
    db.write(profile.save_profile, replace(profile.default_profile("AR"), name=FACTORY))
    add(db, "Peña, Edgardo", "30.112.045")
    add(db, "Gómez, Rosa Elena", "28.456.912")
    db.close()
    return path


def start(qtbot, path, switcher):
    startup = ui_app.Startup(path, False, switcher)
    qtbot.addWidget(startup.window)
    qtbot.waitUntil(startup.window.is_attached, timeout=10_000)
    return startup


def replaced(qtbot, startup, old_db) -> None:
    """Wait for the window to close the database, change the file and come back."""
    qtbot.waitUntil(
        lambda: startup.window.is_attached() and startup.db is not old_db, timeout=20_000
    )


# -- export ---------------------------------------------------------------------------------


def test_export_writes_an_archive_that_verifies(window, db, qtbot, tmp_path, message_boxes):
    add(db, "Peña, Edgardo", "30.112.045")
    tab = exchange(window).export_tab
    qtbot.waitUntil(lambda: tab.fingerprint != "")
    assert tab.fingerprint == this_installation()
    assert tab.code.text() == this_installation()
    assert "Give this code to whoever receives your archives" in tab.code_hint.text()
    stick = tmp_path / "stick"
    stick.mkdir()
    tab.export_to(stick)
    assert not tab.export_button.isEnabled()  # one export at a time
    wait_exported(qtbot, tab)
    [written] = stick.iterdir()
    assert written.name.startswith("obrero-cooperativa-de-trabajo-la-tomatera")
    assert written.suffix == ".zip"
    report = verify.verify_archive(written)
    assert report.ok and report.signed_here, report.problems
    [(kind, title, text)] = message_boxes
    assert (kind, title) == ("information", "Export finished")
    assert str(written) in text
    assert this_installation() in text
    assert str(written) in tab.status.text()
    assert tab.export_button.isEnabled()


def test_another_folder_asks_which_folder(window, db, qtbot, tmp_path, monkeypatch, message_boxes):
    tab = exchange(window).export_tab
    targets = export_targets()
    assert targets[-1] == ANOTHER_FOLDER
    assert target_text(ANOTHER_FOLDER) == "Another folder…"
    model = tab.targets
    last = model.rowCount() - 1
    assert model.data(model.index(last)) == "Another folder…"
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    asked = []

    def choose(parent, title, *args, **kwargs):
        asked.append(title)
        return str(folder)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(choose))
    tab.targets_view.setCurrentIndex(model.index(last))
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    wait_exported(qtbot, tab)
    assert asked == ["Export to which folder?"]
    assert [p.suffix for p in folder.iterdir()] == [".zip"]
    # The chosen target stays chosen when the list is read again.
    assert tab.selected_target() == ANOTHER_FOLDER


def test_sticks_are_told_apart_from_fixed_disks():
    assert is_removable("/media/ana/KINGSTON")
    assert is_removable("/run/media/ana/1A2B-3C4D")
    assert is_removable("/mnt/usb")
    assert not is_removable("/home")
    assert not is_removable("/mediateca")


def test_encrypted_export_needs_the_same_passphrase_twice(
    window, db, qtbot, tmp_path, message_boxes
):
    tab = exchange(window).export_tab
    assert not tab.passphrase.isEnabled()
    tab.encrypt.setChecked(True)
    assert tab.passphrase.isEnabled() and tab.repeat.isEnabled()
    tab.export_to(tmp_path)
    assert tab.errors.message("passphrase") == "Type the passphrase to encrypt with."
    qtbot.keyClicks(tab.passphrase, "tomates en lucha")
    qtbot.keyClicks(tab.repeat, "tomates en lucho")
    tab.export_to(tmp_path)
    assert tab.errors.message("passphrase") == ""
    assert tab.errors.message("passphrase_repeat") == (
        "The two passphrases are not the same. Type it again in both fields."
    )
    assert tab.run is None and list(tmp_path.glob("*.zip*")) == []
    assert message_boxes == []
    tab.repeat.setText("tomates en lucha")
    tab.export_to(tmp_path)
    assert tab.errors.message("passphrase_repeat") == ""
    wait_exported(qtbot, tab)
    [written] = tmp_path.glob("obrero-*")
    assert written.name.endswith(archive.ENCRYPTED_SUFFIX)
    assert verify.verify_archive(written, passphrase="tomates en lucha").ok
    assert not verify.verify_archive(written, passphrase="tomates").ok
    assert tab.passphrase.text() == "" and tab.repeat.text() == ""  # not kept around
    assert message_boxes[0][1] == "Export finished"


def test_export_shows_progress_and_cancel_leaves_no_file(
    window, db, qtbot, tmp_path, monkeypatch, message_boxes
):
    started = []

    def slow_export(db, target_dir, passphrase=None, progress=None, cancelled=None, **_kw):
        started.append(target_dir)
        partial = Path(target_dir) / ".obrero-test.zip.partial"
        partial.write_bytes(b"half")
        for step in range(1000):
            if cancelled():
                partial.unlink()
                raise archive.ExportCancelled("The export was cancelled; nothing was written.")
            progress(step, 1000)
            time.sleep(0.01)
        raise AssertionError("never cancelled")

    monkeypatch.setattr(archive, "export_archive", slow_export)
    stick = tmp_path / "stick"
    stick.mkdir()
    tab = exchange(window).export_tab
    tab.export_to(stick)
    dialog = tab.run.dialog
    qtbot.waitUntil(lambda: dialog.value() >= 30)
    qtbot.waitUntil(dialog.isVisible)  # after a moment, not at once
    assert dialog.labelText() == "Writing the archive to stick…"
    dialog.grab().save("/tmp/exchange_progress.png")
    qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.run is None)
    assert started == [stick]
    assert list(stick.iterdir()) == []
    [(kind, title, text)] = message_boxes
    assert (kind, title) == ("information", "Export cancelled")
    assert "No archive was written" in text
    assert tab.status.text() == "The export was cancelled."
    assert tab.export_button.isEnabled()


def test_a_failed_export_says_why(window, db, qtbot, tmp_path, message_boxes):
    tab = exchange(window).export_tab
    tab.export_to(tmp_path / "gone")  # the stick was pulled out
    wait_exported(qtbot, tab)
    [(kind, title, text)] = message_boxes
    assert (kind, title) == ("warning", "Cannot export")
    assert "is not there any more" in text
    assert tab.status.text() == "The export failed."


# -- checking -------------------------------------------------------------------------------


def exported(qtbot, window, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    tab = exchange(window).export_tab
    tab.export_to(folder)
    wait_exported(qtbot, tab)
    [written] = [p for p in folder.iterdir() if p.name.startswith("obrero-")]
    return written


def tampered(original: Path, target: Path) -> Path:
    """A copy of ``original`` with one CSV file changed and the manifest left as it was."""
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "csv/member.csv":
                data = data.replace("Peña".encode(), b"Pena")
            copy.writestr(info, data)
    return target


def test_check_shows_the_summary_then_the_problems_of_a_tampered_archive(
    window, db, qtbot, tmp_path, monkeypatch
):
    add(db, "Peña, Edgardo", "30.112.045")
    written = exported(qtbot, window, tmp_path / "stick")
    tab = exchange(window).archive_tab
    window.pages["export"].show_tab(exchange_page.ARCHIVE)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *args: (str(written), ""))
    )
    qtbot.mouseClick(tab.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.report_dialog is not None and tab.report_dialog.isVisible())
    text = tab.report_dialog.text()
    assert "The archive is complete and unaltered." in text
    assert f"Signed by this installation (code {this_installation()})." in text
    assert f"Factory:\n{FACTORY}" in text
    tab.report_dialog.grab().save("/tmp/exchange_check_ok.png")
    tab.report_dialog.reject()

    bad = tampered(written, tmp_path / "altered.zip")
    tab.check_archive(bad)
    qtbot.waitUntil(lambda: tab.report_dialog is not None and tab.report_dialog.path == bad)
    report = tab.report_dialog.report
    assert not report.ok
    text = tab.report_dialog.text()
    assert "The archive cannot be trusted" in text
    assert "What is wrong:" in text
    assert any("member.csv" in problem for problem in report.problems)
    assert "csv/member.csv" in text
    tab.report_dialog.grab().save("/tmp/exchange_check_bad.png")


def test_an_encrypted_archive_is_checked_with_its_passphrase(
    window, db, qtbot, tmp_path, monkeypatch
):
    written = archive.export_archive(db, tmp_path, passphrase="sin patrón")
    asked = []

    def passphrase(parent, title, label, echo, *args, **kwargs):
        asked.append(label)
        return "sin patrón", True

    monkeypatch.setattr(archive_tab.QInputDialog, "getText", staticmethod(passphrase))
    tab = exchange(window).archive_tab
    tab.check_archive(written)
    qtbot.waitUntil(lambda: tab.report_dialog is not None)
    assert asked == [f"{written.name} is encrypted. Passphrase:"]
    assert tab.report_dialog.report.ok


# -- importing and restoring: the window closes the database and opens it again ---------------


def test_import_replaces_the_records_and_keeps_the_old_ones(
    stored_db, switcher, qtbot, tmp_path, answers, message_boxes
):
    startup = start(qtbot, stored_db, switcher)
    window = startup.window
    written = exported(qtbot, window, tmp_path / "stick")
    message_boxes.clear()
    add(startup.db, "Ríos, Julián", "31.555.777")
    window.pages["members"].model.reload()
    assert window.pages["members"].model.total() == 3
    old_db = startup.db

    exchange(window).archive_tab.import_from(written)
    replaced(qtbot, startup, old_db)

    [(title, question)] = answers  # signed here: no question about the signature
    assert title == "Replace the records?"
    assert f"Factory: {FACTORY}" in question
    assert str(backups.backups_dir(stored_db)) in question
    assert window.current_area() == "export"
    assert window.pages["members"].model.total() == 2
    assert startup.db.read(members.count_members, "", members.Scope.ALL) == 2
    [kept] = [b for b in backups.list_backups(stored_db) if b.reason == "before-import"]
    [(kind, title, text)] = message_boxes
    assert (kind, title) == ("information", "Archive imported")
    assert str(kept.path) in text
    # The pages are back and work: the sidebar, a new member, the backups list.
    assert window.sidebar.isEnabled()
    window.show_area("members")
    assert window.stack.currentWidget() is window.pages["members"]
    add(startup.db, "Ríos, Julián", "31.555.777")
    window.pages["members"].model.reload()
    assert window.pages["members"].model.total() == 3
    tab = exchange(window).backups_tab
    assert kept.path in [tab.model.backup(r).path for r in range(tab.model.rowCount())]
    assert old_db.path == startup.db.path
    startup.close()


def test_an_archive_from_another_installation_asks_for_its_code(
    stored_db, switcher, qtbot, tmp_path, answers, message_boxes
):
    startup = start(qtbot, stored_db, switcher)
    other_pc = Ed25519PrivateKey.generate()
    stick = tmp_path / "stick"
    stick.mkdir()
    written = archive.export_archive(startup.db, stick, key=other_pc)
    code = keys.fingerprint(keys.public_key_bytes(other_pc))
    add(startup.db, "Ríos, Julián", "31.555.777")
    old_db = startup.db
    exchange(startup.window).archive_tab.import_from(written)
    replaced(qtbot, startup, old_db)
    [(first, text), (second, _text)] = answers
    assert first == "Signed by another installation"
    assert code in text
    assert second == "Replace the records?"
    assert startup.db.read(members.count_members, "", members.Scope.ALL) == 2
    assert message_boxes[-1][1] == "Archive imported"
    startup.close()


def test_a_refused_code_or_a_damaged_archive_changes_nothing(
    stored_db, switcher, qtbot, tmp_path, monkeypatch, message_boxes
):
    startup = start(qtbot, stored_db, switcher)
    window = startup.window
    tab = exchange(window).archive_tab
    written = archive.export_archive(startup.db, tmp_path, key=Ed25519PrivateKey.generate())
    asked = []

    def no(parent, title, text, action):
        asked.append(title)
        return False

    monkeypatch.setattr(archive_tab, "confirm", no)
    tab.import_from(written)
    qtbot.waitUntil(lambda: asked == ["Signed by another installation"])
    bad = tampered(written, tmp_path / "altered.zip")
    tab.import_from(bad)
    qtbot.waitUntil(lambda: tab.report_dialog is not None)
    assert not tab.report_dialog.report.ok
    assert asked == ["Signed by another installation"]  # a damaged archive asks nothing
    assert window.is_attached() and window.pages["export"].archive_tab is tab
    assert [b for b in backups.list_backups(stored_db) if b.reason == "before-import"] == []
    startup.close()


def test_an_import_refused_at_the_last_step_reopens_the_records_as_they_were(
    stored_db, switcher, qtbot, tmp_path, monkeypatch, answers, message_boxes
):
    startup = start(qtbot, stored_db, switcher)
    written = exported(qtbot, startup.window, tmp_path / "stick")
    message_boxes.clear()
    add(startup.db, "Ríos, Julián", "31.555.777")

    def refused(db_path, archive, **options):
        raise restore.ImportRefused(["The disk is full."])

    monkeypatch.setattr(restore, "import_archive", refused)
    old_db = startup.db
    exchange(startup.window).archive_tab.import_from(written)
    replaced(qtbot, startup, old_db)
    [(kind, title, text)] = message_boxes
    assert (kind, title) == ("warning", "Cannot import the archive")
    assert "The disk is full." in text
    assert startup.window.pages["members"].model.total() == 3
    startup.close()


def test_back_up_now_then_restore_that_copy(stored_db, switcher, qtbot, answers, message_boxes):
    startup = start(qtbot, stored_db, switcher)
    window = startup.window
    page = exchange(window)
    page.show_tab(exchange_page.BACKUPS)
    tab = page.backups_tab
    before = tab.model.rowCount()
    qtbot.mouseClick(tab.back_up_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.model.rowCount() == before + 1)
    copy = tab.selected()
    assert copy is not None and copy.reason == "manual"
    row = tab.model.row_of(copy.path)
    assert tab.model.data(tab.model.index(row, 1)) == "Made by hand"
    assert tab.model.data(tab.model.index(row, 2)).endswith("KB")
    assert tab.model.headerData(0, Qt.Orientation.Horizontal) == "Made on"
    assert tab.restore_button.isEnabled()

    add(startup.db, "Ríos, Julián", "31.555.777")
    old_db = startup.db
    qtbot.mouseClick(tab.restore_button, Qt.MouseButton.LeftButton)
    replaced(qtbot, startup, old_db)
    [(title, _question)] = answers
    assert title == "Put back this copy?"
    assert window.pages["members"].model.total() == 2
    [saved] = [b for b in backups.list_backups(stored_db) if b.reason == "before-restore"]
    [(kind, title, text)] = message_boxes
    assert (kind, title) == ("information", "Copy put back")
    assert str(saved.path) in text
    # The restored records are the ones in use from now on.
    add(startup.db, "Ríos, Julián", "31.555.777")
    assert startup.db.read(members.count_members, "", members.Scope.ALL) == 3
    startup.close()


def test_the_number_of_copies_kept_is_a_setting(window, db, qtbot):
    tab = exchange(window).backups_tab
    assert tab.keep.value() == 14
    assert tab.keep_before.text() == "Keep the last"
    assert tab.keep_after.text() == "daily backups"
    tab.keep.setValue(5)
    assert db.read(settings.get_settings).backups_to_keep == 5
    # Saving the other settings leaves it alone.
    window.show_area("settings")
    window.pages["settings"].operator.setText("Rosa Gómez")
    window.pages["settings"].save()
    assert db.read(settings.get_settings) == settings.Settings("Rosa Gómez", "en", 5)


def test_the_first_start_of_the_day_makes_a_copy(stored_db, switcher, qtbot):
    startup = start(qtbot, stored_db, switcher)
    [daily] = backups.list_backups(stored_db)
    assert daily.reason == "daily"
    tab = exchange(startup.window).backups_tab
    assert tab.model.data(tab.model.index(0, 1)) == "Daily"
    assert tab.count_label.text() == "1 backup copy"
    startup.close()
    again = start(qtbot, stored_db, switcher)  # the same day: no second copy
    assert len(backups.list_backups(stored_db)) == 1
    again.close()


def test_a_failing_daily_copy_does_not_stop_the_start(
    stored_db, switcher, qtbot, monkeypatch, capsys, message_boxes
):
    def full_disk(db_path, today=None, keep=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "daily_backup", full_disk)
    startup = start(qtbot, stored_db, switcher)
    assert startup.window.pages["members"].model.total() == 2
    assert "daily backup copy could not be made" in capsys.readouterr().err
    assert message_boxes == []
    startup.close()


# -- how it looks -------------------------------------------------------------------------------


def test_screenshots(window, db, qtbot, tmp_path):
    """Saves /tmp/exchange_*.png to look at."""
    add(db, "Peña, Edgardo", "30.112.045")
    backups.backup_now(db.path, "daily")
    backups.backup_now(db.path, "manual")
    page = exchange(window)
    tab = page.export_tab
    qtbot.waitUntil(lambda: tab.fingerprint != "")
    tab.encrypt.setChecked(True)
    tab.passphrase.setText("uno")
    tab.repeat.setText("dos")
    tab.export_to(tmp_path)
    qtbot.wait(50)
    window.grab().save("/tmp/exchange_export.png")
    page.show_tab(exchange_page.ARCHIVE)
    qtbot.wait(50)
    window.grab().save("/tmp/exchange_archive.png")
    page.show_tab(exchange_page.BACKUPS)
    page.backups_tab.table.selectRow(0)
    qtbot.wait(50)
    window.grab().save("/tmp/exchange_backups.png")

    # The questions before an import: an archive from another PC, then any archive.
    tab = page.archive_tab
    for name, key in (("foreign", Ed25519PrivateKey.generate()), ("replace", None)):
        stick = tmp_path / name
        stick.mkdir()
        written = archive.export_archive(db, stick, key=key)
        report = verify.verify_archive(written)

        def look(box, name=name):
            qtbot.wait(50)
            box.grab().save(f"/tmp/exchange_ask_{name}.png")

        run_dialog(qtbot, lambda: tab._checked(written, report, None), look)  # noqa: B023
