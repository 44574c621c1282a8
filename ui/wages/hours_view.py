"""The hours grid as the secretary types into it: a number, Enter, the next member's number.

Typing a digit on a member starts editing the hours cell; Enter, Down or Tab
keeps what was typed and moves to the next member, Up or Shift+Tab to the one
before. Tab on the last member leaves the grid, so the keyboard is never trapped.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QTableView,
    QWidget,
)

_NEXT = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down, Qt.Key.Key_Tab)
_PREVIOUS = (Qt.Key.Key_Up, Qt.Key.Key_Backtab)


class HoursDelegate(QStyledItemDelegate):
    """A plain line edit; keys that move on commit the value first."""

    step = Signal(int)  # +1: the next member, -1: the one before

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._editor: QLineEdit | None = None

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        editor.setFrame(False)
        self._editor = editor
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        assert isinstance(editor, QLineEdit)
        editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:
        assert isinstance(editor, QLineEdit)
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)

    def commit_open_editor(self) -> None:
        """Keep what is being typed (before saving, say) and close the editor."""
        editor = self._editor
        if editor is not None and shiboken6.isValid(editor) and editor.isVisible():
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        self._editor = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(watched, QLineEdit):
            key = event.key()
            shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            if key in _NEXT or key in _PREVIOUS:
                back = key in _PREVIOUS or (key == Qt.Key.Key_Tab and shift)
                self.commitData.emit(watched)
                self.closeEditor.emit(watched, QAbstractItemDelegate.EndEditHint.NoHint)
                self._editor = None
                self.step.emit(-1 if back else 1)
                return True
        return super().eventFilter(watched, event)


class HoursView(QTableView):
    """The grid; the current cell is always in the hours column."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.delegate = HoursDelegate(self)
        self.delegate.step.connect(self.move_by)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.set_editable(False)

    def setModel(self, model) -> None:
        super().setModel(model)
        self.hours_column = model.column("hours")
        self.setItemDelegateForColumn(self.hours_column, self.delegate)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(model.column("name"), QHeaderView.ResizeMode.Stretch)
        self.selectionModel().currentChanged.connect(self._keep_in_hours_column)

    def set_editable(self, editable: bool) -> None:
        triggers = QAbstractItemView.EditTrigger
        self.setEditTriggers(
            triggers.AnyKeyPressed | triggers.DoubleClicked | triggers.EditKeyPressed
            if editable
            else triggers.NoEditTriggers
        )

    def commit_editing(self) -> None:
        self.delegate.commit_open_editor()

    def go_to(self, row: int) -> None:
        if 0 <= row < self.model().rowCount():
            index = self.model().index(row, self.hours_column)
            self.setCurrentIndex(index)
            self.scrollTo(index)

    def move_by(self, step: int) -> bool:
        row = self.currentIndex().row() + step
        if 0 <= row < self.model().rowCount():
            self.go_to(row)
            return True
        return False

    def _keep_in_hours_column(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.column() != self.hours_column:
            self.setCurrentIndex(current.siblingAtColumn(self.hours_column))

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if self.state() != QAbstractItemView.State.EditingState and self.currentIndex().isValid():
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.move_by(1)
                return
            if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                back = key == Qt.Key.Key_Backtab or (
                    event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                )
                if self.move_by(-1 if back else 1):
                    return
                event.ignore()  # past the first or last member: leave the grid
                return
        super().keyPressEvent(event)
