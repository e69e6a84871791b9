"""search indexes: persons by name, IM accounts by handle

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 20:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_persons_name"), ["name"], unique=False)
    with op.batch_alter_table("im_accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_im_accounts_handle"), ["handle"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("im_accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_im_accounts_handle"))
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_persons_name"))
