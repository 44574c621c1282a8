"""Export: pick a USB stick (or any folder), optionally a passphrase, and write the archive.

The archive is written on a pool thread behind a progress dialog whose Cancel
button stops it; whatever happens, no half-written file keeps the final name.
"""

from __future__ import annotations

import threading
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from obrero.errors import ObreroError, ValidationError, ValidationErrors
from obrero.exchange import archive, keys
from obrero.i18n import _
from obrero.store.database import Database
from ui.background import run_in_background
from ui.exchange.targets import Target, TargetsModel
from ui.form_errors import FieldErrors

PROGRESS_STEPS = 1000  # the dialog's range; byte counts overflow a Qt int


def installation_fingerprint() -> str:
    """The short code of this installation's signing key (made on first use)."""
    return keys.fingerprint(keys.public_key_bytes(keys.installation_key()))


class _Progress(QObject):
    """Carries the pool thread's progress to the UI thread (a queued signal)."""

    advanced = Signal(object, object)  # done, total (Python ints: may exceed 2**31)


class ExportRun(QObject):
    """One export on a pool thread, behind a progress dialog with a working Cancel."""

    finished = Signal(object)  # the archive's Path
    failed = Signal(object)  # the exception (ExportCancelled when cancelled)

    def __init__(self, db: Database, target: Path, passphrase: str | None, parent: QWidget):
        super().__init__(parent)
        self._db = db
        self.target = target
        self._passphrase = passphrase
        self._cancelled = threading.Event()
        # Qt's own Cancel button, translated by Qt's catalogue.
        self.dialog = QProgressDialog(parent)
        self.dialog.setWindowTitle(_("Export"))
        # The folder's own name ("KINGSTON"): a whole path would not fit the dialog.
        self.dialog.setLabelText(
            _("Writing the archive to {folder}…").format(folder=target.name or target)
        )
        self.dialog.setRange(0, PROGRESS_STEPS)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(600)  # a quick export flashes no dialog
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setValue(0)
        self.dialog.canceled.connect(self.cancel)
        self._progress = _Progress()
        self._progress.advanced.connect(self._advanced)

    def start(self) -> None:
        def work() -> Path:
            return archive.export_archive(
                self._db,
                self.target,
                passphrase=self._passphrase,
                progress=self._report,
                cancelled=self._cancelled.is_set,
            )

        run_in_background(work, self._done, self._error)

    def cancel(self) -> None:
        """Ask the export to stop; it gives up at its next check and removes its file."""
        self._cancelled.set()
        if shiboken6.isValid(self.dialog):
            self.dialog.setLabelText(_("Stopping the export…"))

    def _report(self, done: int, total: int) -> None:  # on the pool thread
        self._progress.advanced.emit(done, total)

    def _advanced(self, done: int, total: int) -> None:
        if shiboken6.isValid(self.dialog) and not self._cancelled.is_set() and total:
            self.dialog.setValue(min(PROGRESS_STEPS, done * PROGRESS_STEPS // total))

    def _close(self) -> None:
        if shiboken6.isValid(self.dialog):
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()

    def _done(self, path: Path) -> None:
        self._close()
        if shiboken6.isValid(self):
            self.finished.emit(path)

    def _error(self, error: Exception) -> None:
        self._close()
        if shiboken6.isValid(self):
            self.failed.emit(error)


class ExportTab(QWidget):
    """Where to export, whether to encrypt, and this installation's signing code."""

    def __init__(self, db: Database, parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self.errors = FieldErrors()
        self.targets = TargetsModel(self)
        self.run: ExportRun | None = None
        self.fingerprint = ""
        self.last_archive: Path | None = None
        self._build()
        self.retranslate()
        self.reload_targets()
        run_in_background(installation_fingerprint, self._fingerprint_read, self._no_fingerprint)

    def _build(self) -> None:
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.targets_label = QLabel()
        self.targets_view = QListView()
        self.targets_view.setModel(self.targets)
        self.targets_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.targets_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.targets_view.setSpacing(3)
        self.targets_view.setMinimumHeight(120)
        self.targets_view.setMaximumHeight(220)
        self.no_sticks = QLabel()
        self.no_sticks.setWordWrap(True)
        self.no_sticks.setEnabled(False)  # greyed: an explanation
        self.targets_view.doubleClicked.connect(lambda _index: self.export_selected())
        self.targets_label.setBuddy(self.targets_view)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.reload_targets)
        top = QHBoxLayout()
        top.addWidget(self.targets_label, 1)
        top.addWidget(self.refresh_button)

        self.encrypt = QCheckBox()
        self.encrypt.toggled.connect(self._encrypt_toggled)
        self.passphrase = QLineEdit()
        self.repeat = QLineEdit()
        self.passphrase_labels = [QLabel(), QLabel()]
        form = QFormLayout()
        form.setContentsMargins(24, 0, 0, 0)
        for label, field, widget in zip(
            self.passphrase_labels,
            ("passphrase", "passphrase_repeat"),
            (self.passphrase, self.repeat),
            strict=True,
        ):
            widget.setEchoMode(QLineEdit.EchoMode.Password)
            widget.setMaximumWidth(360)
            widget.returnPressed.connect(self.export_selected)
            widget.textEdited.connect(self.errors.clear)
            label.setBuddy(widget)
            form.addRow(label, self.errors.field(field, widget))
        self.passphrase_hint = QLabel()
        self.passphrase_hint.setWordWrap(True)
        self.passphrase_hint.setEnabled(False)  # greyed: an explanation
        form.addRow("", self.passphrase_hint)

        self.export_button = QPushButton()
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export_selected)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.status, 1)

        self.code_box = QGroupBox()
        self.code = QLabel("…")
        self.code.setObjectName("installationCode")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(13)
        font.setWeight(QFont.Weight.Bold)
        self.code.setFont(font)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code_hint = QLabel()
        self.code_hint.setWordWrap(True)
        code_column = QVBoxLayout(self.code_box)
        code_column.addWidget(self.code)
        code_column.addWidget(self.code_hint)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(top)
        layout.addWidget(self.targets_view)
        layout.addWidget(self.no_sticks)
        layout.addSpacing(8)
        layout.addWidget(self.encrypt)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addSpacing(12)
        layout.addWidget(self.code_box)
        layout.addStretch(1)
        self._encrypt_toggled(False)

    def retranslate(self) -> None:
        self.intro.setText(
            _(
                "An export writes all the records into one archive file: the database, a "
                "spreadsheet and one CSV file per table, with a signed list of their "
                "checksums so the receiver can tell that nothing was altered."
            )
        )
        self.targets_label.setText(_("&Where to:"))
        self.refresh_button.setText(_("&Look for USB sticks again"))
        self.encrypt.setText(_("E&ncrypt with a passphrase"))
        self.passphrase_labels[0].setText(_("&Passphrase:"))
        self.passphrase_labels[1].setText(_("&Repeat it:"))
        self.passphrase_hint.setText(
            _(
                "Whoever finds a lost stick cannot read an encrypted archive. "
                "Without the passphrase nobody can, not even you: keep it safe."
            )
        )
        self.no_sticks.setText(
            _(
                'No USB stick was found. Plug one in and press "Look for USB sticks '
                'again", or choose another folder.'
            )
        )
        self.export_button.setText(_("&Export"))
        self.code_box.setTitle(_("This installation's code"))
        self.code_hint.setText(
            _("Give this code to whoever receives your archives so they can check them.")
        )
        self.targets.refresh_texts()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- targets -----------------------------------------------------------------
    def reload_targets(self) -> None:
        """List the mounted volumes again (a stick was just plugged in).

        The chosen target stays chosen if it is still there; else the first is.
        """
        chosen = self.selected_target()
        self.targets.reload()
        rows = [self.targets.target(row) for row in range(self.targets.rowCount())]
        paths = [target.path for target in rows]
        row = paths.index(chosen.path) if chosen is not None and chosen.path in paths else 0
        self.targets_view.selectionModel().setCurrentIndex(
            self.targets.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.no_sticks.setVisible(not any(target.removable for target in rows))

    def selected_target(self) -> Target | None:
        index = self.targets_view.currentIndex()
        return self.targets.target(index.row()) if index.isValid() else None

    def _fingerprint_read(self, fingerprint: str) -> None:
        if shiboken6.isValid(self):
            self.fingerprint = fingerprint
            self.code.setText(fingerprint)

    def _no_fingerprint(self, error: Exception) -> None:
        if shiboken6.isValid(self):
            message = error.message if isinstance(error, ObreroError) else str(error)
            self.code.setText("—")
            self.code.setToolTip(message)

    # -- exporting ---------------------------------------------------------------
    def _encrypt_toggled(self, on: bool) -> None:
        for widget in (self.passphrase, self.repeat, *self.passphrase_labels):
            widget.setEnabled(on)
        self.passphrase_hint.setVisible(on)
        if not on:
            self.errors.clear()
        elif self.isVisible():
            self.passphrase.setFocus()

    def chosen_passphrase(self) -> str | None:
        """The passphrase to encrypt with (None: no encryption); bad input raises."""
        if not self.encrypt.isChecked():
            return None
        phrase, repeat = self.passphrase.text(), self.repeat.text()
        if not phrase.strip():
            raise ValidationError("passphrase", _("Type the passphrase to encrypt with."))
        if phrase != repeat:
            raise ValidationError(
                "passphrase_repeat",
                _("The two passphrases are not the same. Type it again in both fields."),
            )
        return phrase

    def export_selected(self) -> None:
        """Export to the selected target; "Another folder…" asks which folder first."""
        target = self.selected_target()
        if target is None:
            return
        folder = target.path
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self, _("Export to which folder?"))
            if not chosen:
                return
            folder = Path(chosen)
        self.export_to(folder)

    def export_to(self, folder: Path) -> None:
        """Write the archive into ``folder`` on a pool thread, with progress and Cancel."""
        if self.run is not None:
            return
        try:
            passphrase = self.chosen_passphrase()
        except (ValidationError, ValidationErrors) as error:
            self.errors.show(error)
            return
        self.errors.clear()
        self.status.clear()
        self.export_button.setEnabled(False)
        self.run = ExportRun(self._db, Path(folder), passphrase, self)
        self.run.finished.connect(self._exported)
        self.run.failed.connect(self._failed)
        self.run.start()

    def _ended(self) -> None:
        if self.run is not None:
            self.run.deleteLater()
        self.run = None
        self.export_button.setEnabled(True)

    def _exported(self, path: Path) -> None:
        self._ended()
        self.last_archive = path
        self.passphrase.clear()
        self.repeat.clear()
        self.status.setText(_("Last export: {path}").format(path=path))
        self.reload_targets()  # the free space changed
        code = self.fingerprint or "—"
        QMessageBox.information(
            self,
            _("Export finished"),
            _(
                "The archive was written and checked:\n{path}\n\n"
                "It is signed with this installation's code {code}. Give the receiver this "
                "code so they can check that the archive comes from you, unaltered."
            ).format(path=path, code=code),
        )

    def _failed(self, error: Exception) -> None:
        self._ended()
        if isinstance(error, archive.ExportCancelled):
            self.status.setText(_("The export was cancelled."))
            QMessageBox.information(
                self,
                _("Export cancelled"),
                _("The export was cancelled. No archive was written; the records are unchanged."),
            )
            return
        message = error.message if isinstance(error, ObreroError) else str(error)
        self.status.setText(_("The export failed."))
        QMessageBox.warning(self, _("Cannot export"), message)
