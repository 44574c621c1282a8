"""Pay periods: the amount to share, the rule, hours and lines, the preview and approval.

A period is a draft until the council approves it; approval freezes every
member's figures (``pay_share``) and the database refuses any later change to
the period or its rows. A mistake in an approved period is corrected by an
adjustment line in a later period, which the statements show.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from obrero.errors import NotFound, ObreroError, ValidationError, ValidationErrors
from obrero.i18n import N_, _
from obrero.i18n.formatting import format_date, format_number
from obrero.members import days_on_roll, on_roll_between
from obrero.store.models import (
    MemberRow,
    PayCoefficientRow,
    PayHoursRow,
    PayIncomeRow,
    PayLineRow,
    PayPeriodRow,
    PayShareRow,
)
from obrero.wages.rules import Participant, Rule, SharingRule, shares

STATUS_LABELS: dict[str, str] = {
    "draft": N_("Draft"),
    "approved": N_("Approved"),
    "paid": N_("Paid"),
}
LINE_KINDS: dict[str, str] = {
    "advance": N_("Advance already paid"),
    "deduction": N_("Deduction"),
    "addition": N_("Addition"),
    "adjustment": N_("Adjustment of an earlier period"),
}
DEFAULT_MAX_HOURS = Decimal(300)


class PeriodLocked(ObreroError):  # noqa: N818
    """The period is approved or paid: it can no longer change."""


# -- money and hours as stored -----------------------------------------------------------------


def to_cents(amount: Decimal) -> int:
    """Exact centavos of an amount; more than two decimals is a ValueError (no silent rounding)."""
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"{amount} has fractions of a centavo")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    return Decimal(cents) / 100


def to_centi(hours: Decimal) -> int:
    """Hours in hundredths (8.5 h -> 850); more than two decimals is a ValueError."""
    return to_cents(hours)


def from_centi(centi: int) -> Decimal:
    return Decimal(centi) / 100


# -- periods -----------------------------------------------------------------------------------


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def fortnight_bounds(year: int, month: int, second: bool) -> tuple[date, date]:
    start, end = month_bounds(year, month)
    return (date(year, month, 16), end) if second else (start, date(year, month, 15))


@dataclass(frozen=True)
class PeriodDraft:
    start: date
    end: date
    label: str
    amount: Decimal = Decimal(0)
    rule: Rule = Rule.EQUAL
    equal_percent: int = 0
    weighted: bool = False
    resolution: str = ""
    max_hours: Decimal = DEFAULT_MAX_HOURS
    notes: str = ""

    def sharing_rule(self) -> SharingRule:
        return SharingRule(self.rule, self.equal_percent, self.weighted)


@dataclass(frozen=True)
class IncomeLine:
    id: int
    description: str
    amount_cents: int  # income positive, cost negative


@dataclass(frozen=True)
class Period:
    id: int
    start: date
    end: date
    label: str
    amount_cents: int
    rule: Rule
    equal_percent: int
    weighted: bool
    resolution: str
    max_hours: Decimal
    status: str
    approved_on: date | None
    paid_on: date | None
    notes: str
    income: tuple[IncomeLine, ...] = ()
    coefficients: Mapping[str, Decimal] = field(default_factory=dict)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def to_share_cents(self) -> int:
        """The entered amount plus income lines minus cost lines."""
        return self.amount_cents + sum(line.amount_cents for line in self.income)

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    def sharing_rule(self) -> SharingRule:
        return SharingRule(self.rule, self.equal_percent, self.weighted)

    def rule_text(self) -> str:
        """The rule in words, in the UI language (a document uses ``sharing_rule().words``)."""
        return self.sharing_rule().words(_)

    def status_text(self) -> str:
        return _(STATUS_LABELS[self.status])


def _period_errors(session: Session, draft: PeriodDraft, period_id: int | None) -> None:
    errors: list[ValidationError] = []
    if draft.end < draft.start:
        errors.append(ValidationError("end", _("The period ends before it starts.")))
    if not draft.label.strip():
        errors.append(ValidationError("label", _("Name the period, e.g. “October 2026”.")))
    if draft.amount < 0:
        errors.append(ValidationError("amount", _("The amount to share cannot be negative.")))
    else:
        try:
            to_cents(draft.amount)
        except ValueError:
            errors.append(ValidationError("amount", _("Amounts have at most two decimals.")))
    if draft.rule is Rule.MIXED and not 0 < draft.equal_percent < 100:
        errors.append(
            ValidationError(
                "equal_percent",
                _(
                    "The equal part and the part by hours must add up to 100%: "
                    "give the equal part between 1 and 99%."
                ),
            )
        )
    if draft.max_hours <= 0:
        errors.append(ValidationError("max_hours", _("The most hours must be more than zero.")))
    if draft.end >= draft.start:
        clash = session.scalar(
            select(PayPeriodRow).where(
                PayPeriodRow.start_date <= draft.end,
                PayPeriodRow.end_date >= draft.start,
                PayPeriodRow.id != period_id,
            )
        )
        if clash is not None:
            errors.append(
                ValidationError(
                    "start",
                    _("It overlaps the period “{label}” ({start} – {end}).").format(
                        label=clash.label,
                        start=format_date(clash.start_date),
                        end=format_date(clash.end_date),
                    ),
                )
            )
    if errors:
        raise ValidationErrors(errors)


def _fill(row: PayPeriodRow, draft: PeriodDraft) -> None:
    row.start_date = draft.start
    row.end_date = draft.end
    row.label = " ".join(draft.label.split())
    row.amount_cents = to_cents(draft.amount)
    row.rule = Rule(draft.rule).value
    row.equal_percent = draft.equal_percent if draft.rule is Rule.MIXED else 0
    row.weighted = draft.weighted if draft.rule is Rule.MIXED else False
    row.resolution = draft.resolution.strip()
    row.max_hours_centi = to_centi(draft.max_hours)
    row.notes = draft.notes.strip()


def _row(session: Session, period_id: int) -> PayPeriodRow:
    row = session.get(PayPeriodRow, period_id)
    if row is None:
        raise NotFound(_("There is no pay period number {id}.").format(id=period_id))
    return row


def _draft_row(session: Session, period_id: int) -> PayPeriodRow:
    row = _row(session, period_id)
    if row.status != "draft":
        raise PeriodLocked(
            _(
                "“{label}” is {status} and can no longer change; correct it with an "
                "adjustment in a later period."
            ).format(label=row.label, status=_(STATUS_LABELS[row.status]).lower())
        )
    return row


def create_period(session: Session, draft: PeriodDraft) -> Period:
    """A new draft period; category coefficients come from the latest earlier period."""
    _period_errors(session, draft, None)
    row = PayPeriodRow(status="draft")
    _fill(row, draft)
    session.add(row)
    session.flush()
    for category, coefficient in _inherited_coefficients(session, draft.start).items():
        session.add(
            PayCoefficientRow(period_id=row.id, category=category, coefficient_milli=coefficient)
        )
    session.flush()
    return get_period(session, row.id)


def _inherited_coefficients(session: Session, before: date) -> dict[str, int]:
    previous = session.scalar(
        select(PayPeriodRow.id)
        .where(PayPeriodRow.start_date < before)
        .order_by(PayPeriodRow.start_date.desc())
    )
    inherited: dict[str, int] = {}
    if previous is not None:
        query = select(PayCoefficientRow.category, PayCoefficientRow.coefficient_milli).where(
            PayCoefficientRow.period_id == previous
        )
        inherited = dict(session.execute(query).all())
    in_use = session.scalars(select(MemberRow.category).where(MemberRow.category != "").distinct())
    for category in in_use:
        inherited.setdefault(category, 1000)
    return inherited


def update_period(session: Session, period_id: int, draft: PeriodDraft) -> Period:
    row = _draft_row(session, period_id)
    _period_errors(session, draft, period_id)
    _fill(row, draft)
    session.flush()
    return get_period(session, period_id)


def delete_draft(session: Session, period_id: int) -> None:
    """Remove a draft period made by mistake, with its rows (approved ones stay forever)."""
    _draft_row(session, period_id)
    for model in (PayIncomeRow, PayCoefficientRow, PayHoursRow, PayLineRow, PayShareRow):
        for child in session.scalars(select(model).where(model.period_id == period_id)):
            session.delete(child)
    session.flush()
    session.delete(_row(session, period_id))
    session.flush()


def get_period(session: Session, period_id: int) -> Period:
    row = _row(session, period_id)
    income = tuple(
        IncomeLine(line.id, line.description, line.amount_cents)
        for line in session.scalars(
            select(PayIncomeRow)
            .where(PayIncomeRow.period_id == period_id)
            .order_by(PayIncomeRow.id)
        )
    )
    coefficients = {
        category: Decimal(milli) / 1000
        for category, milli in session.execute(
            select(PayCoefficientRow.category, PayCoefficientRow.coefficient_milli)
            .where(PayCoefficientRow.period_id == period_id)
            .order_by(PayCoefficientRow.category)
        )
    }
    return Period(
        id=row.id,
        start=row.start_date,
        end=row.end_date,
        label=row.label,
        amount_cents=row.amount_cents,
        rule=Rule(row.rule),
        equal_percent=row.equal_percent,
        weighted=row.weighted,
        resolution=row.resolution,
        max_hours=from_centi(row.max_hours_centi),
        status=row.status,
        approved_on=row.approved_on,
        paid_on=row.paid_on,
        notes=row.notes,
        income=income,
        coefficients=coefficients,
    )


def list_periods(session: Session) -> list[Period]:
    """Every period, the latest first."""
    ids = session.scalars(select(PayPeriodRow.id).order_by(PayPeriodRow.start_date.desc()))
    return [get_period(session, period_id) for period_id in ids]


# -- income, coefficients, hours, lines ----------------------------------------------------------


def add_income(session: Session, period_id: int, description: str, amount: Decimal) -> Period:
    """An income (positive) or cost (negative) line of the period."""
    _draft_row(session, period_id)
    if not description.strip():
        raise ValidationError("description", _("Describe the income or cost."))
    try:
        cents = to_cents(amount)
    except ValueError:
        raise ValidationError("amount", _("Amounts have at most two decimals.")) from None
    session.add(
        PayIncomeRow(period_id=period_id, description=description.strip(), amount_cents=cents)
    )
    session.flush()
    return get_period(session, period_id)


def remove_income(session: Session, period_id: int, line_id: int) -> Period:
    _draft_row(session, period_id)
    line = session.get(PayIncomeRow, line_id)
    if line is not None and line.period_id == period_id:
        session.delete(line)
        session.flush()
    return get_period(session, period_id)


def set_coefficient(session: Session, period_id: int, category: str, coefficient: Decimal) -> None:
    """The assembly's coefficient for a category in this period (e.g. 1.25 for oficial)."""
    _draft_row(session, period_id)
    if coefficient <= 0 or coefficient > 100:
        raise ValidationError("coefficient", _("A coefficient is a number above zero."))
    milli = coefficient * 1000
    if milli != milli.to_integral_value():
        raise ValidationError("coefficient", _("Coefficients have at most three decimals."))
    row = session.scalar(
        select(PayCoefficientRow).where(
            PayCoefficientRow.period_id == period_id, PayCoefficientRow.category == category
        )
    )
    if row is None:
        session.add(
            PayCoefficientRow(period_id=period_id, category=category, coefficient_milli=int(milli))
        )
    else:
        row.coefficient_milli = int(milli)
    session.flush()


