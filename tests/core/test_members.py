"""The members roll: adding, correcting, searching, leaving, and who is on the roll when."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from obrero import members
from obrero.errors import NotFound, ValidationErrors
from obrero.members import MemberDraft, MemberStatus, is_on_roll
from obrero.store.database import open_database


def errors_of(raised: pytest.ExceptionInfo[ValidationErrors]) -> dict[str, str]:
    return raised.value.by_field()


# --- add, get, update, count ----------------------------------------------------------------


def test_add_and_get_member(db, make_draft, sql, db_path):
    draft = make_draft(
        full_name="  Rosa   Peña ",
        national_id=" 28.456.912 ",
        sector=" Forja ",
        category="Oficial",
        phone="11 4555-1234",
        email="rosa@example.org",
        address="Av. Siempre Viva 742",
    )
    member = db.write(members.add_member, draft)

    assert member == db.read(members.get_member, member.id)
    assert member.full_name == "Rosa Peña"
    assert member.national_id == "28.456.912"
    assert member.sector == "Forja"
    assert member.status is MemberStatus.ACTIVE
    assert member.leave_date is None
    assert sql(db_path, "SELECT full_name, national_id_key, status, join_date FROM member") == [
        ("Rosa Peña", "28456912", "active", "2025-03-10")
    ]


def test_get_unknown_member(db):
    with pytest.raises(NotFound) as missing:
        db.read(members.get_member, 99)
    assert missing.value.message == "There is no member number 99."


def test_update_member(db, make_draft, sql, db_path):
    member = db.write(members.add_member, make_draft())
    updated = db.write(
        members.update_member,
        member.id,
        make_draft(full_name="Ana María Pérez", category="Ayudante"),
    )
    assert updated.id == member.id
    assert updated.full_name == "Ana María Pérez"
    assert updated.category == "Ayudante"
    assert db.read(members.get_member, member.id) == updated
    assert sql(db_path, "SELECT count(*), full_name FROM member") == [(1, "Ana María Pérez")]


def test_update_unknown_member(db, make_draft):
    with pytest.raises(NotFound):
        db.write(members.update_member, 5, make_draft())


def test_member_keeps_own_national_id_on_update(db, make_draft):
    member = db.write(members.add_member, make_draft(national_id="28.456.912"))
    updated = db.write(members.update_member, member.id, make_draft(national_id="28456912"))
    assert updated.national_id == "28456912"


def test_count_and_page_through_members(db, make_draft):
    names = ["Benítez, Carla", "Álvarez, Juan", "Zapata, Inés", "Ortiz, Ñato"]
    for number, name in enumerate(names):
        db.write(members.add_member, make_draft(full_name=name, national_id=str(100 + number)))

    assert db.read(members.count_members) == 4
    everyone = [m.full_name for m in db.read(members.find_members)]
    assert everyone == ["Álvarez, Juan", "Benítez, Carla", "Ortiz, Ñato", "Zapata, Inés"]
    page = db.read(members.find_members, "", offset=1, limit=2)
    assert [m.full_name for m in page] == ["Benítez, Carla", "Ortiz, Ñato"]


# --- search ---------------------------------------------------------------------------------


@pytest.fixture
def roll(db, make_draft):
    for name, national_id in [
        ("Rosa Peña", "28.456.912"),
        ("João Silva", "123.456.789-09"),
        ("José Pereira", "31.000.111"),
    ]:
        db.write(members.add_member, make_draft(full_name=name, national_id=national_id))
    return db


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pena", ["Rosa Peña"]),
        ("PEÑA", ["Rosa Peña"]),
        ("joao", ["João Silva"]),
        ("JOÃO", ["João Silva"]),
        ("jose", ["José Pereira"]),
        ("silva joao", ["João Silva"]),
        ("pe", ["José Pereira", "Rosa Peña"]),
        ("28.456.912", ["Rosa Peña"]),
        ("28456912", ["Rosa Peña"]),
        ("456912", ["Rosa Peña"]),
        ("12345678909", ["João Silva"]),
        ("123.456.789-09", ["João Silva"]),
        ("pena 31000111", []),
        ("nobody", []),
        ("", ["João Silva", "José Pereira", "Rosa Peña"]),
        ("%", []),
    ],
)
def test_search_ignores_accents_case_and_id_punctuation(roll, text, expected):
    assert [m.full_name for m in roll.read(members.find_members, text)] == expected
    assert roll.read(members.count_members, text) == len(expected)


# --- validation -----------------------------------------------------------------------------


def test_duplicate_national_id_is_refused(db, make_draft, sql, db_path):
    db.write(members.add_member, make_draft(full_name="Rosa Peña", national_id="28.456.912"))
    with pytest.raises(ValidationErrors) as refused:
        db.write(members.add_member, make_draft(full_name="Otra Persona", national_id="28456912"))
    assert errors_of(refused) == {"national_id": "Rosa Peña already has national id 28.456.912."}
    assert sql(db_path, "SELECT full_name FROM member") == [("Rosa Peña",)]


def test_duplicate_national_id_is_refused_on_update(db, make_draft):
    db.write(members.add_member, make_draft(full_name="Rosa Peña", national_id="28.456.912"))
    other = db.write(members.add_member, make_draft(full_name="Juan Gil", national_id="1"))
    with pytest.raises(ValidationErrors) as refused:
        db.write(members.update_member, other.id, make_draft(national_id="28 456 912"))
    assert errors_of(refused) == {"national_id": "Rosa Peña already has national id 28.456.912."}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"full_name": ""}, "full_name", "The name cannot be empty."),
        ({"full_name": "   "}, "full_name", "The name cannot be empty."),
        ({"full_name": "x" * 201}, "full_name", "The name is too long."),
        ({"national_id": " .- "}, "national_id", "The national id cannot be empty."),
        (
            {"leave_date": date(2025, 2, 1), "leave_reason": "resignation"},
            "leave_date",
            "The leave date (02/01/2025) is before the join date (03/10/2025).",
        ),
        ({"leave_date": date(2025, 6, 30)}, "leave_reason", "Choose why the member left."),
        (
            {"leave_date": date(2025, 6, 30), "leave_reason": "holidays"},
            "leave_reason",
            "Choose why the member left.",
        ),
        (
            {"leave_reason": "resignation"},
            "leave_date",
            "Give the leave date, or clear the leave reason.",
        ),
        ({"email": "ana@"}, "email", "ana@ is not an e-mail address."),
        ({"email": "ana at example.org"}, "email", "ana at example.org is not an e-mail address."),
    ],
)
def test_invalid_member_is_refused(db, make_draft, sql, db_path, changes, field, message):
    with pytest.raises(ValidationErrors) as refused:
        db.write(members.add_member, make_draft(**changes))
    assert errors_of(refused) == {field: message}
    assert sql(db_path, "SELECT count(*) FROM member") == [(0,)]
    assert sql(db_path, "SELECT count(*) FROM audit_entry") == [(0,)]


def test_every_mistake_is_reported_at_once(db, make_draft):
    draft = make_draft(full_name="", email="nope", leave_reason="death")
    with pytest.raises(ValidationErrors) as refused:
        db.write(members.add_member, draft)
    assert set(errors_of(refused)) == {"full_name", "email", "leave_date"}


def test_leave_on_join_day_is_accepted(db, make_draft):
    member = db.write(
        members.add_member,
        make_draft(leave_date=date(2025, 3, 10), leave_reason="other", leave_note=" trial "),
    )
    assert member.status is MemberStatus.LEFT
    assert member.leave_note == "trial"


# --- the form ---------------------------------------------------------------------------------


def test_form_with_impossible_and_non_dates():
    form = {"full_name": "", "national_id": "1", "join_date": "31/02/2025", "leave_date": "hello"}
    with pytest.raises(ValidationErrors) as refused:
        members.draft_from_form(form)
    assert errors_of(refused) == {
        "join_date": "“31/02/2025” is not a date; type it as mm/dd/yyyy.",
        "leave_date": "“hello” is not a date; type it as mm/dd/yyyy.",
        "full_name": "The name cannot be empty.",
    }


def test_form_reports_other_fields_with_date_errors():
    form = {
        "full_name": "Ana",
        "national_id": "",
        "join_date": "hello",
        "leave_date": "",
        "email": "ana@",
    }
    with pytest.raises(ValidationErrors) as refused:
        members.draft_from_form(form)
    assert set(errors_of(refused)) == {"join_date", "national_id", "email"}


def test_form_missing_join_date():
    with pytest.raises(ValidationErrors) as refused:
        members.draft_from_form({"full_name": "Ana", "national_id": "1", "join_date": " "})
    assert errors_of(refused) == {"join_date": "Give the date the member joined."}


def test_form_bad_join_date_does_not_blame_a_good_leave_date():
    form = {
        "full_name": "Ana",
        "national_id": "1",
        "join_date": "xx",
        "leave_date": "2025-06-30",
        "leave_reason": "resignation",
    }
    with pytest.raises(ValidationErrors) as refused:
        members.draft_from_form(form)
    assert errors_of(refused) == {"join_date": "“xx” is not a date; type it as mm/dd/yyyy."}


def test_form_bad_leave_date_with_reason_says_it_is_not_a_date():
    form = {
        "full_name": "Ana",
        "national_id": "1",
        "join_date": "2025-01-01",
        "leave_date": "hello",
        "leave_reason": "resignation",
    }
    with pytest.raises(ValidationErrors) as refused:
        members.draft_from_form(form)
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("leave_date", "“hello” is not a date; type it as mm/dd/yyyy.")
    ]


def test_form_bad_join_date_still_asks_for_a_leave_reason():
    form = {"full_name": "Ana", "national_id": "1", "join_date": "xx", "leave_date": "2025-06-30"}
    with pytest.raises(ValidationErrors) as refused:
        members.draft_from_form(form)
    assert set(errors_of(refused)) == {"join_date", "leave_reason"}


def test_form_accepts_iso_and_local_dates():
    draft = members.draft_from_form(
        {
            "full_name": " Ana ",
            "national_id": "30.111.222",
            "join_date": "2025-03-10",
            "leave_date": "06/30/2025",
            "leave_reason": "retirement",
            "suspended": True,
        }
    )
    assert draft == MemberDraft(
        full_name="Ana",
        national_id="30.111.222",
        join_date=date(2025, 3, 10),
        leave_date=date(2025, 6, 30),
        leave_reason="retirement",
        suspended=True,
    )
    assert members.draft_from_form(
        {"full_name": "Ana", "national_id": "1", "join_date": "2025-3-1", "leave_date": ""}
    ).join_date == date(2025, 3, 1)


# --- leaving and suspension -------------------------------------------------------------------


def test_record_leave(db, make_draft, sql, db_path):
    member = db.write(members.add_member, make_draft(sector="Forja"))
    left = db.write(
        members.record_leave, member.id, date(2025, 6, 30), "retirement", "Jubilación ordinaria"
    )
    assert left.status is MemberStatus.LEFT
    assert (left.leave_date, left.leave_reason, left.leave_note) == (
        date(2025, 6, 30),
        "retirement",
        "Jubilación ordinaria",
    )
    assert left.sector == "Forja"
    assert left.status_text() == "Left (06/30/2025)"
    assert sql(db_path, "SELECT status, leave_date, leave_reason FROM member") == [
        ("left", "2025-06-30", "retirement")
    ]


def test_record_leave_needs_a_known_reason(db, make_draft):
    member = db.write(members.add_member, make_draft())
    with pytest.raises(ValidationErrors) as refused:
        db.write(members.record_leave, member.id, date(2025, 6, 30), "bored")
    assert set(errors_of(refused)) == {"leave_reason"}
    assert db.read(members.get_member, member.id).status is MemberStatus.ACTIVE


def test_suspended_flag(db, make_draft):
    member = db.write(members.add_member, make_draft(suspended=True))
    assert member.status is MemberStatus.SUSPENDED
    assert member.status_text() == "Suspended"
    assert member.draft().suspended is True
    back = db.write(members.update_member, member.id, make_draft(suspended=False))
    assert back.status is MemberStatus.ACTIVE
    assert back.status_text() == "Active"


def test_suspended_member_who_leaves_is_left(db, make_draft):
    member = db.write(members.add_member, make_draft(suspended=True))
    left = db.write(members.record_leave, member.id, date(2025, 4, 1), "resignation")
    assert left.status is MemberStatus.LEFT


def test_member_draft_round_trip(db, make_draft):
    draft = make_draft(
        leave_date=date(2025, 6, 30), leave_reason="death", sector="Forja", phone="1"
    )
    member = db.write(members.add_member, draft)
    assert member.draft() == draft


# --- who is on the roll -----------------------------------------------------------------------


def names_on_roll(db, day: date, include_suspended: bool = True) -> list[str]:
    return [m.full_name for m in db.read(members.members_on_roll, day, include_suspended)]


def test_members_on_roll_boundaries(db, make_draft):
    db.write(
        members.add_member,
        make_draft(
            full_name="Rosa Peña",
            join_date=date(2025, 3, 10),
            leave_date=date(2025, 6, 30),
            leave_reason="resignation",
        ),
    )
    assert names_on_roll(db, date(2025, 3, 9)) == []
    assert names_on_roll(db, date(2025, 3, 10)) == ["Rosa Peña"]
    assert names_on_roll(db, date(2025, 6, 30)) == ["Rosa Peña"]
    assert names_on_roll(db, date(2025, 7, 1)) == []


def test_members_on_roll_and_suspension(db, make_draft):
    db.write(members.add_member, make_draft(full_name="Ana Pérez", national_id="1"))
    db.write(members.add_member, make_draft(full_name="Juan Gil", national_id="2", suspended=True))
    day = date(2025, 5, 1)
    assert names_on_roll(db, day) == ["Ana Pérez", "Juan Gil"]
    assert names_on_roll(db, day, include_suspended=False) == ["Ana Pérez"]


def straightforward_on_roll(join: date, leave: date | None, day: date) -> bool:
    """Day by day: the member is on the roll on every day from joining to leaving, inclusive."""
    last = leave if leave is not None else max(day, join)
    on_roll_days = {join + timedelta(days=n) for n in range((last - join).days + 1)}
    return day in on_roll_days


dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))


@given(join=dates, stay=st.none() | st.integers(min_value=0, max_value=400), day=dates)
def test_is_on_roll_agrees_with_a_day_by_day_definition(join, stay, day):
    leave = None if stay is None else join + timedelta(days=stay)
    assert is_on_roll(join, leave, day) == straightforward_on_roll(join, leave, day)


ROLL_MEMBERS = [
    # name, join, leave, suspended
    ("Ana", date(2025, 1, 1), None, False),
    ("Bea", date(2025, 3, 10), date(2025, 6, 30), False),
    ("Carlos", date(2025, 3, 10), date(2025, 3, 10), False),
    ("Dora", date(2025, 6, 30), None, True),
    ("Eva", date(2024, 12, 31), date(2025, 1, 1), False),
    ("Fabio", date(2025, 7, 1), date(2025, 12, 31), False),
]


@pytest.fixture(scope="module")
def roll_db(tmp_path_factory):
    database = open_database(tmp_path_factory.mktemp("roll") / "roll.sqlite3", operator="test")
    for number, (name, join, leave, suspended) in enumerate(ROLL_MEMBERS):
        draft = MemberDraft(
            full_name=name,
            national_id=str(number + 1),
            join_date=join,
            leave_date=leave,
            leave_reason="other" if leave else "",
            suspended=suspended,
        )
        database.write(members.add_member, draft)
    yield database
    database.close()


@given(day=st.dates(min_value=date(2024, 12, 1), max_value=date(2026, 1, 31)))
def test_members_on_roll_agrees_with_is_on_roll(roll_db, day):
    expected = [name for name, join, leave, _ in ROLL_MEMBERS if is_on_roll(join, leave, day)]
    assert [m.full_name for m in roll_db.read(members.members_on_roll, day)] == expected
    working = [
        name
        for name, join, leave, suspended in ROLL_MEMBERS
        if is_on_roll(join, leave, day) and not suspended
    ]
    assert [m.full_name for m in roll_db.read(members.members_on_roll, day, False)] == working
    for member in roll_db.read(members.find_members):
        assert member.on_roll(day) == (member.full_name in expected)


# --- text and values --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["Núñez Güemes, María José", "Conceição Gonçalves", "Ñandú 👷🏽‍♀️ Obrera", "Zoë Łukasz ß"],
)
def test_names_round_trip(db_path, make_draft, name, sql):
    db = open_database(db_path)
    member = db.write(members.add_member, make_draft(full_name=name))
    db.close()
    reopened = open_database(db_path)
    try:
        assert reopened.read(members.get_member, member.id).full_name == name
    finally:
        reopened.close()
    assert sql(db_path, "SELECT full_name FROM member") == [(name,)]


def test_known_values(db, make_draft):
    for number, (sector, category) in enumerate(
        [("Forja", "Oficial"), ("Pintura", ""), ("Forja", "Ayudante"), ("", "Oficial")]
    ):
        db.write(
            members.add_member,
            make_draft(national_id=str(number), sector=sector, category=category),
        )
    assert db.read(members.known_values, "sector") == ["Forja", "Pintura"]
    assert db.read(members.known_values, "category") == ["Ayudante", "Oficial"]


def test_search_key_and_national_id_key():
    assert members.search_key("Peña", "João", "ÅNGSTRÖM") == "pena joao angstrom"
    assert members.national_id_key(" 28.456.912 ") == "28456912"
    assert members.national_id_key("123.456.789-09") == "12345678909"
    assert members.national_id_key("v-12/345") == "V12345"


def test_scope_narrows_the_roll_to_current_or_former_members(db, make_draft):
    from obrero.members import Scope

    day = date(2025, 6, 30)
    db.write(members.add_member, make_draft(full_name="Ana Actual", national_id="1"))
    db.write(
        members.add_member,
        make_draft(
            full_name="Beto Baja Hoy",
            national_id="2",
            leave_date=day,
            leave_reason="resignation",
        ),
    )
    db.write(
        members.add_member,
        make_draft(
            full_name="Carla Baja Antes",
            national_id="3",
            leave_date=date(2025, 6, 29),
            leave_reason="retirement",
        ),
    )
    db.write(
        members.add_member,
        make_draft(full_name="Dani Futuro", national_id="4", join_date=date(2025, 7, 1)),
    )

    def names(scope, text=""):
        found = db.read(members.find_members, text, 0, 100, scope, day)
        assert db.read(members.count_members, text, scope, day) == len(found)
        return [m.full_name for m in found]

    assert names(Scope.ALL) == ["Ana Actual", "Beto Baja Hoy", "Carla Baja Antes", "Dani Futuro"]
    # On the leave date a member is still on the roll; one who joins tomorrow is not yet.
    assert names(Scope.CURRENT) == ["Ana Actual", "Beto Baja Hoy"]
    assert names(Scope.FORMER) == ["Carla Baja Antes"]
    assert names(Scope.CURRENT, "baja") == ["Beto Baja Hoy"]
    assert [m.full_name for m in db.read(members.members_on_roll, day)] == names(Scope.CURRENT)
