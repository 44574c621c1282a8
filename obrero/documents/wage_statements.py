"""The wage statements of a period as a PDF, in the language asked for.

One page per member (recibo de retiro / recibo de retirada): the factory, the
period, the rule in words and the resolution that adopted it, the member's
days, hours and coefficient, the share and every line that makes the net
amount, and two signature lines. Then a summary sheet for the assembly (A4
landscape): every member's figures and the totals, which add up to the amount
shared. A draft period is marked as such on every page.

Pages are drawn straight onto the canvas (no platypus story), and what every
statement repeats (letterhead, period, labels, signature lines, footer) is
drawn once into a PDF form that each page shows: a thousand statements take
less time than drawing all their text bare, and the file stays small.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from obrero.documents.fonts import register_fonts
from obrero.documents.pages import fit_text, numbered_canvas
from obrero.i18n import translator
from obrero.i18n.formatting import format_date, format_money, format_number
from obrero.wages.periods import LINE_KINDS, from_cents
from obrero.wages.statements import MemberStatement, StatementLine, WageStatements

MARGIN = 2 * cm
FOOTER_SPACE = 1.4 * cm
BLACK = colors.black
GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#BBBBBB")
LIGHT = colors.HexColor("#F0F0F0")
ALARM = colors.HexColor("#B00020")
ALARM_BACKGROUND = colors.HexColor("#FDECEE")
WATERMARK = colors.HexColor("#EFA7B2")
LINE_ORDER = {kind: position for position, kind in enumerate(LINE_KINDS)}
SIGNATURE_BLOCK = 3.2 * cm  # the room the two signature lines take at the foot of a statement
MEMBER_BOX = 62  # height of the box with the member's name, days, hours and coefficient
MONEY_COLUMN = 3.2 * cm


def render_wage_statements(
    statements: WageStatements, language: str, summary: bool = True
) -> bytes:
    """The statements as PDF bytes (A4, DejaVu Sans embedded), all their words in ``language``.

    One page per statement in ``statements.statements`` (more only if a member has
    more lines than a page holds), then, if ``summary``, the period's summary sheet.
    """
    family = register_fonts()
    words = _Words(statements, language)
    _ = words.gettext
    buffer = io.BytesIO()
    footers: list[str] = []  # the footer form of each page, in order
    canvas_class = numbered_canvas(
        lambda canvas, page, count: _page_number(_Pen(canvas, family), footers, page, count, _)
    )
    canvas = canvas_class(
        buffer,
        pagesize=A4,
        initialFontName=family,  # else every page names Helvetica, which is not embedded
        initialFontSize=9,
        lang=language.replace("_", "-"),
    )
    # Translators: the PDF's title; es "Recibos de retiro", pt_BR "Recibos de retirada".
    canvas.setTitle(_("Wage statements") + " — " + statements.period.label)
    canvas.setAuthor(statements.factory.name)
    canvas.setSubject(statements.period.label)
    canvas.setCreator("Obrero")
    writer = _Writer(_Pen(canvas, family), words, footers)
    for statement in statements.statements:
        writer.statement(statement)
    if summary or not statements.statements:
        writer.summary()
    canvas.showPage()  # the last page; the footers are drawn on save
    canvas.save()
    return buffer.getvalue()


def _page_number(
    pen: _Pen, footers: list[str], page: int, pages: int, gettext: Callable[[str], str]
) -> None:
    """The footer of a page: its form (made with the page) and "Page X of Y"."""
    pen.canvas.doForm(footers[page - 1])
    width = pen.canvas._pagesize[0]
    numbering = gettext("Page {page} of {pages}").format(page=page, pages=pages)
    pen.text(width - MARGIN, MARGIN + 0.2 * cm - 11, numbering, 8, bold=True, align="right")


# -- words and figures in the document's language ------------------------------------------------


class _Words:
    """Every word and figure of one document, in its language (amounts cached: they repeat)."""

    def __init__(self, data: WageStatements, language: str) -> None:
        self.data = data
        self.language = language
        catalogue = translator(language)
        self.gettext: Callable[[str], str] = catalogue.gettext
        self.ngettext: Callable[[str, str, int], str] = catalogue.ngettext
        self._money: dict[int, str] = {}
        self._numbers: dict[Decimal | int, str] = {}

    def money(self, cents: int) -> str:
        text = self._money.get(cents)
        if text is None:
            data = self.data
            text = format_money(from_cents(cents), data.currency, self.language, data.country)
            self._money[cents] = text
        return text

    def number(self, value: Decimal | int) -> str:
        text = self._numbers.get(value)
        if text is None:
            text = format_number(value, self.language, self.data.country)
            self._numbers[value] = text
        return text

    def day(self, value: date | None) -> str:
        return format_date(value, self.language)

    def span(self, start: date, end: date) -> str:
        return f"{self.day(start)} – {self.day(end)}"

    @property
    def draft(self) -> bool:
        return self.data.period.is_draft

    def status(self) -> str:
        _ = self.gettext
        period = self.data.period
        if period.is_draft:
            return _("DRAFT — not approved")
        approved = _("Approved on {date}").format(date=self.day(period.approved_on))
        if period.paid_on is None:
            return approved
        return approved + ", " + _("paid on {date}").format(date=self.day(period.paid_on))

    def period_text(self) -> str:
        period = self.data.period
        days = self.ngettext("{n} day", "{n} days", period.days).format(n=period.days)
        return f"{period.label}: {self.span(period.start, period.end)} ({days})"

    def resolution(self) -> str:
        return self.data.period.resolution or self.gettext("Not recorded")

    def line_text(self, line: StatementLine) -> str:
        _ = self.gettext
        kind = _(LINE_KINDS[line.kind])
        if line.adjusts is None:
            return f"{kind}: {line.description}"
        earlier = line.adjusts
        # Translators: an adjustment line, e.g. "Adjustment of an earlier period “September
        # 2026” (01/09/2026 – 30/09/2026): hours entered twice".
        return _("{kind} “{label}” ({dates}): {description}").format(
            kind=kind,
            label=earlier.label,
            dates=self.span(earlier.start, earlier.end),
            description=line.description,
        )

    def footer(self, pen: _Pen, title: str) -> None:
        """Factory, document and period; when printed; the status (red if draft).

        Drawn once per kind of page into a form; the page number goes on top of it.
        """
        _ = self.gettext
        width = pen.canvas._pagesize[0]
        top = MARGIN + 0.2 * cm
        pen.rule(MARGIN, width - MARGIN, top, GREY, 0.4)
        parts = (self.data.factory.name, title, self.data.period.label)
        left = " · ".join(part for part in parts if part)
        room = width - 2 * MARGIN - 4 * cm  # the rest holds the page number
        pen.text(MARGIN, top - 11, fit_text(left, pen.family, 7.5, room), 7.5, color=GREY)
        printed = _("Printed on {date}").format(date=self.day(self.data.printed_on))
        pen.text(MARGIN, top - 21, printed, 7.5, color=GREY)
        color = ALARM if self.draft else GREY
        status = self.status()
        pen.text(width - MARGIN, top - 21, status, 7.5, bold=self.draft, color=color, align="right")


# -- drawing on the canvas ---------------------------------------------------------------------


class _Pen:
    """Text, rules and boxes on the canvas, setting font and colour only when they change."""

    def __init__(self, canvas: Canvas, family: str) -> None:
        self.canvas = canvas
        self.family = family
        self.bold = family + "-Bold"
        self._font: tuple[str, float] | None = None
        self._color: colors.Color | None = None

    def font(self, bold: bool) -> str:
        return self.bold if bold else self.family

    def forget(self) -> None:
        """The canvas's font and colour are unknown again (a new page, a form, a restore)."""
        self._font = self._color = None

    def _use(self, font: str, size: float, color: colors.Color) -> None:
        if self._font != (font, size):
            self.canvas.setFont(font, size)
            self._font = (font, size)
        if self._color is not color:
            self.canvas.setFillColor(color)
            self._color = color

    def text(
        self,
        x: float,
        y: float,
        value: str,
        size: float = 9,
        *,
        bold: bool = False,
        color: colors.Color = BLACK,
        align: str = "left",
    ) -> None:
        self._use(self.font(bold), size, color)
        if align == "right":
            self.canvas.drawRightString(x, y, value)
        elif align == "center":
            self.canvas.drawCentredString(x, y, value)
        else:
            self.canvas.drawString(x, y, value)

    def fitted(
        self,
        x: float,
        y: float,
        value: str,
        size: float,
        width: float,
        *,
        bold: bool = False,
        align: str = "right",
    ) -> None:
        """``value`` at ``size`` or smaller, so that it fits ``width`` (figures are never cut)."""
        natural = stringWidth(value, self.font(bold), size)
        if natural > width:
            size = size * width / natural
        self.text(x, y, value, size, bold=bold, align=align)

    def wrap(self, value: str, width: float, size: float, bold: bool = False) -> list[str]:
        return simpleSplit(value, self.font(bold), size, width) or [""]

    def rule(
        self, x1: float, x2: float, y: float, color: colors.Color = RULE, width: float = 0.5
    ) -> None:
        self.canvas.setStrokeColor(color)
        self.canvas.setLineWidth(width)
        self.canvas.line(x1, y, x2, y)

    def box(
        self,
        x: float,
        y: float,
        width: float,
        height: float,
        fill: colors.Color,
        stroke: colors.Color | None = None,
    ) -> None:
        """A rectangle whose top left corner is (x, y)."""
        self.canvas.setFillColor(fill)
        self._color = fill
        if stroke is not None:
            self.canvas.setStrokeColor(stroke)
            self.canvas.setLineWidth(1)
        self.canvas.rect(x, y - height, width, height, stroke=stroke is not None, fill=1)

    def margin_mark(self, words: str) -> None:
        """``words`` large, upright along the left edge of the page, under everything else.

        Turned a right angle (not slanted) so that a text reader still reads them
        whole and the page's own lines are not broken up.
        """
        height = self.canvas._pagesize[1]
        self.canvas.saveState()
        self.canvas.translate(MARGIN / 2 + 9, height / 2)
        self.canvas.rotate(90)
        self.canvas.setFillColor(WATERMARK)
        self.canvas.setFont(self.bold, 26)
        self.canvas.drawCentredString(0, 0, words)
        self.canvas.restoreState()
        self.forget()


