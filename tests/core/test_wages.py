"""Wages (retiros): each sharing rule with figures worked out by hand, proration at the
boundaries, exact rounding, properties over random factories, validation, and the
draft -> approved -> paid lifecycle locked by the core and by the database."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from obrero.errors import ObreroError, ValidationErrors
from obrero.members import MemberDraft, add_member, get_member, update_member
from obrero.store.database import Database
from obrero.wages.periods import (
    Distribution,
    PeriodDraft,
    PeriodLocked,
    add_income,
    add_line,
    approve,
    create_period,
    days_on_roll,
    delete_draft,
    fortnight_bounds,
    from_cents,
    get_period,
    list_periods,
    mark_paid,
    member_lines,
    month_bounds,
    preview,
    remove_line,
    set_coefficient,
    set_hours,
    to_cents,
    update_period,
)
from obrero.wages.rules import Participant, Rule, SharingRule, distribute, shares

OCTOBER = month_bounds(2026, 10)  # 31 days
SEPTEMBER = month_bounds(2026, 9)
NOVEMBER = month_bounds(2026, 11)
JOINED = date(2025, 1, 1)
MILLION = 100_000_000  # $ 1.000.000,00 in centavos
PAY_TABLES = ("pay_period", "pay_income", "pay_coefficient", "pay_hours", "pay_line", "pay_share")


# --- helpers ---------------------------------------------------------------------------------


def member(
    session: Session,
    name: str,
    national_id: str,
    joined: date = JOINED,
    left: date | None = None,
    category: str = "",
) -> int:
    draft = MemberDraft(
        full_name=name,
        national_id=national_id,
        join_date=joined,
        leave_date=left,
        leave_reason="resignation" if left else "",
        category=category,
    )
    return add_member(session, draft).id


def month(bounds: tuple[date, date], label: str, **changes: object) -> PeriodDraft:
    start, end = bounds
    values: dict[str, object] = {
        "start": start,
        "end": end,
        "label": label,
        "amount": Decimal("1000000.00"),
        "rule": Rule.EQUAL,
    }
    values.update(changes)
    return PeriodDraft(**values)  # type: ignore[arg-type]


def october(**changes: object) -> PeriodDraft:
    return month(OCTOBER, str(changes.pop("label", "October 2026")), **changes)


def three_members(session: Session) -> list[int]:
    """Ana (Oficial), Bruno (Medio oficial), Carla (Ayudante): ids 1, 2, 3, in name order."""
    return [
        member(session, "Ana Acosta", "20.111.111", category="Oficial"),
        member(session, "Bruno Benítez", "20.222.222", category="Medio oficial"),
        member(session, "Carla Castro", "20.333.333", category="Ayudante"),
    ]


def october_with_hours(session: Session, **changes: object) -> int:
    """Three members, October with 176, 160 and 88 hours, coefficients 1.25, 1 and 0.8."""
    ana, bruno, carla = three_members(session)
    period = create_period(session, october(**changes)).id
    set_coefficient(session, period, "Oficial", Decimal("1.25"))
    set_coefficient(session, period, "Medio oficial", Decimal("1"))
    set_coefficient(session, period, "Ayudante", Decimal("0.8"))
    set_hours(session, period, {ana: Decimal(176), bruno: Decimal(160), carla: Decimal(88)})
    return period


def share_cents(figures: Distribution) -> list[int]:
    return [row.share_cents for row in figures.rows]


def raw(db_path, statement: str) -> None:
    """Run one statement through plain sqlite3, outside the core, and commit it."""
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute(statement)
        connection.commit()


def refused(raised: pytest.ExceptionInfo[ValidationErrors]) -> dict[str, str]:
    return raised.value.by_field()


# --- each rule, figures worked out by hand ----------------------------------------------------
# Three members on the roll all month; $ 1.000.000,00 = 100.000.000 centavos to share;
# hours 176 / 160 / 88; category coefficients 1,25 / 1 / 0,8.


def hand_participants() -> list[Participant]:
    return [
        Participant(1, 31, 31, Decimal(176), Decimal("1.25")),
        Participant(2, 31, 31, Decimal(160), Decimal(1)),
        Participant(3, 31, 31, Decimal(88), Decimal("0.8")),
    ]


def test_equal_shares_by_hand():
    # 100.000.000 / 3 = 33.333.333,33...: the one centavo left goes to the lowest id.
    assert shares(MILLION, SharingRule(Rule.EQUAL), hand_participants()) == {
        1: 33_333_334,
        2: 33_333_333,
        3: 33_333_333,
    }


def test_hours_by_hand():
    # 424 hours in all. Exact: 41.509.433,962 / 37.735.849,057 / 20.754.716,981;
    # whole centavos sum 99.999.998; the 2 left go to the largest remainders, ,981 and ,962.
    assert shares(MILLION, SharingRule(Rule.HOURS), hand_participants()) == {
        1: 41_509_434,
        2: 37_735_849,
        3: 20_754_717,
    }


def test_coefficient_times_hours_by_hand():
    # Weights 1,25 x 176 = 220; 1 x 160 = 160; 0,8 x 88 = 70,4; 450,4 in all.
    # Exact: 48.845.470,693 / 35.523.978,686 / 15.630.550,622; floors sum 99.999.998;
    # the 2 left go to ,693 and ,686.
    assert shares(MILLION, SharingRule(Rule.COEFFICIENT_HOURS), hand_participants()) == {
        1: 48_845_471,
        2: 35_523_979,
        3: 15_630_550,
    }


def test_mixed_forty_percent_equal_sixty_by_hours_by_hand():
    # Equal part 40.000.000: 13.333.333,333 each. By hours 60.000.000 x 176|160|88 / 424:
    # 24.905.660,377 / 22.641.509,434 / 12.452.830,189.
    # Sums: 38.238.993,711 / 35.974.842,767 / 25.786.163,522; floors 99.999.998;
    # the 2 left go to ,767 and ,711.
    rule = SharingRule(Rule.MIXED, equal_percent=40)
    assert shares(MILLION, rule, hand_participants()) == {
        1: 38_238_994,
        2: 35_974_843,
        3: 25_786_163,
    }


def test_mixed_forty_percent_equal_sixty_by_coefficient_times_hours_by_hand():
    # Equal part 13.333.333,333 each. Weighted 60.000.000 x 220|160|70,4 / 450,4:
    # 29.307.282,416 / 21.314.387,211 / 9.378.330,373.
    # Sums: 42.640.615,749 / 34.647.720,544 / 22.711.663,706; floors 99.999.998;
    # the 2 left go to ,749 and ,706.
    rule = SharingRule(Rule.MIXED, equal_percent=40, weighted=True)
    assert shares(MILLION, rule, hand_participants()) == {
        1: 42_640_616,
        2: 34_647_720,
        3: 22_711_664,
    }


def test_mixed_half_and_half_weighted_by_hand():
    # Equal 16.666.666,667 each; weighted 50.000.000 x 220|160|70,4 / 450,4:
    # 24.422.735,346 / 17.761.989,343 / 7.815.275,311.
    # Sums: 41.089.402,013 / 34.428.656,010 / 24.481.941,977; floors 99.999.999;
    # the 1 left goes to ,977.
    rule = SharingRule(Rule.MIXED, equal_percent=50, weighted=True)
    assert shares(MILLION, rule, hand_participants()) == {
        1: 41_089_402,
        2: 34_428_656,
        3: 24_481_942,
    }


def test_the_rules_by_hand_through_a_period(db):
    def figures(session: Session) -> dict[Rule, list[int]]:
        period = october_with_hours(session)
        found = {}
        for rule in Rule:
            draft = october(rule=rule, equal_percent=40 if rule is Rule.MIXED else 0)
            update_period(session, period, draft)
            found[rule] = share_cents(preview(session, period))
        return found

    assert db.write(figures) == {
        Rule.EQUAL: [33_333_334, 33_333_333, 33_333_333],
        Rule.HOURS: [41_509_434, 37_735_849, 20_754_717],
        Rule.COEFFICIENT_HOURS: [48_845_471, 35_523_979, 15_630_550],
        Rule.MIXED: [38_238_994, 35_974_843, 25_786_163],
    }


def test_income_minus_costs_is_the_amount_to_share(db):
    def figures(session: Session) -> Distribution:
        three_members(session)
        period = create_period(session, october(amount=Decimal(0))).id
        add_income(session, period, "Ventas de puré y tomate triturado", Decimal("1500000.00"))
        add_income(session, period, "Materia prima", Decimal("-400000.00"))
        add_income(session, period, "Energía eléctrica", Decimal("-99999.99"))
        return preview(session, period)

    result = db.write(figures)
    # 1.500.000,00 - 400.000,00 - 99.999,99 = 1.000.000,01 -> 100.000.001 centavos.
    assert result.period.to_share_cents == 100_000_001
    assert share_cents(result) == [33_333_334, 33_333_334, 33_333_333]
    assert result.total_share_cents == 100_000_001


# --- proration at the boundaries ---------------------------------------------------------------


def test_proration_at_the_boundaries_of_a_31_day_month(db):
    def figures(session: Session) -> Distribution:
        member(session, "Ana Acosta", "20.111.111", joined=date(2026, 10, 1))
        member(session, "Bruno Benítez", "20.222.222", joined=date(2026, 10, 16))
        member(session, "Carla Castro", "20.333.333", left=date(2026, 10, 31))
        member(session, "Darío Díaz", "20.444.444", left=date(2026, 10, 1))
        member(session, "Elena Esquivel", "20.555.555", left=date(2026, 9, 30))
        member(session, "Franco Flores", "20.666.666", joined=date(2026, 11, 1))
        period = create_period(session, october(amount=Decimal("790000.00")))
        return preview(session, period.id)

    result = db.write(figures)

    # Joined on the 1st: all 31 days. Joined on the 16th: the 16th to the 31st, 16 days.
    # Left on the 31st: all 31 days. Left on the 1st: that one day. Left on 30 September
    # and joined on 1 November: not on the roll at all. 31 + 16 + 31 + 1 = 79 days;
    # $ 790.000,00 / 79 = $ 10.000,00 a day on the roll.
    assert [(row.name, row.days_on_roll, row.share_cents) for row in result.rows] == [
        ("Ana Acosta", 31, 31_000_000),
        ("Bruno Benítez", 16, 16_000_000),
        ("Carla Castro", 31, 31_000_000),
        ("Darío Díaz", 1, 1_000_000),
    ]


def test_joining_on_the_16th_gets_16_31_of_the_equal_part_only():
    # Mixed 50 %: the equal part is prorated by days; the part by hours is not (the hours
    # already say how long each worked). Two members, 80 hours each; $ 1.000,00 to share.
    rule = SharingRule(Rule.MIXED, equal_percent=50)
    full = Participant(1, 31, 31, Decimal(80))
    late = Participant(2, 16, 31, Decimal(80))
    # Equal 50.000 x 31/47 = 32.978,723 and x 16/47 = 17.021,277; by hours 25.000 each.
    assert shares(100_000, rule, [full, late]) == {1: 57_979, 2: 42_021}
    # Under the equal rule alone: 100.000 x 31/47 = 65.957,447 and x 16/47 = 34.042,553.
    assert shares(100_000, SharingRule(Rule.EQUAL), [full, late]) == {1: 65_957, 2: 34_043}


def test_days_on_roll_counts_both_ends():
    class Row:
        def __init__(self, joined: date, left: date | None = None) -> None:
            self.join_date, self.leave_date = joined, left

    start, end = OCTOBER
    assert days_on_roll(Row(date(2026, 10, 1)), start, end) == 31
    assert days_on_roll(Row(date(2026, 10, 16)), start, end) == 16
    assert days_on_roll(Row(date(2026, 10, 31)), start, end) == 1
    assert days_on_roll(Row(JOINED, date(2026, 10, 31)), start, end) == 31
    assert days_on_roll(Row(JOINED, date(2026, 10, 1)), start, end) == 1
    assert days_on_roll(Row(JOINED, date(2026, 9, 30)), start, end) == 0
    assert days_on_roll(Row(date(2026, 11, 1)), start, end) == 0


def test_month_and_fortnight_bounds():
    assert month_bounds(2026, 2) == (date(2026, 2, 1), date(2026, 2, 28))
    assert month_bounds(2028, 2) == (date(2028, 2, 1), date(2028, 2, 29))
    assert fortnight_bounds(2026, 10, second=False) == (date(2026, 10, 1), date(2026, 10, 15))
    assert fortnight_bounds(2026, 10, second=True) == (date(2026, 10, 16), date(2026, 10, 31))


# --- rounding ------------------------------------------------------------------------------------


def test_one_hundred_centavos_among_three_equal_members():
    assert distribute(100, {1: Decimal(1), 2: Decimal(1), 3: Decimal(1)}) == {1: 34, 2: 33, 3: 33}


def test_two_centavos_among_three_go_to_the_two_lowest_ids():
    assert distribute(2, {1: Decimal(1), 2: Decimal(1), 3: Decimal(1)}) == {1: 1, 2: 1, 3: 0}


def test_ties_go_to_the_lowest_id_whatever_the_order_given():
    weights = {9: Decimal(1), 4: Decimal(1), 7: Decimal(1)}
    assert distribute(2, weights) == {4: 1, 7: 1, 9: 0}
    assert distribute(1, dict(reversed(list(weights.items())))) == {4: 1, 7: 0, 9: 0}


def test_the_largest_remainder_beats_the_lower_id():
    # 10 centavos by 1 : 2: exact 3,333 and 6,667; the centavo left goes to ,667 (id 2).
    assert distribute(10, {1: Decimal(1), 2: Decimal(2)}) == {1: 3, 2: 7}


def test_nothing_to_share_by_and_negative_amounts_are_refused():
    with pytest.raises(ValueError):
        distribute(100, {1: Decimal(0), 2: Decimal(0)})
    with pytest.raises(ValueError):
        distribute(100, {})
    with pytest.raises(ValueError):
        distribute(-1, {1: Decimal(1)})
    with pytest.raises(ValueError):
        distribute(100, {1: Decimal(-1), 2: Decimal(2)})


def test_zero_is_shared_as_zeros():
    assert distribute(0, {1: Decimal(1), 2: Decimal(3)}) == {1: 0, 2: 0}


def test_centavos_are_exact():
    assert to_cents(Decimal("1234.56")) == 123_456
    assert to_cents(Decimal("0.1")) == 10
    assert from_cents(123_456) == Decimal("1234.56")
    with pytest.raises(ValueError):
        to_cents(Decimal("0.005"))


# --- properties over random factories ----------------------------------------------------------


@st.composite
def factories(draw: st.DrawFn) -> tuple[list[Participant], int, SharingRule]:
    """Up to 60 members with random ids, days on the roll, hours and coefficients; an amount
    up to 10^12 centavos; any rule."""
    period_days = draw(st.sampled_from((13, 15, 16, 28, 29, 30, 31)))
    count = draw(st.integers(1, 60))
    ids = draw(st.lists(st.integers(1, 100_000), min_size=count, max_size=count, unique=True))
    participants = [
        Participant(
            member_id=member_id,
            days_on_roll=draw(st.integers(1, period_days)),
            period_days=period_days,
            hours=Decimal(draw(st.integers(0, 30_000))) / 100,
            coefficient=Decimal(draw(st.integers(1, 5_000))) / 1000,
        )
        for member_id in ids
    ]
    amount = draw(st.one_of(st.integers(0, 1000), st.integers(0, 10**12)))
    rule = SharingRule(
        draw(st.sampled_from(list(Rule))), draw(st.integers(1, 99)), draw(st.booleans())
    )
    return participants, amount, rule


def weight(participant: Participant, rule: SharingRule) -> tuple[Fraction, ...]:
    """What a member's share grows with under ``rule`` (both parts, for a mixed rule)."""
    presence = Fraction(participant.days_on_roll, participant.period_days)
    hours = Fraction(participant.hours)
    weighted = hours * Fraction(participant.coefficient)
    if rule.rule is Rule.EQUAL:
        return (presence,)
    if rule.rule is Rule.HOURS:
        return (hours,)
    if rule.rule is Rule.COEFFICIENT_HOURS:
        return (weighted,)
    return (presence, weighted if rule.weighted else hours)


