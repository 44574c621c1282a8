"""Hours worked, read from a spreadsheet's CSV export, for a period's hours grid.

The sheet a factory keeps is whatever its spreadsheet exports: UTF-8 with or
without a byte-order mark (or Windows-1252 from an older Excel), ``;`` or ``,``
or tab between columns, decimal commas, a header row in Spanish, Portuguese or
English. Columns are found by the words of their header, ignoring case and
accents: the national id (DNI, Documento, CPF, Cédula...), the name, and every
column of hours (Horas normales, Horas extra...), which are added up; a column
of total hours, when there is one, is taken alone instead.

Reading never stores anything: it returns every row with the member it matched
and every problem, each naming its line. Applying is all or nothing: a file
with any problem is refused whole, so the grid never ends up half-imported.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from obrero.errors import ValidationError, ValidationErrors
from obrero.i18n import _
from obrero.i18n.formatting import format_date, format_number, parse_number
from obrero.members import days_on_roll, national_id_key, search_key
from obrero.profile import get_profile
from obrero.store.models import MemberRow
from obrero.wages.periods import Period, get_period, set_hours

DELIMITERS = (";", ",", "\t")
# Words of a header cell (lower case, no accents) that name each kind of column.
ID_WORDS = frozenset(
    {"dni", "documento", "doc", "cpf", "cedula", "ci", "rg", "cuil", "cuit", "identidad"}
)
ID_PHRASES = ("national id", "id number", "nro de documento")
NAME_WORDS = frozenset({"nombre", "nombres", "apellido", "apellidos", "nome", "name", "socio"})
HOURS_WORDS = frozenset({"horas", "hora", "hs", "hrs", "hours", "hour"})
TOTAL_WORDS = frozenset({"total", "totales"})
# How far down a sheet may start (a title or a date above the header).
HEADER_SEARCH_LINES = 10
WORKBOOK_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx/.ods (zip), .xls


@dataclass(frozen=True)
class HoursRow:
    """One line of the file: what it says, and the member it names (if any)."""

    line: int
    national_id: str  # as written in the file
    name: str  # as written in the file
    member_id: int | None
    hours: Decimal


@dataclass(frozen=True)
class HoursImport:
    rows: tuple[HoursRow, ...]
    problems: tuple[str, ...]  # translated, each naming its line
    hours_columns: tuple[str, ...] = ()  # the headers whose hours were added up

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    def hours(self) -> dict[int, Decimal]:
        """Member id -> hours, for :func:`~obrero.wages.periods.set_hours`."""
        return {row.member_id: row.hours for row in self.rows if row.member_id is not None}


def read_hours(
    session: Session, data: bytes, period_id: int, language: str | None = None
) -> HoursImport:
    """Read the hours in ``data`` (a CSV file's bytes) for the period; stores nothing.

    ``language`` is how the file writes numbers ("es": 8,5); by default the factory
    profile's document language.
    """
    period = get_period(session, period_id)
    profile = get_profile(session)
    if language is None and profile is not None:
        language = profile.document_language
    country = profile.country if profile is not None else None
    text, problem = _decode(data)
    if problem:
        return HoursImport((), (problem,))
    table = _table(text)
    if table is None:
        return HoursImport((), (_("The file is empty."),))
    delimiter, header_line, columns = table
    problems = _missing_columns(columns)
    if problems:
        return HoursImport((), tuple(problems))
    reader = _Reader(session, period, language, country, columns)
    reader.read(text, delimiter, header_line)
    problems = reader.problems
    if not reader.rows and not problems:
        problems = [_("The file has no lines of hours under its header.")]
    hours_columns = tuple(columns.headers[index] for index in columns.hours)
    return HoursImport(tuple(reader.rows), tuple(problems), hours_columns)


def apply_hours(session: Session, period_id: int, imported: HoursImport) -> None:
    """Store the imported hours in the period, only when the file had no problem at all."""
    problems = list(imported.problems)
    if not problems and not imported.rows:
        problems = [_("The file has no lines of hours under its header.")]
    if problems:
        raise ValidationErrors([ValidationError("hours_file", problem) for problem in problems])
    set_hours(session, period_id, imported.hours())


# --- the text and its columns --------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    """The file's text, or a problem saying why it is not a CSV export."""
    if data.startswith(WORKBOOK_SIGNATURES):
        return "", _(
            "This is a spreadsheet workbook, not a CSV file: in the spreadsheet, save the "
            "sheet as CSV and import that file."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), ""
    if b"\x00" in data:
        return "", _("This file is not text; import the sheet saved as CSV.")
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        pass
    # Older spreadsheets save CSV in the PC's code page: Windows-1252 (a superset of Latin-1).
    try:
        return data.decode("cp1252"), ""
    except UnicodeDecodeError:
        return data.decode("latin-1"), ""


@dataclass(frozen=True)
class _Columns:
    headers: tuple[str, ...]
    national_id: int | None
    name: int | None
    hours: tuple[int, ...]


def _words(header: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", search_key(header))


def _columns(header: Sequence[str]) -> _Columns:
    national_id = name = None
    hours: list[int] = []
    totals: list[int] = []
    for index, cell in enumerate(header):
        words = set(_words(cell))
        phrase = " ".join(_words(cell))
        if words & HOURS_WORDS:
            (totals if words & TOTAL_WORDS else hours).append(index)
        elif national_id is None and (
            words & ID_WORDS or any(found in phrase for found in ID_PHRASES)
        ):
            national_id = index
        elif name is None and words & NAME_WORDS:
            name = index
    # A total column already adds up the others: take it alone, never twice.
    chosen = totals[:1] if totals else hours
    return _Columns(tuple(cell.strip() for cell in header), national_id, name, tuple(chosen))


def _table(text: str) -> tuple[str, int, _Columns] | None:
    """The delimiter, the header's line number and its columns; None for an empty file.

    Each delimiter is tried on the first lines (a title may stand above the header);
    the first line naming both an id and an hours column is the header. Failing that,
    the first line split by the delimiter that splits it the most.
    """
    best: tuple[int, str, int, _Columns] | None = None
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        first: tuple[int, str, int, _Columns] | None = None
        for record in reader:
            if reader.line_num > HEADER_SEARCH_LINES:
                break
            if not any(cell.strip() for cell in record):
                continue
            columns = _columns(record)
            if len(record) > 1 and columns.national_id is not None and columns.hours:
                return delimiter, reader.line_num, columns
            first = first or (len(record), delimiter, reader.line_num, columns)
        if first is not None and (best is None or first[0] > best[0]):
            best = first
    if best is None:
        return None
    _count, delimiter, line, columns = best
    return delimiter, line, columns


def _missing_columns(columns: _Columns) -> list[str]:
    problems = []
    if columns.national_id is None:
        problems.append(
            _(
                "No column of national ids was found: name it in the first line, "
                "e.g. “DNI”, “Documento” or “CPF”."
            )
        )
    if not columns.hours:
        problems.append(
            _(
                "No column of hours was found: name it in the first line, "
                "e.g. “Horas normales” or “Horas extra”."
            )
        )
    return problems


# --- the rows ------------------------------------------------------------------------------------


class _Reader:
    """Reads the lines under the header, matching members and collecting problems."""

    def __init__(
        self,
        session: Session,
        period: Period,
        language: str | None,
        country: str | None,
        columns: _Columns,
    ) -> None:
        self.session = session
        self.period = period
        self.language = language
        self.country = country
        self.columns = columns
        self.rows: list[HoursRow] = []
        self.problems: list[str] = []
        self.first_line: dict[int, int] = {}  # member id -> the line that named them first

    def read(self, text: str, delimiter: str, header_line: int) -> None:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        records = []
        for record in reader:
            if reader.line_num > header_line:
                records.append((reader.line_num, record))
        keys = {
            national_id_key(self._cell(record, self.columns.national_id)) for _l, record in records
        }
        members = self._members(keys)
        for line, record in records:
            self._row(line, record, members)

    def _members(self, keys: set[str]) -> dict[str, MemberRow]:
        """Members by national id key; a CUIL/CUIT (11 digits) finds the DNI inside it too."""
        wanted = {key for key in keys if key} | {
            key[2:10] for key in keys if len(key) == 11 and key.isdigit()
        }
        found = self.session.scalars(select(MemberRow).where(MemberRow.national_id_key.in_(wanted)))
        return {member.national_id_key: member for member in found}

    @staticmethod
    def _cell(record: Sequence[str], index: int | None) -> str:
        if index is None or index >= len(record):
            return ""
        return record[index].strip()

    def _row(self, line: int, record: list[str], members: dict[str, MemberRow]) -> None:
        if not any(cell.strip() for cell in record):
            return
        written_id = self._cell(record, self.columns.national_id)
        name = self._cell(record, self.columns.name)
        if not written_id:
            # A totals line at the foot of the sheet, or a line with no id at all.
            if not TOTAL_WORDS & set(_words(name)) and self._has_hours(record):
                self.problems.append(
                    _("Line {line}: the national id is missing.").format(line=line)
                )
            return
        hours = self._hours(line, record)
        key = national_id_key(written_id)
        found = members.get(key)
        if found is None and len(key) == 11 and key.isdigit():
            found = members.get(key[2:10])
        if found is None:
            self.problems.append(self._unknown(line, written_id, name))
        elif found.id in self.first_line:
            self.problems.append(
                _("Line {line}: {name} ({national_id}) is already on line {first}.").format(
                    line=line,
                    name=found.full_name,
                    national_id=written_id,
                    first=self.first_line[found.id],
                )
            )
        else:
            self.first_line[found.id] = line
            if not days_on_roll(found, self.period.start, self.period.end):
                self.problems.append(
                    _("Line {line}: {name} was not on the roll between {start} and {end}.").format(
                        line=line,
                        name=found.full_name,
                        start=format_date(self.period.start),
                        end=format_date(self.period.end),
                    )
                )
        if hours is not None:
            self._check(line, hours, found.full_name if found else name or written_id)
        self.rows.append(
            HoursRow(
                line=line,
                national_id=written_id,
                name=name,
                member_id=found.id if found else None,
                hours=hours if hours is not None else Decimal(0),
            )
        )

    def _unknown(self, line: int, written_id: str, name: str) -> str:
        if name:
            return _("Line {line}: no member has the national id {national_id} ({name}).").format(
                line=line, national_id=written_id, name=name
            )
        return _("Line {line}: no member has the national id {national_id}.").format(
            line=line, national_id=written_id
        )

    def _has_hours(self, record: list[str]) -> bool:
        return any(self._cell(record, index) for index in self.columns.hours)

    def _hours(self, line: int, record: list[str]) -> Decimal | None:
        """The sum of the row's hours columns; None (with a problem) if one is no number."""
        total = Decimal(0)
        for index in self.columns.hours:
            cell = self._cell(record, index)
            if not cell:
                continue
            value = self._number(cell)
            if value is None:
                self.problems.append(
                    _("Line {line}: “{text}” under “{column}” is not a number of hours.").format(
                        line=line, text=cell, column=self.columns.headers[index]
                    )
                )
                return None
            total += value
        return total

    def _number(self, text: str) -> Decimal | None:
        try:
            return parse_number(text, self.language, self.country)
        except ValueError:
            pass
        # A decimal comma from a sheet in another language than the one expected.
        if re.fullmatch(r"-?\d+,\d{1,2}", text.replace(" ", "")):
            return Decimal(text.replace(" ", "").replace(",", "."))
        return None

    def _check(self, line: int, hours: Decimal, who: str) -> None:
        if hours < 0:
            self.problems.append(
                _("Line {line}: the hours of {name} cannot be negative.").format(
                    line=line, name=who
                )
            )
        elif hours > self.period.max_hours:
            message = _(
                "Line {line}: {hours} hours for {name} is more than the {most} this period allows."
            )
            self.problems.append(
                message.format(
                    line=line,
                    hours=format_number(hours),
                    name=who,
                    most=format_number(self.period.max_hours),
                )
            )
        elif hours != hours.quantize(Decimal("0.01")):
            self.problems.append(
                _("Line {line}: hours have at most two decimals.").format(line=line)
            )
