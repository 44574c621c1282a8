"""The quick entry dialog: write what happened, with photos and scans dropped onto it.

Ctrl+Enter saves from anywhere in the form; Enter saves from a one-line field
(in the text box it starts a new line); Esc cancels. The same dialog, opened
on an earlier entry, writes a correction that amends it.
"""

from __future__ import annotations

import contextlib
import hashlib
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QDropEvent, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from obrero import members
from obrero.errors import ValidationError, ValidationErrors
from obrero.i18n import _
from obrero.i18n.formatting import date_placeholder, format_date, parse_date
from obrero.logbook import entries
from obrero.logbook.entries import (
    CATEGORIES,
    FIELD_LABELS,
    AttachmentDraft,
    Entry,
    EntryDraft,
    add_entry,
    happened_at_from_form,
)
from obrero.store.database import Database
from ui.form_errors import FieldErrors, save_form
from ui.logbook.attachments import format_size, thumbnail

_LINE_FIELDS = ("happened_date", "happened_time", "title", "place", "people")
SMALL_THUMBNAIL = QSize(48, 48)


def _local_files(event: QDropEvent | QEvent) -> list[Path]:
    mime = event.mimeData()  # type: ignore[union-attr]
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class PendingAttachment(QFrame):
    """One file waiting to be saved with the entry: thumbnail, name, size, remove."""

    def __init__(self, draft: AttachmentDraft, on_remove, parent=None) -> None:
        super().__init__(parent)
        self.draft = draft
        self.picture = QLabel()
        self.picture.setFixedSize(SMALL_THUMBNAIL)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        image = thumbnail(draft.data, SMALL_THUMBNAIL)
        if image.isNull():
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
            self.picture.setPixmap(icon.pixmap(32, 32))
        else:
            self.picture.setPixmap(QPixmap.fromImage(image))
        self.name = QLabel()
        self.name.setWordWrap(True)
        self.remove_button = QToolButton()
        self.remove_button.setIcon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_DialogDiscardButton)
        )
        self.remove_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.remove_button.clicked.connect(lambda: on_remove(self))
        row = QHBoxLayout(self)
        row.setContentsMargins(2, 2, 2, 2)
        row.addWidget(self.picture)
        row.addWidget(self.name, 1)
        row.addWidget(self.remove_button)
        self.retranslate()

    def retranslate(self) -> None:
        self.name.setText(f"{self.draft.filename} · {format_size(len(self.draft.data))}")
        self.remove_button.setText(_("Remove"))
        self.remove_button.setToolTip(_("Do not attach {name}").format(name=self.draft.filename))


