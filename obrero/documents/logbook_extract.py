"""The certified extract of the occupation logbook as a PDF, in the language asked for.

Each entry with its number, times (in the factory's time zone), author, text,
amendments, attachment thumbnails and hash; at the end the chain head as a
code and a QR code, whether the chain verified intact, and how to check it.
Every page carries "Page X of Y", the head code and when it was generated.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import partial
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from obrero.documents.fonts import register_fonts
from obrero.documents.pages import fit_text, numbered_canvas
from obrero.i18n import translator
from obrero.i18n.formatting import format_date, format_datetime, format_number
from obrero.logbook.entries import CATEGORIES, FIELD_LABELS, Attachment, Entry
from obrero.logbook.extract import LogbookExtract

PAGE_WIDTH = A4[0]
MARGIN = 2 * cm
FOOTER_SPACE = 1.4 * cm
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN
THUMB_WIDTH = 5 * cm
THUMB_MAX_HEIGHT = 5 * cm
THUMB_PIXELS = 600  # about 300 dpi at 5 cm: sharp on paper, small in the file
THUMBS_PER_ROW = 3
QR_SIZE = 4.2 * cm
GREY = colors.HexColor("#555555")
LIGHT = colors.HexColor("#EEEEEE")
AMENDMENT = colors.HexColor("#FFF3D6")
ALARM = colors.HexColor("#B00020")
ALARM_BACKGROUND = colors.HexColor("#FDECEE")
GOOD = colors.HexColor("#1B5E20")


def render_logbook_extract(extract: LogbookExtract, language: str) -> bytes:
    """The extract as PDF bytes (A4, DejaVu Sans embedded), all its words in ``language``."""
    family = register_fonts()
    document = _ExtractDocument(extract, language, _styles(family))
    _ = document.gettext
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + FOOTER_SPACE,
        title=_("Certified extract of the occupation logbook"),
        author=extract.factory.name,
        subject=extract.chain.head_text,
        creator="Obrero",
        initialFontName=family,  # else every page names Helvetica, which is not embedded
        lang=language.replace("_", "-"),
    )
    template.build(
        document.story(), canvasmaker=numbered_canvas(partial(_draw_footer, document, family))
    )
    return buffer.getvalue()


# -- styles ------------------------------------------------------------------------------------


def _styles(family: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "base", fontName=family, bulletFontName=family, fontSize=9.5, leading=12.5
    )
    return {
        "base": base,
        "factory": ParagraphStyle(
            "factory", base, fontSize=13, leading=16, fontName=family + "-Bold"
        ),
        "letterhead": ParagraphStyle("letterhead", base, fontSize=9, leading=11.5, textColor=GREY),
        "title": ParagraphStyle(
            "title",
            base,
            fontSize=16,
            leading=20,
            fontName=family + "-Bold",
            spaceBefore=10,
            spaceAfter=8,
        ),
        "heading": ParagraphStyle(
            "heading",
            base,
            fontSize=12,
            leading=15,
            fontName=family + "-Bold",
            spaceBefore=6,
            spaceAfter=6,
        ),
        "entry": ParagraphStyle(
            "entry", base, fontSize=10.5, leading=13.5, fontName=family + "-Bold"
        ),
        "category": ParagraphStyle("category", base, fontSize=9, alignment=TA_RIGHT),
        "label": ParagraphStyle("label", base, fontSize=8, leading=11.5, textColor=GREY),
        "value": ParagraphStyle("value", base, fontSize=9, leading=11.5),
        "text": ParagraphStyle("text", base, spaceBefore=4),
        "note": ParagraphStyle(
            "note", base, fontSize=9, fontName=family + "-Oblique", spaceBefore=4
        ),
        "caption": ParagraphStyle("caption", base, fontSize=7, leading=9, alignment=TA_CENTER),
        "small": ParagraphStyle("small", base, fontSize=7.5, leading=9.5, textColor=GREY),
        "hash": ParagraphStyle(
            "hash", base, fontSize=7, leading=9, textColor=GREY, spaceBefore=4, splitLongWords=1
        ),
        "alarm": ParagraphStyle(
            "alarm", base, fontSize=11, leading=14, fontName=family + "-Bold", textColor=ALARM
        ),
        "good": ParagraphStyle(
            "good", base, fontSize=10, leading=13, fontName=family + "-Bold", textColor=GOOD
        ),
        "code": ParagraphStyle("code", base, fontSize=15, leading=19, fontName=family + "-Bold"),
        "step": ParagraphStyle("step", base, leftIndent=14, bulletIndent=0, spaceBefore=3),
    }


# -- helpers -----------------------------------------------------------------------------------


def _text(value: str) -> str:
    """Plain text made safe for ReportLab's paragraph markup, line breaks kept."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ").split("\n")
    return "<br/>".join(escape(line) for line in lines)