def computed(participants: list[Participant], amount: int, rule: SharingRule) -> dict[int, int]:
    assume(rule.rule is Rule.EQUAL or any(p.hours for p in participants))
    return shares(amount, rule, participants)


PROPERTY_SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(factories())
def test_shares_are_whole_non_negative_centavos_summing_exactly(factory):
    participants, amount, rule = factory
    result = computed(participants, amount, rule)

    assert set(result) == {p.member_id for p in participants}
    assert all(type(cents) is int and cents >= 0 for cents in result.values())
    assert sum(result.values()) == amount


@PROPERTY_SETTINGS
@given(factories())
def test_a_larger_weight_never_gets_less(factory):
    participants, amount, rule = factory
    result = computed(participants, amount, rule)

    for a in participants:
        for b in participants:
            ahead = all(x >= y for x, y in zip(weight(a, rule), weight(b, rule), strict=True))
            tied = weight(a, rule) == weight(b, rule)
            # Ahead (or level) on every part: never less; level, the lower id first.
            if ahead and (not tied or a.member_id < b.member_id):
                assert result[a.member_id] >= result[b.member_id], (a, b, rule)


@PROPERTY_SETTINGS
@given(factories(), st.randoms(use_true_random=False))
def test_shares_are_deterministic_whatever_the_order(factory, rng):
    participants, amount, rule = factory
    first = computed(participants, amount, rule)
    shuffled = list(participants)
    rng.shuffle(shuffled)

    assert computed(shuffled, amount, rule) == first
    assert computed(participants, amount, rule) == first