def _members_in(session: Session, start: date, end: date) -> list[MemberRow]:
    query = (
        select(MemberRow)
        .where(on_roll_between(start, end))
        .order_by(MemberRow.search_key, MemberRow.id)
    )
    return list(session.scalars(query))


def set_hours(session: Session, period_id: int, hours: Mapping[int, Decimal]) -> None:
    """Record hours worked (member id -> hours); every value is checked before any is stored."""
    row = _draft_row(session, period_id)
    on_roll = {m.id: m for m in _members_in(session, row.start_date, row.end_date)}
    errors: list[ValidationError] = []
    most = from_centi(row.max_hours_centi)
    for member_id, value in hours.items():
        errors += _hours_errors(session, member_id, value, on_roll, most, row)
    if errors:
        raise ValidationErrors(errors)
    for member_id, value in hours.items():
        stored = session.scalar(
            select(PayHoursRow).where(
                PayHoursRow.period_id == period_id, PayHoursRow.member_id == member_id
            )
        )
        if stored is None:
            session.add(
                PayHoursRow(period_id=period_id, member_id=member_id, hours_centi=to_centi(value))
            )
        else:
            stored.hours_centi = to_centi(value)
    session.flush()


def _hours_errors(
    session: Session,
    member_id: int,
    value: Decimal,
    on_roll: Mapping[int, MemberRow],
    most: Decimal,
    period: PayPeriodRow,
) -> list[ValidationError]:
    field_name = f"hours:{member_id}"
    if member_id not in on_roll:
        member = session.get(MemberRow, member_id)
        name = member.full_name if member else str(member_id)
        return [
            ValidationError(
                field_name,
                _("{name} was not on the roll between {start} and {end}.").format(
                    name=name,
                    start=format_date(period.start_date),
                    end=format_date(period.end_date),
                ),
            )
        ]
    name = on_roll[member_id].full_name
    if value < 0:
        return [
            ValidationError(field_name, _("Hours of {name} cannot be negative.").format(name=name))
        ]
    if value > most:
        return [
            ValidationError(
                field_name,
                _("{hours} hours for {name} is more than the {most} this period allows.").format(
                    hours=format_number(value), name=name, most=format_number(most)
                ),
            )
        ]
    try:
        to_centi(value)
    except ValueError:
        return [ValidationError(field_name, _("Hours have at most two decimals."))]
    return []