@dataclass(frozen=True)
class _Column:
    title: str
    width: float
    align: str = "right"


_Cell = tuple[float, float, _Column]  # x to draw at, room for the text, the column


class _Writer:
    """Lays the statements and the summary out, page after page."""

    def __init__(self, pen: _Pen, words: _Words, footers: list[str]) -> None:
        self.pen = pen
        self.words = words
        self.data = words.data
        self.footers = footers
        self.forms: dict[tuple[str, float, float], tuple[str, float]] = {}
        self.width, self.height = A4
        self.y = 0.0
        self.box_top = 0.0  # where the member box of a statement starts

    # -- pages

    @property
    def left(self) -> float:
        return MARGIN

    @property
    def right(self) -> float:
        return self.width - MARGIN

    @property
    def bottom(self) -> float:
        return MARGIN + FOOTER_SPACE

    def new_page(self, title: str, size: tuple[float, float] = A4) -> None:
        """Start a page (with its footer and, for a draft, the draft marks)."""
        canvas = self.pen.canvas
        if self.footers:
            canvas.showPage()
            self.pen.forget()
        if canvas._pagesize != size:
            canvas.setPageSize(size)
        self.width, self.height = size
        self.y = MARGIN
        self.footers.append(
            self.form("footer " + title, lambda: self.words.footer(self.pen, title))
        )
        self.y = self.height - MARGIN
        if self.words.draft:
            self.reuse("draft", self.draft_marks)

    def form(self, name: str, draw: Callable[[], None]) -> str:
        """The form that ``draw`` fills, made on first use (for this page size and ``self.y``).

        ``draw`` moves ``self.y`` down as it goes; the form remembers where it ended,
        and ``self.y`` is left there.
        """
        key = (name, self.width, self.y)
        if key not in self.forms:
            form = f"Part{len(self.forms)}"
            self.pen.canvas.beginForm(form)
            self.pen.forget()
            draw()
            self.pen.canvas.endForm()
            self.pen.forget()
            self.forms[key] = (form, self.y)
        form, self.y = self.forms[key]
        return form

    def reuse(self, name: str, draw: Callable[[], None]) -> None:
        """Show on this page what ``draw`` draws, from a form made once (see :meth:`form`)."""
        self.pen.canvas.doForm(self.form(name, draw))

    def draft_marks(self) -> None:
        self.pen.margin_mark(self.words.gettext("DRAFT — not approved"))
        self.draft_banner()

    def draft_banner(self) -> None:
        _ = self.words.gettext
        height = 26
        self.pen.box(self.left, self.y, self.right - self.left, height, ALARM_BACKGROUND, ALARM)
        self.pen.text(
            self.left + 8, self.y - 17, _("DRAFT — not approved"), 11, bold=True, color=ALARM
        )
        note = _("These figures may still change: do not pay or sign on a draft.")
        self.pen.text(self.right - 8, self.y - 16.5, note, 8, color=ALARM, align="right")
        self.y -= height + 10

    def letterhead(self, compact: bool = False) -> None:
        factory = self.data.factory
        details = factory.letterhead_lines(self.words.gettext)
        room = self.right - self.left
        if factory.name:
            self.pen.fitted(self.left, self.y - 12, factory.name, 13, room, bold=True, align="left")
            self.y -= 16
        if compact and details:
            details = [" · ".join(details)]
        for line in details:
            self.pen.text(
                self.left, self.y - 9, fit_text(line, self.pen.family, 8.5, room), 8.5, color=GREY
            )
            self.y -= 11
        self.y -= 5
        self.pen.rule(self.left, self.right, self.y, GREY, 0.8)
        self.y -= 6

    def title(self, text: str) -> None:
        self.pen.text(self.left, self.y - 17, text, 15, bold=True)
        room = self.right - self.left - stringWidth(text, self.pen.bold, 15) - 12
        label = fit_text(self.data.period.label, self.pen.bold, 11, room)
        self.pen.text(self.right, self.y - 16, label, 11, bold=True, align="right")
        self.y -= 27

    def facts(self, rows: Sequence[tuple[str, str]], label_width: float = 3.6 * cm) -> None:
        """Label/value pairs, the value wrapped to the width left."""
        for label, value in rows:
            self.pen.text(self.left, self.y - 9, label, 8, color=GREY)
            for line in self.pen.wrap(value, self.right - self.left - label_width, 9):
                self.pen.text(self.left + label_width, self.y - 9, line, 9)
                self.y -= 11.5
            self.y -= 1.5

    def period_facts(self) -> list[tuple[str, str]]:
        _ = self.words.gettext
        words = self.words
        period = self.data.period
        return [
            (_("Period"), words.period_text()),
            (_("Status"), words.status()),
            (_("Sharing rule"), period.sharing_rule().words(_)),
            (_("Resolution"), words.resolution()),
        ]

    # -- one member's statement

    def statement(self, member: MemberStatement) -> None:
        # Translators: a member's receipt of their share; es "Recibo de retiro",
        # pt_BR "Recibo de retirada". There are no salaries in a worker cooperative.
        title = self.words.gettext("Wage statement (share of income)")
        self.new_page(title)
        self.reuse("statement", lambda: self.statement_head(title))
        self.member_figures(member)
        self.lines_table(member, title)
        if self.y - SIGNATURE_BLOCK < self.bottom:
            self.continued(member, title, table=False)
        self.y = self.bottom + SIGNATURE_BLOCK
        self.reuse("signatures", self.signature_lines)
        line_y = self.bottom + 0.9 * cm
        room = self.signature_width
        self.pen.fitted(self.left, line_y - 10, member.name, 8.5, room, bold=True, align="left")

    def statement_head(self, title: str) -> None:
        """What every statement shows above the member's own figures."""
        _ = self.words.gettext
        self.letterhead()
        self.title(title)
        count = len(self.data.members)
        shared = self.words.ngettext(
            "{amount} among {n} member", "{amount} among {n} members", count
        )
        amount = shared.format(amount=self.words.money(self.data.amount_shared_cents), n=count)
        self.facts([*self.period_facts(), (_("Amount shared"), amount)])
        self.y -= 6
        self.member_box()
        self.y -= 10
        self.table_head()

    def continued(self, member: MemberStatement, title: str, table: bool = True) -> None:
        """A further page of the same statement (its lines, or only its signatures)."""
        self.new_page(title)
        heading = self.words.gettext("{title}: {name} (continued)").format(
            title=title, name=member.name
        )
        self.pen.text(self.left, self.y - 11, heading, 11, bold=True)
        self.y -= 24
        if table:
            self.table_head()

    def member_box(self) -> None:
        """The grey box with the labels; :meth:`member_figures` fills it in."""
        _ = self.words.gettext
        self.box_top = self.y
        self.pen.box(self.left, self.y, self.right - self.left, MEMBER_BOX, LIGHT)
        labels = [_("Days on the roll"), _("Hours worked"), _("Coefficient")]
        for x, label in zip(self.figure_columns(), labels, strict=True):
            self.pen.text(x, self.y - 44, label, 7.5, color=GREY)
        self.y -= MEMBER_BOX

    def figure_columns(self) -> list[float]:
        step = (self.right - self.left - 16) / 3
        return [self.left + 8 + index * step for index in range(3)]

    def member_figures(self, member: MemberStatement) -> None:
        _ = self.words.gettext
        words = self.words
        top = self.box_top
        room = self.right - self.left - 16
        self.pen.fitted(self.left + 8, top - 16, member.name, 12, room, bold=True, align="left")
        identity = [
            f"{_('National id')}: {member.national_id or '—'}",
            _("Member number: {number}").format(number=member.member_id),
        ]
        if member.category:
            identity.append(f"{_('Category')}: {member.category}")
        self.pen.fitted(self.left + 8, top - 29, " · ".join(identity), 8.5, room, align="left")
        days = _("{days} of {period_days}").format(
            days=member.days_on_roll, period_days=member.period_days
        )
        if member.prorated:
            days += " " + _("(prorated)")
        values = [days, words.number(member.hours), words.number(member.coefficient)]
        for x, value in zip(self.figure_columns(), values, strict=True):
            self.pen.text(x, top - 55, value, 9.5, bold=True)

    def lines_table(self, member: MemberStatement, title: str) -> None:
        _ = self.words.gettext
        credit_x, debit_x = self.right - MONEY_COLUMN, self.right
        text_width = self.right - self.left - 2 * MONEY_COLUMN - 8
        self.money_row([_("Share under the rule")], member.share_cents, 0, credit_x, debit_x)
        ordered = sorted(member.lines, key=lambda line: LINE_ORDER[line.kind])
        for line in ordered:
            text = self.pen.wrap(self.words.line_text(line), text_width, 9)
            if self.y - 12 * len(text) - 4 < self.bottom:
                self.continued(member, title)
            self.money_row(text, line.credit_cents, line.debit_cents, credit_x, debit_x)
        if not ordered:
            note = _("No advances, deductions or additions in this period.")
            self.pen.text(self.left, self.y - 10, note, 8, color=GREY)
            self.y -= 14
        if self.y - 60 < self.bottom:
            self.continued(member, title)
        self.totals_rows(member, credit_x, debit_x)

    def table_head(self) -> None:
        _ = self.words.gettext
        credit_x, debit_x = self.right - MONEY_COLUMN, self.right
        self.pen.text(self.left, self.y - 9, _("Concept"), 8, bold=True, color=GREY)
        # Translators: column heads of the statement: amounts in the member's favour
        # (es "Haberes" or "A favor") and amounts taken off (es "Descuentos").
        self.pen.text(credit_x, self.y - 9, _("Credited"), 8, bold=True, color=GREY, align="right")
        self.pen.text(debit_x, self.y - 9, _("Deducted"), 8, bold=True, color=GREY, align="right")
        self.y -= 13
        self.pen.rule(self.left, self.right, self.y, GREY, 0.6)
        self.y -= 3

    def money_row(
        self, text: list[str], credit: int, debit: int, credit_x: float, debit_x: float
    ) -> None:
        top = self.y
        for line in text:
            self.pen.text(self.left, self.y - 10, line, 9)
            self.y -= 12
        if credit:
            self.pen.text(credit_x, top - 10, self.words.money(credit), 9, align="right")
        if debit:
            self.pen.text(debit_x, top - 10, self.words.money(debit), 9, align="right")
        self.y -= 2
        self.pen.rule(self.left, self.right, self.y, RULE, 0.3)

    def totals_rows(self, member: MemberStatement, credit_x: float, debit_x: float) -> None:
        _ = self.words.gettext
        money = self.words.money
        credits = member.share_cents + member.additions_cents
        debits = member.advances_cents + member.deductions_cents
        self.pen.rule(self.left, self.right, self.y, GREY, 0.6)
        self.pen.text(self.left, self.y - 12, _("Totals"), 9, bold=True)
        self.pen.text(credit_x, self.y - 12, money(credits), 9, bold=True, align="right")
        self.pen.text(debit_x, self.y - 12, money(debits), 9, bold=True, align="right")
        self.y -= 22
        height = 28
        self.pen.box(self.left, self.y, self.right - self.left, height, LIGHT, BLACK)
        self.pen.text(self.left + 8, self.y - 18.5, _("NET AMOUNT TO RECEIVE"), 12, bold=True)
        self.pen.text(
            self.right - 8, self.y - 18.5, money(member.net_cents), 13, bold=True, align="right"
        )
        self.y -= height

    @property
    def signature_width(self) -> float:
        return (self.right - self.left - 1.5 * cm) / 2

    def signature_lines(self) -> None:
        """The foot of a statement, but for the member's name under the first line."""
        _ = self.words.gettext
        top = self.bottom + SIGNATURE_BLOCK
        received = _("I have received the net amount of this statement.")
        self.pen.text(self.left, top - 10, received, 8.5, color=GREY)
        place = _("Place and date") + ": " + "_" * 34
        self.pen.text(self.left, top - 30, place, 8.5, color=GREY)
        line_y = self.bottom + 0.9 * cm
        half = self.signature_width
        council = self.left + half + 1.5 * cm
        for x in (self.left, council):
            self.pen.rule(x, x + half, line_y, BLACK, 0.6)
        self.pen.text(council, line_y - 10, _("For the workers' council"), 8.5, bold=True)
        self.pen.text(self.left, line_y - 20, _("The member"), 8, color=GREY)
        self.pen.text(council, line_y - 20, _("Treasurer or secretary"), 8, color=GREY)

    # -- the summary sheet for the assembly

    def columns(self) -> list[_Column]:
        _ = self.words.gettext
        money = 2.9 * cm
        return [
            _Column("#", 0.8 * cm),
            _Column(_("Member"), 4.5 * cm, "left"),
            _Column(_("National id"), 2.3 * cm, "left"),
            _Column(_("Days"), 1.1 * cm),
            _Column(_("Hours"), 1.4 * cm),
            # Translators: short for "Coefficient", a narrow column head.
            _Column(_("Coef."), 1.1 * cm),
            _Column(_("Share"), money),
            _Column(_("Advances"), money),
            _Column(_("Deductions"), money),
            _Column(_("Additions"), money),
            _Column(_("Net"), money),
        ]

    def summary(self) -> None:
        _ = self.words.gettext
        title = _("Period summary for the assembly")
        self.new_page(title, landscape(A4))
        self.letterhead(compact=True)
        self.title(title)
        self.facts(self.period_facts())
        self.amount_lines()
        self.y -= 8
        cells = self.cells(self.columns())
        self.summary_head(cells)
        for number, member in enumerate(self.data.members, start=1):
            self.summary_row(cells, number, member, title)
        self.summary_totals(cells, title)

    def amount_lines(self) -> None:
        """The amount entered, each income or cost line, and the amount to share."""
        _ = self.words.gettext
        period = self.data.period
        rows = []
        if period.income:
            rows.append((_("Amount entered"), self.words.money(period.amount_cents)))
            rows += [
                (line.description, self.words.money(line.amount_cents)) for line in period.income
            ]
        label_width = 3.6 * cm
        for label, value in rows:
            self.pen.text(
                self.left,
                self.y - 9,
                fit_text(label, self.pen.family, 8, label_width + 4 * cm),
                8,
                color=GREY,
            )
            self.pen.text(self.left + label_width + 7 * cm, self.y - 9, value, 9, align="right")
            self.y -= 12
        self.pen.text(self.left, self.y - 10, _("Amount to share"), 8, bold=True)
        self.pen.text(
            self.left + label_width + 7 * cm,
            self.y - 10,
            self.words.money(self.data.amount_shared_cents),
            10,
            bold=True,
            align="right",
        )
        self.y -= 15

    def cells(self, columns: list[_Column]) -> list[_Cell]:
        """(x to draw at, room, column) of each column."""
        placed, x = [], self.left
        for column in columns:
            anchor = x + column.width - 4 if column.align == "right" else x
            placed.append((anchor, column.width - 6, column))
            x += column.width
        return placed

    def summary_head(self, cells: list[_Cell]) -> None:
        height = 18
        self.pen.box(self.left, self.y, self.right - self.left, height, LIGHT)
        for x, room, column in cells:
            self.pen.fitted(x, self.y - 12, column.title, 7.5, room, bold=True, align=column.align)
        self.y -= height

    def summary_row(
        self, cells: list[_Cell], number: int, member: MemberStatement, title: str
    ) -> None:
        words = self.words
        name_x, name_room, _column = cells[1]
        name = self.pen.wrap(member.name, name_room, 8)
        height = 4 + 10 * len(name)
        if self.y - height < self.bottom:
            self.summary_continued(cells, title)
        values = [
            str(number),
            "",
            member.national_id,
            str(member.days_on_roll),
            words.number(member.hours),
            words.number(member.coefficient),
            words.money(member.share_cents),
            words.money(member.advances_cents),
            words.money(member.deductions_cents),
            words.money(member.additions_cents),
            words.money(member.net_cents),
        ]
        baseline = self.y - 10
        for (x, room, column), value in zip(cells, values, strict=True):
            if value:
                self.pen.fitted(x, baseline, value, 8, room, align=column.align)
        for index, line in enumerate(name):
            self.pen.text(name_x, baseline - 10 * index, line, 8)
        self.y -= height
        self.pen.rule(self.left, self.right, self.y, RULE, 0.3)

    def summary_continued(self, cells: list[_Cell], title: str) -> None:
        self.new_page(title, landscape(A4))
        heading = self.words.gettext("{title}: {period} (continued)").format(
            title=title, period=self.data.period.label
        )
        self.pen.text(self.left, self.y - 11, heading, 11, bold=True)
        self.y -= 22
        self.reuse("summary head", lambda: self.summary_head(cells))

    def summary_totals(self, cells: list[_Cell], title: str) -> None:
        _ = self.words.gettext
        words = self.words
        if self.y - 26 - SIGNATURE_BLOCK < self.bottom:
            self.summary_continued(cells, title)
        totals = self.data.totals
        count = len(self.data.members)
        label = words.ngettext("Total ({n} member)", "Total ({n} members)", count).format(n=count)
        amounts = [
            totals.share_cents,
            totals.advances_cents,
            totals.deductions_cents,
            totals.additions_cents,
            totals.net_cents,
        ]
        self.pen.rule(self.left, self.right, self.y, BLACK, 0.8)
        self.pen.text(cells[1][0], self.y - 12, label, 8.5, bold=True)
        for (x, room, _column), cents in zip(cells[6:], amounts, strict=True):
            self.pen.fitted(x, self.y - 12, words.money(cents), 8.5, room, bold=True)
        self.y -= 18
        self.pen.rule(self.left, self.right, self.y, BLACK, 0.8)
        self.y -= 4
        self.summary_notes(totals.share_cents)
        self.council_signatures()

    def summary_notes(self, shared_cents: int) -> None:
        _ = self.words.gettext
        amount = self.data.amount_shared_cents
        if shared_cents == amount:
            check = _("The shares add up to {amount}: exactly the amount shared.").format(
                amount=self.words.money(amount)
            )
            self.pen.text(self.left, self.y - 10, check, 8.5, bold=True)
        else:
            check = _("The shares add up to {total}, not to the {amount} to share.").format(
                total=self.words.money(shared_cents), amount=self.words.money(amount)
            )
            self.pen.text(self.left, self.y - 10, check, 8.5, bold=True, color=ALARM)
        note = _("Adjustments of earlier periods are counted with the additions or deductions.")
        self.pen.text(self.left, self.y - 22, note, 8, color=GREY)
        self.y -= 28

    def council_signatures(self) -> None:
        _ = self.words.gettext
        line_y = self.bottom + 0.9 * cm
        half = (self.right - self.left - 3 * cm) / 3
        roles = [_("Treasurer"), _("Secretary"), _("Another member of the council")]
        for index, role in enumerate(roles):
            x = self.left + index * (half + 1.5 * cm)
            self.pen.rule(x, x + half, line_y, BLACK, 0.6)
            self.pen.text(x, line_y - 10, _("For the workers' council"), 8.5, bold=True)
            self.pen.text(x, line_y - 20, role, 8, color=GREY)
