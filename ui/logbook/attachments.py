"""Attachments: thumbnails decoded at the size shown, sizes as people read them, a flow
of tiles."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QImage, QImageReader
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget

from obrero.i18n import _, ngettext
from obrero.i18n.formatting import format_number


def thumbnail(data: bytes, box: QSize) -> QImage:
    """The image in ``data`` fitted into ``box``; a null image if it is no image Qt reads.

    The reader decodes at the reduced size (much faster for large JPEG photos) and
    turns the photo upright as the camera recorded it. Safe off the UI thread.
    """
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and (size.width() > box.width() or size.height() > box.height()):
        reader.setScaledSize(size.scaled(box, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    buffer.close()
    if image.isNull():
        return image
    if image.width() > box.width() or image.height() > box.height():
        # A photo turned upright may no longer fit the box it was scaled for.
        image = image.scaled(
            box, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    return image


def format_size(size: int) -> str:
    """``532 bytes``, ``48 KB``, ``3.4 MB`` (numbers in the UI language)."""
    if size < 1024:
        return ngettext("{n} byte", "{n} bytes", size).format(n=size)
    if size < 1024 * 1024:
        return _("{size} KB").format(size=format_number(round(size / 1024)))
    return _("{size} MB").format(size=format_number(round(size / 1024 / 1024, 1)))


class FlowLayout(QLayout):
    """Lays its widgets out in rows, wrapping to the next row as the width runs out."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 8) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, move: bool) -> int:
        x, y, row_height = rect.x(), rect.y(), 0
        for item in self._items:
            if item.widget() is not None and item.widget().isHidden():
                continue
            hint = item.sizeHint()
            if x > rect.x() and x + hint.width() > rect.right() + 1:
                x, y, row_height = rect.x(), y + row_height + self._spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            row_height = max(row_height, hint.height())
        return y + row_height - rect.y()
