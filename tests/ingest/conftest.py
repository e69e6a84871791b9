"""Shared helpers for the ingest tests: CSV text in, results out, a store held in frames."""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine, create_engine, delete, text

from fanzha.ingest import IngestOptions, IngestResult, Lookup
from fanzha.ingest._ingest import ingest_frame
from fanzha.ingest._plan import LookupFn
from tests.conftest import PG_URL, _postgresql_reachable

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "ingest"
CALLS_MAP = "caller=本机号码,callee=对方号码,started_at=起始时间,duration_s=时长(秒),kind=呼叫类型"
ID_A = "450103198001011233"
ID_B = "450102199203155671"
CARD_A = "6217000000000000012"
CARD_B = "6217000000000000020"
CARD_C = "6222000000000000038"


def read_text(text: str) -> pl.DataFrame:
    """A CSV text as the reader sees it: every cell a string."""
    return pl.read_csv(io.BytesIO(text.encode("utf-8")), infer_schema=False)


def memory_lookup(tables: Mapping[str, pl.DataFrame]) -> LookupFn:
    """A stand-in for the store: answers look-ups from frames (missing columns are null)."""

    def lookup(request: Lookup) -> pl.DataFrame:
        schema = dict(request.columns)
        frame = tables.get(request.table, pl.DataFrame(schema=schema))
        frame = frame.with_columns(
            [pl.lit(None, dtype=t).alias(n) for n, t in schema.items() if n not in frame.columns]
        )
        if request.key is not None and request.values is not None:
            frame = frame.filter(pl.col(request.key).is_in(request.values.implode()))
        if request.between is not None:
            column, low, high = request.between
            frame = frame.filter(pl.col(column).is_between(low, high))
        return frame.select(list(schema))

    return lookup


def run(
    kind: str,
    data: str | pl.DataFrame,
    *,
    stored: Mapping[str, pl.DataFrame] | None = None,
    ids: Mapping[str, int] | None = None,
    mapping: Mapping[str, str] | None = None,
    **options: object,
) -> IngestResult:
    """Ingest CSV text (or a frame) against an in-memory store; ids start at 1 unless given."""
    frame = read_text(data) if isinstance(data, str) else data
    return ingest_frame(
        kind,
        frame,
        lookup=memory_lookup(stored or {}),
        ids={table: 1 for table in TABLES} | dict(ids or {}),
        mapping=mapping,
        options=IngestOptions(**options),  # type: ignore[arg-type]
        source=f"{kind}.csv",
    )


TABLES = (
    "persons",
    "outlets",
    "devices",
    "phones",
    "device_sightings",
    "bank_accounts",
    "calls",
    "transfers",
)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """One migrated store per module and backend (a SQLite file, a PostgreSQL schema)."""
    from fanzha.store import make_engine, migrate

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('ingest') / 'fanzha.db'}"
        schema = None
    else:
        if not _postgresql_reachable():
            message = f"PostgreSQL not reachable at {PG_URL}"
            if os.environ.get("CI") == "true":
                pytest.fail(message)
            pytest.skip(message)
        schema = f"t_{uuid.uuid4().hex[:12]}"
        url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    admin = create_engine(PG_URL) if schema else None
    if admin is not None:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    made = make_engine(url)
    migrate(made)
    yield made
    made.dispose()
    if admin is not None:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(module_engine: Engine) -> Engine:
    """The module's store, emptied: faster than migrating a new database for every test."""
    from fanzha.store import Base

    with module_engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))
    return module_engine