@PROPERTY_SETTINGS
@given(factories())
def test_no_share_is_more_than_a_centavo_from_its_exact_value(factory):
    participants, amount, rule = factory
    assume(rule.rule is not Rule.MIXED)
    result = computed(participants, amount, rule)
    weights = {p.member_id: weight(p, rule)[0] for p in participants}
    whole = sum(weights.values())

    for member_id, cents in result.items():
        assert abs(cents - amount * weights[member_id] / whole) < 1


# --- validation ---------------------------------------------------------------------------------


def test_a_period_overlapping_another_is_refused(db):
    db.write(lambda session: create_period(session, october()))
    clash = PeriodDraft(date(2026, 10, 16), date(2026, 11, 15), "Second half", Decimal(1))

    with pytest.raises(ValidationErrors) as raised:
        db.write(create_period, clash)

    assert refused(raised) == {
        "start": "It overlaps the period “October 2026” (10/01/2026 – 10/31/2026)."
    }
    # The next month touches it but does not overlap; a period does not overlap itself.
    db.write(create_period, month(NOVEMBER, "November 2026"))
    db.write(update_period, 1, october(label="Octubre 2026"))
    assert [period.label for period in db.read(list_periods)] == ["November 2026", "Octubre 2026"]


def test_a_period_ending_before_it_starts_is_refused(db):
    backwards = PeriodDraft(date(2026, 10, 31), date(2026, 10, 1), "October 2026")

    with pytest.raises(ValidationErrors) as raised:
        db.write(create_period, backwards)

    assert refused(raised) == {"end": "The period ends before it starts."}


