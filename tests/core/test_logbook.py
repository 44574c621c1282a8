"""The occupation logbook: the hash chain, tamper evidence, append-only triggers, amendments,
full-text search, filters in the factory's time zone, validation and the audit trail."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from obrero import audit
from obrero.errors import NotFound, ValidationErrors
from obrero.i18n.formatting import format_date
from obrero.logbook import entries
from obrero.logbook.chain import GENESIS, ChainReport, head_code, stored_head, verify_chain
from obrero.logbook.entries import (
    AttachmentDraft,
    Entry,
    EntryDraft,
    EntryFilter,
    add_entries,
    add_entry,
    attachment_data,
    count_entries,
    find_entries,
    get_entry,
    happened_at_from_form,
)
from obrero.members import Member, MemberDraft, add_member, record_leave
from obrero.store.database import Database, open_database

ZONE = "America/Argentina/Mendoza"  # UTC-3 all year
MENDOZA = ZoneInfo(ZONE)
NOW = datetime(2026, 11, 30, 15, 0, 0, tzinfo=UTC)
PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def local(day: int, hour: int = 10, minute: int = 0, month: int = 3) -> datetime:
    """A moment in the factory's time zone in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=MENDOZA)


@pytest.fixture
def author(db: Database) -> Member:
    return db.write(
        add_member, MemberDraft("Ana Pérez", "30.111.222", date(2025, 1, 1), sector="Portón")
    )


@pytest.fixture
def draft(author: Member) -> Callable[..., EntryDraft]:
    """``draft(title=..., ...)``: a valid entry by ``author`` with the given changes."""

    def make(**changes: object) -> EntryDraft:
        values: dict[str, object] = {
            "happened_at": local(6),
            "author_id": author.id,
            "category": "police",
            "title": "Visita de la policía",
            "text": "Dos agentes se presentaron en el portón y pidieron hablar con el consejo.",
            "place": "Portón principal",
            "people": "Oficial Gómez",
        }
        values.update(changes)
        return EntryDraft(**values)  # type: ignore[arg-type]

    return make


def add(db: Database, entry: EntryDraft, now: datetime = NOW) -> Entry:
    return db.write(add_entry, entry, now=now)


def add_five(db: Database, draft: Callable[..., EntryDraft]) -> list[Entry]:
    """Entries 1 to 5, one a day; entry 2 carries a photo."""
    return [
        add(
            db,
            draft(
                happened_at=local(1 + n),
                title=f"Turno de guardia {n + 1}",
                attachments=(AttachmentDraft("porton.png", PHOTO),) if n == 1 else (),
            ),
        )
        for n in range(5)
    ]


def verify(db: Database) -> ChainReport:
    return db.read(verify_chain)


def tamper(path: Path, *statements: str) -> None:
    """Change the file as an attacker would: plain sqlite3, append-only triggers dropped."""
    with closing(sqlite3.connect(path)) as connection:
        for table in ("logbook_entry", "logbook_attachment"):
            for action in ("update", "delete"):
                connection.execute(f"DROP TRIGGER IF EXISTS forbid_{table}_{action}")
        for statement in statements:
            connection.execute(statement)
        connection.commit()


# --- the chain, computed here from the documented formula -------------------------------------


def netstring(value: str) -> bytes:
    data = value.encode("utf-8")
    return str(len(data)).encode("ascii") + b":" + data + b","


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def expected_hash(previous: str, entry: Entry) -> str:
    """SHA-256(previous hash || "obrero-logbook-1" || netstrings of the fields and seals)."""
    fields = [
        str(entry.number),
        stamp(entry.happened_at),
        stamp(entry.recorded_at),
        str(entry.author_id),
        entry.category,
        entry.title,
        entry.text,
        entry.place,
        entry.people,
        "" if entry.amends_id is None else str(entry.amends_id),
        str(len(entry.attachments)),
    ]
    for attachment in entry.attachments:
        fields += [
            attachment.filename,
            attachment.media_type,
            str(attachment.size),
            attachment.sha256,
        ]
    sealed = b"obrero-logbook-1" + b"".join(netstring(field) for field in fields)
    return hashlib.sha256(bytes.fromhex(previous) + sealed).hexdigest()


