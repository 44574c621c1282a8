"""Wage statements: what they gather, and the PDF as a reader (poppler) sees it."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from obrero.documents.wage_statements import render_wage_statements
from obrero.errors import NotFound
from obrero.i18n.formatting import format_money
from obrero.members import MemberDraft, add_member
from obrero.profile import default_profile, save_profile
from obrero.wages.periods import (
    PeriodDraft,
    add_income,
    add_line,
    approve,
    create_period,
    from_cents,
    set_coefficient,
    set_hours,
)
from obrero.wages.rules import Rule
from obrero.wages.statements import WageStatements, build_statements

TODAY = date(2026, 11, 3)
SEPTEMBER = (date(2026, 9, 1), date(2026, 9, 30))
OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


def fill_factory(session) -> dict[str, int]:
    """A factory in Argentina with four members, an approved September and a draft October.

    September: 1.850.000 to share (2.000.000 entered, sales 150.000, energy -300.000),
    40% in equal shares and the rest by coefficient x hours; Marta joined on the 16th.
    October: a draft by hours with adjustments correcting September.
    """
    profile = replace(
        default_profile("AR"),
        name="Cooperativa de Trabajo La Forja Ltda.",
        tax_id="30-71234567-1",
        address="Av. Mitre 1234",
        city="Avellaneda",
    )
    save_profile(session, profile)
    ids = {
        "rosa": add_member(
            session, MemberDraft("Rosa Peña", "28.456.912", date(2020, 1, 1), category="Oficial")
        ).id,
        "joao": add_member(
            session,
            MemberDraft("João Araújo", "31.222.333", date(2021, 6, 1), category="Ayudante"),
        ).id,
        "marta": add_member(
            session, MemberDraft("Marta Gómez", "35.111.000", date(2026, 9, 16), category="Oficial")
        ).id,
        "luis": add_member(
            session, MemberDraft("Luis Ortiz", "22.333.444", date(2019, 5, 2), category="Ayudante")
        ).id,
    }
    september = create_period(
        session,
        PeriodDraft(
            *SEPTEMBER,
            label="September 2026",
            amount=Decimal("2000000"),
            rule=Rule.MIXED,
            equal_percent=40,
            weighted=True,
            resolution="Asamblea del 28/08/2026, resolución 2026-14",
        ),
    ).id
    add_income(session, september, "Ventas a Ferretería Sur", Decimal("150000"))
    add_income(session, september, "Energía eléctrica", Decimal("-300000"))
    set_coefficient(session, september, "Oficial", Decimal("1.25"))
    set_coefficient(session, september, "Ayudante", Decimal("1"))
    set_hours(
        session,
        september,
        {
            ids["rosa"]: Decimal("176"),
            ids["joao"]: Decimal("160.5"),
            ids["marta"]: Decimal("88"),
            ids["luis"]: Decimal("150"),
        },
    )
    add_line(session, september, ids["rosa"], "advance", "Adelanto del día 10", Decimal("100000"))
    add_line(session, september, ids["joao"], "deduction", "Cuota del préstamo", Decimal("25000"))
    add_line(session, september, ids["marta"], "addition", "Guardia nocturna", Decimal("15000.50"))
    approve(session, september, date(2026, 10, 5))
    october = create_period(
        session,
        PeriodDraft(*OCTOBER, label="October 2026", amount=Decimal("1999999.99"), rule=Rule.HOURS),
    ).id
    set_hours(session, october, {member: Decimal("150") for member in ids.values()})
    add_line(
        session,
        october,
        ids["rosa"],
        "adjustment",
        "Horas de septiembre mal cargadas",
        Decimal("12345.67"),
        adjusts_period_id=september,
    )
    add_line(
        session,
        october,
        ids["luis"],
        "adjustment",
        "Bono cobrado dos veces",
        Decimal("-5000"),
        adjusts_period_id=september,
    )
    return {**ids, "september": september, "october": october}


@pytest.fixture
def factory(db) -> dict[str, int]:
    return db.write(fill_factory)


def statements_of(db, period_id: int, member_id: int | None = None) -> WageStatements:
    return db.read(build_statements, period_id, member_id, today=TODAY)


def money(cents: int, language: str, currency: str = "ARS", country: str = "AR") -> str:
    return format_money(from_cents(cents), currency, language, country)


def write_pdf(tmp_path: Path, statements: WageStatements, language: str, **options) -> Path:
    pdf = tmp_path / f"wages-{language}-{len(list(tmp_path.iterdir()))}.pdf"
    pdf.write_bytes(render_wage_statements(statements, language, **options))
    return pdf


def poppler(command: str, pdf: Path) -> str:
    return subprocess.run(
        [*command.split(), str(pdf)], capture_output=True, text=True, check=True
    ).stdout


def pages_of(pdf: Path) -> list[str]:
    """The text of each page, spaces (no-break ones too) squeezed to one."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("\xa0", " ")
    return [re.sub(r"[ ]+", " ", page) for page in text.split("\f")[:-1]]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " "))


