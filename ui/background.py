"""Running slow work off the UI thread and getting its result back on it.

The result (or the exception) arrives through a queued signal, so the
callbacks always run on the UI thread, where widgets may be touched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget


class _Outcome(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any], outcome: _Outcome) -> None:
        super().__init__()
        self._work = work
        self._outcome = outcome

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as error:  # handed to the UI thread, which shows it
            self._outcome.failed.emit(error)
        else:
            self._outcome.done.emit(result)


_running: set[_Outcome] = set()


def run_in_background(
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None],
) -> None:
    """Run ``work()`` on a pool thread; then ``on_done(result)`` or ``on_error(error)``."""
    outcome = _Outcome()
    _running.add(outcome)

    def finish(callback: Callable[[Any], None], value: Any) -> None:
        _running.discard(outcome)
        callback(value)

    queued = Qt.ConnectionType.QueuedConnection
    outcome.done.connect(lambda result: finish(on_done, result), queued)
    outcome.failed.connect(lambda error: finish(on_error, error), queued)
    QThreadPool.globalInstance().start(_Task(work, outcome))


def run_with_progress(
    parent: QWidget,
    text: str,
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    failure_title: str,
    after_failure: Callable[[], None] | None = None,
) -> None:
    """:func:`run_in_background` behind a busy dialog that shows only if the work takes a while.

    A failure is shown in a message box titled ``failure_title``, with the error's
    own message when it is one of Obrero's.
    """
    from obrero.errors import ObreroError

    progress = QProgressDialog(text, "", 0, 0, parent)
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(600)  # quick work shows no dialog at all

    def finish() -> None:
        progress.reset()
        progress.deleteLater()

    def done(result: Any) -> None:
        finish()
        on_done(result)

    def failed(error: Exception) -> None:
        finish()
        message = error.message if isinstance(error, ObreroError) else str(error)
        QMessageBox.warning(parent, failure_title, message)
        if after_failure is not None:
            after_failure()

    run_in_background(work, done, failed)
