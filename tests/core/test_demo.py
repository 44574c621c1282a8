"""The demo factory: deterministic, realistic, and never mixed into a database with records."""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import astuple, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from obrero import demo, members, profile
from obrero.audit import count_audit_entries
from obrero.errors import ObreroError, ValidationError
from obrero.logbook.chain import verify_chain
from obrero.logbook.entries import (
    CATEGORIES,
    Entry,
    EntryFilter,
    attachment_data,
    count_entries,
    find_entries,
)
from obrero.members import MemberStatus
from obrero.store.database import Database, open_database
from obrero.wages.periods import Distribution, list_periods, member_lines, preview
from obrero.wages.rules import Rule

TODAY = date(2026, 11, 30)
PAY_TABLES = ("pay_period", "pay_income", "pay_coefficient", "pay_hours", "pay_line", "pay_share")
DNI = re.compile(r"\d{2}\.\d{3}\.\d{3}")


def build(db: Database, **options: object) -> demo.DemoSummary:
    return db.write(demo.build_demo, today=TODAY, **options)


def logbook(db: Database) -> list[Entry]:
    """Every logbook entry, by number."""
    found = db.read(find_entries, limit=10_000)
    return sorted(found, key=lambda entry: entry.number)


def roll(db: Database) -> list[members.Member]:
    return sorted(db.read(members.find_members, limit=10_000), key=lambda member: member.id)


def demo_in_new_file(
    path: Path, **options: object
) -> tuple[demo.DemoSummary, list[members.Member], profile.Profile | None]:
    """Build a demo in a new database at ``path``; returns summary, roll and profile."""
    database = open_database(path)
    try:
        summary = build(database, **options)
        return summary, roll(database), database.read(profile.get_profile)
    finally:
        database.close()


# --- determinism -----------------------------------------------------------------------------


def test_same_seed_gives_the_same_factory(tmp_path):
    first = demo_in_new_file(tmp_path / "a.sqlite3", seed=7)
    second = demo_in_new_file(tmp_path / "b.sqlite3", seed=7)

    assert first[0] == second[0]
    assert [astuple(member) for member in first[1]] == [astuple(member) for member in second[1]]
    assert first[2] == second[2]


def test_another_seed_gives_other_people(tmp_path):
    _, one, _ = demo_in_new_file(tmp_path / "a.sqlite3", seed=1)
    _, two, _ = demo_in_new_file(tmp_path / "b.sqlite3", seed=2)

    assert [m.full_name for m in one] != [m.full_name for m in two]
    assert {m.national_id for m in one} != {m.national_id for m in two}
    assert [m.join_date for m in one] != [m.join_date for m in two]


def test_dates_follow_today(tmp_path):
    _, now, _ = demo_in_new_file(tmp_path / "a.sqlite3")
    database = open_database(tmp_path / "b.sqlite3")
    try:
        database.write(demo.build_demo, today=TODAY + timedelta(days=10))
        later = roll(database)
    finally:
        database.close()

    assert [m.full_name for m in later] == [m.full_name for m in now]
    assert [m.join_date + timedelta(days=10) for m in now] == [m.join_date for m in later]


# --- the factory -----------------------------------------------------------------------------


def test_default_demo_has_sixty_members_over_three_years(db):
    summary = build(db)
    people = roll(db)

    assert summary.members == len(people) == 60
    assert summary.active + summary.suspended + summary.left == 60
    assert TODAY - timedelta(days=3 * 366) <= summary.occupation_date
    assert summary.occupation_date <= TODAY - timedelta(days=3 * 365)
    # A core group occupied the plant on the first day; the rest joined over the years.
    founders = [m for m in people if m.join_date == summary.occupation_date]
    assert 10 <= len(founders) < 60
    assert min(m.join_date for m in people) == summary.occupation_date
    assert max(m.join_date for m in people) > summary.occupation_date + timedelta(days=365)


def test_profile_is_a_valid_argentine_cooperative(db):
    summary = build(db)
    stored = db.read(profile.get_profile)

    assert stored == summary.profile
    profile.validate_profile(stored)  # raises if any field is wrong
    assert profile.cuit_is_valid(stored.tax_id)
    assert re.fullmatch(r"30-\d{8}-\d", stored.tax_id)
    assert stored.name == demo.FACTORY_NAME
    assert stored.legal_form == "Cooperativa de Trabajo"
    assert (stored.country, stored.currency, stored.document_language) == ("AR", "ARS", "es")
    assert stored.time_zone.startswith("America/Argentina/")
    assert "Mendoza" in stored.city


