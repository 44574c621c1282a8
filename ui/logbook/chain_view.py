"""The chain head (short code, QR code, copy) and verifying the chain with a progress dialog."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from obrero.i18n import _, ngettext
from obrero.logbook.chain import ChainReport, head_code, head_text, qr_modules, verify_chain
from obrero.logbook.entries import count_entries
from obrero.store.database import Database
from ui.background import run_in_background

QUIET_ZONE = 4  # light modules around the code, as readers expect
MODULE_PIXELS = 3  # enough for a phone to read it off the screen


class QrCodeWidget(QWidget):
    """Paints a QR code's modules (dark on white) as large as the widget allows."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._modules: list[list[bool]] = []
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_text(self, text: str) -> None:
        self._modules = qr_modules(text) if text else []
        self.setFixedSize(self.sizeHint())
        self.update()

    def modules(self) -> list[list[bool]]:
        return self._modules

    def sizeHint(self) -> QSize:
        side = (len(self._modules) + 2 * QUIET_ZONE) * MODULE_PIXELS
        return QSize(side, side)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        if not self._modules:
            return
        count = len(self._modules) + 2 * QUIET_ZONE
        side = min(self.width(), self.height())
        # Whole pixels per module keep the edges sharp for a phone's camera.
        module = max(1, side // count)
        left = (self.width() - module * count) // 2 + QUIET_ZONE * module
        top = (self.height() - module * count) // 2 + QUIET_ZONE * module
        dark = QColor("black")
        for y, row in enumerate(self._modules):
            for x, is_dark in enumerate(row):
                if is_dark:
                    square = QRect(left + x * module, top + y * module, module, module)
                    painter.fillRect(square, dark)


class HeadPanel(QGroupBox):
    """The chain head as a short code to copy into the paper book, and as a QR code."""

    verify_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._count = 0
        self._hash = ""
        self.qr = QrCodeWidget()
        self.code = QLabel()
        self.code.setObjectName("headCode")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(14)
        font.setWeight(QFont.Weight.Bold)
        self.code.setFont(font)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QLabel()
        self.details.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setEnabled(False)  # greyed: an explanation
        self.copy_button = QPushButton()
        self.copy_button.clicked.connect(self.copy)
        self.verify_button = QPushButton()
        self.verify_button.clicked.connect(self.verify_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.verify_button)
        column = QVBoxLayout(self)
        column.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.code)
        column.addWidget(self.details)
        column.addWidget(self.hint)
        column.addStretch(1)
        column.addLayout(buttons)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.retranslate()

    def set_head(self, count: int, entry_hash: str) -> None:
        self._count, self._hash = count, entry_hash
        self.code.setText(head_code(entry_hash) if count else "—")
        self.qr.set_text(head_text(count, entry_hash) if count else "")
        self.qr.setVisible(bool(count))
        self.copy_button.setEnabled(bool(count))
        self.retranslate()

    def head(self) -> tuple[int, str]:
        return self._count, self._hash

    def clipboard_text(self) -> str:
        return _(
            "Logbook chain head: {code}\nEntries: {count}\nHash of the last entry: {hash}"
        ).format(code=head_code(self._hash), count=self._count, hash=self._hash)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.clipboard_text())

    def retranslate(self) -> None:
        self.setTitle(_("Chain head"))
        self.copy_button.setText(_("&Copy"))
        self.copy_button.setToolTip(_("Copy the code, the number of entries and the full hash"))
        self.verify_button.setText(_("&Verify now"))
        self.verify_button.setToolTip(_("Recompute every entry's hash and compare"))
        if self._count:
            count = ngettext("after {n} entry", "after {n} entries", self._count).format(
                n=self._count
            )
            self.details.setText(count)
            self.details.setToolTip(self._hash)
            self.code.setToolTip(self._hash)
            self.hint.setText(
                _("Write this code in the paper book or the signed minutes; send it to the lawyer.")
            )
        else:
            self.details.setText(_("The logbook has no entries yet."))
            self.details.setToolTip("")
            self.hint.setText("")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def broken_text(report: ChainReport) -> str:
    """What a broken chain means, naming the first entry that does not match."""
    if report.reason == "attachment":
        return _(
            "The logbook chain is broken at entry {number}: an attachment of that entry does "
            "not match its seal. The file may have been altered."
        ).format(number=report.first_broken)
    return _(
        "The logbook chain is broken at entry {number}: that entry does not match its seal. "
        "The file may have been altered."
    ).format(number=report.first_broken)


class CancelledError(Exception):
    """Raised from the progress callback to stop a verification the user cancelled."""


class _Progress(QObject):
    """Carries the pool thread's progress to the UI thread (a queued signal)."""

    advanced = Signal(int)


class ChainVerification(QObject):
    """Verify the chain on a pool thread; a progress dialog shows if it takes a while."""

    finished = Signal(object)  # ChainReport, or None when cancelled
    failed = Signal(object)  # the exception

    def __init__(self, db: Database, parent: QWidget) -> None:
        super().__init__(parent)
        self._db = db
        self._cancelled = False
        total = db.read(count_entries)
        # Qt's own Cancel button, translated by Qt's catalogue.
        self.dialog = QProgressDialog(parent)
        self.dialog.setLabelText(_("Checking the logbook chain…"))
        self.dialog.setRange(0, max(total, 1))
        self.dialog.setWindowTitle(_("Verify the logbook"))
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(600)  # quick checks flash no dialog
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setValue(0)
        self.dialog.canceled.connect(self._cancel)
        self._progress = _Progress()
        self._progress.advanced.connect(self._advanced)

    def start(self) -> None:
        def work() -> ChainReport:
            return self._db.read(verify_chain, self._report)

        run_in_background(work, self._done, self._error)

    def _report(self, count: int) -> None:  # on the pool thread
        if self._cancelled:
            raise CancelledError
        self._progress.advanced.emit(count)

    def _advanced(self, count: int) -> None:
        if shiboken6.isValid(self.dialog):
            self.dialog.setValue(min(count, self.dialog.maximum()))

    def _cancel(self) -> None:
        self._cancelled = True

    def _close(self) -> None:
        if shiboken6.isValid(self.dialog):
            self.dialog.canceled.disconnect(self._cancel)
            self.dialog.close()
            self.dialog.deleteLater()

    def _done(self, report: ChainReport) -> None:
        self._close()
        if shiboken6.isValid(self):
            self.finished.emit(report)

    def _error(self, error: Exception) -> None:
        self._close()
        if shiboken6.isValid(self):
            if isinstance(error, CancelledError):
                self.finished.emit(None)
            else:
                self.failed.emit(error)


def verify_in_background(
    db: Database,
    on_done: Callable[[ChainReport], None],
    on_error: Callable[[Exception], None],
    should_stop: Callable[[], bool] = lambda: False,
) -> None:
    """Verify quietly (no dialog), as on start; ``should_stop()`` true gives up early
    (``on_error`` then gets a :class:`CancelledError`)."""

    def progress(_count: int) -> None:
        if should_stop():
            raise CancelledError

    run_in_background(lambda: db.read(verify_chain, progress), on_done, on_error)
