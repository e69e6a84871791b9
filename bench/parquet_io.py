"""Parquet export and import of one big table: rows/s and peak memory of ``fanzha export``
and ``fanzha import`` for ``--rows`` calls (default 1,000,000).

A small demo city gives the phones; ``--rows`` synthetic calls between them are bulk-loaded
into a source store. Export (``calls`` only) and import (into a second store holding the same
small city) each run in a fresh interpreter, so peak memory (ru_maxrss of that process) is the
command's own (VmHWM), beside the peak of a process that only imports the same packages. With
``--db postgresql`` both stores are private schemas on ``_data.PG_URL`` (dropped
afterwards), otherwise SQLite files in a temporary folder.

Run:  python bench/parquet_io.py [--rows 1000000] [--chunk-rows 100000] [--db sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl
from _data import bench_database, machine

START = datetime(2026, 9, 1, tzinfo=UTC)


def _peak_mib() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the
    parent through fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _stage(args: argparse.Namespace) -> None:
    """One measured step in this fresh process; prints a JSON line."""
    import polars  # noqa: F401  (the baseline imports what the steps import)

    from fanzha.store.parquet import export_parquet, import_parquet

    began = time.perf_counter()
    if args.stage == "export":
        manifest = export_parquet(
            args.src, Path(args.out), tables=["calls"], chunk_rows=args.chunk_rows
        )
        rows = sum(table.rows for table in manifest.tables)
    elif args.stage == "import":
        rows = sum(import_parquet(Path(args.out), args.dst).values())
    else:
        rows = 0
    print(json.dumps({"rows": rows, "s": time.perf_counter() - began, "peak": _peak_mib()}))


def _run(stage: str, **options: object) -> dict[str, float]:
    argv = [sys.executable, __file__, "--stage", stage]
    for key, value in options.items():
        argv += [f"--{key.replace('_', '-')}", str(value)]
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _calls(rows: int, first_id: int, phone_ids: list[int]) -> pl.DataFrame:
    """``rows`` synthetic calls between the given phones, one a second from START."""
    at = np.arange(rows, dtype=np.int64)
    phones = np.asarray(phone_ids, dtype=np.int64)
    return pl.DataFrame(
        {
            "id": at + first_id,
            "caller_id": phones[at * 7919 % len(phones)],
            "callee_id": phones[(at * 104729 + 1) % len(phones)],
            "started_at": np.datetime64(START.replace(tzinfo=None), "us")
            + at.astype("timedelta64[s]"),
            "duration_s": at % 600,
            "kind": np.where(at % 2 == 0, "call", "sms"),
        }
    ).with_columns(pl.col("started_at").dt.replace_time_zone("UTC"))


def _build(source: str, target: str, rows: int) -> None:
    """The small city in both stores, ``rows`` extra calls in the source."""
    from fanzha.demo import generate_city
    from fanzha.store import bulk_load, make_engine, migrate, next_ids

    city = generate_city(seed=5, records=1_000, start=START, password_hash="h")
    for url in (source, target):
        engine = make_engine(url)
        migrate(engine)
        bulk_load(engine, {name: frame for name, frame in city.items() if name != "calls"})
        if url == source:
            first = next_ids(engine)["calls"]
            bulk_load(engine, {"calls": _calls(rows, first, city["phones"]["id"].to_list())})
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--chunk-rows", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--stage", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--src", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--dst", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--out", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        _stage(args)
        return
    print(machine())
    with (
        tempfile.TemporaryDirectory() as scratch,
        bench_database(args.db, Path(scratch)) as source,
        bench_database(args.db, Path(scratch)) as target,
    ):
        began = time.perf_counter()
        _build(source, target, args.rows)
        print(f"built: {args.rows:,} calls in {time.perf_counter() - began:.1f} s")
        out = Path(scratch) / "export"
        base = _run("baseline")
        print(f"baseline process (polars + store imported): peak {base['peak']:.0f} MiB")
        for stage, options in (
            ("export", {"src": source, "out": out, "chunk_rows": args.chunk_rows}),
            ("import", {"dst": target, "out": out}),
        ):
            got = _run(stage, **options)
            print(
                f"{stage}: {got['rows']:,.0f} rows in {got['s']:.1f} s = "
                f"{got['rows'] / got['s']:,.0f} rows/s; peak {got['peak']:.0f} MiB"
            )
        size = sum(path.stat().st_size for path in out.rglob("*.parquet"))
        print(
            f"export on disk: {size / 2**20:.1f} MiB in {len(list(out.rglob('*.parquet')))} parts"
        )


if __name__ == "__main__":
    main()