@pytest.mark.parametrize("percent", [0, 100])
def test_a_mixed_rule_needs_both_parts(db, percent):
    with pytest.raises(ValidationErrors) as raised:
        db.write(create_period, october(rule=Rule.MIXED, equal_percent=percent))

    assert refused(raised) == {
        "equal_percent": "The equal part and the part by hours must add up to 100%: "
        "give the equal part between 1 and 99%."
    }
    assert db.read(list_periods) == []


def test_other_period_fields_are_checked_together(db):
    draft = october(label=" ", amount=Decimal("-1"), max_hours=Decimal(0))

    with pytest.raises(ValidationErrors) as raised:
        db.write(create_period, draft)

    assert refused(raised) == {
        "label": "Name the period, e.g. “October 2026”.",
        "amount": "The amount to share cannot be negative.",
        "max_hours": "The most hours must be more than zero.",
    }
    with pytest.raises(ValidationErrors) as raised:
        db.write(create_period, october(amount=Decimal("10.001")))
    assert refused(raised) == {"amount": "Amounts have at most two decimals."}


def test_hours_are_checked_all_together_and_nothing_is_stored(db):
    def setup(session: Session) -> tuple[list[int], int]:
        people = three_members(session)
        people.append(member(session, "Darío Díaz", "20.444.444", left=date(2026, 9, 30)))
        return people, create_period(session, october(rule=Rule.HOURS)).id

    (ana, bruno, carla, dario), period = db.write(setup)
    wrong = {
        ana: Decimal(-1),
        bruno: Decimal("300.01"),
        carla: Decimal("8.125"),
        dario: Decimal(10),
    }

    with pytest.raises(ValidationErrors) as raised:
        db.write(set_hours, period, {**wrong, 99: Decimal(1)})

    assert refused(raised) == {
        f"hours:{ana}": "Hours of Ana Acosta cannot be negative.",
        f"hours:{bruno}": "300.01 hours for Bruno Benítez is more than the 300 this period allows.",
        f"hours:{carla}": "Hours have at most two decimals.",
        f"hours:{dario}": "Darío Díaz was not on the roll between 10/01/2026 and 10/31/2026.",
        "hours:99": "99 was not on the roll between 10/01/2026 and 10/31/2026.",
    }
    # One valid value among the wrong ones is not stored either.
    with pytest.raises(ValidationErrors):
        db.write(set_hours, period, {ana: Decimal(100), bruno: Decimal(-5)})
    with pytest.raises(ValidationErrors) as raised:
        db.read(preview, period)
    assert refused(raised) == {"hours": "The rule shares by hours, but no hours are entered yet."}


