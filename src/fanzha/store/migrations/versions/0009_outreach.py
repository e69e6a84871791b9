"""outreach: templates, campaigns, runs, the delivery log, opt-outs and events

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outreach_campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("district", sa.String(length=32), nullable=True),
        sa.Column("audience", sa.Text(), nullable=False),
        sa.Column("template_code", sa.String(length=96), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("schedule_kind", sa.String(length=8), nullable=False),
        sa.Column("start_at", sa.DateTime(), nullable=True),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by"], ["users.id"], name=op.f("fk_outreach_campaigns_approved_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_outreach_campaigns_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_campaigns")),
    )
    op.create_index(
        op.f("ix_outreach_campaigns_district"), "outreach_campaigns", ["district"], unique=False
    )
    op.create_index(
        op.f("ix_outreach_campaigns_state"), "outreach_campaigns", ["state"], unique=False
    )
    op.create_table(
        "outreach_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("district", sa.String(length=32), nullable=True),
        sa.Column("place", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("people_reached", sa.Integer(), nullable=False),
        sa.Column("materials", sa.Text(), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_outreach_events_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_events")),
    )
    op.create_index(
        op.f("ix_outreach_events_district"), "outreach_events", ["district"], unique=False
    )
    op.create_index(
        op.f("ix_outreach_events_held_on"), "outreach_events", ["held_on"], unique=False
    )
    op.create_table(
        "outreach_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=96), nullable=False),
        sa.Column("fraud_type", sa.String(length=32), nullable=False),
        sa.Column("group", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=128), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_outreach_templates_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_templates")),
        sa.UniqueConstraint("code", name=op.f("uq_outreach_templates_code")),
    )
    op.create_table(
        "outreach_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("run_key", sa.String(length=16), nullable=False),
        sa.Column("recipient_key", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("district", sa.String(length=32), nullable=True),
        sa.Column("address", sa.String(length=255), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("planned_at", sa.DateTime(), nullable=False),
        sa.Column("send_after", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["outreach_campaigns.id"],
            name=op.f("fk_outreach_deliveries_campaign_id_outreach_campaigns"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_outreach_deliveries_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_deliveries")),
        sa.UniqueConstraint(
            "campaign_id",
            "recipient_key",
            "run_key",
            name=op.f("uq_outreach_deliveries_campaign_id"),
        ),
    )
    op.create_index(
        op.f("ix_outreach_deliveries_campaign_id"),
        "outreach_deliveries",
        ["campaign_id"],
        unique=False,
    )
    op.create_index(
        "ix_outreach_deliveries_person_sent",
        "outreach_deliveries",
        ["person_id", "sent_at"],
        unique=False,
    )
    op.create_index(
        "ix_outreach_deliveries_status_after",
        "outreach_deliveries",
        ["status", "send_after"],
        unique=False,
    )
    op.create_table(
        "outreach_opt_outs",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_outreach_opt_outs_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_outreach_opt_outs")),
    )
    op.create_table(
        "outreach_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("run_key", sa.String(length=16), nullable=False),
        sa.Column("planned_at", sa.DateTime(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["outreach_campaigns.id"],
            name=op.f("fk_outreach_runs_campaign_id_outreach_campaigns"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_runs")),
        sa.UniqueConstraint("campaign_id", "run_key", name=op.f("uq_outreach_runs_campaign_id")),
    )
    op.create_index(
        op.f("ix_outreach_runs_campaign_id"), "outreach_runs", ["campaign_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_outreach_runs_campaign_id"), table_name="outreach_runs")
    op.drop_table("outreach_runs")
    op.drop_table("outreach_opt_outs")
    op.drop_index("ix_outreach_deliveries_status_after", table_name="outreach_deliveries")
    op.drop_index("ix_outreach_deliveries_person_sent", table_name="outreach_deliveries")
    op.drop_index(op.f("ix_outreach_deliveries_campaign_id"), table_name="outreach_deliveries")
    op.drop_table("outreach_deliveries")
    op.drop_table("outreach_templates")
    op.drop_index(op.f("ix_outreach_events_held_on"), table_name="outreach_events")
    op.drop_index(op.f("ix_outreach_events_district"), table_name="outreach_events")
    op.drop_table("outreach_events")
    op.drop_index(op.f("ix_outreach_campaigns_state"), table_name="outreach_campaigns")
    op.drop_index(op.f("ix_outreach_campaigns_district"), table_name="outreach_campaigns")
    op.drop_table("outreach_campaigns")
