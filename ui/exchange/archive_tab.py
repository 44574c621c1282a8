"""Check an archive (from a stick, from another PC) and import one in place of the records.

Checking reads the archive on a pool thread and shows what it holds, or what
is wrong with it. Importing checks first, asks about a signature from another
installation and about replacing the records, then asks the window (which
owns the database) to close it, import, and open it again.
"""

from __future__ import annotations

from functools import partial
from html import escape
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from obrero import profile as profiles
from obrero.exchange import archive, backups, encryption, restore, verify
from obrero.i18n import _, ngettext
from obrero.store.database import Database
from ui.background import run_with_progress
from ui.exchange.summary import manifest_summary
from ui.questions import confirm
from ui.replacement import Replacement


def is_encrypted(path: Path) -> bool:
    """Whether the archive needs a passphrase: by its first bytes, else by its name."""
    try:
        with path.open("rb") as file:
            return encryption.is_encrypted(file.read(len(encryption.MAGIC)))
    except OSError:  # the check that follows says what is wrong with the file
        return path.name.lower().endswith(archive.ENCRYPTED_SUFFIX.lower())


def ask_passphrase(parent: QWidget, path: Path) -> str | None:
    """The passphrase of an encrypted archive (None if the person gives up)."""
    text, ok = QInputDialog.getText(
        parent,
        _("Encrypted archive"),
        _("{name} is encrypted. Passphrase:").format(name=path.name),
        QLineEdit.EchoMode.Password,
    )
    return text if ok and text else None


def is_foreign(report: verify.ArchiveReport) -> bool:
    """Signed, but neither here nor by an installation whose code was accepted."""
    return not report.signed_here and not report.trusted


def signature_text(report: verify.ArchiveReport) -> str:
    code = report.fingerprint or ""
    if not code:
        return _("The archive is not signed.")
    if report.signed_here:
        return _("Signed by this installation (code {code}).").format(code=code)
    if report.trusted:
        return _("Signed by an installation you know (code {code}).").format(code=code)
    return _(
        "Signed by another installation, code {code}. Ask the sender for their code and "
        "compare: if they differ, the archive was not made by them."
    ).format(code=code)


def report_html(report: verify.ArchiveReport, path: Path, time_zone: str) -> str:
    """What the check found, as the dialog shows it."""
    parts = [f"<p>{escape(str(path))}</p>"]
    if report.ok:
        parts.append(
            '<h3 style="color:#1b5e20">'
            + escape(_("The archive is complete and unaltered."))
            + "</h3>"
        )
    else:
        parts.append(
            '<h3 style="color:#b00020">'
            + escape(_("The archive cannot be trusted: it is damaged or was altered."))
            + "</h3>"
        )
    parts.append(f"<p>{escape(signature_text(report))}</p>")
    if report.problems:
        parts.append("<p><b>" + escape(_("What is wrong:")) + "</b></p>")
        parts.append(_html_list(report.problems, "#b00020"))
    if report.warnings:
        parts.append("<p><b>" + escape(_("Worth knowing:")) + "</b></p>")
        parts.append(_html_list(report.warnings, "#8a5a00"))
    rows = manifest_summary(report.manifest, time_zone)
    if rows:
        parts.append("<p><b>" + escape(_("What it holds:")) + "</b></p><table>")
        for label, value in rows:
            parts.append(
                f'<tr><td style="padding-right:12px">{escape(label)}</td>'
                f"<td>{escape(value)}</td></tr>"
            )
        parts.append("</table>")
    return "".join(parts)


def _html_list(items, colour: str) -> str:
    lines = "".join(f'<li style="color:{colour}">{escape(str(item))}</li>' for item in items)
    return f"<ul>{lines}</ul>"


class ArchiveReportDialog(QDialog):
    """The result of checking an archive: its contents, or what is wrong with it."""

    def __init__(self, report: verify.ArchiveReport, path: Path, time_zone: str, parent=None):
        super().__init__(parent)
        self.report = report
        self.path = path
        self._time_zone = time_zone
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.buttons)
        self.resize(640, 460)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Check of {name}").format(name=self.path.name))
        self.browser.setHtml(report_html(self.report, self.path, self._time_zone))

    def text(self) -> str:
        return self.browser.toPlainText()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


# -- what to say after the window imported (the tab is gone by then) ------------------
def _import(db_path: Path, archive_path: Path, passphrase: str | None, accept_foreign: bool):
    # The copy of the current records goes with the others, so the Backups tab lists it.
    return restore.import_archive(
        db_path,
        archive_path,
        passphrase=passphrase,
        accept_foreign=accept_foreign,
        backup=partial(backups.backup_now, reason="before-import"),
    )


def imported_text(result: restore.ImportResult) -> str:
    return _(
        "The archive was imported; these are now the records.\n\n"
        "The records as they were before are kept in:\n{path}\n"
        "They can be put back from the Backups tab."
    ).format(path=result.backup_path)