@dataclass(frozen=True)
class HoursRow:
    """One line of a period's hours sheet: a member on the roll and the hours entered."""

    member_id: int
    name: str
    national_id: str
    category: str
    days_on_roll: int
    hours: Decimal | None  # None: nothing entered yet


def hours_sheet(session: Session, period_id: int) -> list[HoursRow]:
    """Every member on the roll in the period, with days on the roll and hours entered.

    For an approved or paid period these are the frozen figures, whatever the roll says now.
    """
    period = get_period(session, period_id)
    if not period.is_draft:
        return [
            HoursRow(r.member_id, r.name, r.national_id, r.category, r.days_on_roll, r.hours)
            for r in _approved(session, period).rows
        ]
    hours = dict(
        session.execute(
            select(PayHoursRow.member_id, PayHoursRow.hours_centi).where(
                PayHoursRow.period_id == period_id
            )
        ).all()
    )
    return [
        HoursRow(
            m.id,
            m.full_name,
            m.national_id,
            m.category,
            days_on_roll(m, period.start, period.end),
            from_centi(hours[m.id]) if m.id in hours else None,
        )
        for m in _members_in(session, period.start, period.end)
    ]


@dataclass(frozen=True)
class MemberLine:
    id: int
    member_id: int
    kind: str
    description: str
    amount_cents: int
    adjusts_period_id: int | None

    def kind_text(self) -> str:
        return _(LINE_KINDS[self.kind])


