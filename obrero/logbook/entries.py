"""Writing and reading logbook entries: append-only, each sealed into the hash chain.

An entry is never changed or deleted (the database refuses it too); a
correction is a new entry that *amends* an earlier one, and both are shown
together. Times are stored in UTC to the second and shown in the factory's
time zone.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import mimetypes
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import PurePath
from zoneinfo import ZoneInfo

from sqlalchemy import Select, column, func, insert, select, table
from sqlalchemy.orm import Session

from obrero.errors import NotFound, ValidationError, ValidationErrors
from obrero.i18n import N_, _
from obrero.i18n.formatting import date_placeholder, format_date, format_number, parse_date
from obrero.logbook.chain import GENESIS, AttachmentSeal, canonical, link, utc_stamp
from obrero.members import is_on_roll
from obrero.store.models import LogbookAttachmentRow, LogbookEntryRow, MemberRow

CATEGORIES: dict[str, str] = {
    "guard": N_("Guard shift"),
    "police": N_("Police"),
    "court": N_("Court or judicial notice"),
    "owners": N_("Owners or creditors"),
    "media": N_("Media"),
    "solidarity": N_("Solidarity visit"),
    "maintenance": N_("Maintenance"),
    "incident": N_("Incident"),
    "meeting": N_("Meeting"),
    "other": N_("Other"),
}
FIELD_LABELS: dict[str, str] = {
    "id": N_("Number"),
    "happened_at": N_("Happened"),
    "recorded_at": N_("Recorded"),
    "author_id": N_("Author"),
    "category": N_("Category"),
    "title": N_("Title"),
    "text": N_("Text"),
    "place": N_("Place"),
    "people": N_("People involved"),
    "amends_id": N_("Amends entry"),
    "hash": N_("Hash"),
    "attachments": N_("Attachments"),
}
# The FTS5 index over title, text, place and people (made by migration 0002).
_SEARCH = table("logbook_search", column("rowid"), column("logbook_search"))
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 20
# A clock a few minutes fast must not make "just now" look like the future.
FUTURE_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class AttachmentDraft:
    filename: str
    data: bytes
    media_type: str = ""


@dataclass(frozen=True)
class EntryDraft:
    """A new entry as the secretary writes it. ``happened_at`` is timezone-aware."""

    happened_at: datetime
    author_id: int
    category: str
    title: str
    text: str = ""
    place: str = ""
    people: str = ""
    attachments: tuple[AttachmentDraft, ...] = ()
    amends_id: int | None = None


@dataclass(frozen=True)
class Attachment:
    id: int
    position: int
    filename: str
    media_type: str
    size: int
    sha256: str

    def is_image(self) -> bool:
        return self.media_type.startswith("image/")


@dataclass(frozen=True)
class Entry:
    number: int
    happened_at: datetime  # aware, UTC
    recorded_at: datetime  # aware, UTC
    author_id: int
    author_name: str
    category: str
    title: str
    text: str
    place: str
    people: str
    amends_id: int | None
    hash: str
    attachments: tuple[Attachment, ...] = ()
    amended_by: tuple[int, ...] = ()

    def category_text(self) -> str:
        return _(CATEGORIES.get(self.category, self.category))


@dataclass(frozen=True)
class EntryFilter:
    """Which entries a list shows; dates are days in the factory's time zone."""

    since: date | None = None
    until: date | None = None
    categories: frozenset[str] = field(default_factory=frozenset)
    author_id: int | None = None
    search: str = ""
    time_zone: str = "UTC"


# -- reading a form --------------------------------------------------------------------------


