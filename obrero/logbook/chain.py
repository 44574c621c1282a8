"""The hash chain that makes the logbook tamper-evident.

Each entry stores ``hash = SHA-256(previous hash || canonical bytes of the entry)``,
the first one chained to :data:`GENESIS`. The canonical bytes are the entry's
fields (its attachments by their SHA-256) as netstrings, which need no escaping
whatever the text holds. Rewriting an entry breaks its hash; rewriting every
later hash too is caught by comparing the head with a copy kept elsewhere
(the paper book, the signed minutes, the lawyer).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

GENESIS = "0" * 64
FORMAT = b"obrero-logbook-1"


@dataclass(frozen=True)
class AttachmentSeal:
    """What of an attachment goes into the chain."""

    filename: str
    media_type: str
    size: int
    sha256: str


def utc_stamp(moment: datetime) -> str:
    """A naive UTC moment as it enters the chain: ``2026-11-30T01:43:00Z``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _netstring(value: str) -> bytes:
    data = value.encode("utf-8")
    return b"%d:%s," % (len(data), data)


def canonical(
    number: int,
    happened_at: str,
    recorded_at: str,
    author_id: int,
    category: str,
    title: str,
    text: str,
    place: str,
    people: str,
    amends: int | None,
    attachments: Sequence[AttachmentSeal] = (),
) -> bytes:
    """The entry's bytes that its hash seals (times as :func:`utc_stamp` gives them)."""
    fields = [
        str(number), happened_at, recorded_at, str(author_id), category, title, text, place,
        people, "" if amends is None else str(amends),
    ]  # fmt: skip
    return FORMAT + b"".join(map(_netstring, fields)) + canonical_attachments(attachments)


def canonical_attachments(attachments: Sequence[AttachmentSeal]) -> bytes:
    """The end of :func:`canonical`: how many attachments, then each one's seal."""
    fields = [str(len(attachments))]
    for seal in attachments:
        fields += [seal.filename, seal.media_type, str(seal.size), seal.sha256]
    return b"".join(map(_netstring, fields))


def link(previous_hash: str, entry_bytes: bytes) -> str:
    """The hash of an entry given the hash of the one before it."""
    return hashlib.sha256(bytes.fromhex(previous_hash) + entry_bytes).hexdigest()


def head_code(entry_hash: str) -> str:
    """The head as a short code a person can copy by hand: ``3F2A-9C01-77BE-0D45-A1C9``."""
    short = entry_hash[:20].upper()
    return "-".join(short[i : i + 4] for i in range(0, len(short), 4))


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    count: int
    head: str  # hash of the last entry (GENESIS when there is none)
    first_broken: int | None = None  # number of the first entry that does not match
    reason: str = ""  # "hash" or "attachment": what did not match


# Each field as stored, in bytes (CAST AS BLOB): no decoding to str and encoding back.
_ENTRIES = (
    "SELECT id, CAST(happened_at AS BLOB), CAST(recorded_at AS BLOB), CAST(author_id AS BLOB), "
    "CAST(category AS BLOB), CAST(title AS BLOB), CAST(text AS BLOB), CAST(place AS BLOB), "
    "CAST(people AS BLOB), CAST(coalesce(amends_id, '') AS BLOB), hash "
    "FROM logbook_entry ORDER BY id"
)
_ATTACHMENTS = (
    "SELECT entry_id, filename, media_type, size, sha256, data FROM logbook_attachment "
    "ORDER BY entry_id, position"
)
# canonical() of a stored entry up to its attachments: each "%d:%b," is a netstring.
_STORED = FORMAT + b"%d:%b," * 10
_NO_ATTACHMENTS = _netstring("0")


