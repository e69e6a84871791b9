"""Ingest: rows/s of `fanzha ingest calls` and `transfers` on synthetic files, and a re-run.

The files are made here from a seeded RNG: numbers and accounts from a pool (a fifth and a
tenth of the rows), times in three formats (ISO, 2024/05/01 …, epoch seconds), amounts in
yuan with two decimals. Each kind is read, checked and planned (``ingest_table``), then
written (``write_result``) into a fresh database; the same file is then imported again,
which finds every row already stored and writes nothing.

Run:  PYTHONPATH=bench python bench/ingest_throughput.py [--rows 1000000] [--db URL]
(--db: an empty database to use instead of a new SQLite file, e.g. PostgreSQL)
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl
from _data import machine
from sqlalchemy import Engine

from fanzha.cli._ingest import read_lookup, write_result
from fanzha.ingest import IngestOptions, IngestResult, ingest_table, read_table
from fanzha.store import make_engine, migrate, next_ids

START = 1_714_500_000  # 2024-04-30 18:00 UTC


def _times(rng: np.random.Generator, n: int) -> pl.Series:
    seconds = np.sort(START + rng.integers(0, 30 * 86_400, n))
    iso = pl.from_epoch(pl.Series(seconds), time_unit="s").dt.strftime("%Y-%m-%d %H:%M:%S")
    slashed = iso.str.replace_all("-", "/")
    pick = rng.integers(0, 3, n)
    frame = pl.DataFrame({"iso": iso, "slash": slashed, "epoch": pl.Series(seconds).cast(str)})
    return frame.select(
        pl.when(pl.Series(pick == 0))
        .then(pl.col("iso"))
        .when(pl.Series(pick == 1))
        .then(pl.col("slash"))
        .otherwise(pl.col("epoch"))
    ).to_series()


def make_calls(rng: np.random.Generator, n: int) -> pl.DataFrame:
    pool = 15_400_000_000 + rng.choice(10**8, size=max(10, n // 5), replace=False)
    caller, callee = rng.choice(pool, n), rng.choice(pool, n)
    return pl.DataFrame(
        {
            "主叫号码": pl.Series(caller).cast(str),
            "被叫号码": pl.Series(callee).cast(str),
            "通话时间": _times(rng, n),
            "通话时长": pl.Series(rng.integers(0, 600, n)).cast(str),
        }
    )


def make_transfers(rng: np.random.Generator, n: int) -> pl.DataFrame:
    pool = 6_217_000_000_000_000_000 + rng.choice(10**9, size=max(10, n // 10), replace=False)
    src = rng.choice(pool, n)
    dst = np.where(rng.random(n) < 0.5, rng.choice(pool, n), np.roll(src, 1))
    yuan = rng.integers(1, 5_000_000, n) / 100
    return pl.DataFrame(
        {
            "交易流水号": [f"T{i:012d}" for i in range(n)],
            "付款账号": pl.Series(src).cast(str),
            "收款账号": pl.Series(dst).cast(str),
            "交易金额": pl.Series(yuan).cast(str),
            "交易时间": _times(rng, n),
        }
    )


def _run(
    engine: Engine, kind: str, path: Path, options: IngestOptions
) -> tuple[IngestResult, float, float]:
    started = time.perf_counter()
    result = ingest_table(
        kind,
        read_table(path),
        lookup=lambda request: read_lookup(engine, request),
        ids=next_ids(engine),
        options=options,
    )
    planned = time.perf_counter() - started
    started = time.perf_counter()
    if result.total_rows:
        write_result(engine, result, source=f"bench {kind}")
    return result, planned, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", help="an empty database (default: a new SQLite file)")
    args = parser.parse_args()
    print(machine())
    rng = np.random.default_rng(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(args.db or f"sqlite:///{Path(folder) / 'bench.db'}")
        migrate(engine)
        print(f"database: {engine.dialect.name}, rows per file: {args.rows:,}")
        for kind, make, options in (
            ("calls", make_calls, IngestOptions()),
            ("transfers", make_transfers, IngestOptions(create_missing=True)),
        ):
            path = Path(folder) / f"{kind}.csv"
            make(rng, args.rows).write_csv(path)
            for attempt in ("first", "again"):
                result, planned, written = _run(engine, kind, path, options)
                report = result.report
                total = planned + written
                print(
                    f"{kind} {attempt}: read+check+plan {planned:.2f} s, write {written:.2f} s, "
                    f"{report.rows_read / total:,.0f} rows/s; stored {report.records:,}, "
                    f"skipped {report.skipped_existing:,}, self-loops {report.self_loops:,}, "
                    f"inserted {dict(report.inserted)}"
                )
        engine.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