class ArchiveTab(QWidget):
    replace_requested = Signal(object)  # a Replacement, for the window to carry out

    def __init__(self, db: Database, parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self.report_dialog: ArchiveReportDialog | None = None
        self._build()
        self.retranslate()

    def _build(self) -> None:
        self.check_box = QGroupBox()
        self.check_text = QLabel()
        self.check_text.setWordWrap(True)
        self.check_button = QPushButton()
        self.check_button.clicked.connect(self.choose_archive_to_check)
        check_row = QHBoxLayout()
        check_row.addWidget(self.check_button)
        check_row.addStretch(1)
        check_column = QVBoxLayout(self.check_box)
        check_column.addWidget(self.check_text)
        check_column.addLayout(check_row)

        self.import_box = QGroupBox()
        self.import_text = QLabel()
        self.import_text.setWordWrap(True)
        self.import_button = QPushButton()
        self.import_button.clicked.connect(self.choose_archive_to_import)
        import_row = QHBoxLayout()
        import_row.addWidget(self.import_button)
        import_row.addStretch(1)
        import_column = QVBoxLayout(self.import_box)
        import_column.addWidget(self.import_text)
        import_column.addLayout(import_row)

        layout = QVBoxLayout(self)
        layout.addWidget(self.check_box)
        layout.addWidget(self.import_box)
        layout.addStretch(1)

    def retranslate(self) -> None:
        self.check_box.setTitle(_("Check an archive"))
        self.check_text.setText(
            _(
                "Check that an archive is complete, that no file in it was altered, and "
                "which installation signed it. Nothing is changed here."
            )
        )
        self.check_button.setText(_("&Check an archive…"))
        self.import_box.setTitle(_("Import an archive"))
        self.import_text.setText(
            _(
                "Replace the records of this program with those of an archive, for instance "
                "on a new PC after the old one broke. The archive is checked first, and the "
                "current records are kept as a backup copy. Nothing is merged."
            )
        )
        self.import_button.setText(_("&Import an archive…"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _time_zone(self) -> str:
        return self._db.read(profiles.factory_time_zone)

    def _choose(self, title: str) -> Path | None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            title,
            "",
            _("Obrero archives ({patterns})").format(patterns=f"*.zip *{archive.ENCRYPTED_SUFFIX}"),
        )
        return Path(chosen) if chosen else None

    # -- checking ----------------------------------------------------------------
    def choose_archive_to_check(self) -> None:
        path = self._choose(_("Check which archive?"))
        if path is not None:
            self.check_archive(path)

    def _verify(self, path: Path, then) -> None:
        """Verify ``path`` on a pool thread (asking its passphrase first if it has one)."""
        passphrase = None
        if is_encrypted(path):
            passphrase = ask_passphrase(self, path)
            if passphrase is None:
                return
        self.check_button.setEnabled(False)
        self.import_button.setEnabled(False)

        def done(report: verify.ArchiveReport) -> None:
            if shiboken6.isValid(self):
                self._idle()
                then(report, passphrase)

        run_with_progress(
            self,
            _("Checking {name}…").format(name=path.name),
            lambda: verify.verify_archive(path, passphrase=passphrase),
            done,
            _("Cannot check the archive"),
            after_failure=self._idle,
        )

    def _idle(self) -> None:
        if shiboken6.isValid(self):
            self.check_button.setEnabled(True)
            self.import_button.setEnabled(True)

    def check_archive(self, path: Path) -> None:
        """Check ``path`` off the UI thread, then show what was found."""
        self._verify(Path(path), lambda report, _passphrase: self.show_report(report, path))

    def show_report(self, report: verify.ArchiveReport, path: Path) -> None:
        if self.report_dialog is not None:
            self.report_dialog.deleteLater()
        self.report_dialog = ArchiveReportDialog(report, Path(path), self._time_zone(), self)
        self.report_dialog.open()

    # -- importing ---------------------------------------------------------------
    def choose_archive_to_import(self) -> None:
        path = self._choose(_("Import which archive?"))
        if path is not None:
            self.import_from(path)

    def import_from(self, path: Path) -> None:
        """Check ``path``, ask what must be asked, then have the window import it."""
        path = Path(path)
        self._verify(path, lambda report, passphrase: self._checked(path, report, passphrase))

    def _checked(self, path: Path, report: verify.ArchiveReport, passphrase: str | None) -> None:
        if not report.ok:
            self.show_report(report, path)
            return
        foreign = is_foreign(report)
        if foreign and not confirm(
            self,
            _("Signed by another installation"),
            _(
                "This archive was signed by another installation, whose code is:\n\n"
                "{code}\n\n"
                "Import it only if the sender gave you this same code (by phone, on paper). "
                "If the codes differ, someone else made or changed the archive."
            ).format(code=report.fingerprint or "—"),
            _("The code &matches"),
        ):
            return
        rows = manifest_summary(report.manifest, self._time_zone())
        summary = "\n".join(f"{label} {value}" for label, value in rows)
        # Anything else the check warned about (the signature was asked about already).
        count = 0 if foreign else len(report.warnings)
        warnings = (
            "\n\n"
            + ngettext("Note: {n} warning.", "Note: {n} warnings.", count).format(n=count)
            + "\n"
            + "\n".join(f"• {warning}" for warning in report.warnings)
            if count
            else ""
        )
        if not confirm(
            self,
            _("Replace the records?"),
            _(
                "All the records in this program will be replaced by those in the archive:"
                "\n\n{summary}{warnings}\n\n"
                "The current records are kept first as a backup copy in:\n{folder}"
            ).format(summary=summary, warnings=warnings, folder=backups.backups_dir(self._db.path)),
            _("&Replace the records"),
        ):
            return
        self.replace_requested.emit(
            Replacement(
                work=partial(
                    _import,
                    archive_path=path,
                    passphrase=passphrase,
                    accept_foreign=foreign or bool(report.warnings),  # both were accepted
                ),
                busy_text=_("Importing {name}…").format(name=path.name),
                done_title=_("Archive imported"),
                done_text=imported_text,
                failure_title=_("Cannot import the archive"),
            )
        )
