"""Where an export can go: the mounted USB sticks and disks first, then any folder."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QStorageInfo, Qt
from PySide6.QtWidgets import QApplication, QStyle

from obrero.i18n import _
from obrero.i18n.formatting import format_number

Index = QModelIndex | QPersistentModelIndex

# Where Linux desktops (udisks) and people by hand mount sticks and card readers.
REMOVABLE_ROOTS = ("/media", "/run/media", "/mnt")
# Filesystems that live in memory or are images: nowhere to keep an export.
_NOT_A_DISK = {"tmpfs", "devtmpfs", "ramfs", "squashfs", "overlay", "proc", "sysfs", "autofs"}
_SYSTEM_ROOTS = ("/boot", "/snap", "/proc", "/sys", "/dev", "/run", "/var", "/usr", "/opt")


@dataclass(frozen=True)
class Target:
    """A place to write the archive; ``path`` is None for "Another folder…"."""

    path: Path | None
    name: str = ""
    free: int = 0
    removable: bool = False


ANOTHER_FOLDER = Target(None)


def is_removable(root: str) -> bool:
    """A mount the desktop made for a stick or card (Linux); elsewhere none is assumed."""
    if not sys.platform.startswith("linux"):
        return False
    return any(root == top or root.startswith(top + "/") for top in REMOVABLE_ROOTS)


def _system_folder(root: str) -> bool:
    if is_removable(root):
        return False
    return any(root == top or root.startswith(top + "/") for top in _SYSTEM_ROOTS)


def volume_target(volume: QStorageInfo) -> Target | None:
    """The volume as a target, if one can write an archive there."""
    root = volume.rootPath()
    kind = volume.fileSystemType().data().decode(errors="replace")
    if not (volume.isValid() and volume.isReady()) or volume.isReadOnly():
        return None
    if kind in _NOT_A_DISK or _system_folder(root) or volume.bytesAvailable() <= 0:
        return None
    if not os.access(root, os.W_OK):
        return None
    removable = is_removable(root)
    # A stick without a label is still the stick; a fixed disk needs a name to be told apart.
    name = volume.name() or (Path(root).name if removable else "")
    if not name:
        return None
    return Target(Path(root), name, volume.bytesAvailable(), removable)


def export_targets(volumes: Iterable[QStorageInfo] | None = None) -> list[Target]:
    """The writable volumes, removable ones first, then "Another folder…"."""
    if volumes is None:
        volumes = QStorageInfo.mountedVolumes()
    found = [t for t in (volume_target(v) for v in volumes) if t is not None]
    found.sort(key=lambda t: (not t.removable, t.name.casefold()))
    return [*found, ANOTHER_FOLDER]


def format_size(size: int) -> str:
    """A size in bytes as people read it: "512 bytes", "3.4 MB", "14.7 GB"."""
    if size < 1024:
        return _("{size} bytes").format(size=format_number(size))
    units = (_("{size} KB"), _("{size} MB"), _("{size} GB"), _("{size} TB"))
    value = Decimal(size)
    for unit in units:
        value /= 1024
        if value < 1024 or unit is units[-1]:
            rounded = value.quantize(Decimal("1" if value >= 100 else "0.1"))
            return unit.format(size=format_number(rounded))
    raise AssertionError("unreachable")


class TargetsModel(QAbstractListModel):
    """The targets, each shown with its name, folder and free space."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._targets: list[Target] = [ANOTHER_FOLDER]

    def reload(self, targets: list[Target] | None = None) -> None:
        self.beginResetModel()
        self._targets = export_targets() if targets is None else targets
        self.endResetModel()

    def target(self, row: int) -> Target:
        return self._targets[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._targets)

    def refresh_texts(self) -> None:
        if self._targets:
            self.dataChanged.emit(self.index(0), self.index(len(self._targets) - 1))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        target = self._targets[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return target_text(target)
        if role == Qt.ItemDataRole.ToolTipRole:
            if target.path is None:
                return _("Choose any folder: on this computer, a disk or a network share")
            return str(target.path)
        if role == Qt.ItemDataRole.DecorationRole:
            style = QApplication.style()
            icon = (
                QStyle.StandardPixmap.SP_DirOpenIcon
                if target.path is None
                else QStyle.StandardPixmap.SP_DriveFDIcon
                if target.removable
                else QStyle.StandardPixmap.SP_DriveHDIcon
            )
            return style.standardIcon(icon)
        if role == Qt.ItemDataRole.UserRole:
            return target
        return None


def target_text(target: Target) -> str:
    if target.path is None:
        return _("Another folder…")
    kind = _("USB stick or card") if target.removable else _("Disk")
    free = _("{size} free").format(size=format_size(target.free))
    return f"{target.name} — {kind}\n{target.path} · {free}"