def test_the_most_hours_is_the_periods_own(db):
    def setup(session: Session) -> tuple[int, int]:
        ana = three_members(session)[0]
        return ana, create_period(session, october(max_hours=Decimal(200))).id

    ana, period = db.write(setup)
    db.write(set_hours, period, {ana: Decimal(200)})
    with pytest.raises(ValidationErrors) as raised:
        db.write(set_hours, period, {ana: Decimal("200.5")})

    assert refused(raised) == {
        f"hours:{ana}": "200.5 hours for Ana Acosta is more than the 200 this period allows."
    }


def test_hours_messages_use_the_language_of_the_numbers(db):
    from obrero.i18n import set_language

    def setup(session: Session) -> tuple[int, int]:
        ana = three_members(session)[0]
        return ana, create_period(session, october(max_hours=Decimal("200.5"))).id

    ana, period = db.write(setup)
    set_language("es")
    with pytest.raises(ValidationErrors) as raised:
        db.write(set_hours, period, {ana: Decimal("250.25")})

    assert "250,25" in raised.value.message
    assert "200,5" in raised.value.message


def test_a_deduction_that_would_leave_less_than_nothing_is_refused(db):
    def setup(session: Session) -> tuple[list[int], int]:
        people = three_members(session)
        # $ 300,00 shared equally: $ 100,00 each.
        return people, create_period(session, october(amount=Decimal("300.00"))).id

    (ana, bruno, _carla), period = db.write(setup)
    db.write(add_line, period, ana, "advance", "Adelanto del día 10", Decimal("60.00"))

    with pytest.raises(ValidationErrors) as raised:
        db.write(add_line, period, ana, "deduction", "Cuota del préstamo", Decimal("40.01"))
    assert refused(raised) == {
        "amount": "This deduction would leave Ana Acosta with less than nothing."
    }
    with pytest.raises(ValidationErrors):
        db.write(add_line, period, bruno, "deduction", "Cuota del préstamo", Decimal("100.01"))

    # Down to exactly nothing is allowed; the refused lines were not stored.
    db.write(add_line, period, ana, "deduction", "Cuota del préstamo", Decimal("40.00"))
    rows = {row.member_id: row for row in db.read(preview, period).rows}
    assert (rows[ana].advances_cents, rows[ana].deductions_cents, rows[ana].net_cents) == (
        6_000,
        4_000,
        0,
    )
    assert rows[bruno].net_cents == 10_000
    assert len(db.read(member_lines, period)) == 2


def test_an_advance_larger_than_the_share_stops_the_approval(db):
    def setup(session: Session) -> tuple[int, int]:
        ana = three_members(session)[0]
        period = create_period(session, october(amount=Decimal("300.00"))).id
        add_line(session, period, ana, "advance", "Adelanto", Decimal("150.00"))
        return ana, period

    _ana, period = db.write(setup)

    with pytest.raises(ValidationErrors) as raised:
        db.write(approve, period, date(2026, 11, 5))

    assert refused(raised) == {
        "lines": "Ana Acosta would get less than nothing; review the deductions."
    }
    assert db.read(get_period, period).is_draft


def test_line_fields_are_checked(db):
    def setup(session: Session) -> tuple[int, int, int]:
        ana = three_members(session)[0]
        gone = member(session, "Darío Díaz", "20.444.444", left=date(2026, 9, 30))
        return ana, gone, create_period(session, october()).id

    ana, gone, period = db.write(setup)

    with pytest.raises(ValidationErrors) as raised:
        db.write(add_line, period, gone, "bonus", " ", Decimal(0))
    assert refused(raised) == {
        "kind": "Choose what kind of line it is.",
        "member": "That member was not on the roll in the period.",
        "description": "Describe the line, e.g. “Advance of the 10th”.",
        "amount": "The amount must be more than zero.",
    }
    with pytest.raises(ValidationErrors) as raised:
        db.write(add_line, period, ana, "addition", "Premio", Decimal("1.001"))
    assert refused(raised) == {"amount": "Amounts have at most two decimals."}


