"""The members roll (padrón): who belongs to the cooperative, and since when.

Members are never deleted; leaving sets the leave date, which is the member's
last day on the roll. A member is *on the roll on day D* when they joined on or
before D and had not left before D. Assemblies (who may vote) and wages (who
shares) ask this question through :func:`members_on_roll`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum
from typing import Protocol

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from obrero.errors import NotFound, ValidationError, ValidationErrors
from obrero.i18n import N_, _
from obrero.i18n.formatting import date_placeholder, format_date, parse_date
from obrero.store.models import MemberRow


class MemberStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    LEFT = "left"


STATUS_LABELS: dict[str, str] = {
    MemberStatus.ACTIVE: N_("Active"),
    MemberStatus.SUSPENDED: N_("Suspended"),
    MemberStatus.LEFT: N_("Left"),
}
LEAVE_REASONS: dict[str, str] = {
    "resignation": N_("Resignation"),
    "retirement": N_("Retirement on a pension"),
    "expulsion": N_("Expulsion by the assembly"),
    "death": N_("Death"),
    "other": N_("Other reason"),
}

# Column name -> label, for forms, table headers and the audit trail.
FIELD_LABELS: dict[str, str] = {
    "id": N_("Number"),
    "full_name": N_("Full name"),
    "national_id": N_("National id"),
    "join_date": N_("Joined"),
    "leave_date": N_("Left"),
    "leave_reason": N_("Leave reason"),
    "leave_note": N_("Leave note"),
    "status": N_("Status"),
    "sector": N_("Sector"),
    "category": N_("Category"),
    "phone": N_("Phone"),
    "email": N_("E-mail"),
    "address": N_("Address"),
}


@dataclass(frozen=True)
class MemberDraft:
    """What a form submits for a new or edited member."""

    full_name: str
    national_id: str
    join_date: date
    leave_date: date | None = None
    leave_reason: str = ""
    leave_note: str = ""
    suspended: bool = False
    sector: str = ""
    category: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class Member:
    id: int
    full_name: str
    national_id: str
    join_date: date
    leave_date: date | None
    leave_reason: str
    leave_note: str
    status: MemberStatus
    sector: str
    category: str
    phone: str
    email: str
    address: str

    def on_roll(self, day: date) -> bool:
        return is_on_roll(self.join_date, self.leave_date, day)

    def status_text(self) -> str:
        """The status as a person reads it, e.g. "Left (31/10/2025)"."""
        label = _(STATUS_LABELS[self.status])
        if self.leave_date is not None:
            return _("{status} ({date})").format(status=label, date=format_date(self.leave_date))
        return label

    def draft(self) -> MemberDraft:
        return MemberDraft(
            full_name=self.full_name,
            national_id=self.national_id,
            join_date=self.join_date,
            leave_date=self.leave_date,
            leave_reason=self.leave_reason,
            leave_note=self.leave_note,
            suspended=self.status is MemberStatus.SUSPENDED,
            sector=self.sector,
            category=self.category,
            phone=self.phone,
            email=self.email,
            address=self.address,
        )


def is_on_roll(join_date: date, leave_date: date | None, day: date) -> bool:
    """Whether a member who joined and left on these dates was on the roll on ``day``.

    Both ends count: a member is on the roll on the day they join and on their
    leave date (their last day).
    """
    return join_date <= day and (leave_date is None or day <= leave_date)


class OnRoll(Protocol):
    """Anything with a member's join and leave dates (a Member, a row)."""

    join_date: date
    leave_date: date | None


def days_on_roll(member: OnRoll, start: date, end: date) -> int:
    """How many days of ``start``..``end`` the member was on the roll (see :func:`is_on_roll`)."""
    first = max(start, member.join_date)
    last = min(end, member.leave_date or end)
    return max(0, (last - first).days + 1)


def search_key(*parts: str) -> str:
    """Lower-case text without accents, so that "pena" finds "Peña" and "joao" "João"."""
    text = " ".join(parts)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def national_id_key(national_id: str) -> str:
    """The national id without dots, dashes and spaces, upper-case: "28.456.912" -> "28456912"."""
    return re.sub(r"[\s.\-/]", "", national_id).upper()


_FORM_DATE_FIELDS = ("join_date", "leave_date")
_FORM_TEXT_FIELDS = tuple(
    f.name for f in fields(MemberDraft) if f.name not in (*_FORM_DATE_FIELDS, "suspended")
)


