"""Every table of a database snapshot as CSV files and as the sheets of one ODS file.

These copies are for people: a lawyer or an assembly opens them in a spreadsheet
without Obrero. The database in the archive stays the copy Obrero restores.

- CSV: UTF-8 with a BOM (so spreadsheets pick the encoding), ``;`` as delimiter
  where the decimal separator is a comma, a header row of column names. A text
  cell that a spreadsheet would run as a formula (it starts with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return) gets a leading ``'``.
- ODS: one sheet per table, written with odfpy. Text cells are typed as text,
  so they are never formulas and keep their characters as they are; numbers are
  typed as numbers.
- Binary columns (photos, scans) appear as their SHA-256 and size, never their bytes.

The FTS index (a copy of the logbook's text), Alembic's bookkeeping and the
audit context (who is working right now) are not records and are left out.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path

from odf.element import Text
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TextProperties
from odf.table import Table, TableColumn

SKIPPED_TABLES = frozenset({"alembic_version", "audit_context"})
# Languages whose documents write numbers with a decimal comma: their spreadsheets
# expect ";" between fields.
DECIMAL_COMMA_LANGUAGES = frozenset({"es", "pt_BR"})
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_STYLE = "ObreroHeader"


def csv_delimiter(document_language: str) -> str:
    """The field delimiter spreadsheets expect for a factory writing in ``document_language``."""
    return ";" if document_language in DECIMAL_COMMA_LANGUAGES else ","


def exported_tables(connection: sqlite3.Connection) -> list[str]:
    """The tables of records in the database, by name (no FTS index, no bookkeeping)."""
    rows = connection.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name"
    ).fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
    shadow = _shadow_tables(connection, virtual)
    return [
        name
        for name, _sql in rows
        if name not in SKIPPED_TABLES
        and name not in virtual
        and name not in shadow
        and not name.startswith("sqlite_")
    ]


def _shadow_tables(connection: sqlite3.Connection, virtual: list[str]) -> set[str]:
    try:  # SQLite 3.37+ names them itself
        return {row[1] for row in connection.execute("PRAGMA table_list") if row[2] == "shadow"}
    except sqlite3.Error:  # older SQLite: FTS shadow tables are "<virtual>_<part>"
        names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master")]
        return {name for name in names for v in virtual if name.startswith(f"{v}_")}


def neutralise(text: str) -> str:
    """A text cell that no spreadsheet runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def blob_text(data: bytes) -> str:
    """What a CSV or ODS cell shows of binary data: its SHA-256 and size."""
    return f"sha256:{hashlib.sha256(data).hexdigest()} ({len(data)} bytes)"


def write_tables(
    connection: sqlite3.Connection,
    folder: Path,
    delimiter: str,
    advance: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write ``csv/<table>.csv`` and ``records.ods`` into ``folder``; rows per table.

    ``advance(rows)`` is called after each table with the rows it had.
    """
    csv_folder = folder / "csv"
    csv_folder.mkdir(parents=True, exist_ok=True)
    document = _spreadsheet()
    counts: dict[str, int] = {}
    for table in exported_tables(connection):
        cursor = connection.execute(f'SELECT * FROM "{table}" ORDER BY {_order(connection, table)}')
        columns = [description[0] for description in cursor.description]
        with (csv_folder / f"{table}.csv").open("w", encoding="utf-8-sig", newline="") as file:
            count, xml = _write_table(csv.writer(file, delimiter=delimiter), columns, cursor)
        sheet = Table(name=table)
        sheet.addElement(TableColumn(numbercolumnsrepeated=len(columns)))  # ODF requires one
        sheet.appendChild(_RawXml(xml))
        document.spreadsheet.addElement(sheet)
        counts[table] = count
        if advance:
            advance(count)
    document.save(str(folder / "records.ods"))
    return counts


def _order(connection: sqlite3.Connection, table: str) -> str:
    info = connection.execute(f'PRAGMA table_info("{table}")').fetchall()
    keys = sorted((row[5], row[1]) for row in info if row[5])
    return ", ".join(f'"{name}"' for _position, name in keys) if keys else "rowid"


def _write_table(writer, columns: list[str], rows: Iterable[tuple]) -> tuple[int, str]:
    """Write the CSV rows; returns the row count and the sheet's rows as ODS XML."""
    writer.writerow(columns)
    header = "".join(
        f'<table:table-cell table:style-name="{HEADER_STYLE}" office:value-type="string">'
        f"<text:p>{_escape(column)}</text:p></table:table-cell>"
        for column in columns
    )
    parts = [f"<table:table-row>{header}</table:table-row>"]
    add = parts.append
    write = writer.writerow
    count = 0
    for row in rows:
        count += 1
        cells = []
        add("<table:table-row>")
        for value in row:
            if value is None:
                cells.append("")
                add("<table:table-cell/>")
            elif isinstance(value, str):
                cells.append("'" + value if value.startswith(FORMULA_STARTS) else value)
                add(_text_cell(value))
            elif isinstance(value, bytes):
                shown = blob_text(value)
                cells.append(shown)
                add(_text_cell(shown))
            else:
                cells.append(value)
                add(
                    f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>"
                )
        add("</table:table-row>")
        write(cells)
    return count, "".join(parts)


# Characters XML 1.0 cannot hold at all; they are dropped from the ODS copy.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SPACES = re.compile(" +")
_TEXT_CELL = '<table:table-cell office:value-type="string"><text:p>'
_TEXT_CELL_END = "</text:p></table:table-cell>"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text_cell(text: str) -> str:
    # Most text is printable with single spaces: then escaping is enough. Control
    # characters (tabs, line breaks) and spaces that ODF would collapse need more.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        body = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    else:
        body = _whitespace(text)
    return _TEXT_CELL + body + _TEXT_CELL_END


def _whitespace(text: str) -> str:
    """Cell text whose spaces, tabs and lines survive ODF's collapsing of white space.

    Each line is a paragraph of its own, as LibreOffice writes a multi-line cell.
    """
    text = _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = []
    for line in text.split("\n"):
        pieces = [_spaces(piece) for piece in _escape(line).split("\t")]
        lines.append("<text:tab/>".join(pieces))
    return "</text:p><text:p>".join(lines)


def _spaces(text: str) -> str:
    def run(match: re.Match[str]) -> str:
        count = len(match.group())
        if match.start() == 0 or match.end() == len(text):
            return f'<text:s text:c="{count}"/>'
        return " " + (f'<text:s text:c="{count - 1}"/>' if count > 1 else "")

    return _SPACES.sub(run, text)


class _RawXml(Text):
    """Rows already rendered as XML, which odfpy writes out as they are.

    Building an odfpy element per cell takes about 50 µs; a factory's records
    have hundreds of thousands of cells, so the rows are rendered as text here
    and odfpy writes the document around them.
    """

    def toXml(self, level, f):
        f.write(self.data)


def _spreadsheet() -> OpenDocumentSpreadsheet:
    document = OpenDocumentSpreadsheet()
    header = Style(name=HEADER_STYLE, family="table-cell")
    header.addElement(TextProperties(fontweight="bold"))
    document.styles.addElement(header)
    return document
