"""The fonts every document embeds: DejaVu Sans, shipped in ``resources/fonts``.

ReportLab's built-in fonts are not embedded and lack glyphs a statement may
need; DejaVu covers Spanish, Portuguese and far beyond, and is embedded, so a
PDF prints the same on any PC.
"""

from __future__ import annotations

from pathlib import Path

from obrero.locations import resources_dir

FAMILY = "DejaVuSans"
# ReportLab face name -> file, for regular, bold, italic and bold italic.
FACES = {
    "DejaVuSans": "DejaVuSans.ttf",
    "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique": "DejaVuSans-BoldOblique.ttf",
}


def font_file(face: str) -> Path:
    return resources_dir() / "fonts" / FACES[face]


def register_fonts() -> str:
    """Register the family with ReportLab (once per process); returns its name."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FAMILY in pdfmetrics.getRegisteredFontNames():
        return FAMILY
    for face in FACES:
        pdfmetrics.registerFont(TTFont(face, str(font_file(face))))
    for bold, italic, face in (
        (0, 0, "DejaVuSans"),
        (1, 0, "DejaVuSans-Bold"),
        (0, 1, "DejaVuSans-Oblique"),
        (1, 1, "DejaVuSans-BoldOblique"),
    ):
        addMapping(FAMILY, bold, italic, face)
    return FAMILY
