"""The copies of the database kept on this PC: list them, make one, put one back."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from obrero import profile as profiles
from obrero import settings as settings_service
from obrero.errors import ValidationError, ValidationErrors
from obrero.exchange import backups
from obrero.exchange.backups import Backup
from obrero.i18n import N_, _, ngettext
from obrero.i18n.formatting import format_datetime
from obrero.store.database import Database
from ui.background import run_with_progress
from ui.exchange.targets import format_size
from ui.form_errors import FieldErrors
from ui.questions import confirm
from ui.replacement import Replacement
from ui.tables import list_of_rows

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("made_at", "reason", "size")
COLUMN_LABELS = {"made_at": N_("Made on"), "reason": N_("Why"), "size": N_("Size")}


class BackupsModel(QAbstractTableModel):
    """The backups folder's copies, newest first."""

    columns = COLUMNS

    def __init__(self, db_path: Path, time_zone: str, parent=None) -> None:
        super().__init__(parent)
        self._db_path = db_path
        self.time_zone = time_zone
        self._rows: list[Backup] = []
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = backups.list_backups(self._db_path)
        self.endResetModel()

    def backup(self, row: int) -> Backup:
        return self._rows[row]

    def row_of(self, path: Path) -> int | None:
        return next((row for row, item in enumerate(self._rows) if item.path == path), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(COLUMN_LABELS[COLUMNS[section]])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        item = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "made_at":
                return format_datetime(item.made_at, self.time_zone)
            if column == "reason":
                return item.reason_text()
            return format_size(item.size)
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(item.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "size":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return item
        return None

    def refresh_texts(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1)
            )


# -- what to say after the window restored (the tab is gone by then) ------------------
def _restore(db_path: Path, backup: Path) -> Path | None:
    return backups.restore_backup(db_path, backup)


def restored_text(saved: Path | None) -> str:
    if saved is None:
        return _("The backup copy was put back; these are now the records.")
    return _(
        "The backup copy was put back; these are now the records.\n\n"
        "The records as they were before are kept in:\n{path}"
    ).format(path=saved)


class BackupsTab(QWidget):
    replace_requested = Signal(object)  # a Replacement, for the window to carry out

    def __init__(self, db: Database, parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self.errors = FieldErrors()
        self.model = BackupsModel(db.path, db.read(profiles.factory_time_zone), self)
        self._build()
        self.retranslate()
        self.keep.setValue(db.read(settings_service.get_settings).backups_to_keep)
        self.keep.valueChanged.connect(self.save_keep)
        self._update_buttons()

    def _build(self) -> None:
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = list_of_rows(QTableView(), self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("reason"), QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(110)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_count)
        self.count_label = QLabel()
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.back_up_button = QPushButton()
        self.back_up_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton()
        self.restore_button.clicked.connect(self.restore_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_up_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)

        self.keep_before = QLabel()
        self.keep = QSpinBox()
        self.keep.setRange(backups.MIN_KEEP, backups.MAX_KEEP)
        self.keep.setKeyboardTracking(False)  # saved when typed in full, not per digit
        self.keep_before.setBuddy(self.keep)
        self.keep_after = QLabel()
        keep_row = QHBoxLayout()
        keep_row.addWidget(self.keep_before)
        keep_row.addWidget(self.keep)
        keep_row.addWidget(self.keep_after)
        keep_row.addStretch(1)
        self.keep_error = self.errors.add("backups_to_keep", self.keep)
        self.keep_hint = QLabel()
        self.keep_hint.setWordWrap(True)
        self.keep_hint.setEnabled(False)  # greyed: an explanation

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.folder_label)
        layout.addSpacing(8)
        layout.addLayout(keep_row)
        layout.addWidget(self.keep_error)
        layout.addWidget(self.keep_hint)

    def retranslate(self) -> None:
        self.intro.setText(
            _(
                "Obrero copies the records on the first start of each day and before an "
                "import or a restore. A copy can be put back in place of the records."
            )
        )
        self.back_up_button.setText(_("Back up &now"))
        self.restore_button.setText(_("&Restore…"))
        self.restore_button.setToolTip(_("Put the selected copy back in place of the records"))
        self.folder_label.setText(
            _("Kept in {folder}").format(folder=backups.backups_dir(self._db.path))
        )
        # "Keep the last [14] daily backups", with the number in a box in the middle.
        before, _middle, after = _("Keep the last {n} daily backups").partition("{n}")
        self.keep_before.setText(before.strip())
        self.keep_after.setText(after.strip())
        self.keep_hint.setText(
            _(
                "Older daily copies are deleted, and so are older copies made before an "
                "import or a restore beyond the same number. Copies made by hand are kept."
            )
        )
        self.model.refresh_texts()
        self._update_count()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _update_count(self) -> None:
        count = self.model.rowCount()
        self.count_label.setText(
            ngettext("{n} backup copy", "{n} backup copies", count).format(n=count)
            if count
            else _("No backup copies yet.")
        )

    def selected(self) -> Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.backup(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def select(self, path: Path) -> None:
        row = self.model.row_of(path)
        if row is not None:
            self.table.selectRow(row)

    # -- actions -------------------------------------------------------------------
    def reload(self) -> None:
        self.model.reload()

    def save_keep(self, value: int) -> None:
        """Store how many copies to keep (read the settings, change only this one)."""
        try:
            current = self._db.read(settings_service.get_settings)
            self._db.write(settings_service.save_settings, replace(current, backups_to_keep=value))
        except (ValidationError, ValidationErrors) as error:
            self.errors.show(error)
            return
        self.errors.clear()

    def back_up_now(self) -> None:
        """Copy the database now, on a pool thread."""
        self.back_up_button.setEnabled(False)
        path = self._db.path
        run_with_progress(
            self,
            _("Making a backup copy…"),
            lambda: backups.backup_now(path, "manual"),
            self._backed_up,
            _("Cannot make a backup copy"),
            after_failure=self._enable_back_up,
        )

    def _enable_back_up(self) -> None:
        if shiboken6.isValid(self):
            self.back_up_button.setEnabled(True)

    def _backed_up(self, copy: Path) -> None:
        if not shiboken6.isValid(self):
            return
        self._enable_back_up()
        self.reload()
        self.select(copy)

    def restore_selected(self) -> None:
        """Put the selected copy back, after asking; the window closes and reopens the file."""
        chosen = self.selected()
        if chosen is None:
            return
        when = format_datetime(chosen.made_at, self.model.time_zone)
        if not confirm(
            self,
            _("Put back this copy?"),
            _(
                "The records will be replaced by the copy made on {when} ({reason}). "
                "Whatever was recorded after it is no longer shown.\n\n"
                "The current records are kept first as a copy in:\n{folder}"
            ).format(
                when=when,
                reason=chosen.reason_text(),
                folder=backups.backups_dir(self._db.path),
            ),
            _("&Put the copy back"),
        ):
            return
        self.replace_requested.emit(
            Replacement(
                work=partial(_restore, backup=chosen.path),
                busy_text=_("Putting back the copy of {when}…").format(when=when),
                done_title=_("Copy put back"),
                done_text=restored_text,
                failure_title=_("Cannot put the copy back"),
            )
        )
