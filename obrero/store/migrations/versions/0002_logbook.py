"""Occupation logbook: append-only entries with attachments, hash chain, full-text search.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from obrero.store.audit_triggers import create_audit_triggers, forbid

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ENTRY_COLUMNS = [
    "id", "happened_at", "recorded_at", "author_id", "category", "title", "text", "place",
    "people", "amends_id", "hash",
]  # fmt: skip
# The bytes themselves stay out of the audit trail; their SHA-256 is in it.
ATTACHMENT_AUDITED_COLUMNS = [
    "id", "entry_id", "position", "filename", "media_type", "size", "sha256",
]  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "logbook_entry",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("happened_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("member.id"), nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("place", sa.String(300), nullable=False),
        sa.Column("people", sa.Text(), nullable=False),
        sa.Column("amends_id", sa.Integer(), sa.ForeignKey("logbook_entry.id"), nullable=True),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
    )
    op.create_index("ix_logbook_entry_happened_at", "logbook_entry", ["happened_at"])
    op.create_index("ix_logbook_entry_author_id", "logbook_entry", ["author_id"])
    op.create_index("ix_logbook_entry_category", "logbook_entry", ["category"])
    op.create_index("ix_logbook_entry_amends_id", "logbook_entry", ["amends_id"])
    op.create_table(
        "logbook_attachment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("entry_id", sa.Integer(), sa.ForeignKey("logbook_entry.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_logbook_attachment_entry_id", "logbook_attachment", ["entry_id"])
    for table in ("logbook_entry", "logbook_attachment"):
        op.execute(forbid(table, "UPDATE", "logbook entries are never changed"))
        op.execute(forbid(table, "DELETE", "logbook entries are never deleted"))
    for statement in create_audit_triggers("logbook_entry", ENTRY_COLUMNS):
        op.execute(statement)
    for statement in create_audit_triggers("logbook_attachment", ATTACHMENT_AUDITED_COLUMNS):
        op.execute(statement)

    # Full-text search over the entries, accents ignored ("policia" finds "policía").
    op.execute(
        "CREATE VIRTUAL TABLE logbook_search USING fts5("
        "title, text, place, people, content='logbook_entry', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER logbook_search_insert AFTER INSERT ON logbook_entry BEGIN "
        "INSERT INTO logbook_search (rowid, title, text, place, people) "
        "VALUES (NEW.id, NEW.title, NEW.text, NEW.place, NEW.people); END"
    )


def downgrade() -> None:
    raise NotImplementedError("Obrero databases are only upgraded; restore a backup instead.")
