"""Whole-store FollowTheMoney export (what ``fanzha graph export-ftm --all`` does): entities
per second and memory, on a demo city loaded into a fresh SQLite store.

Steps timed apart: reading the store tables and building the graph, then the export itself
(every entity made through followthemoney's model and written as a JSON line). Memory: the
process's peak resident set (ru_maxrss) and, in a second pass under tracemalloc, the peak of
Python allocations during the export alone (flat when the export streams).

Run:  python bench/ftm_export.py [--records 20000] [--seed 7] [--db URL] [--no-trace]
(--db: export this store instead of a fresh demo city)
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from _data import machine

from fanzha.demo import generate_city
from fanzha.graph import GRAPH_TABLES, EntityGraph, FtmReport, build_graph, iter_ftm_entities
from fanzha.jsonl import write_jsonl_row
from fanzha.store import bulk_load, make_engine, migrate, read_tables

START = datetime(2026, 1, 1, tzinfo=UTC)


def _export(graph: EntityGraph, out: Path, every: Callable[[int], None]) -> FtmReport:
    report = FtmReport()
    with open(out, "w", encoding="utf-8") as handle:
        for at, entity in enumerate(iter_ftm_entities(graph, None, report), start=1):
            write_jsonl_row(handle, entity)
            every(at)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", default=None)
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc pass")
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or f"sqlite:///{Path(folder) / 'city.db'}"
        engine = make_engine(db)
        if args.db is None:
            migrate(engine)
            started = time.perf_counter()
            city = generate_city(
                seed=args.seed, records=args.records, start=START, days=90, password_hash="x"
            )
            bulk_load(engine, city, source="bench ftm_export")
            del city
            print(
                f"demo city: {args.records:,} records, seed {args.seed}, loaded in "
                f"{time.perf_counter() - started:.1f} s"
            )
        started = time.perf_counter()
        graph = build_graph(read_tables(engine, list(GRAPH_TABLES)))
        engine.dispose()
        print(
            f"read + build: {time.perf_counter() - started:.1f} s "
            f"({graph.n_nodes:,} nodes, {graph.n_edges:,} edges)"
        )
        started = time.perf_counter()
        import followthemoney.model  # noqa: F401  (loaded once per process, by the first export)

        print(f"followthemoney model load: {time.perf_counter() - started:.1f} s (once)")
        out = Path(folder) / "city.ftm.jsonl"
        started, cpu = time.perf_counter(), time.process_time()
        report = _export(graph, out, lambda _at: None)
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"export: {report.total:,} entities in {took:.1f} s = {report.total / took:,.0f} "
            f"entities/s; {cpu:.1f} CPU s = {report.total / cpu:,.0f} entities per CPU s "
            f"({out.stat().st_size / 2**20:,.1f} MiB of JSON lines; "
            f"{len(report.refused)} refused, {len(report.altered)} altered)"
        )
        print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")
        if args.no_trace:
            return
        samples: list[int] = []

        def sample(at: int) -> None:
            if at % 2_000 == 0:
                samples.append(tracemalloc.get_traced_memory()[0])

        tracemalloc.start()
        _export(graph, out, sample)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        quarter = max(1, len(samples) // 4)
        early, late = max(samples[:quarter], default=0), max(samples[-quarter:], default=0)
        print(
            f"export allocations (tracemalloc): peak {peak / 2**20:,.1f} MiB; in use "
            f"{early / 2**20:,.1f} MiB in the first quarter, {late / 2**20:,.1f} MiB in the last"
        )


if __name__ == "__main__":
    main()
