"""Per-field error messages under the inputs of a form."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QVBoxLayout, QWidget

from obrero.errors import ObreroError, ValidationError, ValidationErrors
from obrero.i18n import _

T = TypeVar("T")


def error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("fieldError")
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    label.hide()
    return label


class FieldErrors:
    """Maps field names to their input widget and the error label beneath it."""

    def __init__(self) -> None:
        self._inputs: dict[str, QWidget] = {}
        self._labels: dict[str, QLabel] = {}

    def add(self, field: str, widget: QWidget) -> QLabel:
        label = error_label()
        self._inputs[field] = widget
        self._labels[field] = label
        return label

    def field(self, field: str, widget: QWidget) -> QWidget:
        """``widget`` with its (hidden until needed) error label beneath, for a form row."""
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(self.add(field, widget))
        return holder

    def clear(self) -> None:
        for label in self._labels.values():
            label.clear()
            label.hide()

    def show(self, error: ValidationError | ValidationErrors) -> None:
        """Show each message beside its field and focus the first wrong field."""
        self.clear()
        errors = error.errors if isinstance(error, ValidationErrors) else [error]
        first: QWidget | None = None
        for item in errors:
            label = self._labels.get(item.field)
            if label is None:
                continue
            label.setText(item.message if not label.text() else f"{label.text()}\n{item.message}")
            label.show()
            first = first or self._inputs[item.field]
        if first is not None:
            first.setFocus()
            # A dialog makes room for the messages now, so none is drawn clipped.
            window = first.window()
            if isinstance(window, QDialog):
                window.adjustSize()

    def message(self, field: str) -> str:
        label = self._labels[field]
        return label.text() if label.isVisibleTo(label.parentWidget()) else ""

    def unplaced(self, error: ValidationError | ValidationErrors) -> list[str]:
        """Messages for fields this form has no place for."""
        errors = error.errors if isinstance(error, ValidationErrors) else [error]
        return [item.message for item in errors if item.field not in self._labels]


def save_form(dialog: QWidget, errors: FieldErrors, write: Callable[[], T]) -> T | None:
    """Run a form's write; on bad input mark the fields and return ``None``.

    Messages for fields the form has no place for, and any other refusal
    (a locked period, a busy database), are shown in a message box.
    """
    try:
        return write()
    except (ValidationError, ValidationErrors) as error:
        errors.show(error)
        stray = errors.unplaced(error)
        if stray:
            QMessageBox.warning(dialog, _("Cannot save"), "\n".join(stray))
    except ObreroError as error:
        QMessageBox.warning(dialog, _("Cannot save"), error.message)
    return None
