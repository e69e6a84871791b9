"""stream intake: the producers' signal ids, the idempotency key of fanzha intake

Revision ID: 0011_intake
Revises: 0009
Create Date: 2026-12-08 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_intake"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intake_signals",
        sa.Column("signal_id", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_intake_signals_event_id_events")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["warning_tasks.id"], name=op.f("fk_intake_signals_task_id_warning_tasks")
        ),
        sa.PrimaryKeyConstraint("signal_id", name=op.f("pk_intake_signals")),
    )
    with op.batch_alter_table("intake_signals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_intake_signals_received_at"), ["received_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("intake_signals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intake_signals_received_at"))
    op.drop_table("intake_signals")
