"""Fugitive matching: 1M newly ingested call records against a wanted list of 10,000 persons.

The wanted list is made here from a seeded RNG: each person has one or two phones, an IMSI,
an IMEI, one or two bank cards, a WeChat account and a valid ID number (about 70,000
identifiers); ``clean_identifiers`` checks and keys them. The calls are drawn from a pool
of numbers a fifth of the rows in size, with ``--hit-share`` of them placed or received by
a wanted phone. The timed step is what ``fanzha ingest`` runs after a load: the batch's
identifiers (``record_identifiers``, caller and callee) matched by one polars join
(``match_wanted``) and deduplicated against the hits already recorded (``new_hits``, here
the previous run's). Peak memory is the process's maximum resident set (ru_maxrss).

Run:  PYTHONPATH=bench python bench/fugitive_match.py [--calls 1000000] [--wanted 10000]
"""

from __future__ import annotations

import argparse
import resource
import time
from datetime import date, timedelta

import numpy as np
import polars as pl
from _data import machine

from fanzha.operations import clean_identifiers, match_wanted, new_hits, record_identifiers

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def _id_numbers(rng: np.random.Generator, n: int) -> list[str]:
    births = [date(1970, 1, 1) + timedelta(days=int(d)) for d in rng.integers(0, 365 * 40, n)]
    stems = [
        f"450103{b:%Y%m%d}{s:03d}" for b, s in zip(births, rng.integers(0, 1000, n), strict=True)
    ]
    return [
        s + _CHECK[sum(int(c) * w for c, w in zip(s, _WEIGHTS, strict=True)) % 11] for s in stems
    ]


def make_wanted(rng: np.random.Generator, n: int) -> pl.DataFrame:
    """A wanted list of ``n`` persons, long: fugitive_id, kind, value."""
    ids = np.arange(1, n + 1)
    phones2 = rng.random(n) < 0.5
    cards2 = rng.random(n) < 0.5
    phone = 13_000_000_000 + rng.choice(10**9, size=2 * n, replace=False)
    card = 6_222_000_000_000_000_000 + rng.choice(10**12, size=2 * n, replace=False)
    parts = [
        pl.DataFrame({"fugitive_id": ids, "kind": "phone", "value": phone[:n].astype(str)}),
        pl.DataFrame(
            {"fugitive_id": ids[phones2], "kind": "phone", "value": phone[n:][phones2].astype(str)}
        ),
        pl.DataFrame(
            {"fugitive_id": ids, "kind": "imsi", "value": (460_000_000_000_000 + ids).astype(str)}
        ),
        pl.DataFrame(
            {"fugitive_id": ids, "kind": "imei", "value": (860_000_000_000_000 + ids).astype(str)}
        ),
        pl.DataFrame({"fugitive_id": ids, "kind": "card", "value": card[:n].astype(str)}),
        pl.DataFrame(
            {"fugitive_id": ids[cards2], "kind": "card", "value": card[n:][cards2].astype(str)}
        ),
        pl.DataFrame({"fugitive_id": ids, "kind": "im", "value": [f"wechat:wx_{i}" for i in ids]}),
        pl.DataFrame({"fugitive_id": ids, "kind": "id_number", "value": _id_numbers(rng, n)}),
    ]
    return pl.concat(parts).with_columns(pl.col("fugitive_id").cast(pl.Int64))


def make_calls(
    rng: np.random.Generator, n: int, wanted_phones: np.ndarray, hit_share: float
) -> pl.DataFrame:
    """``n`` calls (id, caller, callee, started_at); ``hit_share`` of them touch a wanted phone."""
    pool = 15_400_000_000 + rng.choice(10**8, size=max(10, n // 5), replace=False)
    caller, callee = rng.choice(pool, n), rng.choice(pool, n)
    touch = rng.random(n) < hit_share
    side = rng.random(n) < 0.5
    picked = rng.choice(wanted_phones, n)
    caller = np.where(touch & side, picked, caller)
    callee = np.where(touch & ~side, picked, callee)
    start = 1_653_264_000  # 2022-05-23 00:00 UTC
    return pl.DataFrame(
        {
            "id": np.arange(1, n + 1, dtype=np.int64),
            "caller": caller.astype(str),
            "callee": callee.astype(str),
            "started_at": pl.from_epoch(
                pl.Series(np.sort(start + rng.integers(0, 86_400, n))), time_unit="s"
            ).dt.replace_time_zone("UTC"),
        }
    )


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--wanted", type=int, default=10_000)
    parser.add_argument("--hit-share", type=float, default=0.001)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(machine())
    print(f"polars {pl.__version__}, threads {pl.thread_pool_size()}")
    rng = np.random.default_rng(args.seed)
    raw = make_wanted(rng, args.wanted)
    started = time.perf_counter()
    wanted = clean_identifiers(raw)
    cleaned = time.perf_counter() - started
    phones = (
        wanted.filter(pl.col("kind") == "phone").get_column("value").to_numpy().astype(np.int64)
    )
    calls = make_calls(rng, args.calls, phones, args.hit_share)
    base = _rss_mb()
    print(
        f"wanted: {args.wanted:,} persons, {wanted.height:,} identifiers, cleaned+keyed in "
        f"{cleaned:.2f} s; calls: {calls.height:,}; peak RSS before matching {base:,.0f} MB"
    )
    seen = pl.DataFrame(
        schema={"fugitive_id": pl.Int64, "record_kind": pl.String, "record_id": pl.Int64}
    )
    for attempt in ("first", "again"):
        started = time.perf_counter()
        records = record_identifiers(
            calls,
            record_kind="call",
            columns={"caller": "phone", "callee": "phone"},
            time_column="started_at",
        )
        hits = match_wanted(records, wanted)
        fresh = new_hits(hits, seen)
        took = time.perf_counter() - started
        print(
            f"{attempt}: {calls.height:,} calls ({records.height:,} identifiers) matched in "
            f"{took:.2f} s = {calls.height / took:,.0f} calls/s; hits {hits.height:,} "
            f"({int(hits.get_column('records').sum() or 0):,} records, "
            f"{hits.get_column('fugitive_id').n_unique():,} fugitives), new {fresh.height:,}"
        )
        seen = pl.concat([seen, fresh.select(seen.columns)])
    print(f"peak RSS {_rss_mb():,.0f} MB (+{_rss_mb() - base:,.0f} MB while matching)")


if __name__ == "__main__":
    main()