def add_line(
    session: Session,
    period_id: int,
    member_id: int,
    kind: str,
    description: str,
    amount: Decimal,
    adjusts_period_id: int | None = None,
) -> MemberLine:
    """An advance, deduction or addition (positive), or an adjustment (signed) of one member.

    A deduction that would leave the member's net amount below zero is refused.
    """
    period = _draft_row(session, period_id)
    errors = _line_errors(session, period, member_id, kind, description, amount, adjusts_period_id)
    if errors:
        raise ValidationErrors(errors)
    row = PayLineRow(
        period_id=period_id,
        member_id=member_id,
        kind=kind,
        description=description.strip(),
        amount_cents=to_cents(amount),
        adjusts_period_id=adjusts_period_id if kind == "adjustment" else None,
    )
    session.add(row)
    session.flush()
    if kind == "deduction" or row.amount_cents < 0:  # a negative adjustment takes away too
        _refuse_negative_net(session, period_id, member_id)
    return _line(row)


def _line_errors(
    session: Session,
    period: PayPeriodRow,
    member_id: int,
    kind: str,
    description: str,
    amount: Decimal,
    adjusts_period_id: int | None,
) -> list[ValidationError]:
    errors: list[ValidationError] = []
    if kind not in LINE_KINDS:
        errors.append(ValidationError("kind", _("Choose what kind of line it is.")))
    if member_id not in {m.id for m in _members_in(session, period.start_date, period.end_date)}:
        errors.append(
            ValidationError("member", _("That member was not on the roll in the period."))
        )
    if not description.strip():
        errors.append(
            ValidationError("description", _("Describe the line, e.g. “Advance of the 10th”."))
        )
    try:
        to_cents(amount)
    except ValueError:
        errors.append(ValidationError("amount", _("Amounts have at most two decimals.")))
    if kind != "adjustment" and amount <= 0:
        errors.append(ValidationError("amount", _("The amount must be more than zero.")))
    if kind == "adjustment":
        earlier = session.get(PayPeriodRow, adjusts_period_id) if adjusts_period_id else None
        if earlier is None or earlier.status == "draft" or earlier.start_date >= period.start_date:
            errors.append(
                ValidationError(
                    "adjusts_period",
                    _("An adjustment corrects an earlier period that was approved."),
                )
            )
        if amount == 0:
            errors.append(ValidationError("amount", _("The amount must not be zero.")))
    return errors


