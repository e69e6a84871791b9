"""k-hop expansion on the demo city, fanzha beside its peers in one run: networkx
(``single_source_shortest_path_length(cutoff=k)`` for the nodes, ``ego_graph`` with the
edges) and igraph (``neighborhood``; ``induced_subgraph`` of it with the edges), from the
same random seed nodes over the same undirected graph. Every answer is checked to be the
same node set before it is timed.

Run:  python bench/graph_peers.py [--records 200000] [--queries 300] [--hops 2 3] [--seed 7]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime

import igraph as ig
import networkx as nx
import numpy as np
from _data import machine

from fanzha.demo import generate_city
from fanzha.graph import EntityGraph, build_graph, expand, expand_nodes

START = datetime(2026, 1, 1, tzinfo=UTC)


def _p50_p99(fn: Callable[[int], object], seeds: list[int]) -> tuple[float, float]:
    for node in seeds[:20]:  # warm up
        fn(node)
    times = []
    for node in seeds:
        started = time.perf_counter()
        fn(node)
        times.append(time.perf_counter() - started)
    ms = np.array(times) * 1000
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 99))


def _peers(graph: EntityGraph) -> tuple[nx.Graph, ig.Graph]:
    pairs = np.stack([graph.src, graph.dst], axis=1).astype(np.int64)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    nxg: nx.Graph = nx.Graph()
    nxg.add_nodes_from(range(graph.n_nodes))
    nxg.add_edges_from(pairs.tolist())
    igg = ig.Graph(n=graph.n_nodes, edges=pairs.tolist(), directed=False)
    return nxg, igg


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--hops", type=int, nargs="+", default=[2, 3])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(machine())
    city = generate_city(seed=args.seed, records=args.records, start=START, password_hash="b")
    graph = build_graph(city)
    nxg, igg = _peers(graph)
    print(
        f"records={args.records:,}: {graph.n_nodes:,} nodes, {graph.n_edges:,} edges "
        f"(networkx {nxg.number_of_edges():,} simple edges)"
    )
    rng = np.random.default_rng(args.seed)
    seeds = rng.integers(0, graph.n_nodes, args.queries).tolist()
    for k in args.hops:
        for node in seeds[:50]:
            ours = set(expand_nodes(graph, np.array([node]), hops=k)[0].tolist())
            assert ours == set(nx.single_source_shortest_path_length(nxg, node, cutoff=k))
            assert ours == set(igg.neighborhood(node, order=k))
            full = expand(graph, np.array([node]), hops=k, cap=None)
            assert set(full.nodes.tolist()) == ours
        sizes = [expand_nodes(graph, np.array([n]), hops=k)[0].size for n in seeds]
        print(
            f"\n{k} hops from {len(seeds)} random nodes "
            f"(result: median {np.median(sizes):.0f}, max {max(sizes):,} nodes)"
        )
        rows = {
            "nodes   fanzha expand_nodes": lambda n, k=k: expand_nodes(
                graph, np.array([n]), hops=k
            ),
            "nodes   networkx sssp_length(cutoff)": lambda n, k=k: (
                nx.single_source_shortest_path_length(nxg, n, cutoff=k)
            ),
            "nodes   igraph neighborhood": lambda n, k=k: igg.neighborhood(n, order=k),
            "+edges  fanzha expand(cap=None)": lambda n, k=k: expand(
                graph, np.array([n]), hops=k, cap=None
            ),
            "+edges  networkx ego_graph": lambda n, k=k: nx.ego_graph(nxg, n, radius=k),
            "+edges  igraph induced_subgraph(neighborhood)": lambda n, k=k: igg.induced_subgraph(
                igg.neighborhood(n, order=k)
            ),
        }
        results = {label: _p50_p99(fn, seeds) for label, fn in rows.items()}
        base = {
            "nodes": "nodes   networkx sssp_length(cutoff)",
            "+edges": "+edges  networkx ego_graph",
        }
        for label, (p50, p99) in results.items():
            ref = results[base[label.split()[0]]][0]
            print(f"  {label:<48} p50 {p50:7.3f} ms  p99 {p99:8.3f} ms  ({ref / p50:4.1f}× nx)")


if __name__ == "__main__":
    main()
