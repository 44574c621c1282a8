"""The sharing rules an assembly adopts, as plain functions on exact numbers.

Money is in centavos (``int``); hours and coefficients are ``Decimal``, and
shares are worked out on exact fractions. Every distribution sums exactly to
the amount shared: each member first gets the whole centavos of their exact
share, and the centavos left over go one each to the largest remainders;
equal remainders go to the member with the lower number (the order they
joined the roll), a rule anyone can check by hand. A mixed rule adds each
member's exact equal part and exact part by hours, then rounds once.

Who takes part: every member on the roll on any day of the period, suspended
members included (a suspension limits voting, not the share of work done); a
part by hours gives nothing to a member with no hours.

Proration: a member on the roll only part of the period gets the equal part
in proportion to their days on the roll. Parts by hours follow the hours
worked, which already reflect the days present, so they are not prorated
again.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from obrero.i18n import N_


class Rule(StrEnum):
    EQUAL = "equal"
    HOURS = "hours"
    COEFFICIENT_HOURS = "coefficient_hours"
    MIXED = "mixed"


RULE_LABELS: dict[str, str] = {
    Rule.EQUAL: N_("Equal shares among the members on the roll"),
    Rule.HOURS: N_("In proportion to hours worked"),
    Rule.COEFFICIENT_HOURS: N_("Category coefficient × hours worked"),
    Rule.MIXED: N_("Mixed: a part in equal shares, the rest by hours"),
}


@dataclass(frozen=True)
class Participant:
    """A member's standing in one period, all a rule needs."""

    member_id: int
    days_on_roll: int
    period_days: int
    hours: Decimal
    coefficient: Decimal = Decimal(1)

    @property
    def presence(self) -> Decimal:
        """The share of the period the member was on the roll (1 for all of it)."""
        return Decimal(self.days_on_roll) / Decimal(self.period_days)


@dataclass(frozen=True)
class SharingRule:
    """The rule adopted: for MIXED, ``equal_percent`` goes in equal shares and the rest
    by hours, weighted by category coefficients when ``weighted`` is true."""

    rule: Rule
    equal_percent: int = 0
    weighted: bool = False

    def words(self, gettext: Callable[[str], str]) -> str:
        """The rule as a statement prints it, in the language of ``gettext``."""
        if self.rule is not Rule.MIXED:
            return gettext(RULE_LABELS[self.rule])
        if self.weighted:
            how = gettext("by category coefficient × hours")
        else:
            how = gettext("by hours worked")
        # Worded so that no "%" is followed by a letter, which gettext tools take for printf.
        return gettext("equal shares for {equal}%, the rest ({rest}%) {how}").format(
            equal=self.equal_percent, rest=100 - self.equal_percent, how=how
        )


def distribute(total_cents: int, weights: Mapping[int, Decimal | Fraction | int]) -> dict[int, int]:
    """Share ``total_cents`` in proportion to ``weights`` (member id -> weight), exactly.

    Largest-remainder rounding; ties go to the lower member id. All weights zero
    (or no members) is a ValueError: there is no proportion to share by.
    """
    if total_cents < 0:
        raise ValueError("cannot share a negative amount")
    exact = {member_id: Fraction(weight) for member_id, weight in weights.items()}
    if any(weight < 0 for weight in exact.values()):
        raise ValueError("negative weight")
    # Over a common denominator every weight is a whole number, so each member's
    # whole centavos and remainder come from integer division: nothing is rounded.
    common = math.lcm(*(weight.denominator for weight in exact.values()))
    scaled = {
        member_id: weight.numerator * (common // weight.denominator)
        for member_id, weight in exact.items()
    }
    whole = sum(scaled.values())
    if whole <= 0:
        raise ValueError("nothing to share by")
    shares: dict[int, int] = {}
    remainders: list[tuple[int, int]] = []
    for member_id, weight in scaled.items():
        shares[member_id], remainder = divmod(total_cents * weight, whole)
        remainders.append((remainder, member_id))
    left = total_cents - sum(shares.values())
    # Largest remainder first; among equal remainders, the lower member id.
    for _remainder, member_id in sorted(remainders, key=lambda item: (-item[0], item[1]))[:left]:
        shares[member_id] += 1
    return shares


def _equal_weights(participants: list[Participant]) -> dict[int, Fraction]:
    return {p.member_id: Fraction(p.days_on_roll, p.period_days) for p in participants}


def _hour_weights(participants: list[Participant], weighted: bool) -> dict[int, Fraction]:
    return {
        p.member_id: Fraction(p.hours) * (Fraction(p.coefficient) if weighted else 1)
        for p in participants
    }


def _mixed_weights(rule: SharingRule, participants: list[Participant]) -> dict[int, Fraction]:
    """Each member's exact part of the equal pool plus their exact part of the pool by hours.

    Rounded once, on the sum: a member ahead on both days and hours never gets
    a centavo less than one behind on both.
    """
    weights = {p.member_id: Fraction(0) for p in participants}
    parts = (
        (rule.equal_percent, _equal_weights(participants)),
        (100 - rule.equal_percent, _hour_weights(participants, rule.weighted)),
    )
    for percent, part in parts:
        if percent <= 0:
            continue
        whole = sum(part.values(), Fraction(0))
        if whole <= 0:
            raise ValueError("nothing to share by")
        for member_id, weight in part.items():
            weights[member_id] += percent * weight / whole
    return weights


def shares(total_cents: int, rule: SharingRule, participants: list[Participant]) -> dict[int, int]:
    """Each participant's share of ``total_cents`` under ``rule``; sums exactly to the total."""
    if rule.rule is Rule.EQUAL:
        return distribute(total_cents, _equal_weights(participants))
    if rule.rule is Rule.HOURS:
        return distribute(total_cents, _hour_weights(participants, weighted=False))
    if rule.rule is Rule.COEFFICIENT_HOURS:
        return distribute(total_cents, _hour_weights(participants, weighted=True))
    return distribute(total_cents, _mixed_weights(rule, participants))