def _refuse_negative_net(session: Session, period_id: int, member_id: int) -> None:
    try:
        figures = preview(session, period_id)
    except ValidationErrors:
        return  # the shares cannot be computed yet (no hours): approval checks again
    for row in figures.rows:
        if row.member_id == member_id and row.net_cents < 0:
            raise ValidationErrors(
                [
                    ValidationError(
                        "amount",
                        _("This deduction would leave {name} with less than nothing.").format(
                            name=row.name
                        ),
                    )
                ]
            )


def remove_line(session: Session, period_id: int, line_id: int) -> None:
    _draft_row(session, period_id)
    line = session.get(PayLineRow, line_id)
    if line is not None and line.period_id == period_id:
        session.delete(line)
        session.flush()


def _line(row: PayLineRow) -> MemberLine:
    return MemberLine(
        row.id, row.member_id, row.kind, row.description, row.amount_cents, row.adjusts_period_id
    )


def member_lines(session: Session, period_id: int) -> list[MemberLine]:
    query = select(PayLineRow).where(PayLineRow.period_id == period_id).order_by(PayLineRow.id)
    return [_line(row) for row in session.scalars(query)]


# -- the shares ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareRow:
    member_id: int
    name: str
    national_id: str
    category: str
    days_on_roll: int
    hours: Decimal
    coefficient: Decimal
    share_cents: int
    additions_cents: int
    advances_cents: int
    deductions_cents: int

    @property
    def net_cents(self) -> int:
        return self.share_cents + self.additions_cents - self.advances_cents - self.deductions_cents


@dataclass(frozen=True)
class Distribution:
    period: Period
    rows: tuple[ShareRow, ...]

    @property
    def total_share_cents(self) -> int:
        return sum(row.share_cents for row in self.rows)

    @property
    def total_net_cents(self) -> int:
        return sum(row.net_cents for row in self.rows)

    def negative(self) -> list[ShareRow]:
        return [row for row in self.rows if row.net_cents < 0]


def _line_totals(session: Session, period_id: int) -> dict[int, dict[str, int]]:
    totals: dict[int, dict[str, int]] = {}
    query = (
        select(PayLineRow.member_id, PayLineRow.kind, func.sum(PayLineRow.amount_cents))
        .where(PayLineRow.period_id == period_id)
        .group_by(PayLineRow.member_id, PayLineRow.kind)
    )
    for member_id, kind, cents in session.execute(query):
        bucket = totals.setdefault(member_id, {"addition": 0, "advance": 0, "deduction": 0})
        if kind == "adjustment":
            bucket["addition" if cents > 0 else "deduction"] += abs(cents)
        else:
            bucket[kind] += cents
    return totals