def test_members_look_like_an_argentine_plant(db):
    build(db)
    people = roll(db)

    assert len({m.full_name for m in people}) == len(people)
    assert len({members.national_id_key(m.national_id) for m in people}) == len(people)
    assert all(DNI.fullmatch(m.national_id) for m in people)
    assert any(not m.full_name.isascii() for m in people)  # Peña, Núñez, João...
    assert {m.sector for m in people} <= set(demo.SECTORS)
    assert len({m.sector for m in people}) >= 5
    assert {m.category for m in people} <= {*demo.CATEGORIES, demo.OFFICE_CATEGORY}
    assert all(m.address for m in people)


def test_some_left_one_or_two_suspended_and_dates_agree(db):
    summary = build(db)
    people = roll(db)
    left = [m for m in people if m.status is MemberStatus.LEFT]
    suspended = [m for m in people if m.status is MemberStatus.SUSPENDED]

    assert len(left) == summary.left >= 3
    assert len(suspended) == summary.suspended in (1, 2)
    for member in people:
        assert summary.occupation_date <= member.join_date <= TODAY
    for member in left:
        assert member.join_date < member.leave_date < TODAY
        assert member.leave_reason in members.LEAVE_REASONS
    assert all(m.leave_date is None and not m.leave_reason for m in people if m not in left)
    on_roll = db.read(members.members_on_roll, TODAY)
    assert len(on_roll) == 60 - len(left)


def test_demo_is_written_through_the_services_so_the_trail_shows_it(db, db_path, sql):
    summary = build(db)
    attachments = sum(len(entry.attachments) for entry in logbook(db))

    # One entry per member added, one per leave or suspension, one for the profile,
    # one per logbook entry and one per attachment.
    expected = summary.members + summary.left + summary.suspended + 1
    expected += summary.logbook_entries + attachments
    # Wages: one per row of the pay tables; each paid period approved, then paid; the
    # first period's coefficients set from 1 (every category but Ayudante's, which is 1).
    rows = sum(sql(db_path, f"SELECT COUNT(*) FROM {table}")[0][0] for table in PAY_TABLES)
    coefficients_set = sum(1 for value in demo.COEFFICIENTS.values() if value != 1)
    expected += rows + 2 * summary.paid_periods + coefficients_set
    assert db.read(count_audit_entries) == expected
    # Every change to the pay tables is an insert, but approvals, payments and coefficients.
    updates = sql(
        db_path, "SELECT table_name, COUNT(*) FROM audit_entry WHERE action = 'update' "
        "AND table_name LIKE 'pay_%' GROUP BY table_name ORDER BY table_name",
    )  # fmt: skip
    assert updates == [
        ("pay_coefficient", coefficients_set),
        ("pay_period", 2 * summary.paid_periods),
    ]


def test_a_small_demo(db):
    summary = build(db, members=1, years=1)

    assert (summary.members, summary.active, summary.left, summary.suspended) == (1, 1, 0, 0)
    assert (summary.wage_periods, summary.paid_periods) == (6, 5)
    for period in db.read(list_periods):
        assert [row.member_id for row in db.read(preview, period.id).rows] == [1]
    assert summary.logbook_entries > 100
    assert {entry.author_id for entry in logbook(db)} == {1}
    assert db.read(verify_chain).intact


@pytest.mark.parametrize(
    ("options", "field"),
    [({"members": 0}, "members"), ({"years": 0}, "years"), ({"members": 5000}, "members")],
)
def test_refuses_impossible_sizes(db, options, field):
    with pytest.raises(ValidationError) as raised:
        build(db, **options)

    assert raised.value.field == field
    assert db.read(profile.get_profile) is None


# --- never mixed with real records ------------------------------------------------------------


def test_refuses_a_database_with_members_and_changes_nothing(db, make_draft):
    db.write(members.add_member, make_draft())
    entries = db.read(count_audit_entries)

    with pytest.raises(ObreroError) as raised:
        build(db)

    assert "empty database" in raised.value.message
    assert db.read(members.count_members) == 1
    assert db.read(profile.get_profile) is None
    assert db.read(count_audit_entries) == entries


def test_refuses_a_database_with_a_profile_and_changes_nothing(db):
    real = replace(profile.default_profile("AR"), name="Cooperativa Real Ltda.")
    db.write(profile.save_profile, real)

    with pytest.raises(ObreroError):
        build(db)

    assert db.read(profile.get_profile) == real
    assert db.read(members.count_members) == 0


# --- the occupation logbook -------------------------------------------------------------------


