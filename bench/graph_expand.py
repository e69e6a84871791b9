"""Entity graph on the demo city: build time, 2-hop expansion latency, paths, roles, Leiden
gangs, 断卡 outlet ranking, and how roles and gangs match the city's ground truth.

Run:  python bench/graph_expand.py [--records 1000000] [--big] [--queries 200] [--seed 2022]
(--big: 10,000,000 records, about 2.4M nodes and 10M events)
"""

from __future__ import annotations

import argparse
import resource
import time
from datetime import UTC, datetime

import numpy as np
import polars as pl
from _data import machine

from fanzha.demo import (
    evaluate_gangs,
    evaluate_roles,
    generate_city,
    label_gang_phones,
    label_mules,
)
from fanzha.graph import (
    EdgeFilter,
    EntityGraph,
    assign_roles,
    build_graph,
    expand,
    find_gangs,
    rank_outlets,
    shortest_paths,
)

START = datetime(2026, 1, 1, tzinfo=UTC)


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _graph_mib(graph: EntityGraph) -> float:
    arrays = [getattr(graph, name) for name in graph.__slots__]
    size = sum(a.nbytes for a in arrays if isinstance(a, np.ndarray))
    size += graph.ids.estimated_size() + graph.labels.estimated_size()
    size += graph.lookup_ids.estimated_size() + sum(b.frame.estimated_size() for b in graph.attrs)
    return size / 2**20


def _latency(label: str, times: list[float]) -> None:
    ms = np.array(times) * 1000
    print(
        f"{label}: p50 {np.percentile(ms, 50):.2f} ms, p99 {np.percentile(ms, 99):.2f} ms, "
        f"max {ms.max():.1f} ms over {ms.size} queries"
    )


def _expansions(graph: EntityGraph, queries: int, seed: int, hops: int, cap: int) -> None:
    rng = np.random.default_rng(seed)
    seeds = rng.integers(0, graph.n_nodes, queries)
    window = EdgeFilter(
        since=datetime(2026, 2, 1, tzinfo=UTC), until=datetime(2026, 3, 1, tzinfo=UTC)
    )
    for label, flt in (("2-hop expand", None), ("2-hop expand, 1-month window", window)):
        times, sizes, cut = [], [], 0
        for node in seeds:
            started = time.perf_counter()
            sub = expand(graph, np.array([node]), hops=hops, cap=cap, edge_filter=flt)
            times.append(time.perf_counter() - started)
            sizes.append(sub.nodes.size)
            cut += bool(sub.truncated)
        _latency(label, times)
        print(f"  nodes per result: median {np.median(sizes):.0f}, max {max(sizes)}; {cut} capped")
    pairs = rng.integers(0, graph.n_nodes, (max(10, queries // 10), 2))
    times, found = [], 0
    for a, b in pairs:
        started = time.perf_counter()
        found += shortest_paths(graph, int(a), int(b), max_hops=6, max_degree=1000).length >= 0
        times.append(time.perf_counter() - started)
    _latency("shortest paths (≤6 hops, hubs >1000 skipped)", times)
    print(f"  {found} of {len(pairs)} random pairs connected")


def _outlets(city: dict[str, pl.DataFrame], graph: EntityGraph) -> None:
    started = time.perf_counter()
    ranked = rank_outlets(graph)
    took = time.perf_counter() - started
    phones = label_gang_phones(city["phones"], city["devices"], city["persons"]).join(
        city["phones"].select(phone_id="id", outlet_id="outlet_id"), on="phone_id"
    )
    mules = label_mules(city["transfers"]).join(
        city["bank_accounts"].select(account_id="id", outlet_id="outlet_id"), on="account_id"
    )
    bad = {f"outlet:{o}" for o in phones.get_column("outlet_id").to_list()}
    bad |= {f"outlet:{o}" for o in mules.get_column("outlet_id").drop_nulls().to_list()}
    top = ranked.get_column("id").to_list()[: len(bad)]
    print(
        f"rank_outlets: {took:.2f} s; {sum(o in bad for o in top)} of the {len(bad)} trafficker "
        f"outlets are the top {len(bad)} of {ranked.height}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--big", action="store_true", help="10,000,000 records")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--hops", type=int, default=2)
    parser.add_argument("--cap", type=int, default=50)
    parser.add_argument("--no-gangs", action="store_true", help="skip Leiden")
    args = parser.parse_args()
    records = 10_000_000 if args.big else args.records
    print(machine())
    started = time.perf_counter()
    city = generate_city(seed=args.seed, records=records, start=START, password_hash="bench")
    print(f"records={records:,}: demo city generated in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    graph = build_graph(city)
    built = time.perf_counter() - started
    events = int(graph.ev_time.size)
    print(
        f"build_graph: {built:.1f} s → {graph.n_nodes:,} nodes, {graph.n_edges:,} edges, "
        f"{events:,} events; arrays {_graph_mib(graph):,.0f} MiB"
    )
    _expansions(graph, args.queries, args.seed, args.hops, args.cap)
    started = time.perf_counter()
    roles = assign_roles(graph)
    print(f"assign_roles: {time.perf_counter() - started:.1f} s, {roles.height:,} role rows")
    with pl.Config(tbl_rows=20, tbl_width_chars=120, tbl_hide_dataframe_shape=True):
        print(evaluate_roles(roles, city))
        print("counting only rows scored ≥ 0.9:")
        print(evaluate_roles(roles, city, min_score=0.9))
    _outlets(city, graph)
    if not args.no_gangs:
        started = time.perf_counter()
        gangs = find_gangs(graph, roles=roles, seed=args.seed)
        took = time.perf_counter() - started
        scores = evaluate_gangs(graph, gangs, city["persons"])
        print(f"find_gangs (expand from seeds + Leiden + key nodes): {took:.1f} s")
        print(
            "  "
            + ", ".join(
                f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in scores.items()
            )
        )
    print(f"peak memory (RSS): {_peak_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
