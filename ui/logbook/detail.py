"""One logbook entry shown whole: times, people, text, attachments, seal and corrections."""

from __future__ import annotations

import html
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QFontDatabase, QImage, QPalette, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from obrero.errors import ObreroError
from obrero.i18n import _
from obrero.i18n.formatting import format_datetime
from obrero.logbook.entries import FIELD_LABELS, Attachment, Entry, attachment_data, get_entry
from obrero.store.database import Database
from ui.background import run_in_background
from ui.logbook.attachments import FlowLayout, format_size, thumbnail
from ui.logbook.model import corrections_text

THUMBNAIL = QSize(144, 108)
_FIELDS = ("happened_at", "recorded_at", "author_id", "category", "place", "people")


def _selectable(label: QLabel) -> QLabel:
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class AttachmentTile(QFrame):
    """A thumbnail (or a file icon), the file's name and size, and a button to save it."""

    save_requested = Signal(object)  # the Attachment

    def __init__(self, attachment: Attachment, parent=None) -> None:
        super().__init__(parent)
        self.attachment = attachment
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(THUMBNAIL)
        if not attachment.is_image():
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
            self.picture.setPixmap(icon.pixmap(48, 48))
        self.name = _selectable(QLabel())
        self.name.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(lambda: self.save_requested.emit(self.attachment))
        column = QVBoxLayout(self)
        column.setContentsMargins(6, 6, 6, 6)
        column.addWidget(self.picture)
        column.addWidget(self.name)
        column.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.retranslate()

    def set_thumbnail(self, image: QImage) -> None:
        if image.isNull():
            self.picture.setText(_("(cannot show this image)"))
        else:
            self.picture.setPixmap(QPixmap.fromImage(image))

    def has_picture(self) -> bool:
        pixmap = self.picture.pixmap()
        return pixmap is not None and not pixmap.isNull()

    def retranslate(self) -> None:
        self.name.setText(f"{self.attachment.filename}\n{format_size(self.attachment.size)}")
        self.save_button.setText(_("Save as…"))
        self.save_button.setToolTip(_("Write this file to a folder or a USB stick"))
        if self.attachment.is_image() and not self.has_picture():
            self.picture.setText(_("Loading…"))


