"""Fixtures for UI tests: offscreen Qt, a throwaway database, recorded message boxes."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from obrero import members, profile
from obrero.store.database import open_database
from ui.language import LanguageSwitcher
from ui.main_window import MainWindow

FACTORY = "Cooperativa de Trabajo La Tomatera Ltda."


@pytest.fixture
def bare_db(tmp_path):
    db = open_database(tmp_path / "obrero.sqlite3", operator="Secretaria Ana")
    yield db
    db.close()


@pytest.fixture
def db(bare_db):
    bare_db.write(profile.save_profile, replace(profile.default_profile("AR"), name=FACTORY))
    return bare_db


def add(db, name: str, national_id: str, joined: date = date(2020, 1, 1), **extra):
    draft = members.MemberDraft(full_name=name, national_id=national_id, join_date=joined, **extra)
    return db.write(members.add_member, draft)


@pytest.fixture
def switcher(qapp):
    switcher = LanguageSwitcher(qapp)
    switcher.apply("en")
    yield switcher
    switcher.apply("en")


@pytest.fixture
def window(qtbot, db, switcher):
    window = MainWindow(db, switcher.apply)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    return window


@pytest.fixture(autouse=True)
def english_environment(monkeypatch):
    """Whatever the machine's locale, a new database starts in English in tests."""
    monkeypatch.setenv("LANGUAGE", "en")


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch):
    """Record message boxes instead of blocking on them."""
    shown: list[tuple[str, str, str]] = []

    def recorder(kind):
        def show(parent, title, text, *args, **kwargs):
            shown.append((kind, title, text))
            return QMessageBox.StandardButton.Ok

        return show

    for kind in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(recorder(kind)))
    monkeypatch.setattr(
        QMessageBox,
        "about",
        staticmethod(lambda parent, title, text: shown.append(("about", title, text))),
    )
    return shown


def active_dialog(qtbot):
    """Wait for a modal dialog to open and return it."""
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None, timeout=3000)
    return QApplication.activeModalWidget()


def run_dialog(qtbot, open_it, interact):
    """Call ``open_it`` (which runs a modal dialog) while ``interact(dialog)`` drives it.

    The dialog is rejected afterwards if ``interact`` left it open, so a failing
    check never leaves the test waiting on a modal loop.
    """
    from PySide6.QtCore import QTimer

    errors: list[BaseException] = []

    def drive():
        dialog = active_dialog(qtbot)
        try:
            interact(dialog)
        except BaseException as error:  # re-raised below, outside the modal loop
            errors.append(error)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, drive)
    result = open_it()
    if errors:
        raise errors[0]
    return result


def type_text(qtbot, widget, text: str) -> None:
    """Type ``text`` key by key; QTest only knows ASCII, so other characters
    (accents, emoji) are sent as key events carrying their text, as an input method does."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)