def test_the_first_entry_is_chained_to_genesis(db, draft):
    entry = add(db, draft())

    assert entry.number == 1
    assert GENESIS == "0" * 64
    assert entry.hash == expected_hash(GENESIS, entry)
    # Written out once by hand, so a change to the formula cannot hide in a shared helper.
    by_hand = (
        b"obrero-logbook-1"
        b"1:1,"
        b"20:2026-03-06T13:00:00Z,"
        b"20:2026-11-30T15:00:00Z,"
        + f"{len(str(entry.author_id))}:{entry.author_id},".encode()
        + b"6:police,"
        + "21:Visita de la policía,".encode()
        + netstring(entry.text)
        + "17:Portón principal,".encode()
        + b"14:Oficial G\xc3\xb3mez,"
        b"0:,"
        b"1:0,"
    )
    assert entry.hash == hashlib.sha256(bytes(32) + by_hand).hexdigest()


def test_each_entry_chains_to_the_one_before(db, draft):
    added = add_five(db, draft)

    assert [entry.number for entry in added] == [1, 2, 3, 4, 5]
    previous = GENESIS
    for entry in added:
        assert entry.hash == expected_hash(previous, entry)
        previous = entry.hash
    # The photo is sealed by its SHA-256.
    [photo] = added[1].attachments
    assert (photo.filename, photo.media_type, photo.size) == ("porton.png", "image/png", 1032)
    assert photo.sha256 == hashlib.sha256(PHOTO).hexdigest()


def test_times_are_stored_in_utc_to_the_second(db, draft):
    entry = add(
        db,
        draft(happened_at=local(6, 23, 30).replace(second=41, microsecond=5)),
        now=NOW + timedelta(microseconds=999),
    )

    assert entry.happened_at == datetime(2026, 3, 7, 2, 30, 41, tzinfo=UTC)
    assert entry.recorded_at == NOW
    assert verify(db).intact


# --- verify ----------------------------------------------------------------------------------


def test_an_empty_logbook_is_intact(db):
    assert verify(db) == ChainReport(True, 0, GENESIS)


def test_verify_an_intact_chain(db, draft, sql, db_path):
    added = add_five(db, draft)

    report = verify(db)

    assert report == ChainReport(True, 5, added[-1].hash)
    assert report.first_broken is None
    assert sql(db_path, "SELECT hash FROM logbook_entry ORDER BY id DESC LIMIT 1") == [
        (report.head,)
    ]


def test_verify_reports_progress_every_thousand_entries(db, draft):
    db.write(add_entries, [draft(title=f"Ronda {n}") for n in range(2500)], now=NOW)
    seen: list[int] = []

    report = db.read(verify_chain, seen.append)

    assert report.intact and report.count == 2500
    assert seen == [1000, 2000]


def test_stored_head_is_the_count_and_last_hash_as_stored(db, draft, db_path):
    assert db.read(stored_head) == (0, GENESIS)
    added = add_five(db, draft)
    assert db.read(stored_head) == (5, added[-1].hash)

    tamper(db_path, "UPDATE logbook_entry SET title = 'x' WHERE id = 5")

    # Not recomputed: verify_chain is what checks it.
    assert db.read(stored_head) == (5, added[-1].hash)


def test_head_code_is_the_start_of_the_head_hash_in_groups():
    assert head_code("3f2a9c0177be0d45a1c9" + "f" * 44) == "3F2A-9C01-77BE-0D45-A1C9"


# --- tampering -------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [1, 3, 5])
def test_a_changed_title_names_its_entry(db, draft, db_path, number):
    added = add_five(db, draft)

    tamper(db_path, f"UPDATE logbook_entry SET title = 'Sin novedad' WHERE id = {number}")

    report = verify(db)
    assert (report.intact, report.first_broken, report.reason) == (False, number, "hash")
    # What was still good: the entries before it, up to the last one that matched.
    assert report.count == number - 1
    assert report.head == (added[number - 2].hash if number > 1 else GENESIS)


@pytest.mark.parametrize(
    "change",
    [
        "happened_at = '2026-03-03 14:00:00.000000'",
        "recorded_at = '2026-11-30 15:00:01.000000'",
        "author_id = 2",
        "category = 'other'",
        "text = text || '.'",
        "place = ''",
        "people = 'Nadie'",
        "amends_id = 1",
        "hash = '" + "a" * 64 + "'",
    ],
)
def test_any_changed_field_names_its_entry(db, draft, db_path, change, author):
    db.write(add_member, MemberDraft("Rosa Peña", "28.456.912", date(2025, 1, 1)))
    add_five(db, draft)

    tamper(db_path, f"UPDATE logbook_entry SET {change} WHERE id = 3")

    assert verify(db).first_broken == 3