def _paragraphs(value: str) -> list[str]:
    """A text cut into its paragraphs (blank lines between them)."""
    blocks = value.replace("\r\n", "\n").replace("\r", "\n").split("\n\n")
    return [_text(block.strip("\n")) for block in blocks if block.strip()]


def _grouped_hash(value: str, per_line: int = 0) -> str:
    """A hash in groups of eight, easier to read aloud and compare by eye."""
    groups = [value[i : i + 8] for i in range(0, len(value), 8)]
    if not per_line:
        return " ".join(groups)
    lines = [groups[i : i + per_line] for i in range(0, len(groups), per_line)]
    return "<br/>".join(" ".join(line) for line in lines)


def _thumbnail(data: bytes) -> Image | None:
    """A photo scaled to the thumbnail width (aspect kept), or ``None`` if unreadable."""
    from PIL import Image as Picture
    from PIL import ImageOps

    try:
        with Picture.open(io.BytesIO(data)) as opened:
            picture = ImageOps.exif_transpose(opened)
            picture.thumbnail((THUMB_PIXELS, THUMB_PIXELS))
            if picture.mode != "RGB":
                flat = Picture.new("RGB", picture.size, "white")
                rgba = picture.convert("RGBA")
                flat.paste(rgba, mask=rgba.getchannel("A"))
                picture = flat
            encoded = io.BytesIO()
            picture.save(encoded, "JPEG", quality=85)
    except (OSError, ValueError, SyntaxError, Picture.DecompressionBombError):
        return None
    width, height = picture.size
    scale = min(THUMB_WIDTH / width, THUMB_MAX_HEIGHT / height)
    encoded.seek(0)
    return Image(encoded, width=width * scale, height=height * scale)


