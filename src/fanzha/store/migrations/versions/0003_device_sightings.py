"""device sightings

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 18:36:46
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_sightings",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("phone_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.Column("imsi", sa.String(length=20), nullable=True),
        sa.Column("cell_id", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_device_sightings_device_id_devices")
        ),
        sa.ForeignKeyConstraint(
            ["phone_id"], ["phones.id"], name=op.f("fk_device_sightings_phone_id_phones")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_sightings")),
        sa.UniqueConstraint(
            "device_id", "phone_id", "seen_at", name=op.f("uq_device_sightings_device_id")
        ),
    )
    with op.batch_alter_table("device_sightings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_device_sightings_device_id"), ["device_id"], unique=False
        )
        batch_op.create_index(
            "ix_device_sightings_phone_seen", ["phone_id", "seen_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("device_sightings", schema=None) as batch_op:
        batch_op.drop_index("ix_device_sightings_phone_seen")
        batch_op.drop_index(batch_op.f("ix_device_sightings_device_id"))

    op.drop_table("device_sightings")
