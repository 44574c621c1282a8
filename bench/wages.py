"""Wages: the shares of a period with 1,000 members, and its 1,000-page statements PDF.

    python bench/wages.py [--members N] [--runs N]

Builds a temporary database with N members (1,000 by default) on the roll of one
month shared under the mixed rule (50 % equal, 50 % by category coefficient x
hours), with hours for everyone and a few advances, then times in the same run:

- ``preview`` (the shares of every member, read from the database and computed
  exactly), in ms (target: under 50 ms), and the rule alone (``shares``);
- the statements PDF (one page per member and the summary sheet) through
  ``render_wage_statements``, against the baseline of bare ReportLab making the
  same pages: every drawing call the renderer made on its canvas, recorded once
  and replayed on a plain ``Canvas`` with no layout, wording or formatting work;
  prints the medians and their ratio (target: <= 1.5).
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from obrero.members import MemberDraft, add_member
from obrero.profile import default_profile, save_profile
from obrero.store.database import Database, open_database
from obrero.wages.periods import (
    PeriodDraft,
    add_income,
    add_line,
    create_period,
    month_bounds,
    preview,
    set_coefficient,
    set_hours,
)
from obrero.wages.rules import Participant, Rule, SharingRule, shares

TARGET_SHARES_MS = 50.0
TARGET_RATIO = 1.5
CATEGORIES = {
    "Ayudante": Decimal("1.000"),
    "Medio oficial": Decimal("1.100"),
    "Oficial": Decimal("1.250"),
    "Operario especializado": Decimal("1.300"),
    "Administrativo": Decimal("1.150"),
}
# Canvas methods the renderer may draw with; replayed as they were called.
DRAWING = (
    "drawString", "drawRightString", "drawCentredString", "line", "lines", "rect", "roundRect",
    "circle", "setFont", "setFillColor", "setStrokeColor", "setLineWidth", "setDash",
    "saveState", "restoreState", "translate", "rotate", "scale", "beginForm", "endForm",
    "doForm", "setTitle", "setAuthor", "setSubject", "setCreator", "setKeywords",
    "setPageSize", "drawImage", "linkURL",
)  # fmt: skip


def build(path: Path, count: int) -> tuple[int, float]:
    """A database with ``count`` members and October 2026 ready to share; (period, seconds)."""
    rng = random.Random(1)
    started = time.perf_counter()
    database = open_database(path)
    try:
        factory = replace(default_profile("AR"), name="Cooperativa de Trabajo La Tomatera Ltda.")
        database.write(save_profile, factory)
        start, end = month_bounds(2026, 10)

        def members(session) -> list[int]:
            ids = []
            for number in range(count):
                joined = date(2020, 1, 1) if number % 50 else date(2026, 10, rng.randint(2, 28))
                draft = MemberDraft(
                    full_name=f"Compañera Número {number:04d}",
                    national_id=f"30.{number // 1000:03d}.{number % 1000:03d}",
                    join_date=joined,
                    category=rng.choice(list(CATEGORIES)),
                )
                ids.append(add_member(session, draft).id)
            return ids

        ids = database.write(members)

        def period(session) -> int:
            draft = PeriodDraft(
                start, end, "Octubre 2026", rule=Rule.MIXED, equal_percent=50, weighted=True,
                resolution="Resolución 2026-07",
            )  # fmt: skip
            period_id = create_period(session, draft).id
            for category, coefficient in CATEGORIES.items():
                set_coefficient(session, period_id, category, coefficient)
            add_income(session, period_id, "Ventas", Decimal(count * 2_800_000) + Decimal("0.37"))
            add_income(session, period_id, "Materia prima", -Decimal(count * 1_100_000))
            add_income(session, period_id, "Energía", -Decimal(count * 650_000))
            hours = {
                member_id: Decimal(rng.randint(300, 380)) / 2 + rng.choice((0, 0, 4, 8))
                for member_id in ids
            }
            set_hours(session, period_id, hours)
            # A few advances, to members on the roll all month (every 50th joined late).
            whole_month = [member_id for number, member_id in enumerate(ids) if number % 50]
            for member_id in rng.sample(whole_month, min(20, len(whole_month))):
                add_line(session, period_id, member_id, "advance", "Adelanto", Decimal(150_000))
            return period_id

        period_id = database.write(period)
    finally:
        database.close()
    return period_id, time.perf_counter() - started


def timed(function: Callable, *args) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


# --- the baseline: the same drawing calls on a plain canvas --------------------------------------


@contextmanager
def recording() -> Iterator[list]:
    """Record every outermost drawing call on any Canvas, with page boundaries.

    ``("start",)`` marks a page the renderer finished and put aside (a canvas that
    numbers its pages holds them until the end); ``("show",)`` a page written out.
    """
    events: list = []
    depth = [0]
    originals = {name: getattr(Canvas, name) for name in (*DRAWING, "showPage", "_startPage")}

    def wrap(name: str, original: Callable) -> Callable:
        def call(self, *args, **kwargs):
            if depth[0] == 0:
                if name == "_startPage":
                    events.append(("start",))
                elif name == "showPage":
                    events.append(("show",))
                else:
                    events.append((name, args, kwargs))
            depth[0] += 1
            try:
                return original(self, *args, **kwargs)
            finally:
                depth[0] -= 1

        return call

    for name, original in originals.items():
        setattr(Canvas, name, wrap(name, original))
    try:
        yield events
    finally:
        for name, original in originals.items():
            setattr(Canvas, name, original)


def pages_of(events: list) -> list[list]:
    """The drawing calls of each page: what it holds, then what is drawn on it when written.

    A canvas that numbers its pages puts each aside (``start``) and draws every footer
    at the end, just before writing that page out (``show``); a plain canvas only shows.
    """
    segments: list[list] = [[]]
    ends: list[str] = []
    for event in events:
        if event[0] in ("start", "show"):
            ends.append(event[0])
            segments.append([])
        else:
            segments[-1].append(event)
    held = [segment for segment, end in zip(segments, ends, strict=False) if end == "start"]
    shown = [segment for segment, end in zip(segments, ends, strict=False) if end == "show"]
    if not held:
        return shown
    return [body + footer for body, footer in zip(held, shown, strict=True)]


def replay(pages: list[list], font: str) -> bytes:
    """Bare ReportLab: the recorded calls on a plain Canvas, one page after another."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, initialFontName=font, initialFontSize=9)
    for page in pages:
        for name, args, kwargs in page:
            getattr(canvas, name)(*args, **kwargs)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# --- the run ------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wages.sqlite3"
        period, seconds = build(path, args.members)
        print(f"built {args.members:,} members and their period in {seconds:.1f} s")
        database = open_database(path)
        try:
            shares_part(database, period, args.runs)
            statements_part(database, period, args.runs)
        finally:
            database.close()
    return 0


