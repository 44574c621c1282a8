"""What the wage statements of a period show, read from the database in one go.

:func:`build_statements` gathers plain data (the factory, the period with its
rule and income lines, every member's figures and lines); the PDF renderer in
:mod:`obrero.documents.wage_statements` only lays it out, in the language asked
for. Approved periods give their frozen figures; a draft gives the figures as
they stand now, and the renderer marks every page of it as a draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from obrero.documents.factory import FactoryDetails, factory_details
from obrero.errors import NotFound
from obrero.i18n import _
from obrero.profile import default_profile, get_profile
from obrero.store.models import PayPeriodRow
from obrero.wages.periods import MemberLine, Period, ShareRow, member_lines, preview


@dataclass(frozen=True)
class PeriodRef:
    """An earlier period, as an adjustment line names it."""

    id: int
    label: str
    start: date
    end: date


@dataclass(frozen=True)
class StatementLine:
    """An advance, deduction, addition or adjustment of one member in the period."""

    kind: str  # a key of obrero.wages.periods.LINE_KINDS
    description: str
    amount_cents: int  # positive; an adjustment is signed
    adjusts: PeriodRef | None = None  # the period an adjustment corrects

    @property
    def credit_cents(self) -> int:
        """What the line adds to the net amount (0 if it takes away)."""
        if self.kind == "addition" or (self.kind == "adjustment" and self.amount_cents > 0):
            return abs(self.amount_cents)
        return 0

    @property
    def debit_cents(self) -> int:
        """What the line takes from the net amount (0 if it adds)."""
        return abs(self.amount_cents) - self.credit_cents


@dataclass(frozen=True)
class MemberStatement:
    """One member's share of the period and every line that makes up the net amount."""

    member_id: int
    name: str
    national_id: str
    category: str
    days_on_roll: int
    period_days: int
    hours: Decimal
    coefficient: Decimal
    share_cents: int
    additions_cents: int  # additions and adjustments in the member's favour
    advances_cents: int
    deductions_cents: int  # deductions and adjustments against the member
    lines: tuple[StatementLine, ...] = ()

    @property
    def net_cents(self) -> int:
        return self.share_cents + self.additions_cents - self.advances_cents - self.deductions_cents

    @property
    def prorated(self) -> bool:
        """On the roll only part of the period."""
        return self.days_on_roll < self.period_days


@dataclass(frozen=True)
class Totals:
    share_cents: int
    additions_cents: int
    advances_cents: int
    deductions_cents: int
    net_cents: int


@dataclass(frozen=True)
class WageStatements:
    factory: FactoryDetails
    currency: str  # ISO code, from the profile
    country: str  # the profile's, for the way amounts are written there
    period: Period
    members: tuple[MemberStatement, ...]  # everyone in the period, in the roll's order
    chosen_member_id: int | None  # one member's statement only; None for everyone
    printed_on: date

    @property
    def statements(self) -> tuple[MemberStatement, ...]:
        """The statements to print: every member's, or the one chosen."""
        if self.chosen_member_id is None:
            return self.members
        return tuple(m for m in self.members if m.member_id == self.chosen_member_id)

    @property
    def amount_shared_cents(self) -> int:
        return max(self.period.to_share_cents, 0)

    @property
    def totals(self) -> Totals:
        """Sums over every member of the period (the shares add up to the amount shared)."""
        return Totals(
            share_cents=sum(m.share_cents for m in self.members),
            additions_cents=sum(m.additions_cents for m in self.members),
            advances_cents=sum(m.advances_cents for m in self.members),
            deductions_cents=sum(m.deductions_cents for m in self.members),
            net_cents=sum(m.net_cents for m in self.members),
        )


def _adjusted_periods(session: Session, lines: list[MemberLine]) -> dict[int, PeriodRef]:
    ids = {line.adjusts_period_id for line in lines if line.adjusts_period_id is not None}
    if not ids:
        return {}
    query = select(
        PayPeriodRow.id, PayPeriodRow.label, PayPeriodRow.start_date, PayPeriodRow.end_date
    ).where(PayPeriodRow.id.in_(ids))
    return {row.id: PeriodRef(*row) for row in session.execute(query)}


def _lines_by_member(session: Session, period_id: int) -> dict[int, list[StatementLine]]:
    lines = member_lines(session, period_id)
    earlier = _adjusted_periods(session, lines)
    grouped: dict[int, list[StatementLine]] = {}
    for line in lines:
        adjusts = earlier.get(line.adjusts_period_id) if line.adjusts_period_id else None
        grouped.setdefault(line.member_id, []).append(
            StatementLine(line.kind, line.description, line.amount_cents, adjusts)
        )
    return grouped


def _statement(row: ShareRow, period_days: int, lines: list[StatementLine]) -> MemberStatement:
    return MemberStatement(
        member_id=row.member_id,
        name=row.name,
        national_id=row.national_id,
        category=row.category,
        days_on_roll=row.days_on_roll,
        period_days=period_days,
        hours=row.hours,
        coefficient=row.coefficient,
        share_cents=row.share_cents,
        additions_cents=row.additions_cents,
        advances_cents=row.advances_cents,
        deductions_cents=row.deductions_cents,
        lines=tuple(lines),
    )


def build_statements(
    session: Session,
    period_id: int,
    member_id: int | None = None,
    *,
    today: date | None = None,
) -> WageStatements:
    """Everything the wage statements of a period show (one member's, if ``member_id``).

    Read inside one session (``db.read``), so the figures and the lines belong
    to the same snapshot. Raises NotFound for an unknown period or a member with
    no share in it, and ValidationErrors when a draft's shares cannot be
    computed yet (see :func:`obrero.wages.periods.preview`).
    """
    distribution = preview(session, period_id)
    period = distribution.period
    lines = _lines_by_member(session, period_id)
    members = tuple(
        _statement(row, period.days, lines.get(row.member_id, [])) for row in distribution.rows
    )
    if member_id is not None and all(m.member_id != member_id for m in members):
        raise NotFound(
            _("Member number {id} has no share in “{label}”.").format(
                id=member_id, label=period.label
            )
        )
    profile = get_profile(session)
    where = profile or default_profile()  # before the profile is filled in: the usual default
    return WageStatements(
        factory=factory_details(profile),
        currency=where.currency,
        country=where.country,
        period=period,
        members=members,
        chosen_member_id=member_id,
        printed_on=today or date.today(),
    )