def local_day(entry: Entry, time_zone: str) -> date:
    return entry.happened_at.astimezone(ZoneInfo(time_zone)).date()


def test_logbook_covers_the_last_year_and_its_chain_is_intact(db):
    summary = build(db)
    entries = logbook(db)
    zone = summary.profile.time_zone

    assert summary.logbook_entries == len(entries) == db.read(count_entries)
    assert 120 <= len(entries) <= 250
    assert [entry.number for entry in entries] == list(range(1, len(entries) + 1))
    days = [local_day(entry, zone) for entry in entries]
    assert TODAY - timedelta(days=366) < min(days) < TODAY - timedelta(days=350)
    assert TODAY - timedelta(days=20) < max(days) < TODAY
    # Written down in order, each after it happened; the chain seals them all.
    assert all(e.happened_at <= e.recorded_at for e in entries)
    assert [e.recorded_at for e in entries] == sorted(e.recorded_at for e in entries)
    end = datetime.combine(TODAY, time(23, 59), tzinfo=ZoneInfo(zone))
    assert max(e.recorded_at for e in entries) < end
    assert db.read(verify_chain).count == len(entries)
    assert db.read(verify_chain).intact


def test_logbook_tells_the_occupation_in_spanish(db):
    build(db)
    entries = logbook(db)

    assert {entry.category for entry in entries} == set(CATEGORIES)
    guard = [entry for entry in entries if entry.category == "guard"]
    assert len(guard) >= 80  # a shift written down every few days
    gaps = [(b.happened_at - a.happened_at).days for a, b in pairwise(guard)]
    assert max(gaps) <= 4
    assert any("cédula" in entry.title.lower() for entry in entries)
    assert any("Comisaría" in entry.people for entry in entries)
    assert all(entry.title and entry.text for entry in entries)
    # Accents ignored: "policia" finds "policía" in the demo's texts.
    found = db.read(find_entries, EntryFilter(search="policia"), limit=1000)
    assert any(entry.category == "police" for entry in found)


def test_logbook_authors_were_on_the_roll_that_day(db):
    summary = build(db)
    people = {member.id: member for member in roll(db)}

    for entry in logbook(db):
        author = people[entry.author_id]
        assert author.on_roll(local_day(entry, summary.profile.time_zone)), entry.number
        assert author.status is not MemberStatus.SUSPENDED
        assert entry.author_name == author.full_name


def test_logbook_has_amendments_shown_with_their_originals(db):
    build(db)
    entries = {entry.number: entry for entry in logbook(db)}

    amendments = [entry for entry in entries.values() if entry.amends_id is not None]
    assert len(amendments) >= 2
    for amendment in amendments:
        original = entries[amendment.amends_id]
        assert original.number < amendment.number
        assert amendment.number in original.amended_by
        assert amendment.title.startswith("Corrección")
        assert original.category == amendment.category


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, after checking every chunk's CRC and the pixel data."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks = 8, {}
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        chunks[kind] = body
        position += 12 + length
    assert list(chunks)[-1] == b"IEND"
    width, height, depth, color = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, color) == (8, 2)  # 8-bit RGB
    assert len(zlib.decompress(chunks[b"IDAT"])) == height * (1 + 3 * width)
    return width, height


def test_logbook_photos_are_small_valid_pngs(db):
    build(db)
    attached = [entry for entry in logbook(db) if entry.attachments]

    assert 1 <= len(attached) <= 3
    for entry in attached:
        for attachment in entry.attachments:
            data = db.read(attachment_data, attachment.id)
            assert attachment.media_type == "image/png"
            assert attachment.filename.endswith(".png")
            assert len(data) == attachment.size < 20_000
            width, height = png_size(data)
            assert 16 <= width <= 200 and 16 <= height <= 200


def test_logbook_is_the_same_for_the_same_seed_and_follows_today(tmp_path):
    def entries(path: Path, today: date) -> list[Entry]:
        database = open_database(path)
        try:
            database.write(demo.build_demo, seed=5, today=today)
            return logbook(database)
        finally:
            database.close()

    first = entries(tmp_path / "a.sqlite3", TODAY)
    again = entries(tmp_path / "b.sqlite3", TODAY)
    later = entries(tmp_path / "c.sqlite3", TODAY + timedelta(days=10))

    assert [entry.hash for entry in first] == [entry.hash for entry in again]
    assert [(e.title, e.author_id) for e in later] == [(e.title, e.author_id) for e in first]
    shifted = [entry.happened_at + timedelta(days=10) for entry in first]
    assert [entry.happened_at for entry in later] == shifted