def test_changed_attachment_bytes_name_their_entry(db, draft, db_path):
    add_five(db, draft)

    tamper(
        db_path,
        "UPDATE logbook_attachment "
        "SET data = CAST(substr(data, 1, 99) || X'00' || substr(data, 101) AS BLOB)",
    )

    report = verify(db)
    assert (report.intact, report.first_broken, report.reason) == (False, 2, "attachment")
    assert report.count == 1


@pytest.mark.parametrize(
    "change",
    [
        "filename = 'otra.png'",
        "media_type = 'image/jpeg'",
        # New bytes with a matching SHA-256 and size: the entry's seal still differs.
        f"data = X'00', size = 1, sha256 = '{hashlib.sha256(bytes(1)).hexdigest()}'",
    ],
)
def test_a_changed_attachment_seal_breaks_its_entry(db, draft, db_path, change):
    add_five(db, draft)

    tamper(db_path, f"UPDATE logbook_attachment SET {change}")

    assert (verify(db).first_broken, verify(db).reason) == (2, "hash")


def test_an_attachment_slipped_in_later_breaks_its_entry(db, draft, db_path):
    add_five(db, draft)

    tamper(
        db_path,
        "INSERT INTO logbook_attachment (entry_id, position, filename, media_type, size, "
        f"sha256, data) VALUES (4, 0, 'x.bin', 'application/octet-stream', 1, "
        f"'{hashlib.sha256(b'x').hexdigest()}', X'78')",
    )

    assert (verify(db).first_broken, verify(db).reason) == (4, "hash")


def test_an_attachment_of_no_entry_is_outside_the_chain(db, draft, db_path):
    added = add_five(db, draft)
    orphan = hashlib.sha256(b"x").hexdigest()
    tamper(
        db_path,
        "INSERT INTO logbook_attachment (entry_id, position, filename, media_type, size, "
        f"sha256, data) VALUES (0, 0, 'x.bin', 'application/octet-stream', 1, '{orphan}', X'78')",
    )

    # It seals nothing, and the later entries' attachments are still checked.
    assert verify(db) == ChainReport(True, 5, added[-1].hash)
    tamper(db_path, "UPDATE logbook_attachment SET data = zeroblob(size) WHERE entry_id = 2")
    assert (verify(db).first_broken, verify(db).reason) == (2, "attachment")


def test_a_deleted_attachment_breaks_its_entry(db, draft, db_path):
    add_five(db, draft)

    tamper(db_path, "DELETE FROM logbook_attachment")

    assert verify(db).first_broken == 2


def test_a_deleted_entry_names_the_next_one(db, draft, db_path):
    add_five(db, draft)

    tamper(db_path, "DELETE FROM logbook_entry WHERE id = 3")

    report = verify(db)
    assert (report.intact, report.first_broken, report.reason) == (False, 4, "hash")


def test_a_deleted_entry_with_attachments_names_the_next_one(db, draft, db_path):
    add_five(db, draft)

    tamper(db_path, "DELETE FROM logbook_entry WHERE id = 2")

    assert verify(db).first_broken == 3


def test_a_rehashed_change_names_the_next_entry(db, draft, db_path, sql):
    add_five(db, draft)
    tamper(db_path, "UPDATE logbook_entry SET title = 'Sin novedad' WHERE id = 3")
    changed = db.read(get_entry, 3)
    before = sql(db_path, "SELECT hash FROM logbook_entry WHERE id = 2")[0][0]

    tamper(
        db_path,
        f"UPDATE logbook_entry SET hash = '{expected_hash(before, changed)}' WHERE id = 3",
    )

    report = verify(db)
    assert (report.first_broken, report.reason, report.count) == (4, "hash", 3)