def happened_at_from_form(day_text: str, time_text: str, time_zone: str) -> datetime:
    """The moment typed as a local date and ``HH:MM`` time; aware, in ``time_zone``."""
    errors: list[ValidationError] = []
    day: date | None = None
    with contextlib.suppress(ValueError):
        day = parse_date(day_text)
    if day is None:
        errors.append(
            ValidationError(
                "happened_date",
                _("“{text}” is not a date; type it as {pattern}.").format(
                    text=day_text, pattern=date_placeholder()
                ),
            )
        )
    match = re.fullmatch(r"\s*(\d{1,2})[:.h](\d{2})\s*", time_text)
    moment: time | None = None
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        moment = time(int(match[1]), int(match[2]))
    else:
        errors.append(
            ValidationError(
                "happened_time",
                _("“{text}” is not a time of day; type it as hh:mm, e.g. 14:30.").format(
                    text=time_text
                ),
            )
        )
    if errors:
        raise ValidationErrors(errors)
    assert day is not None and moment is not None
    return datetime.combine(day, moment, tzinfo=ZoneInfo(time_zone))


# -- writing ---------------------------------------------------------------------------------


def _validate(session: Session, draft: EntryDraft, now: datetime, batch: range = range(0)) -> None:
    """Refuse a draft with every wrong field named; ``batch``: numbers added with it."""
    errors: list[ValidationError] = []
    if draft.happened_at.tzinfo is None:
        raise ValueError("happened_at must be timezone-aware")
    if draft.happened_at > now + FUTURE_TOLERANCE:
        errors.append(
            ValidationError("happened_date", _("The logbook records what has already happened."))
        )
    if draft.category not in CATEGORIES:
        errors.append(ValidationError("category", _("Choose a category from the list.")))
    if not draft.title.strip():
        errors.append(ValidationError("title", _("The title cannot be empty.")))
    elif len(draft.title) > 300:
        errors.append(ValidationError("title", _("The title is too long.")))
    errors += _author_errors(session, draft)
    errors += _attachment_errors(draft.attachments)
    if (
        draft.amends_id is not None
        and draft.amends_id not in batch
        and session.get(LogbookEntryRow, draft.amends_id) is None
    ):
        errors.append(
            ValidationError(
                "amends_id",
                _("There is no logbook entry number {number}.").format(number=draft.amends_id),
            )
        )
    if errors:
        raise ValidationErrors(errors)


def _author_errors(session: Session, draft: EntryDraft) -> list[ValidationError]:
    author = session.get(MemberRow, draft.author_id)
    if author is None:
        return [ValidationError("author_id", _("Choose the member who writes the entry."))]
    local_day = draft.happened_at.date()
    if not is_on_roll(author.join_date, author.leave_date, local_day):
        return [
            ValidationError(
                "author_id",
                _("{name} was not on the roll on {date}.").format(
                    name=author.full_name, date=format_date(local_day)
                ),
            )
        ]
    return []


def _attachment_errors(attachments: tuple[AttachmentDraft, ...]) -> list[ValidationError]:
    errors: list[ValidationError] = []
    if len(attachments) > MAX_ATTACHMENTS:
        errors.append(
            ValidationError(
                "attachments",
                _("An entry can carry at most {most} attachments.").format(most=MAX_ATTACHMENTS),
            )
        )
    for attachment in attachments:
        if not attachment.data:
            errors.append(
                ValidationError(
                    "attachments",
                    _("{name} is empty.").format(name=attachment.filename),
                )
            )
        elif len(attachment.data) > MAX_ATTACHMENT_BYTES:
            errors.append(
                ValidationError(
                    "attachments",
                    _("{name} is {size} MB; an attachment can be at most {most} MB.").format(
                        name=attachment.filename,
                        size=_megabytes(len(attachment.data)),
                        most=_megabytes(MAX_ATTACHMENT_BYTES),
                    ),
                )
            )
    return errors


def _megabytes(size: int) -> str:
    """``size`` bytes in MB for a message, rounded up: just over 10 MB is "10.1", not "10.0"."""
    return format_number(Decimal(math.ceil(size * 10 / 1024 / 1024)) / 10)


def _clean_filename(name: str) -> str:
    base = PurePath(name.replace("\\", "/")).name.strip()
    return base[:255] or "adjunto"