class EntryDialog(QDialog):
    """A new logbook entry, or (with ``amends``) a correction of an earlier one."""

    def __init__(
        self,
        db: Database,
        time_zone: str,
        author_id: int | None = None,
        amends: Entry | None = None,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._time_zone = time_zone
        self._amends = amends
        self._roll_day: date | None = None
        self.saved: Entry | None = None
        self.errors = FieldErrors()
        self.inputs: dict[str, QLineEdit] = {}
        self.pending: list[PendingAttachment] = []
        self._labels: dict[str, QLabel] = {}
        self._build()
        self._load(author_id)
        self.retranslate()
        self.setAcceptDrops(True)
        for widget in [*self.inputs.values(), self.text.viewport()]:
            widget.installEventFilter(self)

    # -- building ------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        # Grow when error messages appear under the fields, instead of clipping them.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.amends_note = QLabel()
        self.amends_note.setWordWrap(True)
        self.amends_note.setObjectName("amendsNote")
        self.amends_note.setStyleSheet(
            "#amendsNote { background: #fff8e1; border: 1px solid #e0c060; padding: 6px; }"
        )
        self.amends_note.setVisible(self._amends is not None)
        layout.addWidget(self.amends_note)

        for field in _LINE_FIELDS:
            self.inputs[field] = QLineEdit()
        self.inputs["happened_date"].setMaximumWidth(140)
        self.inputs["happened_time"].setMaximumWidth(80)
        self.inputs["happened_date"].editingFinished.connect(self._date_edited)
        self.author = QComboBox()
        self.author.setMinimumContentsLength(24)
        self.category = QComboBox()
        self.category.setMinimumContentsLength(24)
        for code in CATEGORIES:
            self.category.addItem("", code)
        self.category.setCurrentIndex(-1)
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(110)
        # The layout sets the dialog's minimum size; this keeps the form a readable width.
        self.text.setMinimumWidth(520)

        form = QFormLayout()
        when = QHBoxLayout()
        when.setContentsMargins(0, 0, 0, 0)
        when.addWidget(self.inputs["happened_date"])
        when.addWidget(self.inputs["happened_time"])
        self.time_zone_note = QLabel()
        self.time_zone_note.setEnabled(False)  # greyed: a hint, not a field
        when.addWidget(self.time_zone_note, 1)
        when_holder = QWidget()
        when_column = QVBoxLayout(when_holder)
        when_column.setContentsMargins(0, 0, 0, 0)
        when_column.setSpacing(2)
        when_column.addLayout(when)
        # Both messages under the row, full width (the time field is narrow).
        for field in ("happened_date", "happened_time"):
            when_column.addWidget(self.errors.add(field, self.inputs[field]))
        self._add_row(form, "happened_at", when_holder, self.inputs["happened_date"])
        self._add_row(form, "author_id", self.errors.field("author_id", self.author), self.author)
        self._add_row(form, "category", self.errors.field("category", self.category), self.category)
        for field in ("title",):
            self._add_row(form, field, self.errors.field(field, self.inputs[field]))
        self._add_row(form, "text", self.errors.field("text", self.text), self.text)
        for field in ("place", "people"):
            self._add_row(form, field, self.errors.field(field, self.inputs[field]))
        self._add_row(form, "attachments", self._build_attachments(), self.add_files_button)
        layout.addLayout(form)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)

    def _build_attachments(self) -> QWidget:
        self.add_files_button = QPushButton()
        self.add_files_button.setAutoDefault(False)
        self.add_files_button.clicked.connect(self.choose_files)
        self.drop_hint = QLabel()
        self.drop_hint.setEnabled(False)
        self.drop_hint.setWordWrap(True)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.add_files_button)
        bar.addWidget(self.drop_hint, 1)
        self.pending_box = QWidget()
        self.pending_layout = QVBoxLayout(self.pending_box)
        self.pending_layout.setContentsMargins(0, 0, 0, 0)
        self.pending_layout.setSpacing(2)
        self.pending_layout.addStretch(1)
        self.pending_area = QScrollArea()
        self.pending_area.setWidgetResizable(True)
        self.pending_area.setWidget(self.pending_box)
        self.pending_area.hide()
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(bar)
        column.addWidget(self.pending_area)
        return self.errors.field("attachments", holder)

    def _add_row(
        self, form: QFormLayout, field: str, holder: QWidget, buddy: QWidget | None = None
    ) -> None:
        label = QLabel()
        label.setBuddy(buddy or self.inputs[field])
        self._labels[field] = label
        form.addRow(label, holder)

    def _load(self, author_id: int | None) -> None:
        original = self._amends
        if original is not None:
            local = original.happened_at.astimezone(ZoneInfo(self._time_zone))
            for field in ("title", "place", "people"):
                self.inputs[field].setText(getattr(original, field))
            self.text.setPlainText(original.text)
            self.category.setCurrentIndex(self.category.findData(original.category))
            author_id = author_id or original.author_id
        else:
            local = datetime.now(ZoneInfo(self._time_zone))
        self.inputs["happened_date"].setText(format_date(local.date()))
        self.inputs["happened_time"].setText(local.strftime("%H:%M"))
        self._fill_authors(local.date(), author_id)
        # Start where something is still to be chosen or typed.
        if self.author.currentIndex() < 0:
            self.author.setFocus()
        elif self.category.currentIndex() < 0:
            self.category.setFocus()
        else:
            self.inputs["title"].setFocus()

    def _fill_authors(self, day: date, keep: int | None) -> None:
        """The members on the roll on the day it happened; keeps the choice if still there."""
        if day == self._roll_day:
            return
        self._roll_day = day
        self.author.clear()
        for member in self._db.read(members.members_on_roll, day):
            self.author.addItem(member.full_name, member.id)
        self.author.setCurrentIndex(self.author.findData(keep) if keep is not None else -1)

    def _date_edited(self) -> None:
        with contextlib.suppress(ValueError):
            day = parse_date(self.inputs["happened_date"].text())
            if day is not None:
                self._fill_authors(day, self.author.currentData())

    def retranslate(self) -> None:
        if self._amends is None:
            self.setWindowTitle(_("New logbook entry"))
        else:
            number = self._amends.number
            self.setWindowTitle(_("Correct entry {number}").format(number=number))
            self.amends_note.setText(
                _(
                    "This entry corrects entry {number} (“{title}”). The original stays as it "
                    "was written; both are shown together. Change what was wrong below."
                ).format(number=number, title=self._amends.title)
            )
        for field, label in self._labels.items():
            label.setText(_(FIELD_LABELS[field]) + ":")
        self.inputs["happened_date"].setPlaceholderText(date_placeholder())
        self.inputs["happened_time"].setPlaceholderText(_("hh:mm"))
        # "America/Argentina/Buenos_Aires" -> "Buenos Aires"
        place = self._time_zone.rsplit("/", 1)[-1].replace("_", " ")
        self.time_zone_note.setText(_("local time ({zone})").format(zone=place))
        self.time_zone_note.setToolTip(self._time_zone)
        self.author.setPlaceholderText(_("Who writes it…"))
        self.category.setPlaceholderText(_("Choose…"))
        for row in range(self.category.count()):
            self.category.setItemText(row, _(CATEGORIES[self.category.itemData(row)]))
        self.text.setPlaceholderText(_("What happened, as it happened. Ctrl+Enter saves."))
        self.inputs["people"].setPlaceholderText(_("Names, roles, badge numbers…"))
        self.add_files_button.setText(_("Add &files…"))
        self.drop_hint.setText(_("or drop photos and scans onto this window"))
        for row in self.pending:
            row.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- attachments -----------------------------------------------------------
    def choose_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self, _("Attach photos and scans"), str(Path.home())
        )
        if paths:
            self.add_files([Path(p) for p in paths])

    def add_files(self, paths: list[Path]) -> list[str]:
        """Attach the files (what a drop does); returns the messages of those refused."""
        refused: list[str] = []
        for path in paths:
            problem = self._attach(Path(path))
            if problem:
                refused.append(problem)
        if refused:
            self.errors.show(ValidationErrors([ValidationError("attachments", m) for m in refused]))
        else:
            self.errors.clear()
        return refused

    def _attach(self, path: Path) -> str:
        """Add one file; the reason if it cannot be added."""
        name = path.name
        if len(self.pending) >= entries.MAX_ATTACHMENTS:
            return _("An entry can carry at most {most} attachments.").format(
                most=entries.MAX_ATTACHMENTS
            )
        try:
            if not path.is_file():
                return _("{name} is not a file.").format(name=name)
            size = path.stat().st_size
            # Read the limit at call time: the core's value is the one that counts.
            if size > entries.MAX_ATTACHMENT_BYTES:
                return _("{name} is {size}; an attachment can be at most {most}.").format(
                    name=name,
                    size=format_size(size),
                    most=format_size(entries.MAX_ATTACHMENT_BYTES),
                )
            data = path.read_bytes()
        except OSError as error:
            return _("{name} cannot be read: {reason}").format(
                name=name, reason=error.strerror or error
            )
        if not data:
            return _("{name} is empty.").format(name=name)
        digest = hashlib.sha256(data).digest()
        if any(hashlib.sha256(p.draft.data).digest() == digest for p in self.pending):
            return _("{name} is already attached.").format(name=name)
        row = PendingAttachment(AttachmentDraft(name, data), self._remove)
        self.pending_layout.insertWidget(len(self.pending), row)
        self.pending.append(row)
        self._fit_pending()
        return ""

    def _fit_pending(self) -> None:
        """Room for up to three files; more scroll."""
        shown = min(len(self.pending), 3)
        self.pending_area.setVisible(shown > 0)
        if shown:
            row = self.pending[0].sizeHint().height() + self.pending_layout.spacing()
            frame = 2 * self.pending_area.frameWidth()
            self.pending_area.setFixedHeight(shown * row + frame)

    def _remove(self, row: PendingAttachment) -> None:
        self.pending.remove(row)
        self.pending_layout.removeWidget(row)
        row.deleteLater()
        self._fit_pending()
        self.add_files_button.setFocus()

    def attachments(self) -> tuple[AttachmentDraft, ...]:
        return tuple(row.draft for row in self.pending)

    def dragEnterEvent(self, event) -> None:
        if _local_files(event):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if _local_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        files = _local_files(event)
        if files:
            event.acceptProposedAction()
            self.add_files(files)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Files dropped on a text field are attached, not pasted in as their path."""
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and _local_files(event):
            event.acceptProposedAction()  # type: ignore[attr-defined]
            return True
        if kind == QEvent.Type.Drop and _local_files(event):
            self.dropEvent(event)
            return True
        return super().eventFilter(watched, event)

    # -- saving --------------------------------------------------------------
    def draft(self) -> EntryDraft:
        """The entry as typed; :class:`ValidationErrors` for a date or time that is none."""
        happened = happened_at_from_form(
            self.inputs["happened_date"].text(),
            self.inputs["happened_time"].text(),
            self._time_zone,
        )
        return EntryDraft(
            happened_at=happened,
            author_id=self.author.currentData() or 0,
            category=self.category.currentData() or "",
            title=self.inputs["title"].text(),
            text=self.text.toPlainText(),
            place=self.inputs["place"].text(),
            people=self.inputs["people"].text(),
            attachments=self.attachments(),
            amends_id=self._amends.number if self._amends is not None else None,
        )

    def save(self) -> None:
        self.saved = save_form(self, self.errors, lambda: self._db.write(add_entry, self.draft()))
        if self.saved is not None:
            self.accept()
