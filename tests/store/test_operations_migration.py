"""Migration 0008 (issue 17's tables) on SQLite and PostgreSQL: it matches the models, rows
round-trip, and it goes down and up again."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session

from fanzha.store import Base, migrate
from fanzha.store._db import _alembic_config
from fanzha.store._ops_models import (
    OPERATIONS_TABLES,
    Clue,
    ClueTransition,
    Den,
    Operation,
    Raid,
    Seizure,
    Suspect,
)


def test_the_migration_adds_every_operations_table(engine: Engine) -> None:
    assert len(OPERATIONS_TABLES) == 20
    assert OPERATIONS_TABLES <= set(inspect(engine).get_table_names())


def _downgrade(engine: Engine, revision: str) -> None:
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_the_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_rows_round_trip_and_the_revision_goes_down_and_up(engine: Engine) -> None:
    at = datetime(2022, 5, 23, 21, tzinfo=UTC)
    with Session(engine) as session:
        operation = Operation(
            name="绿城反诈·断卡 第二轮", starts_on=date(2022, 5, 23), ends_on=date(2022, 5, 24)
        )
        session.add(operation)
        session.flush()
        clue = Clue(source="manual", title="跑分窝点线索", sla_due_at=at, operation_id=operation.id)
        den = Den(name="兴宁区某刷单窝点", kind="shuadan", district="兴宁区")
        session.add_all([clue, den])
        session.flush()
        session.add(
            ClueTransition(clue_id=clue.id, from_state="pending", to_state="analysing", at=at)
        )
        raid = Raid(raided_at=at, den_id=den.id, operation_id=operation.id, clue_id=clue.id)
        session.add(raid)
        session.flush()
        session.add(
            Seizure(raid_id=raid.id, operation_id=operation.id, kind="cash", amount_fen=8_000_000)
        )
        session.add(Suspect(name="张某", role="manager", raid_id=raid.id, caught_at=at))
        session.commit()
        stored = session.get(Clue, clue.id)
        assert stored is not None and stored.sla_due_at == at and stored.state == "pending"
    _downgrade(engine, "0007")
    assert not OPERATIONS_TABLES & set(inspect(engine).get_table_names())
    migrate(engine)
    assert OPERATIONS_TABLES <= set(inspect(engine).get_table_names())
