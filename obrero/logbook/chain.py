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
from collections.abc import Callable, Iterable, Sequence
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
        people, "" if amends is None else str(amends), str(len(attachments)),
    ]  # fmt: skip
    for seal in attachments:
        fields += [seal.filename, seal.media_type, str(seal.size), seal.sha256]
    return FORMAT + b"".join(_netstring(field) for field in fields)


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


_ENTRIES = (
    "SELECT id, happened_at, recorded_at, author_id, category, title, text, place, people, "
    "amends_id, hash FROM logbook_entry ORDER BY id"
)
_ATTACHMENTS = (
    "SELECT entry_id, filename, media_type, size, sha256, data FROM logbook_attachment "
    "ORDER BY entry_id, position"
)


def _stored_stamp(raw: str) -> str:
    # SQLite keeps "YYYY-MM-DD HH:MM:SS.ffffff"; entries are sealed to the second.
    return f"{raw[:10]}T{raw[11:19]}Z"


def _attachments_by_entry(session: Session) -> Iterable[tuple[int, list[tuple]]]:
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


def verify_chain(session: Session, progress: Callable[[int], None] | None = None) -> ChainReport:
    """Recompute every hash from the stored fields and attachment bytes.

    ``progress(n)`` is called every thousand entries, for a progress bar.
    """
    previous = GENESIS
    count = 0
    attachments = iter(_attachments_by_entry(session))
    pending = next(attachments, None)
    for row in session.connection().exec_driver_sql(_ENTRIES).fetchall():
        number = row[0]
        seals: list[AttachmentSeal] = []
        if pending is not None and pending[0] == number:
            for _entry, filename, media_type, size, sha256, data in pending[1]:
                if hashlib.sha256(data).hexdigest() != sha256 or len(data) != size:
                    return ChainReport(False, count, previous, number, "attachment")
                seals.append(AttachmentSeal(filename, media_type, size, sha256))
            pending = next(attachments, None)
        entry_bytes = canonical(
            number, _stored_stamp(row[1]), _stored_stamp(row[2]), row[3], row[4], row[5],
            row[6], row[7], row[8], row[9], seals,
        )  # fmt: skip
        expected = link(previous, entry_bytes)
        if expected != row[10]:
            return ChainReport(False, count, previous, number, "hash")
        previous = expected
        count += 1
        if progress is not None and count % 1000 == 0:
            progress(count)
    return ChainReport(True, count, previous)


def head_text(count: int, entry_hash: str) -> str:
    """What the head QR code holds: enough to compare with the database later."""
    return f"OBRERO-LOGBOOK {count} {entry_hash}"


def qr_modules(text: str) -> list[list[bool]]:
    """The QR code of ``text`` as rows of dark (True) and light modules, for any painter."""
    from reportlab.graphics.barcode.qr import QrCodeWidget

    widget = QrCodeWidget(text, barLevel="M")
    widget.qr.make()
    return [[bool(module) for module in row] for row in widget.qr.modules]
