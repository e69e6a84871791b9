"""Parquet export and import: a demo city survives a round trip on SQLite and PostgreSQL
in chunks (several parts per table), and a schema revision mismatch or a part of the wrong
type is refused with nothing written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine

from fanzha.demo import generate_city
from fanzha.errors import InvalidInput
from fanzha.store import bulk_load, make_engine, migrate, read_tables, table_counts
from fanzha.store._bulk import LOAD_ORDER
from fanzha.store.parquet import export_parquet, import_parquet, read_parquet_manifest
from tests.conftest import fresh_database_url


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Engine, Engine]]:
    """A small demo city and a migrated, empty store to import into, of one backend."""
    with (
        fresh_database_url(request.param, tmp_path / "source") as source_url,
        fresh_database_url(request.param, tmp_path / "target") as target_url,
    ):
        source, target = make_engine(source_url), make_engine(target_url)
        migrate(source)
        migrate(target)
        frames = generate_city(
            seed=3,
            records=1_000,
            start=datetime(2026, 9, 1, tzinfo=UTC),
            days=10,
            password_hash="h",
        )
        bulk_load(source, frames)
        yield source, target
        source.dispose()
        target.dispose()


def test_round_trip_in_chunks_gives_equal_tables(
    stores: tuple[Engine, Engine], tmp_path: Path
) -> None:
    city, target = stores
    out = tmp_path / "export"
    manifest = export_parquet(_url(city), out, chunk_rows=7)
    assert [entry.name for entry in manifest.tables] == LOAD_ORDER
    expected = read_tables(city, LOAD_ORDER)
    for entry in manifest.tables:
        assert entry.rows == expected[entry.name].height, entry.name
        assert len(entry.parts) == max(1, -(-entry.rows // 7)), entry.name
    calls = next(entry for entry in manifest.tables if entry.name == "calls")
    assert calls.rows > 14
    assert calls.columns["started_at"] == "Datetime(time_unit='us', time_zone='UTC')"
    assert read_parquet_manifest(out) == manifest
    counts = import_parquet(out, _url(target))
    assert counts == {name: expected[name].height for name in LOAD_ORDER}
    got = read_tables(target, [name for name in LOAD_ORDER if name != "import_batches"])
    for name in got:
        assert got[name].equals(expected[name]), name


def test_a_schema_revision_mismatch_is_refused_and_nothing_written(
    stores: tuple[Engine, Engine], tmp_path: Path
) -> None:
    city, target = stores
    out = tmp_path / "export"
    export_parquet(_url(city), out, chunk_rows=50)
    raw = json.loads((out / "manifest.json").read_text())
    raw["schema_revision"] = "0001_elsewhere"
    (out / "manifest.json").write_text(json.dumps(raw))
    before = table_counts(target)
    with pytest.raises(InvalidInput, match="0001_elsewhere"):
        import_parquet(out, _url(target))
    assert table_counts(target) == before


def test_a_part_of_the_wrong_type_is_refused_naming_file_and_column(
    stores: tuple[Engine, Engine], tmp_path: Path
) -> None:
    city, target = stores
    out = tmp_path / "export"
    manifest = export_parquet(_url(city), out, chunk_rows=50)
    calls = next(entry for entry in manifest.tables if entry.name == "calls")
    last = out / calls.parts[-1]
    pl.read_parquet(last).with_columns(pl.col("duration_s").cast(pl.String)).write_parquet(last)
    before = table_counts(target)
    with pytest.raises(InvalidInput, match=rf"{last.name}.*'duration_s'"):
        import_parquet(out, _url(target))
    assert table_counts(target) == before


def test_export_refuses_an_existing_directory_and_an_unknown_table(
    stores: tuple[Engine, Engine], tmp_path: Path
) -> None:
    city = stores[0]
    with pytest.raises(InvalidInput, match="nope"):
        export_parquet(_url(city), tmp_path / "a", tables=["nope"])
    (tmp_path / "b").mkdir()
    with pytest.raises(InvalidInput, match="already exists"):
        export_parquet(_url(city), tmp_path / "b")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
