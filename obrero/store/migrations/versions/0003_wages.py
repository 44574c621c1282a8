"""Wages: pay periods, income lines, coefficients, hours, member lines, approved shares.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from obrero.store.audit_triggers import create_audit_triggers

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

LOCKED = "approved pay periods are locked"
PERIOD_COLUMNS = [
    "id", "start_date", "end_date", "label", "amount_cents", "rule", "equal_percent", "weighted",
    "resolution", "max_hours_centi", "status", "approved_on", "paid_on", "notes",
]  # fmt: skip
CHILD_COLUMNS = {
    "pay_income": ["id", "period_id", "description", "amount_cents"],
    "pay_coefficient": ["id", "period_id", "category", "coefficient_milli"],
    "pay_hours": ["id", "period_id", "member_id", "hours_centi"],
    "pay_line": [
        "id", "period_id", "member_id", "kind", "description", "amount_cents",
        "adjusts_period_id",
    ],
    "pay_share": [
        "id", "period_id", "member_id", "category", "days_on_roll", "hours_centi",
        "coefficient_milli",
        "share_cents", "additions_cents", "advances_cents", "deductions_cents", "net_cents",
    ],
}  # fmt: skip


def _period_is_locked(row: str) -> str:
    return f"(SELECT status FROM pay_period WHERE id = {row}.period_id) != 'draft'"


def _lock_child(table: str) -> list[str]:
    """Rows of an approved (or paid) period can be neither added, changed nor removed."""
    raise_locked = f"BEGIN SELECT RAISE(ABORT, '{LOCKED}'); END"
    return [
        f"CREATE TRIGGER lock_{table}_insert BEFORE INSERT ON {table} "
        f"WHEN {_period_is_locked('NEW')} {raise_locked}",
        f"CREATE TRIGGER lock_{table}_update BEFORE UPDATE ON {table} "
        f"WHEN {_period_is_locked('OLD')} OR {_period_is_locked('NEW')} {raise_locked}",
        f"CREATE TRIGGER lock_{table}_delete BEFORE DELETE ON {table} "
        f"WHEN {_period_is_locked('OLD')} {raise_locked}",
    ]


def _lock_period() -> list[str]:
    """An approved period only moves on to paid (with its date); nothing else changes."""
    unchanged = " AND ".join(
        f"OLD.{column} IS NEW.{column}"
        for column in PERIOD_COLUMNS
        if column not in ("status", "paid_on")
    )
    to_paid = f"(OLD.status = 'approved' AND NEW.status = 'paid' AND {unchanged})"
    raise_locked = f"BEGIN SELECT RAISE(ABORT, '{LOCKED}'); END"
    return [
        "CREATE TRIGGER lock_pay_period_update BEFORE UPDATE ON pay_period "
        f"WHEN OLD.status != 'draft' AND NOT {to_paid} {raise_locked}",
        "CREATE TRIGGER lock_pay_period_delete BEFORE DELETE ON pay_period "
        f"WHEN OLD.status != 'draft' {raise_locked}",
    ]


def upgrade() -> None:
    op.create_table(
        "pay_period",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("label", sa.String(120), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(20), nullable=False),
        sa.Column("equal_percent", sa.Integer(), nullable=False),
        sa.Column("weighted", sa.Boolean(), nullable=False),
        sa.Column("resolution", sa.String(200), nullable=False),
        sa.Column("max_hours_centi", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.CheckConstraint("status IN ('draft', 'approved', 'paid')", name="status"),
        sa.CheckConstraint("end_date >= start_date", name="dates_in_order"),
        sa.CheckConstraint("equal_percent BETWEEN 0 AND 100", name="equal_percent"),
    )
    op.create_index("ix_pay_period_start_date", "pay_period", ["start_date"])
    op.create_table(
        "pay_income",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("period_id", sa.Integer(), sa.ForeignKey("pay_period.id"), nullable=False),
        sa.Column("description", sa.String(200), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
    )
    op.create_table(
        "pay_coefficient",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("period_id", sa.Integer(), sa.ForeignKey("pay_period.id"), nullable=False),
        sa.Column("category", sa.String(120), nullable=False),
        sa.Column("coefficient_milli", sa.Integer(), nullable=False),
        sa.UniqueConstraint("period_id", "category"),
    )
    op.create_table(
        "pay_hours",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("period_id", sa.Integer(), sa.ForeignKey("pay_period.id"), nullable=False),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("member.id"), nullable=False),
        sa.Column("hours_centi", sa.Integer(), nullable=False),
        sa.UniqueConstraint("period_id", "member_id"),
    )
    op.create_table(
        "pay_line",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("period_id", sa.Integer(), sa.ForeignKey("pay_period.id"), nullable=False),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("member.id"), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("description", sa.String(200), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("adjusts_period_id", sa.Integer(), sa.ForeignKey("pay_period.id"), nullable=True),
        sa.CheckConstraint(
            "kind IN ('advance', 'deduction', 'addition', 'adjustment')", name="kind"
        ),
    )
    op.create_table(
        "pay_share",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("period_id", sa.Integer(), sa.ForeignKey("pay_period.id"), nullable=False),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("member.id"), nullable=False),
        sa.Column("category", sa.String(120), nullable=False),
        sa.Column("days_on_roll", sa.Integer(), nullable=False),
        sa.Column("hours_centi", sa.Integer(), nullable=False),
        sa.Column("coefficient_milli", sa.Integer(), nullable=False),
        sa.Column("share_cents", sa.Integer(), nullable=False),
        sa.Column("additions_cents", sa.Integer(), nullable=False),
        sa.Column("advances_cents", sa.Integer(), nullable=False),
        sa.Column("deductions_cents", sa.Integer(), nullable=False),
        sa.Column("net_cents", sa.Integer(), nullable=False),
        sa.UniqueConstraint("period_id", "member_id"),
    )
    for table in CHILD_COLUMNS:
        op.create_index(f"ix_{table}_period_id", table, ["period_id"])
    for statement in _lock_period():
        op.execute(statement)
    for table in CHILD_COLUMNS:
        for statement in _lock_child(table):
            op.execute(statement)
    for statement in create_audit_triggers("pay_period", PERIOD_COLUMNS):
        op.execute(statement)
    for table, columns in CHILD_COLUMNS.items():
        for statement in create_audit_triggers(table, columns):
            op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("Obrero databases are only upgraded; restore a backup instead.")