def page_count(pdf: Path) -> int:
    return int(re.search(r"Pages:\s+(\d+)", poppler("pdfinfo", pdf)).group(1))


# --- what the statements gather ---------------------------------------------------------------


def test_statements_of_an_approved_period_carry_the_frozen_figures(db, factory):
    data = statements_of(db, factory["september"])
    assert data.factory.name == "Cooperativa de Trabajo La Forja Ltda."
    assert data.factory.tax_id_kind == "CUIT"
    assert (data.currency, data.country) == ("ARS", "AR")
    assert data.printed_on == TODAY
    assert data.period.label == "September 2026" and data.period.status == "approved"
    assert data.period.approved_on == date(2026, 10, 5)
    assert [line.description for line in data.period.income] == [
        "Ventas a Ferretería Sur",
        "Energía eléctrica",
    ]
    assert data.amount_shared_cents == 185_000_000
    names = [m.name for m in data.statements]
    assert sorted(names) == sorted(["Rosa Peña", "João Araújo", "Marta Gómez", "Luis Ortiz"])
    totals = data.totals
    assert totals.share_cents == data.amount_shared_cents  # every centavo shared
    assert totals.net_cents == (
        totals.share_cents
        + totals.additions_cents
        - totals.advances_cents
        - totals.deductions_cents
    )
    by_name = {m.name: m for m in data.statements}
    marta = by_name["Marta Gómez"]
    assert (marta.days_on_roll, marta.period_days, marta.prorated) == (15, 30, True)
    assert marta.coefficient == Decimal("1.25") and marta.hours == Decimal(88)
    assert marta.additions_cents == 1_500_050
    rosa = by_name["Rosa Peña"]
    assert rosa.advances_cents == 10_000_000
    assert rosa.net_cents == rosa.share_cents - 10_000_000
    [advance] = rosa.lines
    assert (advance.kind, advance.description, advance.debit_cents) == (
        "advance",
        "Adelanto del día 10",
        10_000_000,
    )


def test_adjustment_lines_name_the_period_they_correct(db, factory):
    data = statements_of(db, factory["october"])
    assert data.period.is_draft
    by_name = {m.name: m for m in data.statements}
    [plus] = by_name["Rosa Peña"].lines
    assert plus.adjusts is not None
    assert (plus.adjusts.label, plus.adjusts.start, plus.adjusts.end) == (
        "September 2026",
        *SEPTEMBER,
    )
    assert (plus.credit_cents, plus.debit_cents) == (1_234_567, 0)
    [minus] = by_name["Luis Ortiz"].lines
    assert (minus.credit_cents, minus.debit_cents) == (0, 500_000)
    assert by_name["Luis Ortiz"].deductions_cents == 500_000
    assert data.totals.share_cents == 199_999_999


def test_one_member_only(db, factory):
    data = statements_of(db, factory["september"], factory["joao"])
    assert [m.name for m in data.statements] == ["João Araújo"]
    assert len(data.members) == 4  # the summary still covers the whole period
    with pytest.raises(NotFound, match="999"):
        statements_of(db, factory["september"], 999)


# --- the PDF ----------------------------------------------------------------------------------


