"""generate_city: reproducible, sized by records, shaped exactly like the store's tables."""

from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl
import pytest

from fanzha.demo import TABLES, generate_city
from fanzha.errors import InvalidInput
from fanzha.store import Base
from tests.demo.conftest import DAYS, START, City, make_city

STORE = Base.metadata.tables


def test_same_seed_gives_identical_frames() -> None:
    first, again, other = make_city(3_000), make_city(3_000), make_city(3_000, seed=8)
    assert list(first) == list(TABLES)
    for table in TABLES:
        assert first[table].equals(again[table]), table
    assert not first["persons"].equals(other["persons"])


@pytest.mark.parametrize("table", TABLES)
def test_frames_have_the_store_columns_and_types(city: City, table: str) -> None:
    frame, columns = city[table], STORE[table].c
    assert set(frame.columns) == set(columns.keys())
    assert frame.get_column("id").dtype == pl.Int64
    assert frame.get_column("id").is_unique().all()
    for column in columns:
        series = frame.get_column(column.name)
        if not column.nullable:
            assert series.null_count() == 0, column.name
        if column.name.endswith("_fen"):
            assert series.dtype == pl.Int64 and (series >= 0).all(), column.name
        if column.type.__class__.__name__ == "UTCDateTime":
            assert series.dtype == pl.Datetime("us", "UTC"), column.name


@pytest.mark.parametrize(("records", "tolerance"), [(1_000, 0.1), (5_000, 0.02), (100_000, 0.02)])
def test_total_rows_follow_records(records: int, tolerance: float) -> None:
    total = sum(frame.height for frame in make_city(records).values())
    assert abs(total - records) <= tolerance * records


def test_counts_grow_with_records(small_city: City, city: City) -> None:
    for table in (
        "persons",
        "phones",
        "bank_accounts",
        "calls",
        "transfers",
        "cases",
        "warning_tasks",
    ):
        assert city[table].height > 5 * small_city[table].height, table
    big = city["calls"].height + city["transfers"].height
    assert big > 0.5 * sum(frame.height for frame in city.values())


def test_transfer_share_splits_ordinary_traffic_between_transfers_and_calls() -> None:
    usual, money_only = make_city(20_000), make_city(20_000, transfer_share=1.0)
    fraud_calls = money_only["calls"].height
    assert fraud_calls < 0.25 * usual["calls"].height
    gained = money_only["transfers"].height - usual["transfers"].height
    assert gained == pytest.approx(usual["calls"].height - fraud_calls, rel=0.01)
    for table in ("persons", "cases", "bank_accounts"):
        assert money_only[table].equals(usual[table]), table


def _foreign_keys() -> list[tuple[str, str, str]]:
    return sorted(
        (table.name, fk.parent.name, fk.column.table.name)
        for table in STORE.values()
        if table.name in TABLES
        for fk in table.foreign_keys
    )


@pytest.mark.parametrize(("table", "column", "target"), _foreign_keys())
def test_every_foreign_key_points_to_an_existing_row(
    city: City, table: str, column: str, target: str
) -> None:
    values = city[table].get_column(column).drop_nulls()
    assert values.is_in(city[target].get_column("id").implode()).all()


def _unique_columns() -> list[tuple[str, tuple[str, ...]]]:
    found = []
    for table in STORE.values():
        if table.name not in TABLES:
            continue
        found += [(table.name, (c.name,)) for c in table.c if c.unique]
        found += [
            (table.name, tuple(c.name for c in constraint.columns))
            for constraint in table.constraints
            if constraint.__class__.__name__ == "UniqueConstraint"
        ]
    return found


@pytest.mark.parametrize(("table", "columns"), _unique_columns())
def test_unique_columns_are_unique(city: City, table: str, columns: tuple[str, ...]) -> None:
    assert not city[table].select(columns).is_duplicated().any()


def test_ids_start_where_asked_and_keys_follow() -> None:
    shifted = make_city(2_000, ids_from={"persons": 1_001, "calls": 5_000_000, "phones": 77})
    plain = make_city(2_000)
    assert shifted["persons"].get_column("id").min() == 1_001
    assert shifted["calls"].get_column("id").min() == 5_000_000
    assert (
        shifted["calls"].get_column("caller_id") - plain["calls"].get_column("caller_id") == 76
    ).all()
    assert (
        shifted["phones"].get_column("owner_id") - plain["phones"].get_column("owner_id") == 1_000
    ).all()


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("calls", "started_at"),
        ("transfers", "at"),
        ("events", "occurred_at"),
        ("warning_tasks", "signal_at"),
        ("warning_tasks", "closed_at"),
        ("task_transitions", "at"),
        ("outcomes", "at"),
        ("cases", "reported_at"),
    ],
)
def test_activity_falls_inside_the_period(city: City, table: str, column: str) -> None:
    times = city[table].get_column(column).drop_nulls()
    assert times.min() >= START  # type: ignore[operator]
    assert times.max() < START + timedelta(days=DAYS)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"records": 999}, "records"),
        ({"records": 20_000_001}, "records"),
        ({"transfer_share": -0.1}, "transfer_share"),
        ({"transfer_share": 1.5}, "transfer_share"),
        ({"transfer_share": "all"}, "transfer_share"),
        ({"start": datetime(2026, 1, 1)}, "start"),
        ({"days": 3}, "days"),
        ({"seed": -1}, "seed"),
        ({"ids_from": {"persons": 0}}, "ids_from.persons"),
    ],
)
def test_bad_arguments_are_refused_by_name(kwargs: dict[str, object], field: str) -> None:
    arguments: dict[str, object] = {
        "seed": 1,
        "records": 1_000,
        "start": START,
        "password_hash": "h",
        **kwargs,
    }
    with pytest.raises(InvalidInput) as caught:
        generate_city(**arguments)  # type: ignore[arg-type]
    assert caught.value.field == field