def test_rewriting_every_later_hash_is_caught_only_by_the_head(db, draft, db_path):
    """Why the head code is copied elsewhere: a full rewrite is internally consistent."""
    added = add_five(db, draft)
    head = verify(db).head
    tamper(db_path, "UPDATE logbook_entry SET title = 'Sin novedad' WHERE id = 3")
    previous = added[1].hash
    for number in (3, 4, 5):
        rehashed = expected_hash(previous, db.read(get_entry, number))
        tamper(db_path, f"UPDATE logbook_entry SET hash = '{rehashed}' WHERE id = {number}")
        previous = rehashed

    report = verify(db)

    assert report.intact and report.count == 5
    assert report.head != head
    assert head_code(report.head) != head_code(head)


def test_deleting_the_last_entry_shows_in_the_count_and_head(db, draft, db_path):
    added = add_five(db, draft)

    tamper(db_path, "DELETE FROM logbook_entry WHERE id = 5")

    assert verify(db) == ChainReport(True, 4, added[3].hash)


# --- append-only -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("UPDATE logbook_entry SET title = 'x' WHERE id = 2", "never changed"),
        ("UPDATE logbook_entry SET hash = hash WHERE id = 2", "never changed"),
        ("DELETE FROM logbook_entry WHERE id = 5", "never deleted"),
        ("DELETE FROM logbook_entry", "never deleted"),
        ("UPDATE logbook_attachment SET data = X'00'", "never changed"),
        ("UPDATE logbook_attachment SET filename = 'x.png'", "never changed"),
        ("DELETE FROM logbook_attachment", "never deleted"),
    ],
)
def test_triggers_refuse_changes_through_plain_sqlite(db, draft, db_path, sql, statement, message):
    add_five(db, draft)
    before = (
        sql(db_path, "SELECT * FROM logbook_entry"),
        sql(db_path, "SELECT * FROM logbook_attachment"),
    )

    with (
        closing(sqlite3.connect(db_path)) as connection,
        pytest.raises(sqlite3.IntegrityError) as e,
    ):
        connection.execute(statement)

    assert message in str(e.value)
    after = (
        sql(db_path, "SELECT * FROM logbook_entry"),
        sql(db_path, "SELECT * FROM logbook_attachment"),
    )
    assert after == before
    assert verify(db).intact


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE logbook_entry SET text = 'x'",
        "DELETE FROM logbook_entry WHERE id = 1",
        "UPDATE logbook_attachment SET size = 0",
        "DELETE FROM logbook_attachment",
    ],
)
def test_triggers_refuse_changes_through_the_store(db, draft, statement):
    add_five(db, draft)

    with pytest.raises(IntegrityError):
        db.write(lambda session: session.execute(text(statement)))

    assert verify(db) == ChainReport(True, 5, db.read(get_entry, 5).hash)


# --- amendments ------------------------------------------------------------------------------


def test_an_amendment_links_to_the_entry_it_corrects(db, draft):
    original = add(db, draft())
    add(db, draft(category="guard", title="Turno noche"))
    first = add(db, draft(title="Corrección: eran tres agentes", amends_id=original.number))
    second = add(db, draft(title="Corrección: el oficial era Gómez", amends_id=original.number))

    assert (first.amends_id, second.amends_id) == (1, 1)
    assert db.read(get_entry, 1).amended_by == (3, 4)
    assert db.read(get_entry, 2).amended_by == ()
    assert first.amended_by == ()
    # Both stay as they were: the correction is a new entry, sealed like any other.
    assert db.read(get_entry, 1).title == "Visita de la policía"
    assert first.hash == expected_hash(db.read(get_entry, 2).hash, first)
    assert verify(db).intact
    listed = db.read(find_entries)
    assert [entry.amended_by for entry in listed if entry.number == 1] == [(3, 4)]


def test_amending_a_missing_entry_is_refused(db, draft):
    add(db, draft())

    with pytest.raises(ValidationErrors) as raised:
        add(db, draft(amends_id=7))

    assert raised.value.by_field() == {"amends_id": "There is no logbook entry number 7."}
    assert db.read(count_entries) == 1


def test_an_entry_cannot_amend_itself(db, draft):
    with pytest.raises(ValidationErrors) as raised:
        add(db, draft(amends_id=1))

    assert "amends_id" in raised.value.by_field()
    assert db.read(count_entries) == 0


# --- full-text search ------------------------------------------------------------------------


