"""read_tables: store tables back as polars frames, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from sqlalchemy import Engine, text

from fanzha.demo import generate_city
from fanzha.errors import InvalidInput
from fanzha.store import bulk_load, make_engine, migrate, read_tables

TABLES = ("persons", "phones", "bank_accounts", "calls", "transfers", "cases", "events")


@pytest.fixture(scope="module")
def city() -> dict[str, pl.DataFrame]:
    return generate_city(
        seed=5, records=3_000, start=datetime(2026, 1, 1, tzinfo=UTC), password_hash="x"
    )


def test_round_trip_equals_the_frames_loaded(engine: Engine, city: dict[str, pl.DataFrame]) -> None:
    bulk_load(engine, city)
    frames = read_tables(engine, TABLES)
    for name in TABLES:
        loaded = city[name].sort("id")
        back = frames[name].select(loaded.columns).sort("id")
        assert_frame_equal(back, loaded, check_dtypes=False)


def test_columns_come_back_typed(engine: Engine) -> None:
    bulk_load(
        engine,
        {
            "persons": pl.DataFrame(
                {"id": [1], "name": ["张三"], "birth_date": [date(1950, 1, 2)]}
            ),
            "phones": pl.DataFrame({"id": [1, 2], "number": ["13800000001", "13800000002"]}),
            "calls": pl.DataFrame(
                {
                    "id": [1],
                    "caller_id": [1],
                    "callee_id": [2],
                    "started_at": [datetime(2026, 1, 1, 8, 0, 0, tzinfo=UTC)],
                }
            ),
        },
    )
    frames = read_tables(engine, ["persons", "phones", "calls"])
    got = {
        "calls.started_at": frames["calls"].schema["started_at"],
        "persons.birth_date": frames["persons"].schema["birth_date"],
        "phones.flagged": frames["phones"].schema["flagged"],
        "calls.duration_s": frames["calls"].schema["duration_s"],
    }
    assert got == {
        "calls.started_at": pl.Datetime("us", "UTC"),
        "persons.birth_date": pl.Date(),
        "phones.flagged": pl.Boolean(),
        "calls.duration_s": pl.Int64(),
    }
    assert frames["calls"].get_column("started_at")[0] == datetime(2026, 1, 1, 8, tzinfo=UTC)


def test_empty_table_gives_an_empty_typed_frame(engine: Engine) -> None:
    frame = read_tables(engine, ["calls"])["calls"]
    assert frame.height == 0
    assert frame.schema["started_at"] == pl.Datetime("us", "UTC")


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    made = make_engine(f"sqlite:///{tmp_path / 'frames.db'}")
    migrate(made)
    yield made
    made.dispose()


def test_unknown_table_is_refused(sqlite_engine: Engine) -> None:
    with pytest.raises(InvalidInput, match="unknown table"):
        read_tables(sqlite_engine, ["calls", "no_such_table"])


def test_unreadable_stored_time_names_the_column(sqlite_engine: Engine) -> None:
    engine = sqlite_engine  # only SQLite stores times as text
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO outlets (id, name, kind, operator) VALUES (1, 'x', 'phone', 'y')")
        )
        connection.execute(
            text(
                "INSERT INTO phones (id, number, kind, flagged, registered_at) "
                "VALUES (1, '13800000001', 'mobile', 0, 'yesterday')"
            )
        )
    with pytest.raises(InvalidInput, match=r"phones\.registered_at"):
        read_tables(engine, ["phones"])
