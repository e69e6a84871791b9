"""战果 statistics over the demo city: time and memory of ``read_stats`` (all figures of a
period with 环比/同比, trend, districts and types) and of the XLSX report.

The city is generated and bulk-loaded into a SQLite file (or ``--db``), then the statistics
of its whole history are read ``--repeat`` times. Peak memory is the process's maximum
resident set (ru_maxrss), measured before and after the statistics.

Run:  python bench/stats.py [--records 1000000] [--days 90] [--db sqlite:///…] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _data import machine
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fanzha.demo import generate_city
from fanzha.stats import Period, stats_xlsx_bytes
from fanzha.store import Case, Outcome, bulk_load, make_engine, migrate
from fanzha.store.stats import read_stats

START = datetime(2022, 3, 1, tzinfo=UTC)


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--db", default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="fanzha-stats-")
    url = args.db or f"sqlite:///{Path(folder) / 'stats.db'}"
    engine = make_engine(url)
    migrate(engine)
    began = time.perf_counter()
    frames = generate_city(
        seed=2022, records=args.records, start=START, days=args.days, password_hash="x"
    )
    counts = bulk_load(engine, frames)
    del frames
    built = time.perf_counter() - began
    print(machine())
    print(
        f"demo city: {sum(counts.values()):,} rows ({args.records:,} asked), built in {built:.0f} s"
    )
    with Session(engine) as db:
        cases = db.scalar(select(func.count()).select_from(Case))
        outcomes = db.scalar(select(func.count()).select_from(Outcome))
    print(f"cases {cases:,}, outcomes {outcomes:,}; database {url.split(':')[0]}")
    first = START.astimezone(UTC).date() + timedelta(days=1)
    period = Period(first, first + timedelta(days=args.days - 3))
    rss_before = _rss_mib()
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        with Session(engine) as db:
            report = read_stats(db, period)
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    xlsx = stats_xlsx_bytes(report)
    xlsx_s = time.perf_counter() - started
    print(f"period {period} ({period.days} days; 环比 and 同比 read too)")
    print(f"read_stats: best {min(times):.2f} s, worst {max(times):.2f} s over {args.repeat}")
    print(f"XLSX report: {xlsx_s:.2f} s, {len(xlsx):,} bytes")
    print(f"peak RSS: {rss_before:,.0f} MiB after loading, {_rss_mib():,.0f} MiB after stats")
    print(report.sentence)


if __name__ == "__main__":
    main()