@pytest.fixture
def searchable(db: Database, draft: Callable[..., EntryDraft]) -> list[Entry]:
    return [
        add(db, draft()),
        add(
            db,
            draft(
                category="court",
                title="Cédula judicial",
                text="Un oficial de justicia dejó una cédula del juzgado comercial.",
                place="Oficina",
                people="",
            ),
        ),
        add(
            db,
            draft(
                category="maintenance",
                title="Reparación del portón",
                text="Se soldó la bisagra.",
                place="Playa de camiones",
                people="Raúl Núñez",
            ),
        ),
    ]


def search(db: Database, words: str) -> list[int]:
    found = [entry.number for entry in db.read(find_entries, EntryFilter(search=words))]
    assert db.read(count_entries, EntryFilter(search=words)) == len(found)
    return found


@pytest.mark.parametrize(
    ("words", "numbers"),
    [
        ("policía", [1]),
        ("policia", [1]),
        ("POLICIA", [1]),
        ("polic", [1]),
        ("portón", [1, 3]),
        ("porton", [1, 3]),
        ("cedula", [2]),
        ("justicia juzgado", [2]),  # words in the text
        ("policía portón", [1]),  # every word must be there
        ("policía cédula", []),
        ("nunez", [3]),  # people involved
        ("camiones", [3]),  # place
        ("bomberos", []),
    ],
)
def test_search_ignores_accents_and_case_and_needs_every_word(db, searchable, words, numbers):
    assert search(db, words) == numbers


@pytest.mark.parametrize(
    "words",
    ['"', '"policía', "policía\"'", "AND", "OR NOT", "NEAR(", "*", "^", "-policía", "a:b", "()"],
)
def test_search_survives_query_syntax(db, searchable, words):
    found = search(db, words)

    assert set(found) <= {1, 2, 3}
    if "policía" in words:
        assert found == [1]


def test_an_empty_search_finds_everything(db, searchable):
    assert search(db, "   ") == [1, 2, 3]


# --- filters ---------------------------------------------------------------------------------


@pytest.fixture
def around_midnight(db: Database, draft: Callable[..., EntryDraft]) -> None:
    """Entries 1-3 just before, after and at the end of the 6th of March, in Mendoza."""
    add(db, draft(happened_at=local(5, 23, 59), title="Antes"))
    add(db, draft(happened_at=local(7, 0, 10), title="Después"))
    # 23:30 on the 6th in Mendoza is 02:30 on the 7th in UTC.
    add(db, draft(happened_at=local(6, 23, 30), title="Tarde del 6"))


def numbers(db: Database, **criteria: object) -> list[int]:
    found = [entry.number for entry in db.read(find_entries, EntryFilter(**criteria))]
    assert db.read(count_entries, EntryFilter(**criteria)) == len(found)
    return found


def test_days_are_days_in_the_factorys_time_zone(db, around_midnight):
    sixth = date(2026, 3, 6)

    assert numbers(db, since=sixth, until=sixth, time_zone=ZONE) == [3]
    assert numbers(db, since=date(2026, 3, 7), time_zone=ZONE) == [2]
    assert numbers(db, until=date(2026, 3, 5), time_zone=ZONE) == [1]
    assert numbers(db, until=sixth, time_zone=ZONE) == [1, 3]
    # In UTC the late entry belongs to the 7th.
    assert numbers(db, since=sixth, until=sixth, time_zone="UTC") == [1]


def test_entries_are_listed_in_the_order_they_happened(db, around_midnight):
    assert numbers(db) == [1, 3, 2]
    assert [e.number for e in db.read(find_entries, EntryFilter(), offset=1, limit=1)] == [3]


def test_filter_by_category_and_author(db, draft, author):
    other = db.write(add_member, MemberDraft("Rosa Peña", "28.456.912", date(2025, 1, 1)))
    add(db, draft(category="police"))
    add(db, draft(category="guard", author_id=other.id))
    add(db, draft(category="court"))

    assert numbers(db, categories=frozenset({"police", "court"})) == [1, 3]
    assert numbers(db, categories=frozenset({"media"})) == []
    assert numbers(db, author_id=other.id) == [2]
    assert numbers(db, author_id=author.id, categories=frozenset({"court"})) == [3]
    assert numbers(db, author_id=author.id, search="policia") == [1, 3]


# --- validation ------------------------------------------------------------------------------


def refused(db: Database, entry: EntryDraft, now: datetime = NOW) -> dict[str, str]:
    with pytest.raises(ValidationErrors) as raised:
        add(db, entry, now)
    assert db.read(count_entries) == 0
    return raised.value.by_field()


