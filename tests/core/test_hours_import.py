"""Importing hours from a spreadsheet's CSV export: the real sample sheet, the shapes other
spreadsheets save, and every problem named with its line; applying is all or nothing."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from obrero.errors import ValidationErrors
from obrero.members import MemberDraft, add_member
from obrero.profile import default_profile, save_profile
from obrero.store.database import Database
from obrero.wages.hours_import import HoursImport, HoursRow, apply_hours, read_hours
from obrero.wages.periods import (
    PeriodDraft,
    PeriodLocked,
    approve,
    create_period,
    month_bounds,
    preview,
)
from obrero.wages.rules import Rule

SAMPLE = Path("/work/shared/samples/horas_2025-10.csv")
HEADER = "DNI;Apellido y nombre;Horas normales;Horas extra\r\n"
# The four members of the sample sheet, as the roll has them.
ROLL = (
    ("Rosa Elena Gómez", "28.456.912"),
    ("Edgardo Peña", "30.112.045"),
    ("João Da Silva", "25.901.338"),
    ("María José Núñez", "33.774.201"),
)


@pytest.fixture
def period(db: Database) -> int:
    """October 2025 shared by hours; the sample's four members on the roll all month, one
    more who left in September, and the factory's profile (Argentina, documents in Spanish)."""

    def setup(session: Session) -> int:
        save_profile(session, replace(default_profile("AR"), name="La Tomatera"))
        for name, national_id in ROLL:
            add_member(session, MemberDraft(name, national_id, date(2024, 3, 1)))
        add_member(
            session,
            MemberDraft(
                "Hugo Ibáñez",
                "22.333.444",
                date(2024, 3, 1),
                leave_date=date(2025, 9, 30),
                leave_reason="retirement",
            ),
        )
        start, end = month_bounds(2025, 10)
        draft = PeriodDraft(start, end, "Octubre 2025", Decimal("1000000"), Rule.HOURS)
        return create_period(session, draft).id

    return db.write(setup)


def read(db: Database, period: int, text: str | bytes, language: str | None = None):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return db.read(read_hours, data, period, language)


def hours_by_name(db: Database, period: int) -> dict[str, Decimal]:
    return {row.name: row.hours for row in db.read(preview, period).rows}


# --- the sample sheet ----------------------------------------------------------------------------


def test_the_sample_sheet_is_read_and_the_unknown_id_named_with_its_line(db, period, tmp_path):
    copy = tmp_path / "horas_2025-10.csv"
    shutil.copyfile(SAMPLE, copy)

    imported = read(db, period, copy.read_bytes())

    assert imported.rows == (
        HoursRow(2, "28.456.912", "Gómez, Rosa Elena", 1, Decimal(188)),
        HoursRow(3, "30.112.045", "Peña, Edgardo", 2, Decimal(176)),
        HoursRow(4, "25.901.338", "Da Silva, João", 3, Decimal("168.5")),
        HoursRow(5, "33.774.201", "Núñez, María José", 4, Decimal(88)),
        HoursRow(6, "99.999.999", "Persona no registrada", None, Decimal(40)),
    )
    assert imported.problems == (
        "Line 6: no member has the national id 99.999.999 (Persona no registrada).",
    )
    assert imported.hours_columns == ("Horas normales", "Horas extra")
    assert not imported.ok


def test_a_sheet_with_a_problem_is_refused_whole(db, period):
    imported = read(db, period, SAMPLE.read_bytes())

    with pytest.raises(ValidationErrors) as raised:
        db.write(apply_hours, period, imported)

    assert raised.value.by_field() == {
        "hours_file": "Line 6: no member has the national id 99.999.999 (Persona no registrada)."
    }
    with pytest.raises(ValidationErrors) as raised:
        db.read(preview, period)  # no hours were stored
    assert "no hours are entered yet" in raised.value.message


def test_without_the_unknown_line_the_sheet_is_applied(db, period):
    lines = SAMPLE.read_bytes().split(b"\r\n")
    imported = read(db, period, b"\r\n".join(lines[:5] + lines[6:]))

    assert imported.problems == ()
    assert imported.ok
    db.write(apply_hours, period, imported)

    assert hours_by_name(db, period) == {
        "Edgardo Peña": Decimal(176),
        "João Da Silva": Decimal("168.5"),
        "María José Núñez": Decimal(88),
        "Rosa Elena Gómez": Decimal(188),
    }


