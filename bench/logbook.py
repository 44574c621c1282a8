"""Logbook: verifying a long hash chain, and full-text search over it.

    python bench/logbook.py [--entries N] [--runs N]

Builds a temporary database with N logbook entries (100,000 by default; a few
carry a photo) through the core's bulk path, then times in the same run:

- ``verify_chain`` over the database, against the baseline of ``hashlib.sha256``
  chained over the same canonical bytes already in memory (and the attachments'
  bytes); prints the medians and their ratio (target: <= 2.0);
- a full-text search (the first page of the timeline, and its count), in ms
  (target: under 50 ms each).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from obrero.logbook.chain import (
    GENESIS,
    AttachmentSeal,
    canonical,
    verify_chain,
)
from obrero.logbook.entries import (
    CATEGORIES,
    AttachmentDraft,
    EntryDraft,
    EntryFilter,
    add_entries,
    count_entries,
    find_entries,
)
from obrero.members import MemberDraft, add_member
from obrero.store.database import open_database

TARGET_RATIO = 2.0
TARGET_SEARCH_MS = 50.0
ZONE = "America/Argentina/Mendoza"
BATCH = 10_000

# Everyday words are common; the words people search for are rarer, as in a real logbook.
COMMON = (
    "de", "la", "el", "que", "en", "y", "a", "los", "se", "del", "las", "un", "por", "con",
    "no", "una", "su", "para", "al", "lo", "como", "más", "pero", "sus", "le", "ya", "o", "fue",
    "este", "sí", "porque", "esta", "entre", "cuando", "muy", "sin", "sobre", "también", "me",
    "hasta", "hay", "donde", "quien", "desde", "todo", "nos", "durante", "todos", "uno", "les",
    "ni", "contra", "otros", "ese", "eso", "ante", "ellos", "e", "esto", "antes", "algunos",
    "qué", "unos", "otro", "otras", "otra", "él", "tanto", "esa", "estos", "mucho", "quienes",
    "nada", "muchos", "cual", "poco",
)  # fmt: skip
TOPICAL = (
    "guardia", "portón", "policía", "patrullero", "abogado", "cédula", "judicial", "juzgado",
    "asamblea", "compañeros", "turno", "noche", "mañana", "camión", "tomate", "caldera",
    "prensa", "radio", "visita", "cooperativa", "sindicato", "mantenimiento", "cortocircuito",
    "ingreso", "egreso", "acta", "firma", "vecinos", "solidaridad", "olla", "popular",
    "desalojo", "oficial", "comisaría", "martillero", "síndico", "quiebra", "acreedores",
    "movilización",
)  # fmt: skip
WORDS = COMMON + TOPICAL
WEIGHTS = [40] * len(COMMON) + [1] * len(TOPICAL)
# What a secretary looks for; the last, a word in most entries, is the slow case.
QUERIES = ("policia", "cédula judicial", "porton noche", "sindic", "desalojo martillero", "de")


def drafts(rng: random.Random, count: int, authors: list[int], start: datetime):
    """``count`` entries a few minutes apart, with text of realistic length."""
    categories = list(CATEGORIES)
    for number in range(count):
        words = rng.choices(WORDS, WEIGHTS, k=rng.randint(20, 80))
        photo = (
            (AttachmentDraft(f"foto-{number}.jpg", rng.randbytes(20_000)),)
            if number % 1000 == 0
            else ()
        )
        yield EntryDraft(
            happened_at=start + timedelta(minutes=5 * number),
            author_id=rng.choice(authors),
            category=rng.choice(categories),
            title=" ".join(rng.choices(TOPICAL, k=rng.randint(2, 5))).capitalize(),
            text=" ".join(words).capitalize() + ".",
            place=rng.choice(("Portón principal", "Playa de camiones", "Oficina", "Nave 2")),
            people=rng.choice(("", "Oficial Pérez", "Dr. Ramírez (abogado de los dueños)")),
            attachments=photo,
        )


def build(path: Path, count: int) -> float:
    """Fill a new database at ``path`` with ``count`` entries; returns seconds taken."""
    rng = random.Random(1)
    started = time.perf_counter()
    database = open_database(path)
    try:
        authors = [
            database.write(
                add_member,
                MemberDraft(f"Compañera {n}", f"30.000.{n:03d}", date(2000, 1, 1)),
            ).id
            for n in range(20)
        ]
        start = datetime(2001, 1, 1, tzinfo=UTC)
        now = start + timedelta(minutes=5 * count + 60)
        pending = drafts(rng, count, authors, start)
        while batch := [draft for _n, draft in zip(range(BATCH), pending, strict=False)]:
            database.write(add_entries, batch, now=now)
    finally:
        database.close()
    return time.perf_counter() - started


def stamp(raw: str) -> str:
    """A stored time as utc_stamp() seals it."""
    return f"{raw[:10]}T{raw[11:19]}Z"


def canonical_bytes(session) -> tuple[list[bytes], list[bytes]]:
    """Each entry's canonical bytes and every attachment's bytes, as verify hashes them."""
    seals: dict[int, list[AttachmentSeal]] = {}
    attachment_data = []
    for entry_id, filename, media_type, size, sha256, data in session.connection().exec_driver_sql(
        "SELECT entry_id, filename, media_type, size, sha256, data FROM logbook_attachment "
        "ORDER BY entry_id, position"
    ):
        seals.setdefault(entry_id, []).append(AttachmentSeal(filename, media_type, size, sha256))
        attachment_data.append(data)
    rows = session.connection().exec_driver_sql(
        "SELECT id, happened_at, recorded_at, author_id, category, title, text, place, people, "
        "amends_id FROM logbook_entry ORDER BY id"
    )
    entries = [
        canonical(n, stamp(h), stamp(r), a, c, t, x, p, pe, am, seals.get(n, ()))
        for n, h, r, a, c, t, x, p, pe, am in rows
    ]
    return entries, attachment_data


def baseline(entries: list[bytes], attachment_data: list[bytes]) -> str:
    """Plain hashlib over the same bytes: each attachment, then the chain."""
    sha256 = hashlib.sha256
    for data in attachment_data:
        sha256(data).hexdigest()
    previous = bytes.fromhex(GENESIS)
    for entry in entries:
        previous = sha256(previous + entry).digest()
    return previous.hex()


def timed(function, *args) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "logbook.sqlite3"
        seconds = build(path, args.entries)
        print(f"built {args.entries:,} entries in {seconds:.1f} s")
        database = open_database(path)
        try:
            entries, attachment_data = database.read(canonical_bytes)
            size = sum(map(len, entries)) + sum(map(len, attachment_data))
            print(f"canonical bytes: {size / 1e6:.1f} MB ({len(attachment_data)} attachments)")
            base_times, verify_times = [], []
            for _run in range(args.runs):
                took, head = timed(baseline, entries, attachment_data)
                base_times.append(took)
                took, report = timed(database.read, verify_chain)
                verify_times.append(took)
                assert report.intact and report.count == args.entries, report
                assert report.head == head, "verify and the baseline disagree"
            base, ours = statistics.median(base_times), statistics.median(verify_times)
            print(f"baseline, hashlib.sha256 over the bytes: median {base * 1000:.0f} ms")
            print(f"verify_chain from the database: median {ours * 1000:.0f} ms")
            ratio = ours / base
            verdict = "ok" if ratio <= TARGET_RATIO else "OVER TARGET"
            print(f"verify ratio {ratio:.2f}, target <= {TARGET_RATIO}: {verdict}")
            search(database, args.runs)
        finally:
            database.close()
    return 0


def search(database, runs: int) -> None:
    """Time each query's first page and its count, cold cache excluded (one warm-up)."""
    worst = 0.0
    for words in QUERIES:
        criteria = EntryFilter(search=words, time_zone=ZONE)
        database.read(find_entries, criteria)
        pages, counts = [], []
        for _run in range(runs):
            took, page = timed(database.read, find_entries, criteria)
            pages.append(took)
            took, found = timed(database.read, count_entries, criteria)
            counts.append(took)
        page_ms, count_ms = statistics.median(pages) * 1000, statistics.median(counts) * 1000
        worst = max(worst, page_ms, count_ms)
        print(
            f"search “{words}”: {found:,} found; first page ({len(page)}) {page_ms:.1f} ms, "
            f"count {count_ms:.1f} ms"
        )
    verdict = "ok" if worst < TARGET_SEARCH_MS else "OVER TARGET"
    print(f"slowest search {worst:.1f} ms, target < {TARGET_SEARCH_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    raise SystemExit(main())