@pytest.mark.parametrize("title", ["", "   ", "\n\t"])
def test_the_title_cannot_be_empty(db, draft, title):
    assert refused(db, draft(title=title)) == {"title": "The title cannot be empty."}


def test_the_title_cannot_be_too_long(db, draft):
    assert refused(db, draft(title="x" * 301)) == {"title": "The title is too long."}


def test_the_category_must_be_known(db, draft):
    assert refused(db, draft(category="riot")) == {"category": "Choose a category from the list."}


def test_the_author_must_be_a_member(db, draft):
    assert refused(db, draft(author_id=99)) == {
        "author_id": "Choose the member who writes the entry."
    }


def test_the_author_must_be_on_the_roll_that_day(db, draft, author):
    before_joining = datetime(2024, 12, 31, 22, 0, tzinfo=MENDOZA)

    assert refused(db, draft(happened_at=before_joining)) == {
        "author_id": f"Ana Pérez was not on the roll on {format_date(date(2024, 12, 31))}."
    }
    # The local day counts: 23:30 on the day before joining is 02:30 UTC on the join day.
    assert "author_id" in refused(db, draft(happened_at=before_joining.replace(hour=23)))


def test_a_member_who_left_cannot_write_after_leaving(db, draft, author):
    db.write(record_leave, author.id, date(2026, 2, 28), "resignation")

    assert set(refused(db, draft(happened_at=local(1, month=3)))) == {"author_id"}
    assert add(db, draft(happened_at=local(28, 23, 0, month=2))).number == 1


def test_the_logbook_records_only_what_has_happened(db, draft):
    later = NOW + timedelta(hours=1)

    assert refused(db, draft(happened_at=later)) == {
        "happened_date": "The logbook records what has already happened."
    }
    # A clock a few minutes fast is forgiven.
    assert add(db, draft(happened_at=NOW + timedelta(minutes=4))).number == 1


def test_the_moment_must_carry_its_time_zone(db, draft):
    with pytest.raises(ValueError, match="timezone-aware"):
        add(db, draft(happened_at=datetime(2026, 3, 6, 10, 0)))


def test_an_attachment_too_big_is_refused(db, draft, monkeypatch):
    monkeypatch.setattr(entries, "MAX_ATTACHMENT_BYTES", 1024 * 1024)
    big = AttachmentDraft("acta.pdf", b"%" * (1024 * 1024 + 1))

    assert refused(db, draft(attachments=(big,))) == {
        "attachments": "acta.pdf is 1.1 MB; an attachment can be at most 1 MB."
    }
    limit = AttachmentDraft("acta.pdf", b"%" * (1024 * 1024))
    assert add(db, draft(attachments=(limit,))).attachments[0].size == 1024 * 1024


def test_too_many_attachments_are_refused(db, draft, monkeypatch):
    monkeypatch.setattr(entries, "MAX_ATTACHMENTS", 2)
    photos = tuple(AttachmentDraft(f"{n}.png", PHOTO) for n in range(3))

    assert refused(db, draft(attachments=photos)) == {
        "attachments": "An entry can carry at most 2 attachments."
    }
    assert len(add(db, draft(attachments=photos[:2])).attachments) == 2


def test_an_empty_attachment_is_refused(db, draft):
    empty = AttachmentDraft("vacío.jpg", b"")

    assert refused(db, draft(attachments=(empty,))) == {"attachments": "vacío.jpg is empty."}


def test_every_wrong_field_is_named_at_once_and_nothing_is_written(db, draft, db_path, sql):
    audit_rows = sql(db_path, "SELECT count(*) FROM audit_entry")

    fields = refused(
        db,
        draft(
            happened_at=NOW + timedelta(days=1),
            author_id=99,
            category="",
            title=" ",
            amends_id=4,
            attachments=(AttachmentDraft("a.png", b""),),
        ),
    )

    assert set(fields) == {
        "happened_date", "author_id", "category", "title", "amends_id", "attachments",
    }  # fmt: skip
    assert sql(db_path, "SELECT count(*) FROM audit_entry") == audit_rows
    assert sql(db_path, "SELECT count(*) FROM logbook_attachment") == [(0,)]


