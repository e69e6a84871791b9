"""Demo city: generation time and rows/s, then bulk-load time into a fresh SQLite file.

Also prints the calibration figures the city reproduces (warning outcomes, money saved per
dissuaded task, fraud-type mix, share of gang calls), so a README figure can be checked.

Run:  python bench/demo_generate.py [--records 1000000] [--seed 2022] [--no-load] [--db URL]
(--db: load into this empty database instead of a fresh SQLite file, e.g. PostgreSQL)
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from _data import machine

from fanzha.demo import generate_city, label_gang_phones
from fanzha.store import bulk_load, make_engine, migrate


def _figures(city: dict[str, pl.DataFrame]) -> None:
    tasks = city["warning_tasks"]
    dissuaded = tasks.filter(pl.col("state") == "dissuaded")
    states = tasks.get_column("state").value_counts(sort=True).iter_rows()
    print("task states:", ", ".join(f"{state} {n / tasks.height:.1%}" for state, n in states))
    saved = dissuaded.get_column("money_saved_fen").sum() / 100 / max(1, dissuaded.height)
    print(f"money saved per dissuaded task: {saved:.0f} yuan (seeds: 64e6 / 751,500 = 85)")
    mix = city["cases"].get_column("fraud_type").value_counts(sort=True).head(6).iter_rows()
    print("top case types:", ", ".join(f"{code} {n}" for code, n in mix))
    sims = label_gang_phones(city["phones"], city["devices"], city["persons"])
    share = city["calls"].get_column("caller_id").is_in(sims["phone_id"].implode()).mean()
    print(f"calls from gang SIMs: {share:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--no-load", action="store_true", help="only generate")
    parser.add_argument("--db", help="an empty database to load into (default: a new SQLite file)")
    args = parser.parse_args()
    print(machine())
    started = time.perf_counter()
    city = generate_city(
        seed=args.seed,
        records=args.records,
        start=datetime(2026, 1, 1, tzinfo=UTC),
        days=args.days,
        password_hash="bench",
    )
    generated = time.perf_counter() - started
    rows = sum(frame.height for frame in city.values())
    size = sum(frame.estimated_size() for frame in city.values()) / 2**20
    print(f"records={args.records:,} rows={rows:,} frames={size:,.0f} MiB")
    print(f"generate: {generated:.2f} s, {rows / generated:,.0f} rows/s")
    _figures(city)
    if not args.no_load:
        with tempfile.TemporaryDirectory() as folder:
            engine = make_engine(args.db or f"sqlite:///{Path(folder) / 'bench.db'}")
            migrate(engine)
            started = time.perf_counter()
            bulk_load(engine, city)
            loaded = time.perf_counter() - started
            engine.dispose()
        print(f"bulk_load ({engine.dialect.name}): {loaded:.2f} s, {rows / loaded:,.0f} rows/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