# --- wages (retiros) ---------------------------------------------------------------------------


def distributions(db: Database) -> list[Distribution]:
    """Every pay period's figures, the oldest first."""
    return [db.read(preview, period.id) for period in reversed(db.read(list_periods))]


def test_six_monthly_pay_periods_the_older_paid_the_last_a_draft(db):
    summary = build(db)
    periods = [figures.period for figures in distributions(db)]

    assert (summary.wage_periods, summary.paid_periods) == (6, 5)
    assert summary.draft_period == "Octubre 2026"
    assert [period.label for period in periods] == [
        "Mayo 2026", "Junio 2026", "Julio 2026", "Agosto 2026", "Septiembre 2026",
        "Octubre 2026",
    ]  # fmt: skip
    assert [(p.start, p.end) for p in periods][-1] == (date(2026, 10, 1), date(2026, 10, 31))
    assert [period.status for period in periods] == ["paid"] * 5 + ["draft"]
    for period in periods[:-1]:
        assert period.approved_on.day == 5
        assert period.approved_on.month == period.end.month % 12 + 1
        assert period.approved_on < period.paid_on < TODAY
    assert periods[-1].approved_on is None


def test_pay_periods_follow_the_assemblys_resolutions(db):
    build(db)
    periods = [figures.period for figures in distributions(db)]

    assert {p.rule for p in periods[:2]} == {Rule.EQUAL}
    for period in periods[2:]:
        assert (period.rule, period.equal_percent, period.weighted) == (Rule.MIXED, 50, True)
        assert period.resolution == "Resolución 2026-07"
        assert (
            period.rule_text()
            == "equal shares for 50%, the rest (50%) by category coefficient × hours"
        )
    for period in periods:
        assert dict(period.coefficients) == {
            "Administrativo": Decimal("1.15"),
            "Ayudante": Decimal(1),
            "Medio oficial": Decimal("1.1"),
            "Oficial": Decimal("1.25"),
            "Operario especializado": Decimal("1.3"),
        }


def test_pay_periods_share_a_cooperatives_income_among_everyone_on_the_roll(db):
    build(db)
    people = roll(db)

    for figures in distributions(db):
        period = figures.period
        on_roll = [m.id for m in people if m.join_date <= period.end and
                   (m.leave_date is None or m.leave_date >= period.start)]  # fmt: skip
        assert sorted(row.member_id for row in figures.rows) == sorted(on_roll)
        # Sales less raw material, energy, packaging and freight: about $ 1.000.000 each.
        sales, *costs = period.income
        assert sales.description.startswith("Ventas") and sales.amount_cents > 0
        assert len(costs) == 4 and all(cost.amount_cents < 0 for cost in costs)
        assert period.amount_cents == 0
        assert figures.total_share_cents == period.to_share_cents
        assert 900_000_00 <= period.to_share_cents / len(figures.rows) <= 1_200_000_00
        for row in figures.rows:
            whole_month = row.days_on_roll == period.days
            assert 150 <= row.hours <= 206 if whole_month else 0 < row.hours < 206
            assert row.hours * 2 == int(row.hours * 2)  # in half hours
            assert row.net_cents > 0


def test_a_few_advances_and_one_adjustment_of_the_month_before(db):
    build(db)
    figures = distributions(db)

    for period in figures:
        lines = db.read(member_lines, period.period.id)
        advances = [line for line in lines if line.kind == "advance"]
        assert 1 <= len(advances) <= 5
        assert all(line.description.startswith("Adelanto") for line in advances)
    draft, before = figures[-1].period, figures[-2].period
    adjustments = [
        line
        for period in figures
        for line in db.read(member_lines, period.period.id)
        if line.kind == "adjustment"
    ]
    assert len(adjustments) == 1
    [adjustment] = adjustments
    assert adjustment.adjusts_period_id == before.id
    assert adjustment.amount_cents > 0
    assert adjustment in db.read(member_lines, draft.id)
    row = next(r for r in figures[-1].rows if r.member_id == adjustment.member_id)
    assert row.additions_cents == adjustment.amount_cents


def test_pay_periods_are_the_same_for_the_same_seed(tmp_path):
    def figures(path: Path) -> list[tuple]:
        database = open_database(path)
        try:
            database.write(demo.build_demo, seed=4, today=TODAY)
            return [(f.period.label, f.period.income, f.rows) for f in distributions(database)]
        finally:
            database.close()

    assert figures(tmp_path / "a.sqlite3") == figures(tmp_path / "b.sqlite3")