def draft_from_form(form: dict[str, str | bool]) -> MemberDraft:
    """Read a member form's typed values (dates as text in the UI language).

    Raises :class:`ValidationErrors` for every date that is not a date and
    for a missing join date, so the form can mark each field.
    """
    errors: list[ValidationError] = []
    dates: dict[str, date | None] = {}
    for name in _FORM_DATE_FIELDS:
        text = str(form.get(name, ""))
        try:
            dates[name] = parse_date(text)
        except ValueError:
            errors.append(
                ValidationError(
                    name,
                    _("“{text}” is not a date; type it as {pattern}.").format(
                        text=text, pattern=date_placeholder()
                    ),
                )
            )
            dates[name] = None
    if dates["join_date"] is None and not any(e.field == "join_date" for e in errors):
        errors.append(ValidationError("join_date", _("Give the date the member joined.")))
    texts = {name: str(form.get(name, "")).strip() for name in _FORM_TEXT_FIELDS}
    if errors:
        # Check the other fields too, so every mistake shows at once.
        try:
            validate_draft_fields(
                MemberDraft(
                    join_date=dates["join_date"] or date.min,
                    leave_date=dates["leave_date"],
                    **texts,
                ),
                skip={error.field for error in errors},
            )
        except ValidationErrors as more:
            errors.extend(more.errors)
        raise ValidationErrors(errors)
    return MemberDraft(
        join_date=dates["join_date"],  # type: ignore[arg-type]
        leave_date=dates["leave_date"],
        suspended=bool(form.get("suspended", False)),
        **texts,
    )


def validate_draft_fields(draft: MemberDraft, skip: set[str] | None = None) -> None:
    """Check one draft on its own (no database): names, dates and the leave reason."""
    skip = skip or set()
    errors: list[ValidationError] = []
    if not draft.full_name.strip():
        errors.append(ValidationError("full_name", _("The name cannot be empty.")))
    elif len(draft.full_name) > 200:
        errors.append(ValidationError("full_name", _("The name is too long.")))
    if not national_id_key(draft.national_id):
        errors.append(ValidationError("national_id", _("The national id cannot be empty.")))
    if (
        "leave_date" not in skip
        and draft.leave_date is not None
        and draft.leave_date < draft.join_date
    ):
        errors.append(
            ValidationError(
                "leave_date",
                _("The leave date ({leave}) is before the join date ({join}).").format(
                    leave=format_date(draft.leave_date), join=format_date(draft.join_date)
                ),
            )
        )
    if "leave_date" not in skip and draft.leave_date is not None:
        if draft.leave_reason not in LEAVE_REASONS:
            errors.append(ValidationError("leave_reason", _("Choose why the member left.")))
    elif "leave_date" not in skip and draft.leave_reason:
        errors.append(
            ValidationError("leave_date", _("Give the leave date, or clear the leave reason."))
        )
    if draft.email.strip() and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", draft.email.strip()):
        errors.append(
            ValidationError(
                "email", _("{email} is not an e-mail address.").format(email=draft.email)
            )
        )
    if errors:
        raise ValidationErrors(errors)


def _validate(session: Session, draft: MemberDraft, member_id: int | None) -> None:
    errors: list[ValidationError] = []
    try:
        validate_draft_fields(draft)
    except ValidationErrors as found:
        errors.extend(found.errors)
    key = national_id_key(draft.national_id)
    if key:
        clash = session.scalar(
            select(MemberRow).where(MemberRow.national_id_key == key, MemberRow.id != member_id)
        )
        if clash is not None:
            errors.append(
                ValidationError(
                    "national_id",
                    _("{name} already has national id {national_id}.").format(
                        name=clash.full_name, national_id=clash.national_id
                    ),
                )
            )
    if errors:
        raise ValidationErrors(errors)


def _status_of(draft: MemberDraft) -> MemberStatus:
    if draft.leave_date is not None:
        return MemberStatus.LEFT
    return MemberStatus.SUSPENDED if draft.suspended else MemberStatus.ACTIVE


def _fill(row: MemberRow, draft: MemberDraft) -> None:
    row.full_name = " ".join(draft.full_name.split())
    row.national_id = draft.national_id.strip()
    row.national_id_key = national_id_key(draft.national_id)
    row.search_key = search_key(row.full_name, row.national_id_key)
    row.join_date = draft.join_date
    row.leave_date = draft.leave_date
    row.leave_reason = draft.leave_reason if draft.leave_date else ""
    row.leave_note = draft.leave_note.strip() if draft.leave_date else ""
    row.status = _status_of(draft).value
    for name in ("sector", "category", "phone", "email", "address"):
        setattr(row, name, " ".join(getattr(draft, name).split()))


