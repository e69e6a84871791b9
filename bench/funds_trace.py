"""Tracing victims' money over 10M synthetic transfers, and mule-scoring throughput.

Transfers (numpy, seeded; ``fanzha.demo.generate_mule_network``): victims pay 1–3
first-layer mules, money moves through 2–4 mule layers (mules are shared by many victims,
so money mixes, and receive some background money too) and leaves through cash/crypto exit
accounts; the rest is background between ordinary accounts over 30 days. "Load" (building
the columns and the trace index) is timed apart; then ``--victims`` random victims are
traced one by one with each attribution method and checked for conservation (victim money
held + exited == what the victim paid, to the fen). Reverse: ``trace_back`` from the
top-priority account of some of those traces.

Scoring: a ``MuleModel`` trained on an AMLSim-like fan-in simulation scores an AMLSim-like
simulation of ``--score-accounts`` accounts (features + both stages), timed end to end.

Run:  python bench/funds_trace.py [--transfers 10000000] [--victims 200] [--freezes 1000]
      python bench/funds_trace.py --demo-records 10000000   # the demo city, ≈ 3M transfers
      python bench/funds_trace.py --demo-records 15500000 --transfer-share 1   # 10.0M transfers
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import resource
import time

import numpy as np
from _data import machine

from fanzha.demo import generate_aml, generate_mule_network
from fanzha.funds import (
    METHODS,
    ColumnNames,
    Freeze,
    MuleModel,
    Seed,
    index_transfers,
    trace_back,
    trace_funds,
    transfers_from_arrays,
    transfers_from_frame,
    victim_seeds,
)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _tracing(n_transfers: int, n_victims: int, n_traced: int, n_freezes: int = 0) -> None:
    started = time.perf_counter()
    net = generate_mule_network(n_transfers=n_transfers, n_victims=n_victims, seed=0)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    transfers = transfers_from_arrays(net.src, net.dst, net.amount, net.time)
    built = time.perf_counter() - started
    started = time.perf_counter()
    index = index_transfers(transfers)
    indexed = time.perf_counter() - started
    print(
        f"transfers: {transfers.n:,} between {transfers.n_accounts:,} accounts "
        f"({n_victims:,} victims, {net.mules.shape[0]:,} mules, {net.exits.shape[0]} exits)"
    )
    print(
        f"load: generate {generated:.1f} s, columns {built:.1f} s, index {indexed:.1f} s "
        f"(once per data set)"
    )
    rng = np.random.default_rng(1)
    chosen = rng.choice(net.victims, size=min(n_traced, net.victims.shape[0]), replace=False)
    exits = [str(e) for e in net.exits]
    tops: list[str] = []
    print(
        f"{'method':9s} {'victims':>7s} {'median ms':>10s} {'p95 ms':>8s} {'max ms':>8s} "
        f"{'accounts/trace':>15s} {'conserved':>9s}"
    )
    for method in METHODS:
        timings, reached, conserved = [], [], 0
        for victim in chosen.tolist():
            seeds = victim_seeds(transfers, str(victim))
            started = time.perf_counter()
            result = trace_funds(transfers, seeds, index=index, method=method, exits=exits)
            timings.append(time.perf_counter() - started)
            reached.append(len(result.nodes))
            ok = sum(n.held_fen + n.exited_fen for n in result.nodes) == result.total_fen
            conserved += int(ok)
            if method == "fifo" and result.priorities and len(tops) < 20:
                tops.append(result.priorities[0].account)
        ms = np.array(timings) * 1000
        print(
            f"{method:9s} {len(timings):7d} {np.median(ms):10.1f} {np.percentile(ms, 95):8.1f} "
            f"{ms.max():8.1f} {np.median(reached):15.0f} {conserved:5d}/{len(timings)}"
        )
    if n_freezes:
        # Stop-pays/freezes on random mules at random times for 1,000 元 each: the trace applies
        # them at their time and amount (money that left before is still followed).
        picked = rng.choice(net.mules, size=min(n_freezes, net.mules.shape[0]), replace=False)
        when = rng.integers(int(transfers.at.min()), int(transfers.at.max()), picked.shape[0])
        freezes = [
            Freeze(str(m), at=int(t), amount_fen=100_000)
            for m, t in zip(picked.tolist(), when.tolist(), strict=True)
        ]
        timings, conserved = [], 0
        for victim in chosen.tolist():
            seeds = victim_seeds(transfers, str(victim))
            started = time.perf_counter()
            result = trace_funds(transfers, seeds, index=index, exits=exits, freezes=freezes)
            timings.append(time.perf_counter() - started)
            conserved += int(
                sum(n.held_fen + n.exited_fen for n in result.nodes) == result.total_fen
            )
        ms = np.array(timings) * 1000
        print(
            f"fifo with {len(freezes):,} freezes: median {np.median(ms):.1f} ms, "
            f"p95 {np.percentile(ms, 95):.1f} ms, max {ms.max():.1f} ms, "
            f"conserved {conserved}/{len(timings)}"
        )
    timings = []
    for account in tops:
        started = time.perf_counter()
        trace_back(transfers, account, index=index)
        timings.append(time.perf_counter() - started)
    if timings:
        ms = np.array(timings) * 1000
        print(
            f"trace_back from {len(timings)} mule accounts: median {np.median(ms):.0f} ms, "
            f"max {ms.max():.0f} ms"
        )


def _tracing_demo(records: int, transfer_share: float, n_traced: int) -> None:
    """Trace cases of the demo city (``fanzha.demo``): its own victims, mule layers, exits."""
    from datetime import UTC, datetime

    import polars as pl

    from fanzha.demo import generate_city

    started = time.perf_counter()
    city = generate_city(
        seed=2022,
        records=records,
        start=datetime(2026, 1, 1, tzinfo=UTC),
        password_hash="x",
        transfer_share=transfer_share,
    )
    generated = time.perf_counter() - started
    frame = city["transfers"]
    started = time.perf_counter()
    exits = city["bank_accounts"].filter(pl.col("kind").is_in(["cash_out", "crypto_exit"]))
    transfers = transfers_from_arrays(
        frame["src_account_id"].cast(pl.String).to_numpy(),
        frame["dst_account_id"].cast(pl.String).to_numpy(),
        frame["amount_fen"].to_numpy(),
        frame["at"].dt.epoch("s").to_numpy(),
    )
    index = index_transfers(transfers)
    loaded = time.perf_counter() - started
    case = frame["case_id"].fill_null(-1).to_numpy()
    linked = np.flatnonzero(case >= 0)
    origin = linked[~np.isin(transfers.src[linked], transfers.dst[linked])]
    by_case: dict[int, list[int]] = {}
    for row in origin.tolist():
        by_case.setdefault(int(case[row]), []).append(row)
    print(
        f"demo city of {records:,} records (transfer share {transfer_share:g}): "
        f"{transfers.n:,} transfers, {len(by_case):,} cases "
        f"with victim payments; generate {generated:.1f} s, columns + index {loaded:.1f} s"
    )
    rng = np.random.default_rng(1)
    chosen = rng.choice(sorted(by_case), size=min(n_traced, len(by_case)), replace=False)
    exit_ids = [str(i) for i in exits["id"].to_list()]
    for method in METHODS:
        timings, conserved = [], 0
        for case_id in chosen.tolist():
            seeds = [Seed(transfer=row, label=str(case_id)) for row in by_case[case_id]]
            started = time.perf_counter()
            result = trace_funds(transfers, seeds, index=index, method=method, exits=exit_ids)
            timings.append(time.perf_counter() - started)
            conserved += int(
                sum(n.held_fen + n.exited_fen for n in result.nodes) == result.total_fen
            )
        ms = np.array(timings) * 1000
        print(
            f"demo {method:9s} {len(timings):5d} cases  median {np.median(ms):7.1f} ms  "
            f"p95 {np.percentile(ms, 95):7.1f} ms  max {ms.max():7.1f} ms  "
            f"conserved {conserved}/{len(timings)}"
        )


def _scoring(n_accounts: int) -> None:
    columns = ColumnNames("src", "dst", "amount", "time")
    train = generate_aml(n_accounts=20_000, patterns={"fan_in": 200}, seed=1)
    transfers = transfers_from_frame(train.transactions, columns).transfers
    ids = [str(i) for i in train.accounts["id"].to_list()]
    labels = train.accounts["is_fraud"].to_numpy().astype(np.float64)
    started = time.perf_counter()
    model = MuleModel().fit(transfers, ids, labels)
    fitted = time.perf_counter() - started
    n_patterns = max(n_accounts // 100, 1)
    sim = generate_aml(
        n_accounts=n_accounts,
        patterns={"cycle": n_patterns // 2, "scatter_gather": n_patterns - n_patterns // 2},
        seed=2,
    )
    scored_transfers = transfers_from_frame(sim.transactions, columns).transfers
    scored_ids = [str(i) for i in sim.accounts["id"].to_list()]
    started = time.perf_counter()
    model.predict_proba(scored_transfers, scored_ids)
    took = time.perf_counter() - started
    print(
        f"scoring: fit on 20,000 accounts / {transfers.n:,} transfers in {fitted:.1f} s; "
        f"scored {n_accounts:,} accounts / {scored_transfers.n:,} transfers in {took:.1f} s "
        f"= {n_accounts / took:,.0f} accounts/s, {scored_transfers.n / took:,.0f} transfers/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--transfers", type=int, default=10_000_000)
    parser.add_argument("--victims", type=int, default=200, help="victims traced per method")
    parser.add_argument("--score-accounts", type=int, default=200_000)
    parser.add_argument(
        "--freezes", type=int, default=0, help="also trace FIFO with this many mules frozen"
    )
    parser.add_argument(
        "--demo-records",
        type=int,
        default=0,
        help="trace cases of a demo city of this size instead",
    )
    parser.add_argument(
        "--transfer-share",
        type=float,
        default=0.4,
        help="share of the demo city's ordinary traffic that is transfers (the rest: calls)",
    )
    args = parser.parse_args()
    print(f"machine: {machine()}")
    if args.demo_records:
        _tracing_demo(args.demo_records, args.transfer_share, args.victims)
        print(f"peak memory: {_peak_mb():,.0f} MB")
        return
    _tracing(args.transfers, max(args.transfers // 1000, 100), args.victims, args.freezes)
    _scoring(args.score_accounts)
    print(f"peak memory: {_peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
