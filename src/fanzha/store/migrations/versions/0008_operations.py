"""operations: clues, operations, gang profiles, suspects, fugitives, dens, raids, seizures …

All of issue 17's tables (侦查打击, 重点整治, 行业治理) in one revision; no existing table
changes, so archives of older revisions restore unchanged.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 00:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "key_areas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("district", sa.String(length=32), nullable=True),
        sa.Column("town", sa.String(length=32), nullable=True),
        sa.Column("village", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("listed_on", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_areas")),
    )
    with op.batch_alter_table("key_areas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_key_areas_district"), ["district"], unique=False)

    op.create_table(
        "operations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("districts", sa.Text(), nullable=False),
        sa.Column("lead_unit", sa.String(length=64), nullable=False),
        sa.Column("officers", sa.Integer(), nullable=False),
        sa.Column("outreach_sites", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_operations_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations")),
    )
    op.create_table(
        "clues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("source_ref", sa.String(length=128), nullable=False),
        sa.Column("title", sa.String(length=128), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("owner_level", sa.String(length=8), nullable=False),
        sa.Column("district", sa.String(length=32), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=True),
        sa.Column("gang_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("assigned_to", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sla_due_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_to"], ["users.id"], name=op.f("fk_clues_assigned_to_users")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_clues_created_by_users")
        ),
        sa.ForeignKeyConstraint(["gang_id"], ["gangs.id"], name=op.f("fk_clues_gang_id_gangs")),
        sa.ForeignKeyConstraint(
            ["operation_id"], ["operations.id"], name=op.f("fk_clues_operation_id_operations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clues")),
    )
    with op.batch_alter_table("clues", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clues_district"), ["district"], unique=False)
        batch_op.create_index(batch_op.f("ix_clues_gang_id"), ["gang_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_clues_operation_id"), ["operation_id"], unique=False)
        batch_op.create_index("ix_clues_state_sla", ["state", "sla_due_at"], unique=False)

    op.create_table(
        "gang_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gang_id", sa.Integer(), nullable=False),
        sa.Column("graph_gang_id", sa.String(length=64), nullable=True),
        sa.Column("operation_id", sa.Integer(), nullable=True),
        sa.Column("members", sa.Text(), nullable=False),
        sa.Column("accounts", sa.Text(), nullable=False),
        sa.Column("case_numbers", sa.Text(), nullable=False),
        sa.Column("money_fen", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["gang_id"], ["gangs.id"], name=op.f("fk_gang_profiles_gang_id_gangs")
        ),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["operations.id"],
            name=op.f("fk_gang_profiles_operation_id_operations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gang_profiles")),
        sa.UniqueConstraint("gang_id", name=op.f("uq_gang_profiles_gang_id")),
    )
    with op.batch_alter_table("gang_profiles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gang_profiles_graph_gang_id"), ["graph_gang_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_gang_profiles_operation_id"), ["operation_id"], unique=False
        )

    op.create_table(
        "key_persons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=True),
        sa.Column("category", sa.String(length=24), nullable=False),
        sa.Column("district", sa.String(length=32), nullable=True),
        sa.Column("key_area_id", sa.Integer(), nullable=True),
        sa.Column("punished_at", sa.Date(), nullable=True),
        sa.Column("punishment_kind", sa.String(length=16), nullable=True),
        sa.Column("follow_up_days", sa.Integer(), nullable=False),
        sa.Column("next_follow_up_on", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_area_id"], ["key_areas.id"], name=op.f("fk_key_persons_key_area_id_key_areas")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_key_persons_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_persons")),
    )
    with op.batch_alter_table("key_persons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_key_persons_district"), ["district"], unique=False)
        batch_op.create_index(batch_op.f("ix_key_persons_id_number"), ["id_number"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_key_persons_key_area_id"), ["key_area_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_key_persons_person_id"), ["person_id"], unique=False)

    op.create_table(
        "operation_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["operations.id"],
            name=op.f("fk_operation_targets_operation_id_operations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation_targets")),
        sa.UniqueConstraint(
            "operation_id", "kind", "target_id", name=op.f("uq_operation_targets_operation_id")
        ),
    )
    op.create_table(
        "rectifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outlet_id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=True),
        sa.Column("district", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("rechecked_on", sa.Date(), nullable=True),
        sa.Column("recheck_result", sa.Text(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_rectifications_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["operations.id"],
            name=op.f("fk_rectifications_operation_id_operations"),
        ),
        sa.ForeignKeyConstraint(
            ["outlet_id"], ["outlets.id"], name=op.f("fk_rectifications_outlet_id_outlets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectifications")),
    )
    with op.batch_alter_table("rectifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rectifications_district"), ["district"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_rectifications_operation_id"), ["operation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_rectifications_outlet_id"), ["outlet_id"], unique=False
        )
        batch_op.create_index(
            "ix_rectifications_state_deadline", ["state", "deadline"], unique=False
        )

    op.create_table(
        "sweeps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("swept_on", sa.Date(), nullable=False),
        sa.Column("district", sa.String(length=32), nullable=True),
        sa.Column("operation_id", sa.Integer(), nullable=True),
        sa.Column("key_area_id", sa.Integer(), nullable=True),
        sa.Column("teams", sa.Text(), nullable=False),
        sa.Column("places", sa.Text(), nullable=False),
        sa.Column("officers", sa.Integer(), nullable=False),
        sa.Column("persons_checked", sa.Integer(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_area_id"], ["key_areas.id"], name=op.f("fk_sweeps_key_area_id_key_areas")
        ),
        sa.ForeignKeyConstraint(
            ["operation_id"], ["operations.id"], name=op.f("fk_sweeps_operation_id_operations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sweeps")),
    )
    with op.batch_alter_table("sweeps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sweeps_district"), ["district"], unique=False)
        batch_op.create_index(batch_op.f("ix_sweeps_key_area_id"), ["key_area_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sweeps_operation_id"), ["operation_id"], unique=False)

    op.create_table(
        "clue_transitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clue_id", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=False),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clue_id"], ["clues.id"], name=op.f("fk_clue_transitions_clue_id_clues")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_clue_transitions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clue_transitions")),
    )
    with op.batch_alter_table("clue_transitions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clue_transitions_clue_id"), ["clue_id"], unique=False)

    op.create_table(
        "dens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("district", sa.String(length=32), nullable=True),
        sa.Column("town", sa.String(length=32), nullable=True),
        sa.Column("village", sa.String(length=32), nullable=True),
        sa.Column("address", sa.String(length=255), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("source_ref", sa.String(length=128), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("gang_id", sa.Integer(), nullable=True),
        sa.Column("operation_id", sa.Integer(), nullable=True),
        sa.Column("clue_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["clue_id"], ["clues.id"], name=op.f("fk_dens_clue_id_clues")),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_dens_created_by_users")
        ),
        sa.ForeignKeyConstraint(["gang_id"], ["gangs.id"], name=op.f("fk_dens_gang_id_gangs")),
        sa.ForeignKeyConstraint(
            ["operation_id"], ["operations.id"], name=op.f("fk_dens_operation_id_operations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dens")),
    )
    with op.batch_alter_table("dens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dens_clue_id"), ["clue_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dens_district"), ["district"], unique=False)
        batch_op.create_index(batch_op.f("ix_dens_gang_id"), ["gang_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dens_operation_id"), ["operation_id"], unique=False)

    op.create_table(
        "key_person_follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_person_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("finding", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_person_id"],
            ["key_persons.id"],
            name=op.f("fk_key_person_follow_ups_key_person_id_key_persons"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_key_person_follow_ups_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_person_follow_ups")),
    )
    with op.batch_alter_table("key_person_follow_ups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_key_person_follow_ups_key_person_id"), ["key_person_id"], unique=False
        )

    op.create_table(
        "rectification_transitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rectification_id", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=False),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["rectification_id"],
            ["rectifications.id"],
            name=op.f("fk_rectification_transitions_rectification_id_rectifications"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_rectification_transitions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification_transitions")),
    )
    with op.batch_alter_table("rectification_transitions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rectification_transitions_rectification_id"),
            ["rectification_id"],
            unique=False,
        )

    op.create_table(
        "raids",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("raided_at", sa.DateTime(), nullable=False),
        sa.Column("district", sa.String(length=32), nullable=True),
        sa.Column("den_id", sa.Integer(), nullable=True),
        sa.Column("operation_id", sa.Integer(), nullable=True),
        sa.Column("clue_id", sa.Integer(), nullable=True),
        sa.Column("officers", sa.Integer(), nullable=False),
        sa.Column("suspects_caught", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["clue_id"], ["clues.id"], name=op.f("fk_raids_clue_id_clues")),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_raids_created_by_users")
        ),
        sa.ForeignKeyConstraint(["den_id"], ["dens.id"], name=op.f("fk_raids_den_id_dens")),
        sa.ForeignKeyConstraint(
            ["operation_id"], ["operations.id"], name=op.f("fk_raids_operation_id_operations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_raids")),
    )
    with op.batch_alter_table("raids", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_raids_clue_id"), ["clue_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_raids_den_id"), ["den_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_raids_district"), ["district"], unique=False)
        batch_op.create_index(batch_op.f("ix_raids_operation_id"), ["operation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_raids_raided_at"), ["raided_at"], unique=False)

    op.create_table(
        "seizures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("raid_id", sa.Integer(), nullable=True),
        sa.Column("operation_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("district", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("seized_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_seizures_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["operation_id"], ["operations.id"], name=op.f("fk_seizures_operation_id_operations")
        ),
        sa.ForeignKeyConstraint(["raid_id"], ["raids.id"], name=op.f("fk_seizures_raid_id_raids")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizures")),
    )
    with op.batch_alter_table("seizures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_seizures_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_seizures_district"), ["district"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_seizures_operation_id"), ["operation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_seizures_raid_id"), ["raid_id"], unique=False)

    op.create_table(
        "suspects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=True),
        sa.Column("gender", sa.String(length=1), nullable=True),
        sa.Column("district", sa.String(length=32), nullable=True),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("gang_id", sa.Integer(), nullable=True),
        sa.Column("operation_id", sa.Integer(), nullable=True),
        sa.Column("clue_id", sa.Integer(), nullable=True),
        sa.Column("raid_id", sa.Integer(), nullable=True),
        sa.Column("legal_status", sa.String(length=16), nullable=False),
        sa.Column("caught_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["clue_id"], ["clues.id"], name=op.f("fk_suspects_clue_id_clues")),
        sa.ForeignKeyConstraint(["gang_id"], ["gangs.id"], name=op.f("fk_suspects_gang_id_gangs")),
        sa.ForeignKeyConstraint(
            ["operation_id"], ["operations.id"], name=op.f("fk_suspects_operation_id_operations")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_suspects_person_id_persons")
        ),
        sa.ForeignKeyConstraint(["raid_id"], ["raids.id"], name=op.f("fk_suspects_raid_id_raids")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suspects")),
    )
    with op.batch_alter_table("suspects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suspects_clue_id"), ["clue_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_suspects_district"), ["district"], unique=False)
        batch_op.create_index(batch_op.f("ix_suspects_gang_id"), ["gang_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_suspects_id_number"), ["id_number"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_suspects_operation_id"), ["operation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_suspects_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_suspects_raid_id"), ["raid_id"], unique=False)

    op.create_table(
        "fugitives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("suspect_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("warrant_no", sa.String(length=64), nullable=False),
        sa.Column("wanted_since", sa.Date(), nullable=True),
        sa.Column("owner_level", sa.String(length=8), nullable=False),
        sa.Column("district", sa.String(length=32), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("caught_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_fugitives_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["suspect_id"], ["suspects.id"], name=op.f("fk_fugitives_suspect_id_suspects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fugitives")),
    )
    with op.batch_alter_table("fugitives", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fugitives_district"), ["district"], unique=False)
        batch_op.create_index(batch_op.f("ix_fugitives_id_number"), ["id_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_fugitives_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fugitives_suspect_id"), ["suspect_id"], unique=False)

    op.create_table(
        "suspect_identifiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("suspect_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["suspect_id"], ["suspects.id"], name=op.f("fk_suspect_identifiers_suspect_id_suspects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suspect_identifiers")),
        sa.UniqueConstraint(
            "suspect_id", "kind", "value", name=op.f("uq_suspect_identifiers_suspect_id")
        ),
    )
    with op.batch_alter_table("suspect_identifiers", schema=None) as batch_op:
        batch_op.create_index("ix_suspect_identifiers_kind_value", ["kind", "value"], unique=False)

    op.create_table(
        "suspect_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("suspect_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=False),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("authority", sa.String(length=64), nullable=False),
        sa.Column("document_no", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["suspect_id"],
            ["suspects.id"],
            name=op.f("fk_suspect_status_changes_suspect_id_suspects"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_suspect_status_changes_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suspect_status_changes")),
    )
    with op.batch_alter_table("suspect_status_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_suspect_status_changes_suspect_id"), ["suspect_id"], unique=False
        )

    op.create_table(
        "fugitive_hits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dedup_key", sa.String(length=160), nullable=False),
        sa.Column("fugitive_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.Column("record_kind", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=True),
        sa.Column("found_at", sa.DateTime(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("clue_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_fugitive_hits_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["clue_id"], ["clues.id"], name=op.f("fk_fugitive_hits_clue_id_clues")
        ),
        sa.ForeignKeyConstraint(
            ["fugitive_id"], ["fugitives.id"], name=op.f("fk_fugitive_hits_fugitive_id_fugitives")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fugitive_hits")),
        sa.UniqueConstraint("dedup_key", name=op.f("uq_fugitive_hits_dedup_key")),
    )
    with op.batch_alter_table("fugitive_hits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fugitive_hits_clue_id"), ["clue_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_fugitive_hits_fugitive_id"), ["fugitive_id"], unique=False
        )

    op.create_table(
        "fugitive_identifiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fugitive_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["fugitive_id"],
            ["fugitives.id"],
            name=op.f("fk_fugitive_identifiers_fugitive_id_fugitives"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fugitive_identifiers")),
        sa.UniqueConstraint(
            "fugitive_id", "kind", "value", name=op.f("uq_fugitive_identifiers_fugitive_id")
        ),
    )
    with op.batch_alter_table("fugitive_identifiers", schema=None) as batch_op:
        batch_op.create_index("ix_fugitive_identifiers_kind_value", ["kind", "value"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("fugitive_identifiers", schema=None) as batch_op:
        batch_op.drop_index("ix_fugitive_identifiers_kind_value")

    op.drop_table("fugitive_identifiers")
    with op.batch_alter_table("fugitive_hits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fugitive_hits_fugitive_id"))
        batch_op.drop_index(batch_op.f("ix_fugitive_hits_clue_id"))

    op.drop_table("fugitive_hits")
    with op.batch_alter_table("suspect_status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suspect_status_changes_suspect_id"))

    op.drop_table("suspect_status_changes")
    with op.batch_alter_table("suspect_identifiers", schema=None) as batch_op:
        batch_op.drop_index("ix_suspect_identifiers_kind_value")

    op.drop_table("suspect_identifiers")
    with op.batch_alter_table("fugitives", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fugitives_suspect_id"))
        batch_op.drop_index(batch_op.f("ix_fugitives_person_id"))
        batch_op.drop_index(batch_op.f("ix_fugitives_id_number"))
        batch_op.drop_index(batch_op.f("ix_fugitives_district"))

    op.drop_table("fugitives")
    with op.batch_alter_table("suspects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suspects_raid_id"))
        batch_op.drop_index(batch_op.f("ix_suspects_person_id"))
        batch_op.drop_index(batch_op.f("ix_suspects_operation_id"))
        batch_op.drop_index(batch_op.f("ix_suspects_id_number"))
        batch_op.drop_index(batch_op.f("ix_suspects_gang_id"))
        batch_op.drop_index(batch_op.f("ix_suspects_district"))
        batch_op.drop_index(batch_op.f("ix_suspects_clue_id"))

    op.drop_table("suspects")
    with op.batch_alter_table("seizures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seizures_raid_id"))
        batch_op.drop_index(batch_op.f("ix_seizures_operation_id"))
        batch_op.drop_index(batch_op.f("ix_seizures_district"))
        batch_op.drop_index(batch_op.f("ix_seizures_case_id"))

    op.drop_table("seizures")
    with op.batch_alter_table("raids", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_raids_raided_at"))
        batch_op.drop_index(batch_op.f("ix_raids_operation_id"))
        batch_op.drop_index(batch_op.f("ix_raids_district"))
        batch_op.drop_index(batch_op.f("ix_raids_den_id"))
        batch_op.drop_index(batch_op.f("ix_raids_clue_id"))

    op.drop_table("raids")
    with op.batch_alter_table("rectification_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rectification_transitions_rectification_id"))

    op.drop_table("rectification_transitions")
    with op.batch_alter_table("key_person_follow_ups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_key_person_follow_ups_key_person_id"))

    op.drop_table("key_person_follow_ups")
    with op.batch_alter_table("dens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dens_operation_id"))
        batch_op.drop_index(batch_op.f("ix_dens_gang_id"))
        batch_op.drop_index(batch_op.f("ix_dens_district"))
        batch_op.drop_index(batch_op.f("ix_dens_clue_id"))

    op.drop_table("dens")
    with op.batch_alter_table("clue_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clue_transitions_clue_id"))

    op.drop_table("clue_transitions")
    with op.batch_alter_table("sweeps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sweeps_operation_id"))
        batch_op.drop_index(batch_op.f("ix_sweeps_key_area_id"))
        batch_op.drop_index(batch_op.f("ix_sweeps_district"))

    op.drop_table("sweeps")
    with op.batch_alter_table("rectifications", schema=None) as batch_op:
        batch_op.drop_index("ix_rectifications_state_deadline")
        batch_op.drop_index(batch_op.f("ix_rectifications_outlet_id"))
        batch_op.drop_index(batch_op.f("ix_rectifications_operation_id"))
        batch_op.drop_index(batch_op.f("ix_rectifications_district"))

    op.drop_table("rectifications")
    op.drop_table("operation_targets")
    with op.batch_alter_table("key_persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_key_persons_person_id"))
        batch_op.drop_index(batch_op.f("ix_key_persons_key_area_id"))
        batch_op.drop_index(batch_op.f("ix_key_persons_id_number"))
        batch_op.drop_index(batch_op.f("ix_key_persons_district"))

    op.drop_table("key_persons")
    with op.batch_alter_table("gang_profiles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gang_profiles_operation_id"))
        batch_op.drop_index(batch_op.f("ix_gang_profiles_graph_gang_id"))

    op.drop_table("gang_profiles")
    with op.batch_alter_table("clues", schema=None) as batch_op:
        batch_op.drop_index("ix_clues_state_sla")
        batch_op.drop_index(batch_op.f("ix_clues_operation_id"))
        batch_op.drop_index(batch_op.f("ix_clues_gang_id"))
        batch_op.drop_index(batch_op.f("ix_clues_district"))

    op.drop_table("clues")
    op.drop_table("operations")
    with op.batch_alter_table("key_areas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_key_areas_district"))

    op.drop_table("key_areas")