class EntryDetail(QScrollArea):
    """The selected entry whole, with the entries that correct it (or that it corrects)."""

    entry_requested = Signal(int)  # a correction's number was clicked

    def __init__(self, db: Database, time_zone: str, parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self._time_zone = time_zone
        self._entry: Entry | None = None
        self._related: list[Entry] = []
        self._generation = 0
        self.tiles: list[AttachmentTile] = []
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._build()
        self.retranslate()

    def _build(self) -> None:
        body = QWidget()
        self.setWidget(body)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.heading = _selectable(QLabel())
        self.title = _selectable(QLabel())
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setVerticalSpacing(4)
        self.labels: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for field in _FIELDS:
            self.labels[field] = QLabel()
            self.values[field] = _selectable(QLabel())
            self.form.addRow(self.labels[field], self.values[field])
        self.text = _selectable(QLabel())
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.text.setFrameShape(QFrame.Shape.StyledPanel)
        self.text.setMargin(8)
        self.text.setBackgroundRole(QPalette.ColorRole.Base)
        self.text.setAutoFillBackground(True)
        self.attachments_label = QLabel()
        self.attachments_flow = FlowLayout()
        self.hash_label = QLabel()
        self.hash = _selectable(QLabel())
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.hash.setFont(mono)
        self.corrections_label = QLabel()
        self.corrections = QVBoxLayout()
        for label in (self.attachments_label, self.hash_label, self.corrections_label):
            bold = label.font()
            bold.setBold(True)
            label.setFont(bold)

        # The words on the left, the photos and scans on the right.
        self.content = QWidget()
        words = QVBoxLayout()
        words.setContentsMargins(0, 0, 0, 0)
        words.addWidget(self.heading)
        words.addWidget(self.title)
        words.addLayout(self.form)
        words.addWidget(self.text)
        words.addSpacing(6)
        words.addWidget(self.corrections_label)
        words.addLayout(self.corrections)
        words.addSpacing(6)
        words.addWidget(self.hash_label)
        words.addWidget(self.hash)
        words.addStretch(1)
        self.files = QWidget()
        files = QVBoxLayout(self.files)
        files.setContentsMargins(0, 0, 0, 0)
        files.addWidget(self.attachments_label)
        files.addLayout(self.attachments_flow)
        files.addStretch(1)
        columns = QHBoxLayout(self.content)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(16)
        columns.addLayout(words, 3)
        columns.addWidget(self.files, 2)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.empty)
        layout.addWidget(self.content)
        layout.addStretch(1)
        self.content.hide()
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    # -- showing an entry -------------------------------------------------------
    def entry(self) -> Entry | None:
        return self._entry

    def set_time_zone(self, time_zone: str) -> None:
        self._time_zone = time_zone
        self.retranslate()

    def show_entry(self, entry: Entry | None) -> None:
        self._entry = entry
        self._generation += 1
        self._clear_attachments()
        self._related = []
        if entry is not None:
            numbers = ([entry.amends_id] if entry.amends_id is not None else []) + list(
                entry.amended_by
            )
            self._related = [self._db.read(get_entry, number) for number in numbers]
            self._show_attachments(entry)
        self.empty.setVisible(entry is None)
        self.content.setVisible(entry is not None)
        self.retranslate()
        self.verticalScrollBar().setValue(0)

    def _clear_attachments(self) -> None:
        for tile in self.tiles:
            self.attachments_flow.removeWidget(tile)
            tile.hide()
            tile.deleteLater()
        self.tiles = []

    def _show_attachments(self, entry: Entry) -> None:
        for attachment in entry.attachments:
            tile = AttachmentTile(attachment)
            tile.save_requested.connect(self.save_attachment)
            self.attachments_flow.addWidget(tile)
            self.tiles.append(tile)
        images = [a for a in entry.attachments if a.is_image()]
        if not images:
            return
        generation = self._generation
        db = self._db

        def load() -> dict[int, QImage]:  # on a pool thread: read and decode the photos
            return {a.id: thumbnail(db.read(attachment_data, a.id), THUMBNAIL) for a in images}

        run_in_background(
            load,
            lambda found: self._thumbnails_loaded(generation, found),
            lambda error: self._thumbnails_loaded(generation, {}),
        )

    def _thumbnails_loaded(self, generation: int, found: dict[int, QImage]) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return  # another entry was selected meanwhile
        for tile in self.tiles:
            if tile.attachment.is_image():
                tile.set_thumbnail(found.get(tile.attachment.id, QImage()))

    def thumbnails_loaded(self) -> bool:
        return all(t.has_picture() for t in self.tiles if t.attachment.is_image())

    # -- saving an attachment ------------------------------------------------------
    def save_attachment(self, attachment: Attachment) -> Path | None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save attachment"), str(Path.home() / attachment.filename)
        )
        if not chosen:
            return None
        try:
            data = self._db.read(attachment_data, attachment.id)
            Path(chosen).write_bytes(data)
        except ObreroError as error:
            QMessageBox.warning(self, _("Cannot save the file"), error.message)
            return None
        except OSError as error:
            QMessageBox.warning(
                self,
                _("Cannot save the file"),
                _("{path} could not be written: {reason}").format(
                    path=chosen, reason=error.strerror or error
                ),
            )
            return None
        return Path(chosen)

    # -- texts ----------------------------------------------------------------------
    def retranslate(self) -> None:
        self.empty.setText(_("Select an entry to read it whole."))
        for field, label in self.labels.items():
            label.setText(_(FIELD_LABELS[field]) + ":")
        self.attachments_label.setText(_(FIELD_LABELS["attachments"]))
        self.hash_label.setText(_("Seal (SHA-256 hash)"))
        self.corrections_label.setText(_("Corrections"))
        for tile in self.tiles:
            tile.retranslate()
        entry = self._entry
        if entry is None:
            return
        heading = _("Entry {number} · {category}").format(
            number=entry.number, category=entry.category_text()
        )
        corrections = corrections_text(entry)
        self.heading.setText(f"{heading} · {corrections}" if corrections else heading)
        self.title.setText(entry.title)
        values = {
            "happened_at": format_datetime(entry.happened_at, self._time_zone),
            "recorded_at": format_datetime(entry.recorded_at, self._time_zone),
            "author_id": entry.author_name,
            "category": entry.category_text(),
            "place": entry.place,
            "people": entry.people,
        }
        for field, value in values.items():
            self.values[field].setText(value)
            self.form.setRowVisible(self.values[field], bool(value))
        self.text.setText(entry.text)
        self.text.setVisible(bool(entry.text))
        self.files.setVisible(bool(entry.attachments))
        # In groups of 16, so that the 64 digits wrap in a narrow pane.
        self.hash.setText(" ".join(entry.hash[i : i + 16] for i in range(0, 64, 16)))
        self._show_corrections(entry)

    def _show_corrections(self, entry: Entry) -> None:
        while self.corrections.count():
            widget = self.corrections.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.corrections_label.setVisible(bool(self._related))
        for related in self._related:
            if related.number == entry.amends_id:
                caption = _("This entry corrects entry {number}, which reads:")
            else:
                caption = _("Corrected by entry {number}, which reads:")
            self.corrections.addWidget(self._correction_box(related, caption))

    def _correction_box(self, related: Entry, caption: str) -> QFrame:
        box = QFrame()
        box.setObjectName("correction")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setStyleSheet("#correction { background: #fff8e1; border: 1px solid #e0c060; }")
        link = QLabel(
            f'<a href="{related.number}">{html.escape(caption.format(number=related.number))}</a>'
        )
        link.setObjectName("correctionLink")
        link.setWordWrap(True)
        link.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        link.setToolTip(_("Show entry {number}").format(number=related.number))
        link.linkActivated.connect(lambda number: self.entry_requested.emit(int(number)))
        when = _("{when}, by {author}").format(
            when=format_datetime(related.happened_at, self._time_zone), author=related.author_name
        )
        about = QLabel(when)
        title = _selectable(QLabel(related.title))
        bold = title.font()
        bold.setBold(True)
        title.setFont(bold)
        column = QVBoxLayout(box)
        column.setContentsMargins(8, 6, 8, 6)
        column.addWidget(link)
        column.addWidget(about)
        column.addWidget(title)
        if related.text:
            text = _selectable(QLabel(related.text))
            text.setTextFormat(Qt.TextFormat.PlainText)
            column.addWidget(text)
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        return box

    def related(self) -> list[Entry]:
        return list(self._related)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
