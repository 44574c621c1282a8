"""How Obrero's lists look and behave: read-only rows, one selected at a time."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QTableView

View = TypeVar("View", bound=QTableView)


def list_of_rows(view: View, model: QAbstractItemModel) -> View:
    """Show ``model`` in ``view`` as a list: whole rows, one at a time, nothing edited in place."""
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    return view