def _media_type(attachment: AttachmentDraft, filename: str) -> str:
    """The given media type, or one guessed from the (cleaned) file name."""
    guessed, _encoding = mimetypes.guess_type(filename)
    return attachment.media_type or guessed or "application/octet-stream"


def _last_hash(session: Session) -> str:
    stored = session.scalar(select(LogbookEntryRow.hash).order_by(LogbookEntryRow.id.desc()))
    return stored or GENESIS


def add_entry(session: Session, draft: EntryDraft, now: datetime | None = None) -> Entry:
    """Append an entry, sealed to the one before it. Amend an earlier one with ``amends_id``."""
    [number] = add_entries(session, [draft], now)
    return get_entry(session, number)


def add_entries(
    session: Session, drafts: Iterable[EntryDraft], now: datetime | None = None
) -> list[int]:
    """Append several entries in order, each sealed to the one before; returns their numbers.

    The same hashes as adding them one by one at ``now``, written in one go (for the demo,
    imports and benchmarks). Every draft is checked before anything is written; a draft
    may amend one earlier in the same batch.
    """
    now = (now or datetime.now(UTC)).astimezone(UTC)
    recorded = now.replace(tzinfo=None, microsecond=0)
    first = (session.scalar(select(func.max(LogbookEntryRow.id))) or 0) + 1
    previous = _last_hash(session)
    entries: list[dict[str, object]] = []
    attachments: list[dict[str, object]] = []
    for number, draft in enumerate(drafts, start=first):
        _validate(session, draft, now, batch=range(first, number))
        entry, entry_attachments = _sealed_rows(number, draft, recorded, previous)
        previous = entry["hash"]
        entries.append(entry)
        attachments += entry_attachments
    if entries:
        session.execute(insert(LogbookEntryRow), entries)
    if attachments:
        session.execute(insert(LogbookAttachmentRow), attachments)
    return list(range(first, first + len(entries)))


def _sealed_rows(
    number: int, draft: EntryDraft, recorded: datetime, previous_hash: str
) -> tuple[dict, list[dict]]:
    """The entry's row (its hash chained to ``previous_hash``) and its attachments' rows."""
    happened = draft.happened_at.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    attachments = []
    for position, attachment in enumerate(draft.attachments):
        filename = _clean_filename(attachment.filename)
        attachments.append(
            {
                "entry_id": number,
                "position": position,
                "filename": filename,
                "media_type": _media_type(attachment, filename),
                "size": len(attachment.data),
                "sha256": hashlib.sha256(attachment.data).hexdigest(),
                "data": attachment.data,
            }
        )
    entry = {
        "id": number,
        "happened_at": happened,
        "recorded_at": recorded,
        "author_id": draft.author_id,
        "category": draft.category,
        "title": " ".join(draft.title.split()),
        "text": draft.text.strip(),
        "place": " ".join(draft.place.split()),
        "people": draft.people.strip(),
        "amends_id": draft.amends_id,
    }
    sealed = canonical(
        number,
        utc_stamp(happened),
        utc_stamp(recorded),
        draft.author_id,
        entry["category"],
        entry["title"],
        entry["text"],
        entry["place"],
        entry["people"],
        draft.amends_id,
        [
            AttachmentSeal(row["filename"], row["media_type"], row["size"], row["sha256"])
            for row in attachments
        ],
    )
    entry["hash"] = link(previous_hash, sealed)
    return entry, attachments