def _qr_code(text: str, size: float, family: str) -> Drawing:
    widget = QrCodeWidget(text, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    scale = [size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    # A drawing starts in Helvetica, which would then be named (and not embedded) in the PDF.
    drawing = Drawing(size, size, transform=scale, initialFontName=family)
    drawing.add(widget)
    return drawing


# -- the document ------------------------------------------------------------------------------


class _ExtractDocument:
    """The flowables of one extract in one language."""

    def __init__(
        self, extract: LogbookExtract, language: str, styles: dict[str, ParagraphStyle]
    ) -> None:
        self.extract = extract
        self.language = language
        self.styles = styles
        words = translator(language)
        self.gettext: Callable[[str], str] = words.gettext
        self.ngettext: Callable[[str, str, int], str] = words.ngettext

    def when(self, moment: datetime) -> str:
        return format_datetime(moment, self.extract.time_zone, self.language)

    def day(self, value: date) -> str:
        return format_date(value, self.language)

    def paragraph(self, markup: str, style: str = "base") -> Paragraph:
        return Paragraph(markup, self.styles[style])

    def story(self) -> list[Flowable]:
        story: list[Flowable] = [*self.letterhead(), *self.summary()]
        if not self.extract.chain.intact:
            story += [Spacer(1, 4 * mm), self.broken_warning()]
        story.append(Spacer(1, 6 * mm))
        story += self.entries()
        story += self.verification()
        return story

    # -- top of the first page

    def letterhead(self) -> list[Flowable]:
        _ = self.gettext
        factory = self.extract.factory
        lines: list[Flowable] = []
        if factory.name:
            lines.append(self.paragraph(escape(factory.name), "factory"))
        for detail in factory.letterhead_lines(_):
            lines.append(self.paragraph(escape(detail), "letterhead"))
        lines.append(HRFlowable(width="100%", thickness=0.8, color=GREY, spaceBefore=6))
        lines.append(self.paragraph(_("Certified extract of the occupation logbook"), "title"))
        return lines

    def period_text(self) -> str:
        _ = self.gettext
        since, until = self.extract.since, self.extract.until
        if since and until:
            return _("From {start} to {end}").format(start=self.day(since), end=self.day(until))
        if since:
            return _("From {start} on").format(start=self.day(since))
        if until:
            return _("Up to {end}").format(end=self.day(until))
        return _("The whole logbook")

    def categories_text(self) -> str:
        _ = self.gettext
        if not self.extract.categories or set(self.extract.categories) == set(CATEGORIES):
            return _("All categories")
        return ", ".join(_(CATEGORIES[code]) for code in self.extract.categories)

    def summary(self) -> list[Flowable]:
        _ = self.gettext
        extract = self.extract
        count = len(extract.entries)
        entries_text = self.ngettext("{n} entry", "{n} entries", count).format(n=count)
        if extract.companions:
            entries_text += " " + _("(including entries linked by an amendment to those chosen)")
        rows = [
            (_("Period"), self.period_text()),
            (_("Categories"), self.categories_text()),
            (_("Entries"), entries_text),
            (_("Times shown in"), extract.time_zone),
            (_("Generated"), self.when(extract.generated_at)),
        ]
        return [self.field_table(rows, [3.5 * cm, BODY_WIDTH - 3.5 * cm])]

    def field_table(self, rows: Sequence[tuple[str, str]], widths: list[float]) -> Table:
        """Label/value pairs; ``rows`` hold plain text (escaped here), two or four per row."""
        cells = []
        for row in rows:
            line: list[Flowable] = []
            for index, item in enumerate(row):
                line.append(self.paragraph(_text(item), "label" if index % 2 == 0 else "value"))
            cells.append(line)
        return self.table(
            cells,
            widths,
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        )

    def table(self, cells: list, widths: list[float], *commands: tuple) -> Table:
        """A table in the document's font (a table draws in Helvetica unless told)."""
        table = Table(cells, colWidths=widths, hAlign="LEFT")
        font = ("FONT", (0, 0), (-1, -1), self.styles["base"].fontName, 9)
        table.setStyle(TableStyle([font, *commands]))
        return table

    def broken_warning(self) -> Flowable:
        return self.table(
            [[self.paragraph(self.broken_text(), "alarm")]],
            [BODY_WIDTH],
            ("BOX", (0, 0), (-1, -1), 1.5, ALARM),
            ("BACKGROUND", (0, 0), (-1, -1), ALARM_BACKGROUND),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        )

    def broken_text(self) -> str:
        _ = self.gettext
        report = self.extract.chain.report
        if report.reason == "attachment":
            text = _(
                "THE CHAIN IS BROKEN at entry {number}: an attachment of that entry is not the "
                "file that was recorded. The database has been altered since it was written."
            )
        else:
            text = _(
                "THE CHAIN IS BROKEN at entry {number}: its content does not match its hash. "
                "The database has been altered since that entry was written."
            )
        return escape(text.format(number=report.first_broken))

    # -- entries

    def entries(self) -> list[Flowable]:
        _ = self.gettext
        if not self.extract.entries:
            return [self.paragraph(_("No entries in this period and categories."), "note")]
        flowables: list[Flowable] = []
        for entry in self.extract.entries:
            flowables += self.entry(entry)
            flowables.append(
                HRFlowable(width="100%", thickness=0.5, color=LIGHT, spaceBefore=6, spaceAfter=8)
            )
        return flowables

    def entry(self, entry: Entry) -> list[Flowable]:
        head: list[Flowable] = [
            self.entry_heading(entry),
            Spacer(1, 2 * mm),
            self.entry_fields(entry),
        ]
        head += self.notes(entry)
        # Units that a page break may separate: each paragraph, the thumbnails, and
        # the attachment list with the hash.
        units: list[list[Flowable]] = [
            [self.paragraph(part, "text")] for part in _paragraphs(entry.text)
        ]
        thumbnails = self.thumbnails(entry.attachments)
        if thumbnails is not None:
            units.append([Spacer(1, 2 * mm), thumbnails])
        units.append([*self.attachment_list(entry), self.hash_line(entry)])
        # The heading stays with the first unit and the hash with the one before it;
        # a long text may run on over pages in between. (KeepTogether must not nest.)
        if len(units) <= 2:
            return [KeepTogether([*head, *itertools.chain.from_iterable(units)])]
        middle = list(itertools.chain.from_iterable(units[1:-2]))
        return [KeepTogether([*head, *units[0]]), *middle, KeepTogether(units[-2] + units[-1])]

    def entry_heading(self, entry: Entry) -> Table:
        _ = self.gettext
        title = _("Entry {number}").format(number=entry.number)
        cells = [
            [
                self.paragraph(f"{escape(title)} — {_text(entry.title)}", "entry"),
                self.paragraph(
                    escape(_(CATEGORIES.get(entry.category, entry.category))), "category"
                ),
            ]
        ]
        background = AMENDMENT if entry.amends_id is not None else LIGHT
        return self.table(
            cells,
            [BODY_WIDTH - 4.5 * cm, 4.5 * cm],
            ("BACKGROUND", (0, 0), (-1, -1), background),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        )

    def entry_fields(self, entry: Entry) -> Table:
        _ = self.gettext
        label = {key: _(text) for key, text in FIELD_LABELS.items()}
        rows: list[tuple[str, ...]] = [
            (label["happened_at"], self.when(entry.happened_at),
             label["recorded_at"], self.when(entry.recorded_at)),
            (label["author_id"], entry.author_name,
             label["place"] if entry.place else "", entry.place),
        ]  # fmt: skip
        if entry.people:
            rows.append((label["people"], entry.people, "", ""))
        table = self.field_table(rows, [2.6 * cm, 5.9 * cm, 2.6 * cm, BODY_WIDTH - 11.1 * cm])
        if entry.people:
            table.setStyle(TableStyle([("SPAN", (1, -1), (-1, -1))]))
        return table

    def notes(self, entry: Entry) -> list[Flowable]:
        """Amendment links, companion and broken-chain remarks for one entry."""
        _ = self.gettext
        notes: list[Flowable] = []
        if entry.amends_id is not None:
            notes.append(
                self.paragraph(
                    escape(_("This entry amends entry {number}.").format(number=entry.amends_id)),
                    "note",
                )
            )
        if entry.amended_by:
            numbers = ", ".join(str(number) for number in entry.amended_by)
            text = self.ngettext(
                "Amended by entry {numbers}.",
                "Amended by entries {numbers}.",
                len(entry.amended_by),
            ).format(numbers=numbers)
            notes.append(self.paragraph(escape(text), "note"))
        if entry.number in self.extract.companions:
            notes.append(
                self.paragraph(
                    escape(
                        _(
                            "Outside the period or categories chosen; shown because of the "
                            "amendment."
                        )
                    ),
                    "small",
                )
            )
        if self.extract.chain.report.first_broken == entry.number:
            notes.append(self.paragraph(self.broken_text(), "alarm"))
        return notes

    def attachment_list(self, entry: Entry) -> list[Flowable]:
        """Every attachment by name, type, size and SHA-256 (pictures too)."""
        if not entry.attachments:
            return []
        _ = self.gettext
        return [
            Spacer(1, 2 * mm),
            self.paragraph(escape(_(FIELD_LABELS["attachments"])), "label"),
            *(self.attachment_line(attachment) for attachment in entry.attachments),
        ]

    def thumbnails(self, attachments: Sequence[Attachment]) -> Table | None:
        cells: list[list[Flowable]] = []
        for attachment in attachments:
            data = self.extract.images.get(attachment.id)
            picture = _thumbnail(data) if data is not None else None
            if picture is not None:
                caption = self.paragraph(_text(attachment.filename), "caption")
                cells.append([picture, Spacer(1, 1 * mm), caption])
        if not cells:
            return None
        rows = [cells[i : i + THUMBS_PER_ROW] for i in range(0, len(cells), THUMBS_PER_ROW)]
        rows[-1] += [[]] * (THUMBS_PER_ROW - len(rows[-1]))
        return self.table(
            rows,
            [BODY_WIDTH / THUMBS_PER_ROW] * THUMBS_PER_ROW,
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        )

    def attachment_line(self, attachment: Attachment) -> Paragraph:
        size = self.ngettext("{n} byte", "{n} bytes", attachment.size).format(
            n=format_number(attachment.size, self.language)
        )
        markup = (
            f"{attachment.position + 1}. <b>{_text(attachment.filename)}</b> · "
            f"{escape(attachment.media_type)} · {escape(size)}<br/>"
            f"SHA-256 {_grouped_hash(attachment.sha256)}"
        )
        return self.paragraph(markup, "small")

    def hash_line(self, entry: Entry) -> Paragraph:
        _ = self.gettext
        return self.paragraph(
            f"{escape(_(FIELD_LABELS['hash']))} (SHA-256): {_grouped_hash(entry.hash)}", "hash"
        )

    # -- the end: how to verify

    def verification(self) -> list[Flowable]:
        _ = self.gettext
        chain = self.extract.chain
        report = chain.report
        if chain.intact:
            text = self.ngettext(
                "The chain of {n} entry verified intact when this extract was generated.",
                "The chain of {n} entries verified intact when this extract was generated.",
                report.count,
            )
            status = self.paragraph(escape(text.format(n=report.count)), "good")
        else:
            status = self.paragraph(self.broken_text(), "alarm")
        if chain.intact:
            labels = (_("Entries in the chain"), _("Chain head (SHA-256)"), _("Head code"))
        else:
            labels = (
                _("Entries verified before the break"),
                _("Hash of the last entry that verified (SHA-256)"),
                _("Code of that hash"),
            )
        facts = [
            self.paragraph(escape(labels[0]), "label"),
            self.paragraph(str(report.count), "value"),
            self.paragraph(escape(labels[1]), "label"),
            self.paragraph(_grouped_hash(report.head, per_line=4), "value"),
            self.paragraph(escape(labels[2]), "label"),
            self.paragraph(chain.head_code, "code"),
        ]
        side_by_side = self.table(
            [[facts, _qr_code(chain.head_text, QR_SIZE, self.styles["base"].fontName)]],
            [BODY_WIDTH - QR_SIZE - 0.5 * cm, QR_SIZE + 0.5 * cm],
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        )
        block: list[Flowable] = [
            Spacer(1, 4 * mm),
            self.paragraph(escape(_("Verification")), "heading"),
            status,
            Spacer(1, 3 * mm),
            side_by_side,
            Spacer(1, 3 * mm),
        ]
        block += self.how_to_verify()
        return [KeepTogether(block)]

    def how_to_verify(self) -> list[Flowable]:
        _ = self.gettext
        command = "<b>obrero logbook verify --db FILE</b>"
        steps = [
            escape(
                _(
                    "Each entry's hash seals its content, the SHA-256 of its attachments and the "
                    "hash of the entry before it, so changing any entry changes every hash after "
                    "it and the head. The head seals the whole logbook, entries outside this "
                    "extract included."
                )
            ),
            escape(
                _(
                    "To check the database this extract was made from, run {command} on it: it "
                    "recomputes every hash and prints the number of entries and the head, or the "
                    "number of the first entry that does not match."
                )
            ).format(command=command),
            escape(
                _(
                    "Compare the head code with the copy written in the paper book or on the "
                    "signed minutes, or held by the union's lawyer: the same code means the "
                    "logbook was not rewritten since that copy was made."
                )
            ),
        ]
        return [
            Paragraph(step, self.styles["step"], bulletText=f"{number}.")
            for number, step in enumerate(steps, start=1)
        ]


# -- every page: "Page X of Y" -----------------------------------------------------------------


def _draw_footer(
    document: _ExtractDocument, family: str, canvas: Canvas, page: int, pages: int
) -> None:
    _ = document.gettext
    extract = document.extract
    canvas.saveState()
    canvas.setStrokeColor(GREY)
    canvas.setLineWidth(0.4)
    top = MARGIN + 0.2 * cm
    canvas.line(MARGIN, top, PAGE_WIDTH - MARGIN, top)
    canvas.setFillColor(GREY)
    canvas.setFont(family, 7.5)
    left = " · ".join(
        part
        for part in (extract.factory.name, _("Certified extract of the occupation logbook"))
        if part
    )
    canvas.drawString(MARGIN, top - 11, fit_text(left, family, 7.5, BODY_WIDTH * 0.72))
    generated = _("Generated {moment} ({zone})").format(
        moment=document.when(extract.generated_at), zone=extract.time_zone
    )
    canvas.drawString(MARGIN, top - 21, generated)
    canvas.setFont(family + "-Bold", 8)
    canvas.drawRightString(
        PAGE_WIDTH - MARGIN, top - 11, _("Page {page} of {pages}").format(page=page, pages=pages)
    )
    if extract.chain.intact:
        canvas.setFont(family, 7.5)
        chain = _("Head code {code}").format(code=extract.chain.head_code)
    else:
        canvas.setFont(family + "-Bold", 7.5)
        canvas.setFillColor(ALARM)
        chain = _("Chain broken at entry {number}").format(number=extract.chain.report.first_broken)
    canvas.drawRightString(PAGE_WIDTH - MARGIN, top - 21, chain)
    canvas.restoreState()