def preview(session: Session, period_id: int) -> Distribution:
    """Every member's share and net amount under the period's rule, as it stands now.

    For an approved period these are the frozen figures. Raises ValidationErrors when
    the shares cannot be computed (nobody on the roll, no hours under a rule by hours).
    """
    period = get_period(session, period_id)
    if not period.is_draft:
        return _approved(session, period)
    members = _members_in(session, period.start, period.end)
    if not members:
        raise ValidationErrors(
            [ValidationError("members", _("Nobody was on the roll in this period."))]
        )
    hours = dict(
        session.execute(
            select(PayHoursRow.member_id, PayHoursRow.hours_centi).where(
                PayHoursRow.period_id == period_id
            )
        ).all()
    )
    participants = [
        Participant(
            member_id=m.id,
            days_on_roll=days_on_roll(m, period.start, period.end),
            period_days=period.days,
            hours=from_centi(hours.get(m.id, 0)),
            coefficient=period.coefficients.get(m.category, Decimal(1)),
        )
        for m in members
    ]
    by_hours = period.rule is not Rule.EQUAL
    if by_hours and not any(p.hours for p in participants):
        raise ValidationErrors(
            [ValidationError("hours", _("The rule shares by hours, but no hours are entered yet."))]
        )
    amounts = shares(max(period.to_share_cents, 0), period.sharing_rule(), participants)
    lines = _line_totals(session, period_id)
    rows = tuple(
        ShareRow(
            member_id=m.id,
            name=m.full_name,
            national_id=m.national_id,
            category=m.category,
            days_on_roll=p.days_on_roll,
            hours=p.hours,
            coefficient=p.coefficient,
            share_cents=amounts[m.id],
            additions_cents=lines.get(m.id, {}).get("addition", 0),
            advances_cents=lines.get(m.id, {}).get("advance", 0),
            deductions_cents=lines.get(m.id, {}).get("deduction", 0),
        )
        for m, p in zip(members, participants, strict=True)
    )
    return Distribution(period, rows)


def _approved(session: Session, period: Period) -> Distribution:
    query = (
        select(PayShareRow, MemberRow)
        .join(MemberRow, MemberRow.id == PayShareRow.member_id)
        .where(PayShareRow.period_id == period.id)
        .order_by(MemberRow.search_key, MemberRow.id)
    )
    rows = tuple(
        ShareRow(
            member_id=member.id,
            name=member.full_name,
            national_id=member.national_id,
            category=share.category,
            days_on_roll=share.days_on_roll,
            hours=from_centi(share.hours_centi),
            coefficient=Decimal(share.coefficient_milli) / 1000,
            share_cents=share.share_cents,
            additions_cents=share.additions_cents,
            advances_cents=share.advances_cents,
            deductions_cents=share.deductions_cents,
        )
        for share, member in session.execute(query)
    )
    return Distribution(period, rows)


def approve(session: Session, period_id: int, on: date) -> Distribution:
    """Freeze the shares as the council approved them; the period is locked from now on."""
    row = _draft_row(session, period_id)
    figures = preview(session, period_id)
    if figures.period.to_share_cents <= 0:
        raise ValidationErrors(
            [ValidationError("amount", _("There is nothing to share: the amount is zero."))]
        )
    short = figures.negative()
    if short:
        raise ValidationErrors(
            [
                ValidationError(
                    "lines",
                    _("{name} would get less than nothing; review the deductions.").format(
                        name=item.name
                    ),
                )
                for item in short
            ]
        )
    for item in figures.rows:
        session.add(
            PayShareRow(
                period_id=period_id,
                member_id=item.member_id,
                category=item.category,
                days_on_roll=item.days_on_roll,
                hours_centi=to_centi(item.hours),
                coefficient_milli=int(item.coefficient * 1000),
                share_cents=item.share_cents,
                additions_cents=item.additions_cents,
                advances_cents=item.advances_cents,
                deductions_cents=item.deductions_cents,
                net_cents=item.net_cents,
            )
        )
    session.flush()
    row.status = "approved"
    row.approved_on = on
    session.flush()
    return preview(session, period_id)


def mark_paid(session: Session, period_id: int, on: date) -> Period:
    row = _row(session, period_id)
    if row.status != "approved":
        raise ObreroError(_("Only an approved period can be marked as paid."))
    row.status = "paid"
    row.paid_on = on
    session.flush()
    return get_period(session, period_id)


def next_month(period: Period) -> tuple[date, date]:
    """The month after ``period``, for a new period that follows it."""
    following = period.end + timedelta(days=1)
    return month_bounds(following.year, following.month)
