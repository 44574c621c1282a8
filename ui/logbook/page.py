"""The Logbook area: the timeline with its filters, the selected entry, the chain head."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from obrero import members
from obrero import profile as profiles
from obrero.errors import ValidationError, ValidationErrors
from obrero.i18n import _, ngettext
from obrero.i18n.formatting import date_placeholder, parse_date
from obrero.logbook.chain import ChainReport, head_code, stored_head
from obrero.logbook.entries import CATEGORIES, Entry, EntryFilter
from obrero.store.database import Database
from ui.form_errors import FieldErrors
from ui.logbook.chain_view import ChainVerification, HeadPanel, broken_text
from ui.logbook.detail import EntryDetail
from ui.logbook.entry_dialog import EntryDialog
from ui.logbook.extract_dialog import ExtractDialog
from ui.logbook.model import COLUMNS, LogbookTableModel
from ui.tables import list_of_rows

SEARCH_DELAY_MS = 200
ANY = None  # the "all categories" / "anyone" choice of a filter combo


class LogbookPage(QWidget):
    chain_checked = Signal(object)  # a ChainReport, after "Verify now"
    entry_saved = Signal(object)  # the Entry just written

    def __init__(self, db: Database, parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self._time_zone = self._profile_time_zone()
        self.last_author_id: int | None = None  # who wrote the last entry in this session
        self.verification: ChainVerification | None = None
        self.errors = FieldErrors()
        self.model = LogbookTableModel(db, self._time_zone, self)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self._build()
        self.retranslate()
        self.refresh_head()

    def _profile_time_zone(self) -> str:
        return self._db.read(profiles.factory_time_zone)

    # -- building ------------------------------------------------------------
    def _build(self) -> None:
        self.new_button = QPushButton()
        self.new_button.clicked.connect(self.new_entry)
        self.amend_button = QPushButton()
        self.amend_button.clicked.connect(self.amend_selected)
        self.extract_button = QPushButton()
        self.extract_button.clicked.connect(self.certified_extract)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_timer.start)
        actions = QHBoxLayout()
        actions.addWidget(self.new_button)
        actions.addWidget(self.amend_button)
        actions.addWidget(self.extract_button)
        actions.addWidget(self.search, 1)

        self.since = QLineEdit()
        self.until = QLineEdit()
        self.since_label, self.until_label = QLabel(), QLabel()
        for label, edit in ((self.since_label, self.since), (self.until_label, self.until)):
            label.setBuddy(edit)
            edit.setMaximumWidth(120)
            edit.setClearButtonEnabled(True)
            edit.editingFinished.connect(self.apply_filters)
        self.category = QComboBox()
        self.category.addItem("", ANY)
        for code in CATEGORIES:
            self.category.addItem("", code)
        self.category.currentIndexChanged.connect(self.apply_filters)
        self.author = QComboBox()
        self.author.setMinimumContentsLength(16)
        self.author.addItem("", ANY)
        self.author.currentIndexChanged.connect(self.apply_filters)
        self._fill_authors()
        filters = QHBoxLayout()
        filters.addWidget(self.since_label)
        filters.addWidget(self.since)
        filters.addWidget(self.until_label)
        filters.addWidget(self.until)
        filters.addSpacing(8)
        filters.addWidget(self.category)
        filters.addWidget(self.author)
        filters.addStretch(1)
        date_errors = QVBoxLayout()
        date_errors.setSpacing(0)
        for field, edit in (("since", self.since), ("until", self.until)):
            date_errors.addWidget(self.errors.add(field, edit))

        self.table = list_of_rows(QTableView(), self.model)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COLUMNS.index("title"), QHeaderView.ResizeMode.Stretch)
        widths = {"id": 44, "happened_at": 118, "category": 120, "author_id": 130}
        widths |= {"attachments": 44, "corrections": 116}
        for column, width in widths.items():
            self.table.setColumnWidth(COLUMNS.index(column), width)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._update_count)
        self.model.modelReset.connect(self._selection_changed)
        self.count_label = QLabel()

        self.head = HeadPanel()
        self.head.verify_requested.connect(self.verify_now)
        self.detail = EntryDetail(self._db, self._time_zone)
        self.detail.entry_requested.connect(self.show_entry)

        # The timeline above; the selected entry below it, beside the chain head.
        timeline = QWidget()
        column = QVBoxLayout(timeline)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.table, 1)
        column.addWidget(self.count_label)
        below = QWidget()
        row = QHBoxLayout(below)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.detail, 1)
        row.addWidget(self.head)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(timeline)
        self.splitter.addWidget(below)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([260, 320])

        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addLayout(filters)
        layout.addLayout(date_errors)
        layout.addWidget(self.splitter, 1)

        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_entry)
        self._selection_changed()

    def _fill_authors(self) -> None:
        """Everyone who is or was on the roll; keeps the current choice."""
        current = self.author.currentData()
        everyone = self._db.read(members.find_members, "", 0, 100_000)
        self.author.blockSignals(True)
        while self.author.count() > 1:
            self.author.removeItem(1)
        for member in everyone:
            self.author.addItem(member.full_name, member.id)
        self.author.setCurrentIndex(max(0, self.author.findData(current)))
        self.author.blockSignals(False)

    def retranslate(self) -> None:
        self.new_button.setText(_("&New entry…"))
        self.new_button.setToolTip(_("Write what happened (Ctrl+L from anywhere)"))
        self.amend_button.setText(_("&Amend…"))
        self.amend_button.setToolTip(
            _("Write a correction of the selected entry; the original stays as it was")
        )
        self.extract_button.setText(_("Certified e&xtract…"))
        self.extract_button.setToolTip(
            _("A PDF of the entries shown, with the chain head, for a judge or a lawyer")
        )
        self.search.setPlaceholderText(_("Search the title, text, place and people (Ctrl+F)"))
        self.since_label.setText(_("From:"))
        self.until_label.setText(_("To:"))
        for edit in (self.since, self.until):
            edit.setPlaceholderText(date_placeholder())
        self.category.setItemText(0, _("All categories"))
        for row in range(1, self.category.count()):
            self.category.setItemText(row, _(CATEGORIES[self.category.itemData(row)]))
        self.author.setItemText(0, _("Anyone"))
        self.author.setToolTip(_("Written by"))
        self.model.refresh_texts()
        self._update_count()

    def extract_dialog(self) -> ExtractDialog:
        """The extract dialog, filled with the period and category the list shows."""
        code = self.category.currentData()
        return ExtractDialog(
            self._db,
            self.since.text(),
            self.until.text(),
            frozenset() if code == ANY else frozenset({code}),
            self,
        )

    def certified_extract(self) -> None:
        dialog = self.extract_dialog()
        dialog.written.connect(self._extract_written)
        dialog.exec()

    def _extract_written(self, path) -> None:
        QMessageBox.information(
            self, _("Extract written"), _("The certified extract is in {path}.").format(path=path)
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def showEvent(self, event) -> None:
        # The roll or the factory's time zone may have changed on another page.
        self._fill_authors()
        self.refresh_head()
        zone = self._profile_time_zone()
        if zone != self._time_zone:
            self._time_zone = zone
            self.model.set_time_zone(zone)
            self.detail.set_time_zone(zone)
        super().showEvent(event)

    # -- filtering -------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def flush_search(self) -> None:
        """Apply a pending search now (instead of after the typing pause)."""
        if self._search_timer.isActive():
            self._search_timer.stop()
            self.apply_filters()

    def _read_dates(self) -> tuple[date | None, date | None]:
        errors: list[ValidationError] = []
        days: dict[str, date | None] = {}
        for field, edit in (("since", self.since), ("until", self.until)):
            try:
                days[field] = parse_date(edit.text())
            except ValueError:
                days[field] = None
                errors.append(
                    ValidationError(
                        field,
                        _("“{text}” is not a date; type it as {pattern}.").format(
                            text=edit.text().strip(), pattern=date_placeholder()
                        ),
                    )
                )
        since, until = days["since"], days["until"]
        if since and until and until < since:
            errors.append(ValidationError("until", _("The end date is before the start date.")))
        if errors:
            raise ValidationErrors(errors)
        return since, until

    def criteria(self) -> EntryFilter:
        """The filter as typed and chosen; :class:`ValidationErrors` for a wrong date."""
        since, until = self._read_dates()
        category = self.category.currentData()
        return EntryFilter(
            since=since,
            until=until,
            categories=frozenset([category]) if category else frozenset(),
            author_id=self.author.currentData(),
            search=self.search.text(),
            time_zone=self._time_zone,
        )

    def apply_filters(self) -> None:
        self._search_timer.stop()
        try:
            criteria = self.criteria()
        except ValidationErrors as error:
            focused = self.focusWidget()
            self.errors.show(error)
            if focused is not None:
                focused.setFocus()  # the message shows; typing is not interrupted
            return
        self.errors.clear()
        if criteria != self.model.criteria():
            selected = self.selected_entry()
            self.model.reload(criteria)
            # Keep the entry being read if the new filter still shows it.
            row = self.model.row_of(selected.number) if selected is not None else None
            if row is not None:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))

    def clear_filters(self) -> None:
        for widget in (self.since, self.until, self.search):
            widget.blockSignals(True)
            widget.clear()
            widget.blockSignals(False)
        for combo in (self.category, self.author):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.errors.clear()
        self.apply_filters()

    # -- the selected entry ----------------------------------------------------------
    def selected_entry(self) -> Entry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    def _selection_changed(self, *_args: QItemSelection) -> None:
        entry = self.selected_entry()
        if entry != self.detail.entry():
            self.detail.show_entry(entry)
        self.amend_button.setEnabled(entry is not None)

    def show_entry(self, number: int) -> bool:
        """Select entry ``number`` (clearing the filters if they hide it)."""
        row = self.model.find_row(number)
        if row is None:
            self.clear_filters()
            row = self.model.find_row(number)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    # -- writing ---------------------------------------------------------------
    def new_entry(self) -> Entry | None:
        return self._write(None)

    def amend_selected(self) -> Entry | None:
        entry = self.selected_entry()
        return self._write(entry) if entry is not None else None

    def _write(self, amends: Entry | None) -> Entry | None:
        dialog = EntryDialog(self._db, self._time_zone, self.last_author_id, amends, self)
        accepted = dialog.exec() == EntryDialog.DialogCode.Accepted
        saved = dialog.saved
        dialog.deleteLater()
        if not accepted or saved is None:
            return None
        self.last_author_id = saved.author_id
        self._fill_authors()
        self.model.reload()
        self.refresh_head()
        self.show_entry(saved.number)
        self.entry_saved.emit(saved)
        return saved

    # -- the chain -------------------------------------------------------------
    def refresh_head(self) -> None:
        count, entry_hash = self._db.read(stored_head)
        self.head.set_head(count, entry_hash)

    def head_code_text(self) -> str:
        count, entry_hash = self.head.head()
        return head_code(entry_hash) if count else ""

    def verify_now(self) -> None:
        if self.verification is not None:
            return  # one at a time
        self.head.verify_button.setEnabled(False)
        self.verification = ChainVerification(self._db, self)
        self.verification.finished.connect(self._verified)
        self.verification.failed.connect(self._verify_failed)
        self.verification.start()

    def _verification_over(self) -> None:
        if self.verification is not None:
            self.verification.deleteLater()
            self.verification = None
        self.head.verify_button.setEnabled(True)

    def _verified(self, report: ChainReport | None) -> None:
        self._verification_over()
        if report is None:
            return  # cancelled
        self.chain_checked.emit(report)
        if report.intact:
            QMessageBox.information(
                self,
                _("Logbook chain intact"),
                ngettext(
                    "The chain is intact: {n} entry, each matching its seal. Head: {code}.",
                    "The chain is intact: {n} entries, each matching its seal. Head: {code}.",
                    report.count,
                ).format(n=report.count, code=head_code(report.head)),
            )
        else:
            QMessageBox.warning(self, _("Logbook chain broken"), broken_text(report))

    def _verify_failed(self, error: Exception) -> None:
        self._verification_over()
        message = getattr(error, "message", None) or str(error)
        QMessageBox.warning(self, _("Cannot verify the logbook"), message)

    def _update_count(self) -> None:
        total = self.model.total()
        self.count_label.setText(ngettext("{n} entry", "{n} entries", total).format(n=total))
