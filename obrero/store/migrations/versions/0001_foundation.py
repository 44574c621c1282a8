"""Foundation: factory profile, members roll, settings, audit trail.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from obrero.store.audit_triggers import create_audit_triggers, forbid

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

PROFILE_COLUMNS = [
    "id", "name", "legal_form", "tax_id", "registration_number", "address", "city",
    "country", "time_zone", "currency", "document_language", "statute_preset",
]  # fmt: skip
MEMBER_COLUMNS = [
    "id", "full_name", "search_key", "national_id", "national_id_key", "join_date",
    "leave_date", "leave_reason", "leave_note", "status", "sector", "category", "phone",
    "email", "address",
]  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "audit_context",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("operator", sa.String(200), nullable=False, server_default=""),
        sa.CheckConstraint("id = 1", name="single_row"),
    )
    op.execute("INSERT INTO audit_context (id, operator) VALUES (1, '')")
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("operator", sa.String(200), nullable=False),
        sa.Column("table_name", sa.String(60), nullable=False),
        sa.Column("row_key", sa.String(80), nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
    )
    op.create_index("ix_audit_entry_at", "audit_entry", ["at"])
    op.execute(forbid("audit_entry", "UPDATE", "audit entries are append-only"))
    op.execute(forbid("audit_entry", "DELETE", "audit entries are append-only"))

    op.create_table(
        "factory_profile",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("legal_form", sa.String(200), nullable=False),
        sa.Column("tax_id", sa.String(40), nullable=False),
        sa.Column("registration_number", sa.String(80), nullable=False),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("city", sa.String(120), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("document_language", sa.String(8), nullable=False),
        sa.Column("statute_preset", sa.String(20), nullable=False),
        sa.CheckConstraint("id = 1", name="single_row"),
    )
    op.create_table(
        "member",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("search_key", sa.String(300), nullable=False),
        sa.Column("national_id", sa.String(40), nullable=False),
        sa.Column("national_id_key", sa.String(40), nullable=False, unique=True),
        sa.Column("join_date", sa.Date(), nullable=False),
        sa.Column("leave_date", sa.Date(), nullable=True),
        sa.Column("leave_reason", sa.String(20), nullable=False),
        sa.Column("leave_note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("sector", sa.String(120), nullable=False),
        sa.Column("category", sa.String(120), nullable=False),
        sa.Column("phone", sa.String(60), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
        sa.Column("address", sa.String(300), nullable=False),
        sa.CheckConstraint("status IN ('active', 'suspended', 'left')", name="status"),
        sa.CheckConstraint(
            "leave_date IS NULL OR leave_date >= join_date", name="leave_after_join"
        ),
        sa.CheckConstraint("(status = 'left') = (leave_date IS NOT NULL)", name="left_has_date"),
    )
    op.create_index("ix_member_search_key", "member", ["search_key"])
    op.create_index("ix_member_join_date", "member", ["join_date"])
    op.create_index("ix_member_leave_date", "member", ["leave_date"])
    op.execute(forbid("member", "DELETE", "members are never deleted"))

    op.create_table(
        "setting",
        sa.Column("key", sa.String(60), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )

    for statement in create_audit_triggers("factory_profile", PROFILE_COLUMNS):
        op.execute(statement)
    for statement in create_audit_triggers("member", MEMBER_COLUMNS):
        op.execute(statement)
    for statement in create_audit_triggers("setting", ["key", "value"], key="key"):
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("Obrero databases are only upgraded; restore a backup instead.")
