"""keyed audit chain: key id and position of each audit entry

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 18:20:00

Existing entries keep NULL in both: they stay legacy (plain SHA-256) entries and are not
re-signed (see SECURITY.md §5).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("seq", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_column("seq")
        batch_op.drop_column("key_id")