# --- the form's date and time ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "moment", "expected"),
    [
        ("2026-03-06", "23:30", local(6, 23, 30)),
        ("03/06/2026", "9:05", local(6, 9, 5)),
        (" 2026-03-06 ", " 7.45 ", local(6, 7, 45)),
        ("2026-03-06", "18h00", local(6, 18, 0)),
        ("2026-03-06", "00:00", local(6, 0, 0)),
    ],
)
def test_happened_at_from_form(day, moment, expected):
    read = happened_at_from_form(day, moment, ZONE)

    assert read == expected
    assert read.utcoffset() == timedelta(hours=-3)


@pytest.mark.parametrize("day", ["", "31/31/2026", "2026-02-30", "ayer"])
def test_happened_at_from_form_names_a_bad_date(day):
    with pytest.raises(ValidationErrors) as raised:
        happened_at_from_form(day, "10:00", ZONE)

    assert raised.value.by_field() == {
        "happened_date": f"“{day}” is not a date; type it as mm/dd/yyyy."
    }


@pytest.mark.parametrize("moment", ["", "24:00", "10:60", "1030", "10", "diez", "-1:00"])
def test_happened_at_from_form_names_a_bad_time(moment):
    with pytest.raises(ValidationErrors) as raised:
        happened_at_from_form("2026-03-06", moment, ZONE)

    assert raised.value.by_field() == {
        "happened_time": f"“{moment}” is not a time of day; type it as hh:mm, e.g. 14:30."
    }


def test_happened_at_from_form_names_both_at_once():
    with pytest.raises(ValidationErrors) as raised:
        happened_at_from_form("x", "y", ZONE)

    assert set(raised.value.by_field()) == {"happened_date", "happened_time"}


# --- attachments -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "media_type", "stored", "stored_type"),
    [
        ("C:\\Users\\Ana\\Fotos\\portón 1.JPG", "", "portón 1.JPG", "image/jpeg"),
        ("/home/ana/Escritorio/cédula.pdf", "", "cédula.pdf", "application/pdf"),
        ("../../etc/passwd", "", "passwd", "application/octet-stream"),
        ("  foto.png  ", "", "foto.png", "image/png"),
        ("", "", "adjunto", "application/octet-stream"),
        ("scan", "image/tiff", "scan", "image/tiff"),
    ],
)
def test_attachment_names_are_cleaned_and_typed(db, draft, given, media_type, stored, stored_type):
    entry = add(db, draft(attachments=(AttachmentDraft(given, PHOTO, media_type),)))

    [attachment] = entry.attachments
    assert (attachment.filename, attachment.media_type) == (stored, stored_type)
    assert attachment.is_image() == stored_type.startswith("image/")
    assert verify(db).intact


def test_attachment_bytes_come_back_in_order(db, draft):
    scan = b"%PDF-1.4\n" + bytes(range(256))
    entry = add(
        db, draft(attachments=(AttachmentDraft("a.png", PHOTO), AttachmentDraft("b.pdf", scan)))
    )

    first, second = entry.attachments
    assert (first.position, second.position) == (0, 1)
    assert db.read(attachment_data, first.id) == PHOTO
    assert db.read(attachment_data, second.id) == scan
    assert second.sha256 == hashlib.sha256(scan).hexdigest()
    with pytest.raises(NotFound):
        db.read(attachment_data, 999)


def test_a_missing_entry_is_not_found(db):
    with pytest.raises(NotFound, match=r"There is no logbook entry number 3\."):
        db.read(get_entry, 3)


# --- texts -----------------------------------------------------------------------------------


def test_accents_emoji_and_odd_characters_round_trip(db):
    writer = db.write(add_member, MemberDraft("Conceição Ñañez 🌻", "94.123.456", date(2025, 1, 1)))
    written = EntryDraft(
        happened_at=local(8),
        author_id=writer.id,
        category="solidarity",
        title="Visita de la CTA y de Zanón ✊🏽",
        text="Trajeron «pan» y yerba.\nDijeron: “¡no están solos!”\n\tcon tab, 中文, a\x00b",
        place="Portón — norte",
        people="João Da Silva; Teodora Choque",
        attachments=(AttachmentDraft("foto_ñandú_😀.png", PHOTO),),
    )

    entry = add(db, written)

    again = db.read(get_entry, entry.number)
    assert again == entry
    assert again.author_name == "Conceição Ñañez 🌻"
    assert (again.title, again.text, again.place, again.people) == (
        written.title, written.text, written.place, written.people,
    )  # fmt: skip
    assert again.attachments[0].filename == "foto_ñandú_😀.png"
    assert entry.hash == expected_hash(GENESIS, entry)
    assert verify(db) == ChainReport(True, 1, entry.hash)
    assert search(db, "zanon joao") == [1]