def test_an_adjustment_must_point_at_an_earlier_approved_period(db):
    def setup(session: Session) -> tuple[int, dict[str, int]]:
        ana = three_members(session)[0]
        ids = {
            name: create_period(session, month(bounds, name)).id
            for name, bounds in (
                ("September", SEPTEMBER),
                ("October", OCTOBER),
                ("November", NOVEMBER),
            )
        }
        approve(session, ids["November"], date(2026, 12, 5))
        return ana, ids

    ana, ids = db.write(setup)
    message = {"adjusts_period": "An adjustment corrects an earlier period that was approved."}

    # September is earlier but a draft; October is this very period; November is later.
    for target in (ids["September"], ids["October"], ids["November"], None, 999):
        with pytest.raises(ValidationErrors) as raised:
            db.write(add_line, ids["October"], ana, "adjustment", "Corrección", Decimal(10), target)
        assert refused(raised) == message, target
    with pytest.raises(ValidationErrors) as raised:
        db.write(add_line, ids["October"], ana, "adjustment", "Corrección", Decimal(0), None)
    assert refused(raised) == {**message, "amount": "The amount must not be zero."}


def test_nothing_to_share_is_refused_at_approval(db):
    def setup(session: Session) -> tuple[int, int]:
        three_members(session)
        nothing = create_period(session, october(amount=Decimal(0))).id
        losses = create_period(session, month(NOVEMBER, "November 2026", amount=Decimal(0))).id
        add_income(session, losses, "Ventas", Decimal("100000.00"))
        add_income(session, losses, "Materia prima", Decimal("-150000.00"))
        return nothing, losses

    for period in db.write(setup):
        # The preview shows zeros; approval refuses.
        assert db.read(preview, period).total_share_cents == 0
        with pytest.raises(ValidationErrors) as raised:
            db.write(approve, period, date(2026, 12, 5))
        assert refused(raised) == {"amount": "There is nothing to share: the amount is zero."}


@pytest.mark.parametrize("rule", [Rule.HOURS, Rule.COEFFICIENT_HOURS, Rule.MIXED])
def test_a_rule_by_hours_needs_hours(db, rule):
    def setup(session: Session) -> int:
        ana = three_members(session)[0]
        period = create_period(session, october(rule=rule, equal_percent=50)).id
        set_hours(session, period, {ana: Decimal(0)})
        return period

    period = db.write(setup)

    for service in (preview, approve):
        args = (period, date(2026, 11, 5)) if service is approve else (period,)
        with pytest.raises(ValidationErrors) as raised:
            db.write(service, *args)
        assert refused(raised) == {
            "hours": "The rule shares by hours, but no hours are entered yet."
        }


def test_a_period_with_nobody_on_the_roll_refuses_preview_and_approval(db):
    def setup(session: Session) -> int:
        three_members(session)  # all joined in 2025
        return create_period(session, month(month_bounds(2024, 10), "October 2024")).id

    period = db.write(setup)

    for call in (lambda: db.read(preview, period), lambda: db.write(approve, period, JOINED)):
        with pytest.raises(ValidationErrors) as raised:
            call()
        assert refused(raised) == {"members": "Nobody was on the roll in this period."}


def test_coefficients_are_checked(db):
    period = db.write(lambda session: create_period(session, october()).id)

    for value, message in (
        (Decimal(0), "A coefficient is a number above zero."),
        (Decimal(-1), "A coefficient is a number above zero."),
        (Decimal("1.0005"), "Coefficients have at most three decimals."),
    ):
        with pytest.raises(ObreroError) as raised:
            db.write(set_coefficient, period, "Oficial", value)
        assert raised.value.message == message


def test_a_new_period_inherits_the_coefficients_of_the_one_before(db):
    def setup(session: Session) -> int:
        october_with_hours(session)
        return create_period(session, month(NOVEMBER, "November 2026")).id

    november = db.write(setup)

    assert dict(db.read(get_period, november).coefficients) == {
        "Ayudante": Decimal("0.8"),
        "Medio oficial": Decimal(1),
        "Oficial": Decimal("1.25"),
    }


# --- the lifecycle: draft -> approved -> paid ---------------------------------------------------


def approved_october(db: Database) -> tuple[list[int], int, Distribution]:
    """October under coefficient x hours, approved on 5 November: $ 999.000,00 entered and
    $ 1.000,00 of income to share; Ana had an advance of $ 1.000,00."""

    def setup(session: Session) -> tuple[list[int], int]:
        entered = Decimal("999000.00")
        period = october_with_hours(session, rule=Rule.COEFFICIENT_HOURS, amount=entered)
        add_income(session, period, "Ventas de puré", Decimal("1000.00"))
        add_line(session, period, 1, "advance", "Adelanto del día 10", Decimal("1000.00"))
        return [1, 2, 3], period

    people, period = db.write(setup)
    figures = db.write(approve, period, date(2026, 11, 5))
    return people, period, figures


def test_approval_freezes_the_shares(db, db_path, sql):
    _people, period, figures = approved_october(db)

    assert share_cents(figures) == [48_845_471, 35_523_979, 15_630_550]
    stored = sql(
        db_path,
        "SELECT member_id, category, days_on_roll, hours_centi, coefficient_milli, share_cents, "
        "net_cents FROM pay_share WHERE period_id = ? ORDER BY member_id",
        period,
    )
    assert stored == [
        (1, "Oficial", 31, 17_600, 1_250, 48_845_471, 48_745_471),
        (2, "Medio oficial", 31, 16_000, 1_000, 35_523_979, 35_523_979),
        (3, "Ayudante", 31, 8_800, 800, 15_630_550, 15_630_550),
    ]
    approved = db.read(get_period, period)
    assert (approved.status, approved.approved_on, approved.paid_on) == (
        "approved",
        date(2026, 11, 5),
        None,
    )
    assert approved.status_text() == "Approved"


