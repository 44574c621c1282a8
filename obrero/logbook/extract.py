"""What a certified extract of the logbook shows, read from the database in one go.

:func:`build_extract` gathers plain data (the factory, the entries chosen, the
bytes of their photos, the state of the hash chain); the PDF renderer in
:mod:`obrero.documents.logbook_extract` only lays it out.

An entry and its amendments are shown together: an amendment (or the entry it
amends) outside the period or categories chosen is brought in as a
*companion*, and every amendment follows the entry it amends.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import MappingProxyType

from sqlalchemy.orm import Session

from obrero.documents.factory import FactoryDetails, factory_details
from obrero.logbook.chain import ChainReport, head_code, head_text, verify_chain
from obrero.logbook.entries import (
    CATEGORIES,
    Entry,
    EntryFilter,
    attachment_data,
    find_entries,
    get_entry,
)
from obrero.profile import get_profile

PAGE_SIZE = 500


@dataclass(frozen=True)
class ChainState:
    """The chain as verified when the extract was made."""

    report: ChainReport
    head_code: str  # short form of report.head, to copy by hand
    head_text: str  # what the QR code holds

    @property
    def intact(self) -> bool:
        return self.report.intact


@dataclass(frozen=True)
class LogbookExtract:
    factory: FactoryDetails
    since: date | None
    until: date | None
    categories: tuple[str, ...]  # codes in CATEGORIES order; empty means every category
    time_zone: str  # the factory's, in which times are shown
    entries: tuple[Entry, ...]  # document order: each entry followed by its amendments
    companions: frozenset[int]  # entries outside the filter, shown with their amendment partner
    images: Mapping[int, bytes]  # attachment id -> bytes, for image attachments
    chain: ChainState
    generated_at: datetime  # aware, UTC


def _all_entries(session: Session, criteria: EntryFilter) -> list[Entry]:
    found: list[Entry] = []
    while True:
        page = find_entries(session, criteria, offset=len(found), limit=PAGE_SIZE)
        found += page
        if len(page) < PAGE_SIZE:
            return found


def _partners(entry: Entry) -> Iterable[int]:
    if entry.amends_id is not None:
        yield entry.amends_id
    yield from entry.amended_by


def _with_companions(session: Session, chosen: list[Entry]) -> dict[int, Entry]:
    """The chosen entries plus, transitively, every entry they amend or are amended by."""
    known = {entry.number: entry for entry in chosen}
    missing = {number for entry in chosen for number in _partners(entry)} - known.keys()
    while missing:
        number = missing.pop()
        entry = get_entry(session, number)
        known[number] = entry
        missing |= set(_partners(entry)) - known.keys()
    return known


def document_order(entries: Mapping[int, Entry]) -> list[Entry]:
    """Originals by when they happened, each followed by its amendments (depth first)."""
    originals = sorted(
        (entry for entry in entries.values() if entry.amends_id not in entries),
        key=lambda entry: (entry.happened_at, entry.number),
    )
    ordered: list[Entry] = []
    for original in originals:
        stack = [original]
        while stack:
            entry = stack.pop()
            ordered.append(entry)
            stack += [entries[n] for n in reversed(entry.amended_by) if n in entries]
    return ordered


def _images(session: Session, entries: Iterable[Entry]) -> dict[int, bytes]:
    return {
        attachment.id: attachment_data(session, attachment.id)
        for entry in entries
        for attachment in entry.attachments
        if attachment.is_image()
    }


def build_extract(
    session: Session,
    since: date | None,
    until: date | None,
    categories: frozenset[str],
    time_zone: str | None = None,
    *,
    now: datetime | None = None,
) -> LogbookExtract:
    """Everything the certified extract shows, for days ``since``..``until`` (inclusive).

    Days are in ``time_zone`` (by default the factory's); an empty ``categories``
    means every category. Read inside one session (``db.read``), so the entries
    and the chain state belong to the same snapshot.
    """
    profile = get_profile(session)
    zone = time_zone or (profile.time_zone if profile else "UTC")
    criteria = EntryFilter(since=since, until=until, categories=categories, time_zone=zone)
    chosen = _all_entries(session, criteria)
    entries = _with_companions(session, chosen)
    report = verify_chain(session)
    return LogbookExtract(
        factory=factory_details(profile),
        since=since,
        until=until,
        categories=tuple(code for code in CATEGORIES if code in categories),
        time_zone=zone,
        entries=tuple(document_order(entries)),
        companions=frozenset(entries.keys() - {entry.number for entry in chosen}),
        images=MappingProxyType(_images(session, entries.values())),
        chain=ChainState(report, head_code(report.head), head_text(report.count, report.head)),
        generated_at=(now or datetime.now(UTC)).astimezone(UTC),
    )