@needs_poppler
@pytest.mark.parametrize("language", ["es", "pt_BR", "en"])
def test_each_statement_shows_the_figures_as_written_in_the_language(
    db, factory, tmp_path, language
):
    data = statements_of(db, factory["september"])
    pdf = write_pdf(tmp_path, data, language)
    pages = pages_of(pdf)
    assert page_count(pdf) == len(pages) == 5  # four members, then the summary
    for member, page in zip(data.statements, pages, strict=False):
        assert member.name in page
        assert member.national_id in page
        assert squeeze(money(member.share_cents, language)) in page
        net_line = next(
            line
            for line in page.splitlines()
            if line.rstrip().endswith(squeeze(money(member.net_cents, language)))
        )
        assert net_line  # the net amount closes a line of its own (the NET box)
        for line in member.lines:
            assert line.description in page
        assert "Cooperativa de Trabajo La Forja Ltda." in page
        assert "CUIT: 30-71234567-1" in page
        assert "Asamblea del 28/08/2026, resolución 2026-14" in page
        assert squeeze(money(data.amount_shared_cents, language)) in page
    rosa = next(p for p in pages if "Rosa Peña" in p)
    assert squeeze(money(10_000_000, language)) in rosa  # the advance
    marta = next(p for p in pages if "Marta Gómez" in p)
    assert "15" in marta and squeeze(money(1_500_050, language)) in marta
    day_first = language != "en"
    approved = "05/10/2026" if day_first else "10/05/2026"
    assert all(approved in page for page in pages)


@needs_poppler
def test_spanish_amounts_are_written_the_argentine_way(db, factory, tmp_path):
    data = statements_of(db, factory["september"])
    text = squeeze(" ".join(pages_of(write_pdf(tmp_path, data, "es"))))
    assert "$1.850.000,00" in text.replace("$ ", "$")
    assert "$15.000,50" in text.replace("$ ", "$")
    brazil = replace(data, currency="BRL", country="BR")
    text = squeeze(" ".join(pages_of(write_pdf(tmp_path, brazil, "pt_BR"))))
    assert "R$ 1.850.000,00" in text and "R$ 15.000,50" in text


@needs_poppler
@pytest.mark.parametrize("language", ["es", "pt_BR", "en"])
def test_summary_sheet_lists_everyone_and_totals_the_amount_shared(db, factory, tmp_path, language):
    data = statements_of(db, factory["september"])
    summary = pages_of(write_pdf(tmp_path, data, language))[-1]
    totals = data.totals
    for member in data.members:
        row = next(line for line in summary.splitlines() if member.name in line)
        for cents in (member.share_cents, member.net_cents):
            assert squeeze(money(cents, language)) in row
    total_row = next(line for line in summary.splitlines() if "(4 " in line)
    expected = [totals.share_cents, totals.advances_cents, totals.deductions_cents,
                totals.additions_cents, totals.net_cents]  # fmt: skip
    for cents in expected:
        assert squeeze(money(cents, language)) in total_row
    assert totals.share_cents == data.amount_shared_cents
    for line in data.period.income:
        assert line.description in summary
        assert squeeze(money(line.amount_cents, language)) in summary
    assert squeeze(money(200_000_000, language)) in summary  # the amount entered


@needs_poppler
def test_english_words_of_the_statement_and_the_summary(db, factory, tmp_path):
    data = statements_of(db, factory["september"])
    pages = pages_of(write_pdf(tmp_path, data, "en"))
    rosa = next(p for p in pages if "Rosa Peña" in p)
    for phrase in (
        "Wage statement (share of income)",
        "September 2026: 09/01/2026 – 09/30/2026 (30 days)",
        "equal shares for 40%, the rest (60%) by category coefficient × hours",
        "Approved on 10/05/2026",
        "Advance already paid: Adelanto del día 10",
        "NET AMOUNT TO RECEIVE",
        "The member",
        "For the workers' council",
        "Printed on 11/03/2026",
    ):
        assert phrase in rosa, phrase
    assert f"Page {pages.index(rosa) + 1} of 5" in rosa
    assert "DRAFT" not in " ".join(pages)
    marta = next(p for p in pages if "Marta Gómez" in p)
    assert "15 of 30 (prorated)" in marta
    summary = pages[-1]
    assert "Period summary for the assembly" in summary
    assert "Total (4 members)" in summary
    assert "exactly the amount shared" in summary
    assert "Page 5 of 5" in summary