def test_an_approved_period_refuses_every_change_through_the_core(db):
    (ana, _bruno, _carla), period, _figures = approved_october(db)

    changes = [
        (set_hours, period, {ana: Decimal(100)}),
        (set_coefficient, period, "Oficial", Decimal(2)),
        (add_income, period, "Ventas", Decimal(1)),
        (add_line, period, ana, "addition", "Premio", Decimal(1)),
        (remove_line, period, 1),
        (update_period, period, october(amount=Decimal(5))),
        (delete_draft, period),
        (approve, period, date(2026, 11, 6)),
    ]
    for service, *args in changes:
        with pytest.raises(PeriodLocked) as raised:
            db.write(service, *args)
        assert raised.value.message == (
            "“October 2026” is approved and can no longer change; correct it with an "
            "adjustment in a later period."
        ), service.__name__


def test_the_approved_figures_stay_whatever_the_roll_says_now(db):
    (ana, _bruno, _carla), period, figures = approved_october(db)

    # Ana moves to a category with another coefficient; the next period pays it differently.
    def promote(session: Session) -> None:
        current = get_member(session, ana)
        update_member(session, ana, replace(current.draft(), category="Ayudante"))
        later = create_period(session, month(NOVEMBER, "November 2026")).id
        set_coefficient(session, later, "Ayudante", Decimal("0.9"))

    db.write(promote)
    again = db.read(preview, period)

    assert again.rows == figures.rows
    assert (again.rows[0].category, again.rows[0].coefficient) == ("Oficial", Decimal("1.25"))
    assert again.total_share_cents == MILLION


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE pay_share SET share_cents = share_cents + 100 WHERE member_id = 1",
        "UPDATE pay_share SET period_id = 99",
        "DELETE FROM pay_share WHERE member_id = 3",
        "INSERT INTO pay_share (period_id, member_id, category, days_on_roll, hours_centi, "
        "coefficient_milli, share_cents, additions_cents, advances_cents, deductions_cents, "
        "net_cents) VALUES (1, 3, '', 31, 0, 1000, 1, 0, 0, 0, 1)",
        "INSERT INTO pay_hours (period_id, member_id, hours_centi) VALUES (1, 1, 100)",
        "UPDATE pay_hours SET hours_centi = 1",
        "DELETE FROM pay_hours",
        "INSERT INTO pay_line (period_id, member_id, kind, description, amount_cents) "
        "VALUES (1, 1, 'addition', 'Premio', 100)",
        "DELETE FROM pay_line",
        "UPDATE pay_income SET amount_cents = 1",
        "INSERT INTO pay_income (period_id, description, amount_cents) VALUES (1, 'Ventas', 1)",
        "UPDATE pay_coefficient SET coefficient_milli = 2000",
        "DELETE FROM pay_coefficient",
        "UPDATE pay_period SET amount_cents = amount_cents + 1",
        "UPDATE pay_period SET status = 'draft'",
        "UPDATE pay_period SET status = 'paid', paid_on = '2026-11-10', amount_cents = 1",
        "DELETE FROM pay_period",
    ],
)
def test_an_approved_period_refuses_changes_through_plain_sqlite(db, db_path, sql, statement):
    approved_october(db)
    # A draft November too: a statement touching its rows as well is still refused whole.
    db.write(create_period, month(NOVEMBER, "November 2026"))
    tables = ("pay_period", "pay_share", "pay_hours", "pay_coefficient", "pay_line", "pay_income")
    before = {table: sql(db_path, f"SELECT * FROM {table}") for table in tables}

    with pytest.raises(sqlite3.IntegrityError) as raised:
        raw(db_path, statement)

    assert "approved pay periods are locked" in str(raised.value)
    assert {table: sql(db_path, f"SELECT * FROM {table}") for table in tables} == before


def test_a_draft_lines_and_income_can_be_removed_through_sqlite_until_approval(db, db_path, sql):
    # The triggers lock only approved periods: a draft is the council's working sheet.
    def setup(session: Session) -> int:
        ana = three_members(session)[0]
        period = create_period(session, october()).id
        add_line(session, period, ana, "addition", "Premio", Decimal(1))
        return period

    db.write(setup)
    raw(db_path, "DELETE FROM pay_line")
    assert sql(db_path, "SELECT COUNT(*) FROM pay_line") == [(0,)]


def test_approved_moves_on_to_paid_once_and_never_back(db, db_path, sql):
    _people, period, figures = approved_october(db)

    paid = db.write(mark_paid, period, date(2026, 11, 10))

    assert (paid.status, paid.paid_on, paid.approved_on) == (
        "paid",
        date(2026, 11, 10),
        date(2026, 11, 5),
    )
    with pytest.raises(ObreroError) as raised:
        db.write(mark_paid, period, date(2026, 11, 11))
    assert raised.value.message == "Only an approved period can be marked as paid."
    for statement in (
        "UPDATE pay_period SET status = 'draft'",
        "UPDATE pay_period SET status = 'approved', paid_on = NULL",
        "UPDATE pay_period SET paid_on = '2026-11-11'",
        "UPDATE pay_share SET net_cents = 0",
    ):
        with pytest.raises(sqlite3.IntegrityError):
            raw(db_path, statement)
    assert sql(db_path, "SELECT status, paid_on FROM pay_period") == [("paid", "2026-11-10")]
    assert db.read(preview, period).rows == figures.rows
    with pytest.raises(PeriodLocked) as locked:
        db.write(set_hours, period, {1: Decimal(1)})
    assert "is paid and can no longer change" in locked.value.message


