"""The certified extract: what it gathers, and the PDF as a reader (poppler) sees it."""

from __future__ import annotations

import re
import shutil
import sqlite3
import struct
import subprocess
import zlib
from contextlib import closing
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from obrero.documents.logbook_extract import render_logbook_extract
from obrero.logbook.chain import head_code, head_text, verify_chain
from obrero.logbook.entries import AttachmentDraft, EntryDraft, add_entry
from obrero.logbook.extract import LogbookExtract, build_extract
from obrero.members import MemberDraft, add_member
from obrero.profile import default_profile, save_profile

ZONE = "America/Argentina/Buenos_Aires"
NOW = datetime(2026, 5, 20, 15, 0, tzinfo=UTC)
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
EVERY = frozenset[str]()
TRICKY_TEXT = "El oficial dijo: <b> & ñ, sin </i> cerrar.\n\nSegundo párrafo, con acción."

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


def png(width: int, height: int) -> bytes:
    """A valid RGB PNG made by hand (no Pillow): a red-to-blue gradient."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00"
        + b"".join(bytes((255 * x // width, 60, 255 - 255 * x // width)) for x in range(width))
        for _y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZoneInfo(ZONE))


def fill_logbook(session) -> None:
    """A factory, two members and six entries; 4 amends 2 and 6 amends 3."""
    profile = replace(
        default_profile("AR"),
        name="Cooperativa La Forja Recuperada",
        tax_id="30-71234567-1",
        address="Av. Mitre 1234",
        city="Avellaneda",
    )
    save_profile(session, profile)
    rosa = add_member(session, MemberDraft("Rosa Peña", "28.456.912", date(2020, 1, 1))).id
    joao = add_member(session, MemberDraft("João Araújo", "31.222.333", date(2021, 6, 1))).id
    drafts = [
        EntryDraft(local(2026, 3, 1, 8, 0), rosa, "guard", "Cambio de guardia", "Sin novedades."),
        EntryDraft(
            local(2026, 3, 2, 14, 30), joao, "police", "Patrullero en el portón", TRICKY_TEXT,
            place="Portón principal", people="Cabo Gómez",
            attachments=(
                AttachmentDraft("porton.png", png(40, 24)),
                AttachmentDraft("acta.pdf", b"%PDF-1.4 not really"),
            ),
        ),
        EntryDraft(local(2026, 3, 5, 10, 0), rosa, "court", "Cédula del juzgado", "Plazo 10 días."),
        EntryDraft(
            local(2026, 3, 2, 14, 45), joao, "police", "Eran dos patrulleros", "Corrijo.",
            amends_id=2,
        ),
        EntryDraft(local(2026, 4, 10, 18, 0), rosa, "meeting", "Asamblea de abril"),
        EntryDraft(
            local(2026, 4, 12, 9, 0), rosa, "court", "El plazo era de 15 días", amends_id=3
        ),
    ]  # fmt: skip
    for draft in drafts:
        add_entry(session, draft, now=NOW)


@pytest.fixture
def logbook(db):
    db.write(fill_logbook)
    return db


def extract_of(db, since=MARCH[0], until=MARCH[1], categories=EVERY) -> LogbookExtract:
    return db.read(build_extract, since, until, categories, now=NOW)


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def poppler(command: str, pdf: Path) -> str:
    return subprocess.run(
        [*command.split(), str(pdf)], capture_output=True, text=True, check=True
    ).stdout


def write_pdf(tmp_path: Path, extract: LogbookExtract, language: str) -> Path:
    pdf = tmp_path / f"extract-{language}.pdf"
    pdf.write_bytes(render_logbook_extract(extract, language))
    return pdf


def page_footers(text: str) -> list[tuple[int, int]]:
    pages = [page for page in text.split("\f") if page.strip()]
    found = [re.findall(r"Page (\d+) of (\d+)", page) for page in pages]
    assert all(len(matches) == 1 for matches in found), found
    return [(int(x), int(y)) for ((x, y),) in found]


# --- what the extract gathers -----------------------------------------------------------------


def test_extract_gathers_the_period_with_amendments_next_to_what_they_amend(logbook):
    extract = extract_of(logbook)
    assert [entry.number for entry in extract.entries] == [1, 2, 4, 3, 6]
    assert extract.companions == {6}  # happened in April, but amends entry 3
    assert extract.entries[1].amended_by == (4,)
    assert extract.time_zone == ZONE
    assert extract.generated_at == NOW
    assert extract.factory.name == "Cooperativa La Forja Recuperada"
    assert extract.factory.tax_id_kind == "CUIT"
    report = logbook.read(verify_chain)
    assert extract.chain.report == report
    assert report.intact and report.count == 6
    assert extract.chain.head_code == head_code(report.head)
    assert extract.chain.head_text == head_text(6, report.head)


def test_extract_carries_the_bytes_of_image_attachments_only(logbook):
    extract = extract_of(logbook)
    attachments = extract.entries[1].attachments
    assert [a.filename for a in attachments] == ["porton.png", "acta.pdf"]
    assert dict(extract.images) == {attachments[0].id: png(40, 24)}


def test_extract_filters_by_category_and_brings_the_amended_entry(logbook):
    april = extract_of(logbook, date(2026, 4, 1), date(2026, 4, 30), frozenset({"court"}))
    assert [entry.number for entry in april.entries] == [3, 6]
    assert april.companions == {3}
    assert april.categories == ("court",)
    whole = extract_of(logbook, None, None)
    assert [entry.number for entry in whole.entries] == [1, 2, 4, 3, 6, 5]
    assert whole.companions == frozenset()


def test_extract_of_an_empty_logbook(db, tmp_path):
    extract = extract_of(db)
    assert extract.entries == ()
    assert extract.chain.intact and extract.chain.report.count == 0
    assert extract.factory.name == ""
    assert extract.time_zone == "UTC"
    if shutil.which("pdftotext"):
        text = pdf_text(write_pdf(tmp_path, extract, "en"))
        assert "No entries in this period and categories." in text
        assert "Page 1 of 1" in text


# --- the PDF ----------------------------------------------------------------------------------


@needs_poppler
def test_english_pdf_shows_every_entry_and_how_to_verify(logbook, tmp_path):
    extract = extract_of(logbook)
    pdf = write_pdf(tmp_path, extract, "en")
    text = pdf_text(pdf)
    flat = " ".join(text.split())
    assert "Cooperativa La Forja Recuperada" in text
    assert "CUIT: 30-71234567-1" in text
    assert "Av. Mitre 1234, Avellaneda" in text
    assert "Certified extract of the occupation logbook" in text
    assert "From 03/01/2026 to 03/31/2026" in text
    assert "All categories" in text
    for number, title in [
        (1, "Cambio de guardia"),
        (2, "Patrullero en el portón"),
        (3, "Cédula del juzgado"),
        (4, "Eran dos patrulleros"),
        (6, "El plazo era de 15 días"),
    ]:
        assert f"Entry {number} — {title}" in text
    assert "Asamblea de abril" not in text  # entry 5: April, not amending anything
    # Entries in document order: an amendment right after the entry it amends.
    positions = [text.index(f"Entry {n} —") for n in (1, 2, 4, 3, 6)]
    assert positions == sorted(positions)
    assert "Rosa Peña" in text and "João Araújo" in text
    assert "Guard shift" in text and "Court or judicial notice" in text
    assert "03/02/2026 14:30" in text  # local time, not the stored UTC (17:30)
    assert "Portón principal" in text and "Cabo Gómez" in text
    assert "El oficial dijo: <b> & ñ, sin </i> cerrar." in text
    assert "Segundo párrafo, con acción." in text
    assert text.count("Sin novedades.") == 1 and text.count("Corrijo.") == 1
    assert "This entry amends entry 2." in text
    assert "Amended by entry 4." in text
    assert "Outside the period or categories chosen" in text
    assert "porton.png" in text and "acta.pdf" in text and "application/pdf" in text
    assert "19 bytes" in text  # the size of acta.pdf
    for entry in extract.entries:
        grouped = " ".join(entry.hash[i : i + 8] for i in range(0, 64, 8))
        assert grouped in flat
    assert "The chain of 6 entries verified intact" in flat
    assert extract.chain.head_code in text
    assert "obrero logbook verify --db FILE" in text
    assert "paper book" in flat
    footers = page_footers(text)
    assert footers == [(n, len(footers)) for n in range(1, len(footers) + 1)]
    assert text.count(f"Head code {extract.chain.head_code}") == len(footers)
    assert "Generated 05/20/2026 12:00" in text  # 15:00 UTC in Buenos Aires


@needs_poppler
@pytest.mark.parametrize("language", ["es", "pt_BR"])
def test_pdf_in_spanish_and_portuguese(logbook, tmp_path, language):
    extract = extract_of(logbook)
    text = pdf_text(write_pdf(tmp_path, extract, language))
    flat = " ".join(text.split())
    for title in ("Cambio de guardia", "Patrullero en el portón", "El plazo era de 15 días"):
        assert title in text
    assert "Rosa Peña" in text and "João Araújo" in text
    assert "02/03/2026 14:30" in text  # day first in both languages
    assert "El oficial dijo: <b> & ñ, sin </i> cerrar." in text
    assert extract.chain.head_code in text
    assert extract.chain.report.head[:8] in flat
    assert "obrero logbook verify --db FILE" in text
    # The footer's two lines end with "Page X of Y" (in whatever words) and the head code.
    pages = [page.strip().splitlines() for page in text.split("\f") if page.strip()]
    for number, lines in enumerate(pages, start=1):
        assert re.search(rf"\b{number}\D{{1,8}}{len(pages)}$", lines[-2]), lines[-2]
        assert lines[-1].endswith(extract.chain.head_code)
    # The document's own words are in its language, whatever the UI's.
    words = {
        "es": ("Extracto certificado del libro de guardia de la ocupación", "Asiento 1",
               "Turno de guardia", f"Página 1 de {len(pages)}"),
        "pt_BR": ("Extrato certificado do livro de ocorrências da ocupação", "Registro 1",
                  "Turno de vigília", f"Página 1 de {len(pages)}"),
    }[language]  # fmt: skip
    for phrase in words:
        assert phrase in flat, phrase
    assert "Certified extract" not in flat


@needs_poppler
def test_pdf_embeds_the_fonts_one_thumbnail_and_the_head_in_its_metadata(logbook, tmp_path):
    extract = extract_of(logbook)
    pdf = write_pdf(tmp_path, extract, "es")
    fonts = [line for line in poppler("pdffonts", pdf).splitlines()[2:] if line.strip()]
    assert fonts and all("DejaVuSans" in line and " yes " in line for line in fonts)
    images = poppler("pdfimages -list", pdf).splitlines()[2:]
    assert len(images) == 1  # the PNG's thumbnail; the QR code is drawn, not an image
    width, height = (int(value) for value in images[0].split()[3:5])
    assert (width, height) == (40, 24)  # embedded at its own pixel size, not upscaled
    info = poppler("pdfinfo", pdf)
    assert re.search(rf"Subject:\s+{re.escape(extract.chain.head_text)}", info)
    assert re.search(r"Page size:\s+595.276 x 841.89 pts \(A4\)", info)


@needs_poppler
def test_a_broken_chain_is_printed_with_the_entry_that_breaks_it(logbook, db_path, tmp_path):
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute("DROP TRIGGER forbid_logbook_entry_update")
        connection.execute("UPDATE logbook_entry SET title = 'Nada pasó' WHERE id = 3")
        connection.commit()
    extract = extract_of(logbook)
    assert not extract.chain.intact
    assert extract.chain.report.first_broken == 3
    text = pdf_text(write_pdf(tmp_path, extract, "en"))
    flat = " ".join(text.split())
    message = "THE CHAIN IS BROKEN at entry 3: its content does not match its hash."
    # At the top, on the entry itself and in the verification section.
    assert flat.count(message) == 3
    assert "verified intact" not in flat
    assert "Entries verified before the break 2" in flat
    assert text.count("Chain broken at entry 3") == len(page_footers(text))
    assert "Head code" not in text
    assert "Entry 3 — Nada pasó" in text
    es = " ".join(pdf_text(write_pdf(tmp_path, extract, "es")).split())
    assert "Nada pasó" in es and extract.chain.head_code in es  # code of entry 2's hash


@needs_poppler
def test_a_tampered_attachment_is_named_too(logbook, db_path, tmp_path):
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute("DROP TRIGGER forbid_logbook_attachment_update")
        connection.execute(
            "UPDATE logbook_attachment SET data = ? WHERE filename = 'acta.pdf'", (b"forged",)
        )
        connection.commit()
    extract = extract_of(logbook)
    assert extract.chain.report.first_broken == 2
    flat = " ".join(pdf_text(write_pdf(tmp_path, extract, "en")).split())
    assert "THE CHAIN IS BROKEN at entry 2: an attachment of that entry" in flat


@needs_poppler
def test_a_long_logbook_runs_over_many_pages_each_numbered(db, tmp_path):
    def fill(session) -> None:
        author = add_member(session, MemberDraft("Rosa Peña", "1", date(2020, 1, 1))).id
        for day in range(1, 29):
            text = "\n\n".join(f"Párrafo {n} del día {day}. " * 8 for n in range(4))
            add_entry(
                session,
                EntryDraft(local(2026, 2, day, 7, 0), author, "guard", f"Guardia {day}", text),
                now=NOW,
            )

    db.write(fill)
    extract = db.read(build_extract, None, None, EVERY, now=NOW)
    text = pdf_text(write_pdf(tmp_path, extract, "en"))
    footers = page_footers(text)
    assert len(footers) > 5
    assert footers == [(n, len(footers)) for n in range(1, len(footers) + 1)]
    assert all(f"Guardia {day}" in text for day in range(1, 29))