def test_spaces_in_title_and_place_are_tidied_before_sealing(db, draft):
    entry = add(
        db, draft(title="  Visita\tde la   policía ", place=" Portón\n norte ", text="\n hola \n")
    )

    assert (entry.title, entry.place, entry.text) == (
        "Visita de la policía",
        "Portón norte",
        "hola",
    )
    assert entry.hash == expected_hash(GENESIS, entry)
    assert verify(db).intact


def test_category_text_is_translated(db, draft):
    assert add(db, draft(category="court")).category_text() == "Court or judicial notice"


# --- the audit trail -------------------------------------------------------------------------


def test_an_entry_and_its_attachment_show_in_the_audit_trail_without_the_bytes(
    db_path, author, draft
):
    secret = b"SECRET-PHOTO-BYTES" * 10
    database = open_database(db_path, operator="Marta Gómez")
    try:
        entry = database.write(
            add_entry, draft(attachments=(AttachmentDraft("a.png", secret),)), now=NOW
        )
        trail = database.read(audit.audit_entries, newest_first=False)
        raw = database.read(
            lambda session: session.execute(text("SELECT changes FROM audit_entry")).scalars().all()
        )
    finally:
        database.close()

    inserted = {(e.table_name, e.action): e for e in trail if e.table_name.startswith("logbook")}
    row = inserted["logbook_entry", "insert"]
    assert row.operator == "Marta Gómez"
    assert row.row_key == "1"
    assert row.changes["title"] == (None, "Visita de la policía")
    assert row.changes["hash"] == (None, entry.hash)
    attachment = inserted["logbook_attachment", "insert"]
    assert attachment.changes["sha256"] == (None, hashlib.sha256(secret).hexdigest())
    assert attachment.changes["size"] == (None, len(secret))
    assert "data" not in attachment.changes
    everything = "\n".join(raw)
    assert "SECRET" not in everything
    assert secret.hex() not in everything.lower()
    assert all(json.loads(changes) is not None for changes in raw)


# --- many at once ----------------------------------------------------------------------------


def test_add_entries_seals_exactly_like_one_by_one(tmp_path, draft, db):
    drafts = [
        draft(happened_at=local(1 + n % 20), title=f"Guardia {n}", category="guard")
        for n in range(30)
    ]
    drafts[7] = replace(drafts[7], attachments=(AttachmentDraft("a.png", PHOTO),))
    drafts[12] = replace(drafts[12], amends_id=3)
    drafts[20] = replace(drafts[20], amends_id=13)  # amends one added in the same batch
    other = open_database(tmp_path / "other.sqlite3")
    try:
        other.write(add_member, MemberDraft("Ana Pérez", "30.111.222", date(2025, 1, 1)))
        one_by_one = [add(other, entry).hash for entry in drafts]
    finally:
        other.close()

    numbers = db.write(add_entries, drafts, now=NOW)

    assert numbers == list(range(1, 31))
    stored = [db.read(get_entry, number) for number in numbers]
    assert [entry.hash for entry in stored] == one_by_one
    assert stored[20].amends_id == 13
    assert db.read(get_entry, 13).amended_by == (21,)
    assert verify(db) == ChainReport(True, 30, one_by_one[-1])


def test_add_entries_continues_the_chain(db, draft):
    first = add(db, draft())

    numbers = db.write(add_entries, [draft(title="Dos"), draft(title="Tres")], now=NOW)

    assert numbers == [2, 3]
    assert db.read(get_entry, 2).hash == expected_hash(first.hash, db.read(get_entry, 2))
    assert verify(db).intact and verify(db).count == 3


def test_add_entries_writes_nothing_when_one_draft_is_wrong(db, draft):
    with pytest.raises(ValidationErrors):
        db.write(add_entries, [draft(), draft(title=""), draft()], now=NOW)

    assert db.read(count_entries) == 0
    assert db.write(add_entries, [], now=NOW) == []