def test_a_draft_cannot_be_marked_paid(db):
    period = db.write(lambda session: create_period(session, october()).id)

    with pytest.raises(ObreroError):
        db.write(mark_paid, period, date(2026, 11, 10))


def test_a_draft_can_be_deleted_with_its_rows(db, db_path, sql):
    def setup(session: Session) -> int:
        period = october_with_hours(session)
        add_income(session, period, "Ventas", Decimal(1))
        add_line(session, period, 1, "addition", "Premio", Decimal(1))
        return period

    period = db.write(setup)
    db.write(delete_draft, period)

    for table in PAY_TABLES:
        assert sql(db_path, f"SELECT COUNT(*) FROM {table}") == [(0,)], table


def test_an_adjustment_in_a_later_period_shows_in_that_members_figures(db):
    def setup(session: Session) -> tuple[int, int]:
        ana, bruno, _carla = three_members(session)
        september = create_period(session, month(SEPTEMBER, "September 2026")).id
        approve(session, september, date(2026, 10, 5))
        october_id = create_period(session, october(amount=Decimal("300000.00"))).id
        add_line(
            session, october_id, ana, "adjustment", "Horas de septiembre mal cargadas",
            Decimal("12500.50"), september,
        )  # fmt: skip
        add_line(
            session, october_id, bruno, "adjustment", "Cobró de más en septiembre",
            Decimal("-2000.00"), september,
        )  # fmt: skip
        add_line(session, october_id, bruno, "addition", "Premio de la asamblea", Decimal(500))
        return september, october_id

    september, october_id = db.write(setup)
    rows = {row.name: row for row in db.read(preview, october_id).rows}

    # $ 300.000,00 equally: $ 100.000,00 each.
    ana, bruno, carla = rows["Ana Acosta"], rows["Bruno Benítez"], rows["Carla Castro"]
    assert (ana.share_cents, ana.additions_cents, ana.deductions_cents, ana.net_cents) == (
        10_000_000,
        1_250_050,
        0,
        11_250_050,
    )
    assert (bruno.additions_cents, bruno.deductions_cents, bruno.net_cents) == (
        50_000,
        200_000,
        9_850_000,
    )
    assert carla.net_cents == 10_000_000
    lines = db.read(member_lines, october_id)
    assert [(line.kind, line.amount_cents, line.adjusts_period_id) for line in lines] == [
        ("adjustment", 1_250_050, september),
        ("adjustment", -200_000, september),
        ("addition", 50_000, None),
    ]
    assert lines[0].kind_text() == "Adjustment of an earlier period"
    # Approved, the adjustment is frozen with the rest of October.
    approved = {row.name: row for row in db.write(approve, october_id, date(2026, 11, 5)).rows}
    assert approved["Bruno Benítez"].net_cents == 9_850_000


def test_a_negative_adjustment_may_not_leave_less_than_nothing(db):
    def setup(session: Session) -> tuple[int, int, int]:
        ana = three_members(session)[0]
        september = create_period(session, month(SEPTEMBER, "September 2026")).id
        approve(session, september, date(2026, 10, 5))
        return ana, september, create_period(session, october(amount=Decimal("300.00"))).id

    ana, september, period = db.write(setup)

    with pytest.raises(ValidationErrors) as raised:
        db.write(add_line, period, ana, "adjustment", "Cobró de más", Decimal("-100.01"), september)
    assert refused(raised) == {
        "amount": "This deduction would leave Ana Acosta with less than nothing."
    }


def test_the_pay_tables_are_in_the_audit_trail(db, db_path, sql, pc_user):
    def setup(session: Session) -> int:
        period = october_with_hours(session, rule=Rule.MIXED, equal_percent=50, weighted=True)
        add_income(session, period, "Ventas", Decimal("1.00"))
        add_line(session, period, 1, "advance", "Adelanto", Decimal("1000.00"))
        return period

    period = db.write(setup)
    db.write(approve, period, date(2026, 11, 5))
    db.write(mark_paid, period, date(2026, 11, 10))

    found = sql(
        db_path,
        "SELECT table_name, action, COUNT(*) FROM audit_entry "
        "WHERE table_name LIKE 'pay_%' GROUP BY table_name, action",
    )
    counts = {(table, action): count for table, action, count in found}
    assert counts == {
        ("pay_period", "insert"): 1,
        ("pay_period", "update"): 2,  # approved, then paid
        ("pay_income", "insert"): 1,
        ("pay_coefficient", "insert"): 3,
        ("pay_coefficient", "update"): 2,  # 1 -> 1.25 and 1 -> 0.8 (1 stays 1)
        ("pay_hours", "insert"): 3,
        ("pay_line", "insert"): 1,
        ("pay_share", "insert"): 3,
    }
    operators = sql(
        db_path, "SELECT DISTINCT operator FROM audit_entry WHERE table_name LIKE 'pay_%'"
    )
    assert operators == [(pc_user,)]
    paid = sql(
        db_path,
        "SELECT changes FROM audit_entry WHERE table_name = 'pay_period' ORDER BY id DESC LIMIT 1",
    )
    assert paid == [('{"status":["approved","paid"],"paid_on":[null,"2026-11-10"]}',)]