def shares_part(database: Database, period: int, runs: int) -> None:
    database.read(preview, period)  # warm-up: the first read loads the mappers
    times = []
    for _run in range(runs):
        took, figures = timed(database.read, preview, period)
        times.append(took)
    assert figures.total_share_cents == figures.period.to_share_cents
    participants = [
        Participant(r.member_id, r.days_on_roll, figures.period.days, r.hours, r.coefficient)
        for r in figures.rows
    ]
    rule = SharingRule(Rule.MIXED, 50, weighted=True)
    rule_times = [
        timed(shares, figures.period.to_share_cents, rule, participants)[0] for _run in range(runs)
    ]
    ms = statistics.median(times) * 1000
    verdict = "ok" if ms < TARGET_SHARES_MS else "OVER TARGET"
    print(
        f"preview of {len(figures.rows):,} shares: median {ms:.1f} ms "
        f"(the rule alone {statistics.median(rule_times) * 1000:.1f} ms), "
        f"target < {TARGET_SHARES_MS:.0f} ms: {verdict}"
    )


def statements_part(database: Database, period: int, runs: int) -> None:
    try:
        from obrero.documents.fonts import register_fonts
        from obrero.documents.wage_statements import render_wage_statements
        from obrero.wages.statements import build_statements
    except ImportError as error:
        print(f"statements PDF: skipped, the renderer is not there yet ({error})")
        return
    took, statements = timed(database.read, build_statements, period)
    print(f"build_statements for {len(statements.members):,} members: {took * 1000:.0f} ms")
    font = register_fonts()
    with recording() as events:
        pdf = render_wage_statements(statements, "es")
    pages = pages_of(events)
    base_pdf = replay(pages, font)
    print(
        f"statements PDF: {len(pages):,} pages, {len(pdf) / 1e6:.1f} MB; "
        f"baseline replay {len(base_pdf) / 1e6:.1f} MB"
    )
    base_times, ours_times = [], []
    for _run in range(runs):
        base_times.append(timed(replay, pages, font)[0])
        ours_times.append(timed(render_wage_statements, statements, "es")[0])
    base, ours = statistics.median(base_times), statistics.median(ours_times)
    print(f"baseline, bare ReportLab drawing the same pages: median {base * 1000:.0f} ms")
    print(f"render_wage_statements: median {ours * 1000:.0f} ms")
    ratio = ours / base
    verdict = "ok" if ratio <= TARGET_RATIO else "OVER TARGET"
    print(f"statements ratio {ratio:.2f}, target <= {TARGET_RATIO}: {verdict}")


if __name__ == "__main__":
    raise SystemExit(main())
