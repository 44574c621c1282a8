"""The sharing rules an assembly adopts, as plain functions on exact numbers.

Money is in centavos (``int``); weights are ``Decimal``. Every distribution
sums exactly to the amount shared: each member first gets the whole centavos
of their exact share, and the centavos left over go one each to the largest
remainders; equal remainders go to the member with the lower number (the
order they joined the roll), a rule anyone can check by hand.

Proration: a member on the roll only part of the period gets the equal part
in proportion to their days on the roll. Parts by hours follow the hours
worked, which already reflect the days present, so they are not prorated
again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

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


def distribute(total_cents: int, weights: Mapping[int, Decimal]) -> dict[int, int]:
    """Share ``total_cents`` in proportion to ``weights`` (member id -> weight), exactly.

    Largest-remainder rounding; ties go to the lower member id. All weights zero
    (or no members) is a ValueError: there is no proportion to share by.
    """
    if total_cents < 0:
        raise ValueError("cannot share a negative amount")
    whole = sum(weights.values(), Decimal(0))
    if whole <= 0:
        raise ValueError("nothing to share by")
    shares: dict[int, int] = {}
    remainders: list[tuple[Decimal, int]] = []
    for member_id, weight in weights.items():
        if weight < 0:
            raise ValueError("negative weight")
        exact = Decimal(total_cents) * weight / whole
        floor = int(exact.to_integral_value(rounding=ROUND_FLOOR))
        shares[member_id] = floor
        remainders.append((exact - floor, member_id))
    left = total_cents - sum(shares.values())
    # Largest remainder first; among equal remainders, the lower member id.
    for _remainder, member_id in sorted(remainders, key=lambda item: (-item[0], item[1]))[:left]:
        shares[member_id] += 1
    return shares


def _equal_weights(participants: list[Participant]) -> dict[int, Decimal]:
    return {p.member_id: p.presence for p in participants}


def _hour_weights(participants: list[Participant], weighted: bool) -> dict[int, Decimal]:
    return {
        p.member_id: p.hours * (p.coefficient if weighted else Decimal(1)) for p in participants
    }


def shares(total_cents: int, rule: SharingRule, participants: list[Participant]) -> dict[int, int]:
    """Each participant's share of ``total_cents`` under ``rule``; sums exactly to the total."""
    if rule.rule is Rule.EQUAL:
        return distribute(total_cents, _equal_weights(participants))
    if rule.rule is Rule.HOURS:
        return distribute(total_cents, _hour_weights(participants, weighted=False))
    if rule.rule is Rule.COEFFICIENT_HOURS:
        return distribute(total_cents, _hour_weights(participants, weighted=True))
    equal_pool = total_cents * rule.equal_percent // 100
    equal = distribute(equal_pool, _equal_weights(participants))
    by_hours = distribute(total_cents - equal_pool, _hour_weights(participants, rule.weighted))
    return {member_id: equal[member_id] + by_hours[member_id] for member_id in equal}