# -- reading ---------------------------------------------------------------------------------


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def _entries(session: Session, rows: list[LogbookEntryRow]) -> list[Entry]:
    numbers = [row.id for row in rows]
    if not numbers:
        return []
    names = dict(
        session.execute(
            select(MemberRow.id, MemberRow.full_name).where(
                MemberRow.id.in_({row.author_id for row in rows})
            )
        ).all()
    )
    attachments: dict[int, list[Attachment]] = {}
    query = (
        select(
            LogbookAttachmentRow.entry_id,
            LogbookAttachmentRow.id,
            LogbookAttachmentRow.position,
            LogbookAttachmentRow.filename,
            LogbookAttachmentRow.media_type,
            LogbookAttachmentRow.size,
            LogbookAttachmentRow.sha256,
        )
        .where(LogbookAttachmentRow.entry_id.in_(numbers))
        .order_by(LogbookAttachmentRow.entry_id, LogbookAttachmentRow.position)
    )
    for entry_id, *details in session.execute(query):
        attachments.setdefault(entry_id, []).append(Attachment(*details))
    amended_by: dict[int, list[int]] = {}
    query = (
        select(LogbookEntryRow.amends_id, LogbookEntryRow.id)
        .where(LogbookEntryRow.amends_id.in_(numbers))
        .order_by(LogbookEntryRow.id)
    )
    for original, amendment in session.execute(query):
        amended_by.setdefault(original, []).append(amendment)
    return [
        Entry(
            number=row.id,
            happened_at=_aware(row.happened_at),
            recorded_at=_aware(row.recorded_at),
            author_id=row.author_id,
            author_name=names.get(row.author_id, ""),
            category=row.category,
            title=row.title,
            text=row.text,
            place=row.place,
            people=row.people,
            amends_id=row.amends_id,
            hash=row.hash,
            attachments=tuple(attachments.get(row.id, ())),
            amended_by=tuple(amended_by.get(row.id, ())),
        )
        for row in rows
    ]


def get_entry(session: Session, number: int) -> Entry:
    row = session.get(LogbookEntryRow, number)
    if row is None:
        raise NotFound(_("There is no logbook entry number {number}.").format(number=number))
    return _entries(session, [row])[0]


def attachment_data(session: Session, attachment_id: int) -> bytes:
    """The bytes of one attachment (kept out of :class:`Entry`, which lists many)."""
    data = session.scalar(
        select(LogbookAttachmentRow.data).where(LogbookAttachmentRow.id == attachment_id)
    )
    if data is None:
        raise NotFound(_("There is no such attachment."))
    return data


def fts_query(words: str) -> str:
    """An FTS5 query matching entries that contain every word (or a word it starts)."""
    terms = re.findall(r"\w+", words)
    return " ".join('"{}"*'.format(term.replace('"', '""')) for term in terms)


def _local_midnight_utc(day: date, time_zone: str) -> datetime:
    start = datetime.combine(day, time.min, tzinfo=ZoneInfo(time_zone))
    return start.astimezone(UTC).replace(tzinfo=None)


def _filtered(query: Select, criteria: EntryFilter) -> Select:
    if criteria.since is not None:
        query = query.where(
            LogbookEntryRow.happened_at >= _local_midnight_utc(criteria.since, criteria.time_zone)
        )
    if criteria.until is not None:
        end = _local_midnight_utc(criteria.until + timedelta(days=1), criteria.time_zone)
        query = query.where(LogbookEntryRow.happened_at < end)
    if criteria.categories:
        query = query.where(LogbookEntryRow.category.in_(sorted(criteria.categories)))
    if criteria.author_id is not None:
        query = query.where(LogbookEntryRow.author_id == criteria.author_id)
    match = fts_query(criteria.search)
    if match:
        found = select(_SEARCH.c.rowid).where(_SEARCH.c.logbook_search.op("MATCH")(match))
        query = query.where(LogbookEntryRow.id.in_(found))
    return query


def find_entries(
    session: Session, criteria: EntryFilter | None = None, offset: int = 0, limit: int = 200
) -> list[Entry]:
    """One page of entries, oldest happening first."""
    query = _filtered(select(LogbookEntryRow), criteria or EntryFilter())
    query = query.order_by(LogbookEntryRow.happened_at, LogbookEntryRow.id)
    return _entries(session, list(session.scalars(query.offset(offset).limit(limit))))


def count_entries(session: Session, criteria: EntryFilter | None = None) -> int:
    query = _filtered(select(func.count()).select_from(LogbookEntryRow), criteria or EntryFilter())
    return session.scalar(query) or 0