@needs_poppler
def test_a_draft_is_marked_on_every_page_and_adjustments_name_the_period(db, factory, tmp_path):
    data = statements_of(db, factory["october"])
    pdf = write_pdf(tmp_path, data, "en")
    pages = pages_of(pdf)
    assert len(pages) == 5
    assert all(page.count("DRAFT — not approved") >= 2 for page in pages)  # banner, footer
    rosa = squeeze(next(p for p in pages if "Rosa Peña" in p))
    # The line may wrap (its amount then sits between its two lines).
    assert "Adjustment of an earlier period “September 2026” (09/01/2026" in rosa
    assert "09/30/2026): Horas de septiembre mal cargadas" in rosa
    assert squeeze(money(1_234_567, "en")) in rosa
    luis = squeeze(next(p for p in pages if "Luis Ortiz" in p))
    assert "“September 2026”" in luis and squeeze(money(500_000, "en")) in luis
    for language in ("es", "pt_BR"):
        text = squeeze(" ".join(pages_of(write_pdf(tmp_path, data, language))))
        assert "Horas de septiembre mal cargadas" in text and "September 2026" in text
        assert "“September 2026” (01/09/2026" in text and "30/09/2026):" in text


@needs_poppler
def test_one_member_and_no_summary(db, factory, tmp_path):
    data = statements_of(db, factory["september"], factory["marta"])
    pdf = write_pdf(tmp_path, data, "es", summary=False)
    [page] = pages_of(pdf)
    assert "Marta Gómez" in page and "Rosa Peña" not in page
    with_summary = pages_of(write_pdf(tmp_path, data, "es"))
    assert len(with_summary) == 2 and "Rosa Peña" in with_summary[1]


@needs_poppler
def test_pdf_embeds_its_fonts_and_is_a4(db, factory, tmp_path):
    pdf = write_pdf(tmp_path, statements_of(db, factory["october"]), "pt_BR")
    fonts = [line for line in poppler("pdffonts", pdf).splitlines()[2:] if line.strip()]
    assert fonts and all("DejaVuSans" in line and " yes " in line for line in fonts)
    info = poppler("pdfinfo", pdf)
    assert re.search(r"Page size:\s+595.276 x 841.89 pts \(A4\)", info)
    assert "October 2026" in info  # title and subject
    landscape = poppler("pdfinfo -f 5 -l 5", pdf)
    assert re.search(r"Page\s+5 size:\s+841.89 x 595.276 pts", landscape)


@needs_poppler
def test_many_members_and_many_lines_run_over_numbered_pages(db, tmp_path):
    def fill(session) -> int:
        save_profile(session, replace(default_profile("BR"), name="Cooperativa Metalúrgica"))
        ids = [
            add_member(session, MemberDraft(f"Trabalhador {n:03}", f"{n:03}", date(2020, 1, 1))).id
            for n in range(1, 81)
        ]
        period = create_period(
            session, PeriodDraft(*SEPTEMBER, label="Setembro", amount=Decimal("123456.78"))
        ).id
        for n in range(30):
            add_line(session, period, ids[0], "addition", f"Prêmio {n}", Decimal(n + 1))
        approve(session, period, date(2026, 10, 1))
        return period

    period = db.write(fill)
    data = db.read(build_statements, period, today=TODAY)
    pdf = write_pdf(tmp_path, data, "en")  # English words: the test looks for some
    pages = pages_of(pdf)
    count = page_count(pdf)
    assert count == len(pages) > 80 + 1
    first = [page for page in pages if "Trabalhador 001" in page][:2]
    assert "Trabalhador 001 (continued)" in first[1]  # 30 lines run over a second page
    assert all(f"Prêmio {n}" in "\n".join(first) for n in range(30))
    start = next(n for n, page in enumerate(pages) if "Period summary for the assembly" in page)
    assert start == 81  # 80 statements, one of them on two pages
    summary = "\n".join(pages[start:])
    assert all(f"Trabalhador {n:03}" in summary for n in range(1, 81))
    assert squeeze(money(12_345_678, "en", "BRL", "BR")) in squeeze(summary)
    for number, page in enumerate(pages, start=1):
        footer = [line for line in page.splitlines() if line.strip()][-2]
        assert footer.strip().endswith(f"Page {number} of {count}"), footer
