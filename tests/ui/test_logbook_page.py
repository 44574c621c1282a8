"""The Logbook area as the secretary uses it: quick entry, filters, corrections, the chain."""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QGuiApplication, QImage, QPainter
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QPushButton

from obrero.logbook import entries
from obrero.logbook.chain import head_code, head_text, qr_modules
from obrero.logbook.entries import AttachmentDraft, EntryDraft, add_entry, find_entries
from tests.ui.conftest import add, run_dialog, type_text
from ui import app as ui_app
from ui.logbook.entry_dialog import EntryDialog

ZONE = "America/Argentina/Buenos_Aires"  # the test factory's (AR) time zone


def at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=ZoneInfo(ZONE))


def write(db, author, title, when=None, category="police", **extra):
    draft = EntryDraft(when or at(10), author.id, category, title, **extra)
    return db.write(add_entry, draft)


def stored(db):
    return db.read(find_entries, None, 0, 1000)


def logbook(window):
    window.show_area("logbook")
    return window.pages["logbook"]


def titles(page):
    return [page.model.entry(r).title for r in range(page.model.rowCount())]


def png(path: Path, color: str = "#c0392b") -> Path:
    """A small photo-like PNG: a coloured field with a dark band."""
    image = QImage(120, 80, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    painter = QPainter(image)
    painter.fillRect(0, 50, 120, 30, QColor("#202020"))
    painter.end()
    assert image.save(str(path))
    return path


def tamper(path: Path, number: int, title: str) -> None:
    """Rewrite an entry behind Obrero's back, as someone with the file and sqlite3 could."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("DROP TRIGGER forbid_logbook_entry_update")
        connection.execute("UPDATE logbook_entry SET title = ? WHERE id = ?", (title, number))
        connection.commit()
    finally:
        connection.close()


def shown(qtbot, widget, name: str | None = None) -> list[QLabel]:
    """The labels that ``widget`` shows (new ones appear once Qt has processed events)."""
    qtbot.wait(1)
    return [w for w in widget.findChildren(QLabel, name) if w.isVisibleTo(widget)]


def activate(qtbot, dialog) -> None:
    """Make the dialog the active window, as the window system does for a modal one
    (offscreen, the main window stays active); shortcuts such as Ctrl+Enter need it."""
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)


def image_has_dark_and_light(image: QImage) -> tuple[bool, bool]:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    grays = {
        QColor(image.pixel(x, y)).lightness()
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    }
    return min(grays) < 60, max(grays) > 200


# -- quick entry -------------------------------------------------------------------------------


def test_ctrl_l_from_another_page_types_an_entry_and_ctrl_enter_saves_it(window, db, qtbot):
    pena = add(db, "Peña, Edgardo", "30.112.045")
    add(db, "Gómez, Rosa", "28.456.912")
    window.show_area("members")
    seen = {}

    def type_entry(dialog):
        activate(qtbot, dialog)
        # Nothing chosen yet: the dialog starts on the author.
        seen["focus"] = dialog.focusWidget() is dialog.author
        seen["time"] = dialog.inputs["happened_time"].text()
        qtbot.keyClicks(dialog.author, "P")
        qtbot.keyClick(dialog.author, Qt.Key.Key_Tab)
        qtbot.keyClicks(dialog.category, "Po")
        qtbot.keyClick(dialog.category, Qt.Key.Key_Tab)
        type_text(qtbot, dialog.inputs["title"], "Policía en el portón")
        qtbot.keyClick(dialog.inputs["title"], Qt.Key.Key_Tab)
        qtbot.keyClicks(dialog.text, "Two officers at the gate.")
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return)  # a new line, not saving
        seen["open after Enter in the text"] = dialog.isVisible()
        qtbot.keyClicks(dialog.text, "They asked for the owner.")
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    run_dialog(
        qtbot,
        lambda: qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier),
        type_entry,
    )
    assert seen["focus"] and seen["open after Enter in the text"]
    assert len(seen["time"]) == 5 and seen["time"][2] == ":"
    [entry] = stored(db)
    assert (entry.title, entry.category, entry.author_id) == (
        "Policía en el portón",
        "police",
        pena.id,
    )
    assert entry.text == "Two officers at the gate.\nThey asked for the owner."
    assert entry.amends_id is None
    # The secretary stays where they were; the entry is in the list, selected.
    assert window.current_area() == "members"
    page = window.pages["logbook"]
    assert titles(page) == ["Policía en el portón"]
    assert page.selected_entry().number == entry.number
    assert page.count_label.text() == "1 entry"
    assert window.statusBar().currentMessage() == "Logbook entry 1 saved."

    # The next entry starts with the same author, focus on the category.
    def look(dialog):
        seen["author"] = dialog.author.currentText()
        seen["next focus"] = dialog.focusWidget() is dialog.category

    run_dialog(qtbot, page.new_entry, look)
    assert seen["author"] == "Peña, Edgardo" and seen["next focus"]


def test_mistakes_are_named_beside_their_fields_and_nothing_is_stored(window, db, qtbot):
    add(db, "Peña, Edgardo", "30.112.045")
    page = logbook(window)
    messages = {}

    def mistakes(dialog):
        activate(qtbot, dialog)
        dialog.author.setCurrentIndex(0)
        type_text(qtbot, dialog.inputs["place"], "Portón norte")
        qtbot.keyClick(dialog.inputs["place"], Qt.Key.Key_Return)  # Enter in a line saves
        messages["title"] = dialog.errors.message("title")
        messages["category"] = dialog.errors.message("category")
        messages["first wrong field focused"] = dialog.focusWidget() is dialog.category
        dialog.category.setCurrentIndex(dialog.category.findData("guard"))
        qtbot.keyClicks(dialog.inputs["title"], "Cambio de turno")
        dialog.inputs["happened_time"].setText("25:99")
        ctrl = Qt.KeyboardModifier.ControlModifier
        qtbot.keyClick(dialog.inputs["title"], Qt.Key.Key_Enter, ctrl)
        messages["time"] = dialog.errors.message("happened_time")
        messages["title after"] = dialog.errors.message("title")
        messages["open"] = dialog.isVisible()

    run_dialog(qtbot, page.new_entry, mistakes)
    assert messages["title"] == "The title cannot be empty."
    assert messages["category"] == "Choose a category from the list."
    assert messages["first wrong field focused"]
    assert messages["time"] == "“25:99” is not a time of day; type it as hh:mm, e.g. 14:30."
    assert messages["title after"] == ""
    assert messages["open"]
    assert stored(db) == []


def test_ctrl_n_on_the_page_opens_the_entry_and_escape_cancels_it(window, db, qtbot):
    add(db, "Peña, Edgardo", "30.112.045")
    page = logbook(window)
    opened = []

    def cancel(dialog):
        opened.append(type(dialog))
        dialog.author.setCurrentIndex(0)
        dialog.category.setCurrentIndex(0)
        qtbot.keyClicks(dialog.inputs["title"], "Nada")
        qtbot.keyClick(dialog.inputs["title"], Qt.Key.Key_Escape)

    page.table.setFocus()
    ctrl = Qt.KeyboardModifier.ControlModifier
    run_dialog(qtbot, lambda: qtbot.keyClick(page.table, Qt.Key.Key_N, ctrl), cancel)
    assert opened == [EntryDialog]  # not the Members page's Ctrl+N
    assert stored(db) == []
    assert page.model.rowCount() == 0


def test_files_dropped_are_attached_and_one_too_large_is_refused(
    window, db, qtbot, tmp_path, monkeypatch
):
    pena = add(db, "Peña, Edgardo", "30.112.045")
    photo = png(tmp_path / "portón.png")
    scan = tmp_path / "cédula judicial.pdf"
    scan.write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 20)
    monkeypatch.setattr(entries, "MAX_ATTACHMENT_BYTES", 3000)
    assert photo.stat().st_size < 3000 < scan.stat().st_size

    dialog = EntryDialog(db, ZONE, pena.id, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.add_files([photo]) == []
    [pending] = dialog.pending
    assert pending.picture.pixmap().width() == 48  # the photo's thumbnail
    assert dialog.errors.message("attachments") == ""

    # A real drop of the scan: refused, naming the file and both sizes.
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(scan))])
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    dialog.dropEvent(drop)
    assert dialog.errors.message("attachments") == (
        "cédula judicial.pdf is 5 KB; an attachment can be at most 3 KB."
    )
    assert len(dialog.pending) == 1
    assert dialog.add_files([photo]) == ["portón.png is already attached."]

    dialog.category.setCurrentIndex(dialog.category.findData("court"))
    dialog.inputs["title"].setText("Foto del portón")
    dialog.save()
    assert dialog.saved is not None
    [entry] = stored(db)
    [attachment] = entry.attachments
    assert (attachment.filename, attachment.media_type) == ("portón.png", "image/png")
    assert attachment.size == photo.stat().st_size


def test_the_detail_shows_the_photo_and_saves_a_file_as(window, db, qtbot, tmp_path, monkeypatch):
    pena = add(db, "Peña, Edgardo", "30.112.045")
    data = png(tmp_path / "gate.png").read_bytes()
    notice = AttachmentDraft("notice.pdf", b"%PDF-1.4 the court's notice")
    write(
        db,
        pena,
        "Cédula del juzgado",
        category="court",
        place="Portón",
        people="Oficial de justicia",
        attachments=(AttachmentDraft("gate.png", data), notice),
    )
    page = logbook(window)
    page.model.reload()
    page.table.selectRow(0)
    detail = page.detail
    qtbot.waitUntil(detail.thumbnails_loaded)
    photo_tile, pdf_tile = detail.tiles
    assert photo_tile.picture.pixmap().width() > 100
    assert pdf_tile.name.text() == "notice.pdf\n27 bytes"
    assert detail.values["people"].text() == "Oficial de justicia"
    assert detail.values["happened_at"].text() == "03/10/2025 10:00"
    target = tmp_path / "out" / "notice.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *args: (str(target), ""))
    )
    qtbot.mouseClick(pdf_tile.save_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes() == b"%PDF-1.4 the court's notice"


# -- finding entries ------------------------------------------------------------------------


def test_search_ignores_accents_and_filters_combine(window, db, qtbot):
    pena = add(db, "Peña, Edgardo", "30.112.045")
    rosa = add(db, "Gómez, Rosa", "28.456.912")
    write(db, pena, "Policía en el portón", at(3), "police", text="Dos patrulleros.")
    write(db, rosa, "Turno noche sin novedad", at(4), "guard")
    write(db, rosa, "Visita de la UOM", at(12), "solidarity", people="Delegados de la policía")
    page = logbook(window)
    page.model.reload()
    assert titles(page) == [
        "Policía en el portón",
        "Turno noche sin novedad",
        "Visita de la UOM",
    ]
    assert page.model.data(page.model.index(0, 1)) == "03/03/2025 10:00"
    assert page.model.data(page.model.index(0, 2)) == "Police"
    assert page.model.data(page.model.index(0, 4)) == "Peña, Edgardo"

    page.table.selectRow(0)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "policia")
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    assert titles(page) == ["Policía en el portón", "Visita de la UOM"]

    page.category.setCurrentIndex(page.category.findData("police"))
    assert titles(page) == ["Policía en el portón"]
    assert page.count_label.text() == "1 entry"
    # The entry being read stays selected while the filters narrow around it.
    assert page.detail.entry().title == "Policía en el portón"
    page.search.clear()
    page.flush_search()
    page.category.setCurrentIndex(0)
    assert page.category.currentText() == "All categories"
    page.author.setCurrentIndex(page.author.findData(rosa.id))
    assert titles(page) == ["Turno noche sin novedad", "Visita de la UOM"]
    page.author.setCurrentIndex(0)
    assert page.author.currentText() == "Anyone"


def test_date_range_filter_with_its_mistakes_named(window, db, qtbot):
    pena = add(db, "Peña, Edgardo", "30.112.045")
    for day in (3, 10, 20):
        write(db, pena, f"Guardia del {day}", at(day, 23, 30), "guard")
    page = logbook(window)
    page.model.reload()
    qtbot.keyClicks(page.since, "03/10/2025")
    qtbot.keyClick(page.since, Qt.Key.Key_Return)
    assert titles(page) == ["Guardia del 10", "Guardia del 20"]
    page.until.setText("31/31/2025")
    qtbot.keyClick(page.until, Qt.Key.Key_Return)
    assert page.errors.message("until") == "“31/31/2025” is not a date; type it as mm/dd/yyyy."
    assert titles(page) == ["Guardia del 10", "Guardia del 20"]  # the last good filter stays
    page.until.setText("03/01/2025")
    qtbot.keyClick(page.until, Qt.Key.Key_Return)
    assert page.errors.message("until") == "The end date is before the start date."
    page.until.setText("2025-03-10")
    qtbot.keyClick(page.until, Qt.Key.Key_Return)
    # 23:30 in Buenos Aires is the next day in UTC: the day is the factory's.
    assert titles(page) == ["Guardia del 10"]
    assert page.errors.message("until") == ""


# -- corrections ------------------------------------------------------------------------------


def test_the_detail_shows_an_entry_with_its_correction_and_jumps_between_them(window, db, qtbot):
    pena = add(db, "Peña, Edgardo", "30.112.045")
    original = write(db, pena, "Policía en el portón", at(3), text="Eran tres patrulleros.")
    write(db, pena, "Turno noche", at(4), "guard")
    fix = write(
        db,
        pena,
        "Policía en el portón (corrección)",
        at(3),
        text="Eran dos patrulleros, no tres.",
        amends_id=original.number,
    )
    page = logbook(window)
    page.model.reload()
    assert page.model.data(page.model.index(0, 6)) == "amended by 3"
    page.show_entry(original.number)
    detail = page.detail
    assert [e.number for e in detail.related()] == [fix.number]
    [link] = shown(qtbot, detail, "correctionLink")
    assert "Corrected by entry 3, which reads:" in link.text()
    texts = [label.text() for label in shown(qtbot, detail)]
    assert "Eran tres patrulleros." in texts and "Eran dos patrulleros, no tres." in texts

    link.linkActivated.emit(link.text().split('"')[1])  # a click on the link
    assert page.selected_entry().number == fix.number
    [back] = shown(qtbot, detail, "correctionLink")
    assert "This entry corrects entry 1, which reads:" in back.text()
    assert "Eran tres patrulleros." in [label.text() for label in shown(qtbot, detail)]


def test_amend_writes_a_correction_linked_to_the_selected_entry(window, db, qtbot):
    pena = add(db, "Peña, Edgardo", "30.112.045")
    original = write(db, pena, "Policía en el portón", at(3), place="Portón sur")
    page = logbook(window)
    page.model.reload()
    assert not page.amend_button.isEnabled()
    page.show_entry(original.number)
    assert page.amend_button.isEnabled()
    seen = {}

    def correct(dialog):
        seen["title"] = dialog.windowTitle()
        seen["prefilled"] = (
            dialog.inputs["title"].text(),
            dialog.inputs["place"].text(),
            dialog.inputs["happened_date"].text(),
            dialog.inputs["happened_time"].text(),
            dialog.author.currentText(),
            dialog.category.currentData(),
        )
        dialog.inputs["place"].clear()
        qtbot.keyClicks(dialog.inputs["place"], "Porton norte")
        qtbot.keyClick(dialog.inputs["place"], Qt.Key.Key_Return)

    run_dialog(
        qtbot, lambda: qtbot.mouseClick(page.amend_button, Qt.MouseButton.LeftButton), correct
    )
    assert seen["title"] == "Correct entry 1"
    assert seen["prefilled"] == (
        "Policía en el portón",
        "Portón sur",
        "03/03/2025",
        "10:00",
        "Peña, Edgardo",
        "police",
    )
    first, correction = stored(db)
    assert (correction.amends_id, correction.place) == (first.number, "Porton norte")
    assert page.selected_entry().number == correction.number
    assert [e.number for e in page.detail.related()] == [first.number]
    assert page.model.data(page.model.index(0, 6)) == "amended by 2"
    assert page.model.data(page.model.index(1, 6)) == "amends 1"


# -- the chain --------------------------------------------------------------------------------


def test_head_code_copy_and_qr_code(window, db, qtbot):
    page = logbook(window)
    assert page.head.code.text() == "—"
    assert not page.head.copy_button.isEnabled()
    pena = add(db, "Peña, Edgardo", "30.112.045")
    write(db, pena, "Primera guardia", at(3), "guard")

    def type_second(dialog):
        dialog.category.setCurrentIndex(0)
        qtbot.keyClicks(dialog.inputs["title"], "Segunda guardia")
        qtbot.keyClick(dialog.inputs["title"], Qt.Key.Key_Return)

    page.last_author_id = pena.id
    run_dialog(qtbot, page.new_entry, type_second)
    last = stored(db)[-1]
    assert page.head.code.text() == head_code(last.hash)
    assert page.head_code_text() == head_code(last.hash)
    assert page.head.details.text() == "after 2 entries"
    qtbot.mouseClick(page.head.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert head_code(last.hash) in copied and last.hash in copied and "Entries: 2" in copied

    qr = page.head.qr
    assert qr.modules() == qr_modules(head_text(2, last.hash))
    dark, light = image_has_dark_and_light(qr.grab().toImage())
    assert dark and light


def test_verify_now_reports_an_intact_chain_then_a_tampered_one(window, db, qtbot, message_boxes):
    pena = add(db, "Peña, Edgardo", "30.112.045")
    for day in (3, 4, 5):
        write(db, pena, f"Guardia {day}", at(day), "guard")
    page = logbook(window)
    qtbot.mouseClick(page.head.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(message_boxes) == 1)
    [(kind, title, text)] = message_boxes
    assert (kind, title) == ("information", "Logbook chain intact")
    last = stored(db)[-1]
    assert text == (
        f"The chain is intact: 3 entries, each matching its seal. Head: {head_code(last.hash)}."
    )
    assert not window.banner.isVisible()

    tamper(db.path, 2, "Guardia 4 (reescrita)")
    qtbot.mouseClick(page.head.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(message_boxes) == 2)
    kind, title, text = message_boxes[1]
    assert (kind, title) == ("warning", "Logbook chain broken")
    assert "broken at entry 2" in text
    # The window's banner follows the latest check.
    assert window.banner.isVisible()
    assert page.head.verify_button.isEnabled()


def test_verify_now_shows_its_progress_and_can_be_cancelled(
    window, db, qtbot, monkeypatch, message_boxes
):
    from ui.logbook import chain_view

    def endless(session, progress=None):  # a very long chain
        checked = 0
        while True:
            checked += 1000
            progress(checked)  # raises once the secretary cancels
            time.sleep(0.005)

    page = logbook(window)
    monkeypatch.setattr(chain_view, "verify_chain", endless)
    monkeypatch.setattr(chain_view, "count_entries", lambda session: 100_000)
    page.verify_now()
    dialog = page.verification.dialog
    assert dialog.maximum() == 100_000
    qtbot.waitUntil(lambda: dialog.value() >= 3000)
    qtbot.waitUntil(dialog.isVisible)  # after a moment, not at once
    assert not page.head.verify_button.isEnabled()
    qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.verification is None)
    assert message_boxes == []
    assert page.head.verify_button.isEnabled()


def test_texts_follow_the_language(window, db, qtbot, switcher):
    page = logbook(window)
    switcher.apply("es")
    qtbot.waitUntil(lambda: page.since.placeholderText() == "dd/mm/aaaa")
    dialog = EntryDialog(db, ZONE, parent=window)
    qtbot.addWidget(dialog)
    assert dialog.inputs["happened_date"].placeholderText() == "dd/mm/aaaa"
    switcher.apply("en")
    qtbot.waitUntil(lambda: page.since.placeholderText() == "mm/dd/yyyy")
    assert page.category.itemText(0) == "All categories"


def start(qtbot, path, switcher):
    startup = ui_app.Startup(path, False, switcher)
    qtbot.addWidget(startup.window)
    qtbot.waitUntil(startup.window.is_attached)
    qtbot.waitUntil(lambda: startup.window.chain_report() is not None)
    return startup


@pytest.fixture
def three_entries(db):
    pena = add(db, "Peña, Edgardo", "30.112.045")
    for day, title in ((3, "Guardia"), (4, "Policía en el portón"), (5, "Asamblea")):
        write(db, pena, title, at(day), "guard")
    return db.path


def test_no_banner_when_the_chain_is_intact(three_entries, switcher, qtbot):
    startup = start(qtbot, three_entries, switcher)
    assert startup.window.chain_report().intact
    assert not startup.window.banner.isVisible()
    startup.close()


def test_a_tampered_file_shows_the_banner_on_every_page(three_entries, switcher, qtbot):
    tamper(three_entries, 2, "Nada pasó en el portón")
    startup = start(qtbot, three_entries, switcher)
    window = startup.window
    assert window.chain_report().first_broken == 2
    assert window.banner.isVisible()
    assert window.banner_text.text() == (
        "The logbook chain is broken at entry 2: that entry does not match its seal. "
        "The file may have been altered."
    )
    assert window.current_area() == "members"
    window.show_area("settings")
    assert window.banner.isVisible()
    assert window.banner_button.text() == "Show entry 2"
    qtbot.mouseClick(window.banner_button, Qt.MouseButton.LeftButton)
    assert window.current_area() == "logbook"
    page = window.pages["logbook"]
    assert page.selected_entry().title == "Nada pasó en el portón"
    qtbot.wait(50)  # let the layouts settle before the picture
    window.grab().save("/tmp/logbook_banner.png")
    startup.close()


# -- how it looks -------------------------------------------------------------------------------


def test_screenshots(window, db, qtbot, tmp_path):
    """Saves /tmp/logbook_*.png to look at; checks that nothing is drawn clipped."""
    pena = add(db, "Peña, Edgardo", "30.112.045")
    rosa = add(db, "Gómez, Rosa Elena", "28.456.912")
    photos = [png(tmp_path / f"foto{n}.png", c) for n, c in enumerate(("#c0392b", "#2471a3"))]
    for day in range(1, 20):
        write(db, rosa if day % 2 else pena, f"Turno de guardia {day}", at(day, 8), "guard")
    original = write(
        db,
        pena,
        "Policía en el portón",
        at(20, 14, 30),
        text="Dos patrulleros se detuvieron frente al portón y pidieron hablar con el dueño. "
        "Se les explicó que la fábrica está en manos de la cooperativa.",
        place="Portón norte",
        people="Oficiales Juárez y Medina (comisaría 34)",
        attachments=(
            *(AttachmentDraft(p.name, p.read_bytes()) for p in photos),
            AttachmentDraft("acta.pdf", b"%PDF-1.4 " * 300),
        ),
    )
    write(
        db,
        rosa,
        "Corrección: eran tres patrulleros",
        at(20, 15),
        text="Eran tres patrulleros, no dos.",
        amends_id=original.number,
    )
    page = logbook(window)
    page.model.reload()
    page.show_entry(original.number)
    qtbot.waitUntil(page.detail.thumbnails_loaded)
    qtbot.wait(50)
    window.grab().save("/tmp/logbook_page.png")
    assert page.head.code.width() >= page.head.code.sizeHint().width()

    dialog = EntryDialog(db, ZONE, pena.id, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.add_files([*photos, tmp_path / "missing.jpg"])
    dialog.inputs["happened_time"].setText("25:99")
    dialog.save()
    qtbot.wait(50)
    dialog.grab().save("/tmp/logbook_dialog.png")
    for label in dialog.findChildren(QLabel, "fieldError"):
        if label.isVisibleTo(dialog):
            assert label.height() >= label.heightForWidth(label.width())
    amend = EntryDialog(db, ZONE, pena.id, page.selected_entry(), window)
    qtbot.addWidget(amend)
    amend.show()
    qtbot.wait(50)
    amend.grab().save("/tmp/logbook_amend.png")


def test_certified_extract_of_the_shown_entries_is_written_in_the_background(
    window, db, qtbot, tmp_path
):
    import shutil
    import subprocess

    import pytest

    from obrero.logbook.chain import head_code, stored_head
    from obrero.logbook.entries import EntryFilter, find_entries

    if not shutil.which("pdftotext"):
        pytest.skip("needs poppler-utils")
    author = add(db, "Peña, Edgardo", "30.112.045")
    write(db, author, "Policía en el portón")
    write(db, author, "Cambio de guardia", category="guard")
    window.show_area("logbook")
    page = window.pages["logbook"]
    page.category.setCurrentIndex(page.category.findData("police"))
    dialog = page.extract_dialog()
    qtbot.addWidget(dialog)
    checked = [
        dialog.categories.item(r).data(Qt.ItemDataRole.UserRole)
        for r in range(dialog.categories.count())
        if dialog.categories.item(r).checkState() == Qt.CheckState.Checked
    ]
    assert checked == ["police"]
    dialog.until.setText("01/01/2000")
    dialog.since.setText("02/01/2000")
    dialog.choose_file()
    assert dialog.errors.message("until") == "The last day comes before the first day."
    dialog.since.clear()
    dialog.until.clear()
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    written = []
    dialog.written.connect(written.append)
    out = tmp_path / "extract.pdf"
    dialog.write_to(out)
    qtbot.waitUntil(lambda: written == [out], timeout=10_000)
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    [police] = db.read(find_entries, EntryFilter(categories=frozenset({"police"})))
    assert f"Entry {police.number}" in text and "Policía en el portón" in text
    assert "Cambio de guardia" not in text
    assert head_code(db.read(stored_head)[1]) in text


def test_an_extract_that_cannot_be_written_says_so(window, db, qtbot, tmp_path, message_boxes):
    author = add(db, "Peña, Edgardo", "30.112.045")
    write(db, author, "Policía en el portón")
    dialog = logbook(window).extract_dialog()
    qtbot.addWidget(dialog)
    written = []
    dialog.written.connect(written.append)
    dialog.write_to(tmp_path / "no-such-folder" / "extract.pdf")
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=10_000)
    [(kind, title, _text)] = message_boxes
    assert (kind, title) == ("warning", "The extract was not written")
    assert written == []
    assert not (tmp_path / "no-such-folder").exists()