def _to_member(row: MemberRow) -> Member:
    return Member(
        id=row.id,
        full_name=row.full_name,
        national_id=row.national_id,
        join_date=row.join_date,
        leave_date=row.leave_date,
        leave_reason=row.leave_reason,
        leave_note=row.leave_note,
        status=MemberStatus(row.status),
        sector=row.sector,
        category=row.category,
        phone=row.phone,
        email=row.email,
        address=row.address,
    )


def add_member(session: Session, draft: MemberDraft) -> Member:
    """Put a new member on the roll."""
    _validate(session, draft, None)
    row = MemberRow()
    _fill(row, draft)
    session.add(row)
    session.flush()
    return _to_member(row)


def update_member(session: Session, member_id: int, draft: MemberDraft) -> Member:
    """Change a member's record (a correction, or recording that they left)."""
    row = _row(session, member_id)
    _validate(session, draft, member_id)
    _fill(row, draft)
    session.flush()
    return _to_member(row)


def record_leave(
    session: Session, member_id: int, leave_date: date, reason: str, note: str = ""
) -> Member:
    """Record that a member left the cooperative on ``leave_date`` (their last day)."""
    current = get_member(session, member_id)
    draft = current.draft()
    leave = MemberDraft(
        **{
            **{f.name: getattr(draft, f.name) for f in fields(MemberDraft)},
            "leave_date": leave_date,
            "leave_reason": reason,
            "leave_note": note,
        }
    )
    return update_member(session, member_id, leave)


def _row(session: Session, member_id: int) -> MemberRow:
    row = session.get(MemberRow, member_id)
    if row is None:
        raise NotFound(_("There is no member number {id}.").format(id=member_id))
    return row


def get_member(session: Session, member_id: int) -> Member:
    return _to_member(_row(session, member_id))


class Scope(StrEnum):
    """Which part of the roll a list shows."""

    ALL = "all"
    CURRENT = "current"
    FORMER = "former"


SCOPE_LABELS: dict[str, str] = {
    Scope.ALL: N_("Everyone on record"),
    Scope.CURRENT: N_("On the roll today"),
    Scope.FORMER: N_("Former members"),
}


def on_roll_between(start: date, end: date):
    """SQL condition: on the roll on at least one day of ``start``..``end`` (:func:`is_on_roll`)."""
    return and_(
        MemberRow.join_date <= end,
        or_(MemberRow.leave_date.is_(None), MemberRow.leave_date >= start),
    )


def _on_roll(day: date):
    return on_roll_between(day, day)


def _filtered(query: Select, text: str, scope: Scope, day: date | None) -> Select:
    day = day or date.today()
    if scope is Scope.CURRENT:
        query = query.where(_on_roll(day))
    elif scope is Scope.FORMER:
        query = query.where(MemberRow.leave_date < day)
    for word in search_key(text).split():
        query = query.where(
            or_(
                MemberRow.search_key.contains(word, autoescape=True),
                MemberRow.national_id_key.contains(national_id_key(word), autoescape=True),
            )
        )
    return query


def find_members(
    session: Session,
    text: str = "",
    offset: int = 0,
    limit: int = 200,
    scope: Scope = Scope.ALL,
    day: date | None = None,
) -> list[Member]:
    """One page of the roll, sorted by name, matching every word of ``text``.

    ``scope`` narrows it to those on the roll on ``day`` (default today), or to
    those who had left before it.
    """
    query = _filtered(select(MemberRow), text, scope, day)
    query = query.order_by(MemberRow.search_key, MemberRow.id)
    rows = session.scalars(query.offset(offset).limit(limit))
    return [_to_member(row) for row in rows]


def count_members(
    session: Session, text: str = "", scope: Scope = Scope.ALL, day: date | None = None
) -> int:
    query = _filtered(select(func.count()).select_from(MemberRow), text, scope, day)
    return session.scalar(query) or 0


def members_on_roll(session: Session, day: date, include_suspended: bool = True) -> list[Member]:
    """Every member on the roll on ``day`` (see :func:`is_on_roll`), sorted by name."""
    query = select(MemberRow).where(_on_roll(day))
    if not include_suspended:
        query = query.where(MemberRow.status != MemberStatus.SUSPENDED.value)
    rows = session.scalars(query.order_by(MemberRow.search_key, MemberRow.id))
    return [_to_member(row) for row in rows]


def known_values(session: Session, field: str) -> list[str]:
    """The sectors or categories already in use, for completion in forms."""
    column = {"sector": MemberRow.sector, "category": MemberRow.category}[field]
    query = select(column).where(column != "").distinct().order_by(column)
    return list(session.scalars(query))
