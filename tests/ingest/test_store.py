"""Imports into SQLite and PostgreSQL: every kind, idempotent re-imports, all or nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import polars as pl
import pytest
from sqlalchemy import Engine, text

from fanzha.cli._ingest import ingest_file, read_lookup, write_result
from fanzha.errors import InvalidInput
from fanzha.ingest import IngestOptions, IngestResult, ingest_table, parse_mapping, read_table
from fanzha.store import bulk_load, next_ids, table_counts
from tests.ingest.conftest import CALLS_MAP, EXAMPLES

RUNS: dict[str, tuple[str, dict[str, str], IngestOptions]] = {
    "cards": ("cards.csv", {}, IngestOptions()),
    "calls": ("calls.csv", parse_mapping([CALLS_MAP]), IngestOptions()),
    "transfers": ("transfers.csv", {}, IngestOptions(create_missing=True)),
    "devices": ("devices.csv", {}, IngestOptions()),
}


def _ingest(engine: Engine, kind: str) -> IngestResult:
    name, mapping, options = RUNS[kind]
    return ingest_file(engine, kind, EXAMPLES / name, mapping=mapping, options=options)


def _plan(engine: Engine, kind: str) -> IngestResult:
    name, mapping, options = RUNS[kind]
    return ingest_table(
        kind,
        read_table(EXAMPLES / name),
        lookup=lambda request: read_lookup(engine, request),
        ids=next_ids(engine),
        mapping=mapping,
        options=options,
    )


def _scalar(engine: Engine, sql: str) -> Any:
    with engine.connect() as connection:
        return connection.execute(text(sql)).scalar_one()


@pytest.mark.parametrize(
    ("kind", "before", "added", "probe", "expected"),
    [
        pytest.param(
            "cards",
            (),
            {"persons": 4, "outlets": 4, "phones": 3, "bank_accounts": 4},
            "SELECT p.name FROM phones f JOIN persons p ON p.id = f.owner_id "
            "WHERE f.number = '19400000003'",
            "王芳",
            id="cards",
        ),
        pytest.param(
            "calls",
            (),
            {"phones": 5, "calls": 5},
            "SELECT c.duration_s FROM calls c JOIN phones p ON p.id = c.caller_id "
            "WHERE p.number = '17900000002'",
            45,
            id="calls",
        ),
        pytest.param(
            "transfers",
            ("cards",),
            {"bank_accounts": 1, "transfers": 4},
            "SELECT SUM(amount_fen) FROM transfers",
            1_449_950,
            id="transfers-after-cards",
        ),
        pytest.param(
            "devices",
            ("calls",),
            {"devices": 3, "phones": 2, "device_sightings": 6},
            "SELECT d.imei FROM phones p JOIN devices d ON d.id = p.device_id "
            "WHERE p.number = '15400000001'",
            "860000000000017",
            id="devices-after-calls",
        ),
    ],
)
def test_each_kind_loads_and_a_second_import_changes_nothing(
    engine: Engine,
    kind: str,
    before: tuple[str, ...],
    added: dict[str, int],
    probe: str,
    expected: object,
) -> None:
    for earlier in before:
        _ingest(engine, earlier)
    start = table_counts(engine)
    _ingest(engine, kind)
    loaded = table_counts(engine)
    grown = {t: loaded[t] - start[t] for t in loaded if loaded[t] != start[t]}
    assert grown == {**added, "import_batches": 1}
    assert _scalar(engine, probe) == expected
    again = _ingest(engine, kind)
    assert again.total_rows == 0
    assert table_counts(engine) == loaded


def test_a_bad_file_leaves_the_store_unchanged(engine: Engine) -> None:
    _ingest(engine, "cards")
    counts = table_counts(engine)
    with pytest.raises(InvalidInput, match=r"transfers_bad\.csv line 2"):
        ingest_file(engine, "transfers", EXAMPLES / "transfers_bad.csv")
    assert table_counts(engine) == counts


@pytest.mark.parametrize(
    ("kind", "before", "clash"),
    [
        pytest.param(
            "transfers",
            "cards",
            {
                "transfers": pl.DataFrame(
                    {
                        "txn_id": ["T20240501003"],
                        "src_account_id": [1],
                        "dst_account_id": [2],
                        "amount_fen": [1],
                        "at": [datetime(2024, 1, 1, tzinfo=UTC)],
                    }
                )
            },
            id="bulk-load-path",
        ),
        pytest.param(
            "devices",
            "calls",
            {"devices": pl.DataFrame({"imei": ["860000000000033"], "kind": ["goip"]})},
            id="insert-and-update-path",
        ),
    ],
)
def test_a_write_that_clashes_writes_nothing(
    engine: Engine, kind: str, before: str, clash: dict[str, pl.DataFrame]
) -> None:
    _ingest(engine, before)
    result = _plan(engine, kind)
    bulk_load(engine, clash)  # someone else wrote meanwhile
    counts = table_counts(engine)
    with pytest.raises(InvalidInput, match="clashes with rows stored meanwhile"):
        write_result(engine, result, source=kind)
    assert table_counts(engine) == counts