def test_the_sample_reads_the_same_whatever_the_language_asked(db, period):
    for language in (None, "es", "pt_BR", "en"):
        imported = read(db, period, SAMPLE.read_bytes(), language)
        assert [row.hours for row in imported.rows] == [188, 176, Decimal("168.5"), 88, 40]


# --- the shapes spreadsheets save ----------------------------------------------------------------


def test_no_bom_comma_delimiter_quoted_decimal_commas_and_lf(db, period):
    text = (
        "DNI,Apellido y nombre,Horas normales,Horas extra\n"
        '28.456.912,"Gómez, Rosa Elena",176,"12,5"\n'
        '30112045,"Peña, Edgardo",170,\n'
    )

    imported = read(db, period, text)

    assert imported.problems == ()
    assert [(row.line, row.member_id, row.hours) for row in imported.rows] == [
        (2, 1, Decimal("188.5")),
        (3, 2, Decimal(170)),
    ]


def test_a_tab_separated_sheet(db, period):
    text = "Documento\tNombre\tHoras\r\n25.901.338\tJoão\t160,25\r\n"

    imported = read(db, period, text)

    assert imported.problems == ()
    assert imported.rows == (HoursRow(2, "25.901.338", "João", 3, Decimal("160.25")),)


def test_a_latin_1_sheet_is_decoded(db, period):
    data = SAMPLE.read_text(encoding="utf-8-sig").encode("latin-1")

    imported = read(db, period, data)

    assert [row.name for row in imported.rows][:4] == [
        "Gómez, Rosa Elena",
        "Peña, Edgardo",
        "Da Silva, João",
        "Núñez, María José",
    ]
    assert [row.member_id for row in imported.rows] == [1, 2, 3, 4, None]


def test_a_utf_16_sheet_is_decoded(db, period):
    text = "DNI\tNombre\tHoras\r\n33.774.201\tNúñez\t88\r\n"

    imported = read(db, period, text.encode("utf-16"))

    assert imported.rows == (HoursRow(2, "33.774.201", "Núñez", 4, Decimal(88)),)


def test_headers_are_found_ignoring_case_accents_and_a_title_line(db, period):
    text = (
        "Planilla de horas - octubre 2025;;;\r\n"
        ";;;\r\n"
        "N.º de DOCUMENTO;APELLIDO Y NOMBRE;HS. NORMALES;HORAS EXTRAS (50%)\r\n"
        "28.456.912;Gómez;150;10\r\n"
    )

    imported = read(db, period, text)

    assert imported.problems == ()
    assert imported.rows == (HoursRow(4, "28.456.912", "Gómez", 1, Decimal(160)),)
    assert imported.hours_columns == ("HS. NORMALES", "HORAS EXTRAS (50%)")


def test_a_total_hours_column_is_taken_alone(db, period):
    text = "DNI;Nombre;Horas normales;Horas extra;Total horas\r\n28.456.912;Gómez;176;12;188\r\n"

    imported = read(db, period, text)

    assert imported.rows[0].hours == 188
    assert imported.hours_columns == ("Total horas",)


def test_portuguese_and_english_headers(db, period):
    portuguese = "CPF;Nome;Horas normais;Horas extras\r\n30.112.045;Edgardo;170;6,5\r\n"
    english = "National ID,Name,Hours\r\n30.112.045,Edgardo,176.25\r\n"

    assert read(db, period, portuguese).rows[0].hours == Decimal("176.5")
    assert read(db, period, english, "en").rows[0].hours == Decimal("176.25")


def test_a_cuil_finds_the_dni_inside_it(db, period):
    text = "CUIL;Apellido y nombre;Horas\r\n27-28456912-4;Gómez, Rosa Elena;176\r\n"

    imported = read(db, period, text)

    assert imported.problems == ()
    assert imported.rows[0].member_id == 1


def test_blank_lines_and_a_totals_line_are_skipped(db, period):
    text = HEADER + "28.456.912;Gómez;176;0\r\n;;;\r\n\r\n;TOTAL;176;0\r\n"

    imported = read(db, period, text)

    assert imported.problems == ()
    assert len(imported.rows) == 1


