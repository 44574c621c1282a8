"""The shipped fonts embed in a PDF and carry the accents of Spanish and Portuguese."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from obrero.documents.fonts import FACES, FAMILY, font_file, register_fonts

TEXT = "Núñez, João: ¿asamblea? ¡Sí! Ação — cuarto intermedio"


def test_every_face_is_shipped_with_its_licence():
    for face in FACES:
        assert font_file(face).stat().st_size > 100_000
    assert "Bitstream" in (font_file(FAMILY).parent / "LICENSE-DejaVu.txt").read_text()


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_a_pdf_written_with_the_family_embeds_it_and_keeps_the_accents(tmp_path):
    family = register_fonts()
    assert register_fonts() == family  # registering twice is harmless
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setFont(family, 12)
    canvas.drawString(72, 720, TEXT)
    canvas.setFont("DejaVuSans-Bold", 12)
    canvas.drawString(72, 700, "Acta N° 7")
    canvas.save()
    pdf = tmp_path / "fonts.pdf"
    pdf.write_bytes(buffer.getvalue())
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert TEXT in text
    assert "Acta N° 7" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    embedded = [line for line in fonts.stdout.splitlines() if "DejaVuSans" in line]
    assert len(embedded) == 2
    assert all(" yes " in line for line in embedded)  # emb column
