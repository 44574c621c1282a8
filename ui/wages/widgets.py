"""Small widgets the Wages area's tabs share."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView

from obrero.errors import ValidationError
from obrero.i18n import _
from obrero.i18n.formatting import parse_number
from ui.tables import list_of_rows


def read_amount(text: str, country: str, field: str = "amount") -> Decimal:
    """A typed amount of money; ValidationError on ``field`` if it is empty or no number."""
    text = text.strip()
    if not text:
        raise ValidationError(field, _("Type the amount."))
    try:
        return parse_number(text, None, country)
    except ValueError:
        raise ValidationError(field, _("“{text}” is not an amount.").format(text=text)) from None


def note_label(red: bool = False) -> QLabel:
    """A wrapping line of explanation (red for a problem)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)  # names and labels typed by people
    label.setWordWrap(True)
    if red:
        label.setStyleSheet("color: #b00020;")
    return label


def table_view(model, stretch: str | None = None) -> QTableView:
    """A read-only table of whole rows, one selected at a time; ``stretch`` takes the room."""
    view = list_of_rows(QTableView(), model)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        header.setSectionResizeMode(model.column(stretch), QHeaderView.ResizeMode.Stretch)
    return view