# --- problems, each with its line -------------------------------------------------------------


def test_every_problem_names_its_line(db, period):
    text = HEADER + (
        "28.456.912;Gómez, Rosa Elena;ocho;0\r\n"
        "30.112.045;Peña, Edgardo;-4;0\r\n"
        "25.901.338;Da Silva, João;300;0,5\r\n"
        "33.774.201;Núñez, María José;88,125;0\r\n"
        "22.333.444;Ibáñez, Hugo;10;0\r\n"
        "28456912;Gómez otra vez;1;0\r\n"
        ";Sin documento;8;0\r\n"
        "11.111.111;;8;0\r\n"
    )

    imported = read(db, period, text)

    assert imported.problems == (
        "Line 2: “ocho” under “Horas normales” is not a number of hours.",
        "Line 3: the hours of Edgardo Peña cannot be negative.",
        "Line 4: 300.5 hours for João Da Silva is more than the 300 this period allows.",
        "Line 5: hours have at most two decimals.",
        "Line 6: Hugo Ibáñez was not on the roll between 10/01/2025 and 10/31/2025.",
        "Line 7: Rosa Elena Gómez (28456912) is already on line 2.",
        "Line 8: the national id is missing.",
        "Line 9: no member has the national id 11.111.111.",
    )
    with pytest.raises(ValidationErrors) as raised:
        db.write(apply_hours, period, imported)
    assert len(raised.value.errors) == 8


def test_problems_are_in_the_ui_language_with_its_numbers(db, period):
    from obrero.i18n import set_language

    set_language("es")
    imported = read(db, period, HEADER + "25.901.338;Da Silva, João;300;0,5\r\n")

    assert "300,5" in imported.problems[0]


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        (b"", ("The file is empty.",)),
        (b"\xef\xbb\xbf\r\n\r\n", ("The file is empty.",)),
        (HEADER.encode(), ("The file has no lines of hours under its header.",)),
        (
            b"Nombre;Horas\r\nGomez;8\r\n",
            (
                "No column of national ids was found: name it in the first line, "
                "e.g. \u201cDNI\u201d, \u201cDocumento\u201d or \u201cCPF\u201d.",
            ),
        ),
        (
            b"DNI;Nombre\r\n28.456.912;Gomez\r\n",
            (
                "No column of hours was found: name it in the first line, "
                "e.g. \u201cHoras normales\u201d or \u201cHoras extra\u201d.",
            ),
        ),
        (
            b"PK\x03\x04\x14\x00\x06\x00",
            (
                "This is a spreadsheet workbook, not a CSV file: in the spreadsheet, save the "
                "sheet as CSV and import that file.",
            ),
        ),
        (b"DNI;Horas\x00\x01", ("This file is not text; import the sheet saved as CSV.",)),
    ],
)
def test_files_that_are_not_a_sheet_of_hours(db, period, text, problems):
    imported = read(db, period, text)

    assert imported.rows == ()
    assert imported.problems == problems
    with pytest.raises(ValidationErrors):
        db.write(apply_hours, period, imported)


def test_an_empty_import_is_refused(db, period):
    with pytest.raises(ValidationErrors) as raised:
        db.write(apply_hours, period, HoursImport((), ()))

    assert raised.value.by_field() == {
        "hours_file": "The file has no lines of hours under its header."
    }


def test_an_approved_period_takes_no_imported_hours(db, period):
    text = HEADER + "28.456.912;Gómez;176;0\r\n"
    db.write(apply_hours, period, read(db, period, text))
    db.write(approve, period, date(2025, 11, 5))

    with pytest.raises(PeriodLocked):
        db.write(apply_hours, period, read(db, period, text))


def test_reimporting_replaces_the_hours_of_the_members_in_the_file_only(db, period):
    db.write(
        apply_hours, period, read(db, period, HEADER + "28.456.912;G;176;0\r\n30.112.045;P;100;0")
    )
    db.write(apply_hours, period, read(db, period, HEADER + "28.456.912;G;150;0\r\n"))

    hours = hours_by_name(db, period)
    assert (hours["Rosa Elena Gómez"], hours["Edgardo Peña"]) == (150, 100)