def _stored_canonical(
    number: int, happened: bytes, recorded: bytes, author: bytes, category: bytes,
    title: bytes, text: bytes, place: bytes, people: bytes, amends: bytes,
) -> bytes:  # fmt: skip
    """:func:`canonical` up to the attachments, from an entry's stored bytes (see _ENTRIES)."""
    key = b"%d" % number
    # The times as utc_stamp() writes them: SQLite keeps "YYYY-MM-DD HH:MM:SS.ffffff".
    happened = happened[:10] + b"T" + happened[11:19] + b"Z"
    recorded = recorded[:10] + b"T" + recorded[11:19] + b"Z"
    return _STORED % (
        len(key), key, len(happened), happened, len(recorded), recorded, len(author), author,
        len(category), category, len(title), title, len(text), text, len(place), place,
        len(people), people, len(amends), amends,
    )  # fmt: skip


def _attachments_by_entry(session: Session) -> Iterator[tuple[int, list[tuple]]]:
    """(entry number, its attachment rows) for each entry that has any, in order."""
    current: int | None = None
    rows: list[tuple] = []
    for row in session.connection().exec_driver_sql(_ATTACHMENTS):
        if row[0] != current:
            if current is not None:
                yield current, rows
            current, rows = row[0], []
        rows.append(tuple(row))
    if current is not None:
        yield current, rows


def _sealed_attachments(rows: list[tuple]) -> bytes | None:
    """The attachments' part of canonical(), or None when some bytes do not match their seal."""
    seals = []
    for _entry, filename, media_type, size, sha256, data in rows:
        if len(data) != size or hashlib.sha256(data).hexdigest() != sha256:
            return None
        seals.append(AttachmentSeal(filename, media_type, size, sha256))
    return canonical_attachments(seals)


def verify_chain(session: Session, progress: Callable[[int], None] | None = None) -> ChainReport:
    """Recompute every hash from the stored fields and attachment bytes.

    ``progress(n)`` is called every thousand entries, for a progress bar. The loop builds
    the same bytes as :func:`canonical` straight from the stored bytes, because it runs
    over every entry each time the program starts.
    """
    sha256 = hashlib.sha256
    previous = bytes.fromhex(GENESIS)
    count = 0
    attachments = _attachments_by_entry(session)
    pending = next(attachments, None)
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(_ENTRIES)
        for row in cursor:
            number = row[0]
            tail = _NO_ATTACHMENTS
            while pending is not None and pending[0] < number:  # of no entry: not sealed
                pending = next(attachments, None)
            if pending is not None and pending[0] == number:
                tail = _sealed_attachments(pending[1])
                if tail is None:
                    return ChainReport(False, count, previous.hex(), number, "attachment")
                pending = next(attachments, None)
            entry_bytes = _stored_canonical(*row[:10])
            digest = sha256(previous + entry_bytes + tail).digest()
            if digest.hex() != row[10]:
                return ChainReport(False, count, previous.hex(), number, "hash")
            previous = digest
            count += 1
            if progress is not None and count % 1000 == 0:
                progress(count)
    finally:
        cursor.close()
        attachments.close()
    return ChainReport(True, count, previous.hex())


def stored_head(session: Session) -> tuple[int, str]:
    """How many entries there are and the hash of the last one, as stored (not recomputed).

    An empty logbook gives ``(0, GENESIS)``, like :func:`verify_chain`.
    """
    count, last = (
        session.connection()
        .exec_driver_sql(
            "SELECT count(*), (SELECT hash FROM logbook_entry ORDER BY id DESC LIMIT 1) "
            "FROM logbook_entry"
        )
        .one()
    )
    return count, last or GENESIS


def head_text(count: int, entry_hash: str) -> str:
    """What the head QR code holds: enough to compare with the database later."""
    return f"OBRERO-LOGBOOK {count} {entry_hash}"


def qr_modules(text: str) -> list[list[bool]]:
    """The QR code of ``text`` as rows of dark (True) and light modules, for any painter."""
    from reportlab.graphics.barcode.qr import QrCodeWidget

    widget = QrCodeWidget(text, barLevel="M")
    widget.qr.make()
    return [[bool(module) for module in row] for row in widget.qr.modules]
