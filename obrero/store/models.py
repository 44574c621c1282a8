"""SQLAlchemy 2 models of every table. The schema itself is made by migrations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ProfileRow(Base):
    """The factory's profile: one row, id 1."""

    __tablename__ = "factory_profile"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    legal_form: Mapped[str] = mapped_column(String(200), default="")
    tax_id: Mapped[str] = mapped_column(String(40), default="")
    registration_number: Mapped[str] = mapped_column(String(80), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(2))
    time_zone: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    document_language: Mapped[str] = mapped_column(String(8))
    statute_preset: Mapped[str] = mapped_column(String(20))


class MemberRow(Base):
    """A worker-member on the roll (padrón). Never deleted: leaving sets leave_date."""

    __tablename__ = "member"
    __table_args__ = (
        CheckConstraint("status IN ('active', 'suspended', 'left')", name="status"),
        CheckConstraint("leave_date IS NULL OR leave_date >= join_date", name="leave_after_join"),
        CheckConstraint("(status = 'left') = (leave_date IS NOT NULL)", name="left_has_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    # Lower-case, accent-free copy of name and id, so "pena" finds "Peña".
    search_key: Mapped[str] = mapped_column(String(300), index=True)
    national_id: Mapped[str] = mapped_column(String(40))
    # National id without dots, dashes or spaces: "28.456.912" and "28456912" are one person.
    national_id_key: Mapped[str] = mapped_column(String(40), unique=True)
    join_date: Mapped[date] = mapped_column(Date, index=True)
    leave_date: Mapped[date | None] = mapped_column(Date, index=True)
    leave_reason: Mapped[str] = mapped_column(String(20), default="")
    leave_note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="active")
    sector: Mapped[str] = mapped_column(String(120), default="")
    category: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")


class SettingRow(Base):
    """A user preference (operator name, UI language...), one row per key."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuditContextRow(Base):
    """Who is working now; read by the audit triggers. One row, id 1, not audited."""

    __tablename__ = "audit_context"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    operator: Mapped[str] = mapped_column(String(200), default="")


class AuditEntryRow(Base):
    """One insert, update or delete in any table, written by triggers. Append-only."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    operator: Mapped[str] = mapped_column(String(200))
    table_name: Mapped[str] = mapped_column(String(60))
    row_key: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(10))
    # JSON object: field -> [old, new].
    changes: Mapped[str] = mapped_column(Text)


class LogbookEntryRow(Base):
    """One entry of the occupation logbook. Append-only: never updated or deleted.

    ``id`` is the entry's number; ``hash`` chains it to the entry before it.
    """

    __tablename__ = "logbook_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    happened_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # UTC
    recorded_at: Mapped[datetime] = mapped_column(DateTime)  # UTC
    author_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    category: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(300), default="")
    people: Mapped[str] = mapped_column(Text, default="")
    amends_id: Mapped[int | None] = mapped_column(ForeignKey("logbook_entry.id"), index=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class LogbookAttachmentRow(Base):
    """A photo or scan of a logbook entry, its bytes kept with their SHA-256."""

    __tablename__ = "logbook_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("logbook_entry.id"), index=True)
    position: Mapped[int] = mapped_column()
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class PayPeriodRow(Base):
    """A month or fortnight whose income the assembly shares out (retiros)."""

    __tablename__ = "pay_period"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'approved', 'paid')", name="status"),
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
        CheckConstraint("equal_percent BETWEEN 0 AND 100", name="equal_percent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    start_date: Mapped[date] = mapped_column(Date, index=True)
    end_date: Mapped[date] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(120))
    # Entered amount to share, in centavos; income and cost lines add to and take from it.
    amount_cents: Mapped[int] = mapped_column(default=0)
    rule: Mapped[str] = mapped_column(String(20))
    equal_percent: Mapped[int] = mapped_column(default=0)
    weighted: Mapped[bool] = mapped_column(default=False)
    resolution: Mapped[str] = mapped_column(String(200), default="")
    max_hours_centi: Mapped[int] = mapped_column(default=30000)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    approved_on: Mapped[date | None] = mapped_column(Date)
    paid_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")


class PayIncomeRow(Base):
    """An income (+) or cost (-) line of a period, from which the amount to share follows."""

    __tablename__ = "pay_income"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("pay_period.id"), index=True)
    description: Mapped[str] = mapped_column(String(200))
    amount_cents: Mapped[int] = mapped_column()


class PayCoefficientRow(Base):
    """The coefficient of a category in one period, as the assembly set it (thousandths)."""

    __tablename__ = "pay_coefficient"
    __table_args__ = (UniqueConstraint("period_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("pay_period.id"), index=True)
    category: Mapped[str] = mapped_column(String(120))
    coefficient_milli: Mapped[int] = mapped_column()


class PayHoursRow(Base):
    """Hours a member worked in a period, in hundredths of an hour."""

    __tablename__ = "pay_hours"
    __table_args__ = (UniqueConstraint("period_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("pay_period.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    hours_centi: Mapped[int] = mapped_column()


class PayLineRow(Base):
    """An advance, deduction, addition or adjustment of one member in a period."""

    __tablename__ = "pay_line"
    __table_args__ = (
        CheckConstraint("kind IN ('advance', 'deduction', 'addition', 'adjustment')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("pay_period.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    kind: Mapped[str] = mapped_column(String(12))
    description: Mapped[str] = mapped_column(String(200))
    # Signed for adjustments (a correction of an earlier period); positive otherwise.
    amount_cents: Mapped[int] = mapped_column()
    adjusts_period_id: Mapped[int | None] = mapped_column(ForeignKey("pay_period.id"))


class PayShareRow(Base):
    """A member's figures as approved: frozen with the period, printed on the statement."""

    __tablename__ = "pay_share"
    __table_args__ = (UniqueConstraint("period_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("pay_period.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    # The member's category when the period was approved (the coefficient's reason).
    category: Mapped[str] = mapped_column(String(120), default="")
    days_on_roll: Mapped[int] = mapped_column()
    hours_centi: Mapped[int] = mapped_column()
    coefficient_milli: Mapped[int] = mapped_column()
    share_cents: Mapped[int] = mapped_column()
    additions_cents: Mapped[int] = mapped_column()
    advances_cents: Mapped[int] = mapped_column()
    deductions_cents: Mapped[int] = mapped_column()
    net_cents: Mapped[int] = mapped_column()
