"""扩线: k-hop expansion from clues with a capped fan-out, and shortest paths between clues.

Both walk the aggregated edges in either direction, keep only the edges an
:class:`EdgeFilter` lets through (types, time window, minimum count and amount) and work a
whole frontier at a time with numpy, so a hop costs a few array operations however many
nodes it touches.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from fanzha.errors import InvalidInput
from fanzha.graph._clean import IntArray
from fanzha.graph._graph import EdgeFilter, EdgeWeights, EntityGraph, edge_weights

__all__ = [
    "PathResult",
    "Subgraph",
    "Truncation",
    "expand",
    "expand_nodes",
    "shortest_paths",
    "subgraph_of",
]

Seeds = str | Sequence[str] | IntArray


@dataclass(frozen=True, slots=True)
class Truncation:
    """A node whose fan-out hit the cap: how many neighbours were kept and dropped."""

    node: int
    kept: int
    dropped: int


@dataclass(frozen=True, slots=True)
class Subgraph:
    """Nodes (with their hop distance from the nearest seed) and edges (with their count,
    value and first/last time inside the filter's window) of an expansion or a path set."""

    seeds: IntArray
    nodes: IntArray
    hops: IntArray
    edges: IntArray
    count: IntArray
    value: IntArray
    first: IntArray
    last: IntArray
    truncated: tuple[Truncation, ...]
    edge_filter: EdgeFilter
    max_hops: int
    cap: int | None


@dataclass(frozen=True, slots=True)
class PathResult:
    """Shortest paths between two nodes: ``length`` hops (-1: none within ``max_hops``),
    each path as node indices and, per step, the edges that join the two nodes."""

    source: int
    target: int
    length: int
    paths: tuple[tuple[tuple[int, ...], tuple[tuple[int, ...], ...]], ...]
    subgraph: Subgraph


def _seed_nodes(graph: EntityGraph, seeds: Seeds) -> IntArray:
    if isinstance(seeds, str):
        return np.array([graph.index_of(seeds)], dtype=np.int64)
    if isinstance(seeds, np.ndarray):
        nodes = seeds.astype(np.int64)
        if nodes.size and (nodes.min() < 0 or nodes.max() >= graph.n_nodes):
            raise InvalidInput(f"node indices must be in 0…{graph.n_nodes - 1}", field="seeds")
        return np.unique(nodes)
    return np.unique(graph.indices_of(list(seeds)))


def _check_counts(**values: int | None) -> None:
    for name, value in values.items():
        if value is not None and (not isinstance(value, int) or value < 0):
            raise InvalidInput("expected a whole number ≥ 0", field=name, value=value)


def _gather(graph: EntityGraph, frontier: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """(position in ``frontier``, neighbour, edge) of every adjacency entry of ``frontier``."""
    starts = graph.indptr[frontier]
    counts = graph.indptr[frontier + 1] - starts
    total = int(counts.sum())
    owner = np.repeat(np.arange(frontier.size, dtype=np.int64), counts)
    pos = np.arange(total, dtype=np.int64) + np.repeat(
        starts - (np.cumsum(counts) - counts), counts
    )
    return owner, graph.adj_node[pos], graph.adj_edge[pos]


def _cap(
    graph: EntityGraph,
    frontier: IntArray,
    owner: IntArray,
    nbr: IntArray,
    count: IntArray,
    seen: np.ndarray,
    cap: int,
) -> tuple[np.ndarray, list[Truncation]]:
    """Keep at most ``cap`` distinct neighbours per frontier node: first those already in
    the result, then flagged ones, then by event count. Returns the kept-edge mask and the
    truncated nodes."""
    n = graph.n_nodes
    pairs, inverse = np.unique(owner * n + nbr, return_inverse=True)
    p_owner, p_nbr = pairs // n, pairs % n
    per_owner = np.bincount(p_owner, minlength=frontier.size)
    over = np.flatnonzero(per_owner > cap)
    if not over.size:
        return np.ones(owner.size, dtype=bool), []
    p_count = np.bincount(inverse, weights=count, minlength=pairs.size)
    order = np.lexsort((-p_count, ~graph.flagged[p_nbr], ~seen[p_nbr], p_owner))
    ranked_owner = p_owner[order]
    rank = np.arange(order.size) - np.searchsorted(ranked_owner, ranked_owner, side="left")
    kept = np.empty(pairs.size, dtype=bool)
    kept[order] = rank < cap
    cut = [Truncation(int(frontier[o]), cap, int(per_owner[o]) - cap) for o in over]
    return kept[inverse], cut


def _collect(
    parts: list[tuple[IntArray, EdgeWeights, np.ndarray]],
) -> tuple[IntArray, IntArray, IntArray, IntArray, IntArray]:
    if not parts:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty, empty, empty
    edges = np.concatenate([e[m] for e, _, m in parts])
    cols = [np.concatenate([getattr(w, c)[m] for _, w, m in parts]) for c in ("count", "value")]
    times = [np.concatenate([getattr(w, c)[m] for _, w, m in parts]) for c in ("first", "last")]
    unique, first = np.unique(edges, return_index=True)
    return unique, cols[0][first], cols[1][first], times[0][first], times[1][first]


def subgraph_of(
    graph: EntityGraph,
    seeds: IntArray,
    nodes: IntArray,
    hops: IntArray,
    parts: list[tuple[IntArray, EdgeWeights, np.ndarray]],
    edge_filter: EdgeFilter,
    *,
    max_hops: int,
    cap: int | None = None,
    truncated: tuple[Truncation, ...] = (),
) -> Subgraph:
    """A :class:`Subgraph` from nodes and (edges, weights, kept mask) parts."""
    edges, count, value, first, last = _collect(parts)
    return Subgraph(
        seeds, nodes, hops, edges, count, value, first, last, truncated, edge_filter, max_hops, cap
    )


def expand(
    graph: EntityGraph,
    seeds: Seeds,
    *,
    hops: int = 2,
    edge_filter: EdgeFilter | None = None,
    cap: int | None = 50,
    closing_edges: bool = True,
) -> Subgraph:
    """The nodes within ``hops`` of the seeds (typed ids or node indices) over the edges the
    filter keeps, each node adding at most ``cap`` neighbours (None: no cap; truncated
    nodes are reported). With ``closing_edges`` the edges among the last hop's nodes and
    back into the result are added too.

    Raises ``NotFound`` for an unknown seed id, ``InvalidInput`` for bad arguments."""
    _check_counts(hops=hops, cap=cap)
    flt = edge_filter or EdgeFilter()
    start = _seed_nodes(graph, seeds)
    hop_of = np.full(graph.n_nodes, -1, dtype=np.int16)
    hop_of[start] = 0
    frontier, layers = start, [start]
    parts: list[tuple[IntArray, EdgeWeights, np.ndarray]] = []
    truncated: list[Truncation] = []
    for hop in range(hops):
        if not frontier.size:
            break
        owner, nbr, edges = _gather(graph, frontier)
        weights = edge_weights(graph, edges, flt)
        keep = weights.keep
        if cap is not None:
            idx = np.flatnonzero(keep)
            kept, cut = _cap(
                graph, frontier, owner[idx], nbr[idx], weights.count[idx], hop_of >= 0, cap
            )
            keep = np.zeros(keep.size, dtype=bool)
            keep[idx[kept]] = True
            truncated += cut
        parts.append((edges, weights, keep))
        new = np.unique(nbr[keep])
        new = new[hop_of[new] < 0]
        hop_of[new] = hop + 1
        frontier = new
        layers.append(new)
    if closing_edges and frontier.size:
        _, nbr, edges = _gather(graph, frontier)
        weights = edge_weights(graph, edges, flt)
        parts.append((edges, weights, weights.keep & (hop_of[nbr] >= 0)))
    nodes = np.concatenate(layers)
    return subgraph_of(
        graph,
        start,
        nodes,
        hop_of[nodes].astype(np.int64),
        parts,
        flt,
        max_hops=hops,
        cap=cap,
        truncated=tuple(truncated),
    )


def _passes_all(flt: EdgeFilter) -> bool:
    """Whether the filter keeps every edge (no types, window or minimums)."""
    since, until = flt.window()
    return (
        flt.types is None
        and since is None
        and until is None
        and flt.min_count <= 1
        and flt.min_amount_fen <= 0
    )


def _neighbours(graph: EntityGraph, frontier: IntArray) -> IntArray:
    """Every adjacency entry of ``frontier`` (with repeats), by slicing the CSR rows."""
    ptr, adj = graph.indptr, graph.adj_node
    if frontier.size == 1:
        node = int(frontier[0])
        return adj[int(ptr[node]) : int(ptr[node + 1])]
    if frontier.size <= 256:
        lows, highs = ptr[frontier].tolist(), ptr[frontier + 1].tolist()
        return np.concatenate([adj[a:b] for a, b in zip(lows, highs, strict=True)])
    return _gather(graph, frontier)[1]


def expand_nodes(
    graph: EntityGraph,
    seeds: Seeds,
    *,
    hops: int = 2,
    edge_filter: EdgeFilter | None = None,
) -> tuple[IntArray, IntArray]:
    """The nodes within ``hops`` of the seeds and their hop distance (seeds first, then
    each hop's nodes in the order found), without the edges and with no cap: the k-hop
    neighbourhood (networkx's ``single_source_shortest_path_length(cutoff=k)``, igraph's
    ``neighborhood``). Without a filter it slices the CSR rows directly and computes no
    edge weights.

    Raises ``NotFound`` for an unknown seed id, ``InvalidInput`` for bad arguments."""
    _check_counts(hops=hops)
    plain = edge_filter is None or _passes_all(edge_filter)
    if isinstance(seeds, np.ndarray) and seeds.size == 1 and 0 <= seeds[0] < graph.n_nodes:
        start = seeds.astype(np.int64)
    else:
        start = _seed_nodes(graph, seeds)
    visited = np.zeros(graph.n_nodes, dtype=np.bool_)
    visited[start] = True
    # Scratch for dropping repeats without sorting: np.empty does not touch its memory.
    last = np.empty(graph.n_nodes, dtype=np.int64)
    layers, frontier = [start], start
    for _ in range(hops):
        if not frontier.size:
            break
        if plain:
            nbr = _neighbours(graph, frontier)
        else:
            _, nbr, edges = _gather(graph, frontier)
            nbr = nbr[edge_weights(graph, edges, edge_filter or EdgeFilter()).keep]
        new = nbr[~visited[nbr]]
        if new.size > 1:
            at = np.arange(new.size)
            last[new] = at
            new = new[last[new] == at]
        visited[new] = True
        frontier = new
        layers.append(new)
    nodes = np.concatenate(layers).astype(np.int64, copy=False)
    hop = np.repeat(np.arange(len(layers), dtype=np.int64), [layer.size for layer in layers])
    return nodes, hop


class _Search:
    """One side of a bidirectional BFS: distances and the level-by-level frontier."""

    def __init__(self, graph: EntityGraph, node: int, flt: EdgeFilter, max_degree: int | None):
        self.graph, self.flt, self.max_degree = graph, flt, max_degree
        self.dist = np.full(graph.n_nodes, -1, dtype=np.int32)
        self.dist[node] = 0
        self.frontier = np.array([node], dtype=np.int64)
        self.depth = 0
        self.ends = {node}

    def cost(self) -> int:
        return int((self.graph.indptr[self.frontier + 1] - self.graph.indptr[self.frontier]).sum())

    def step(self) -> IntArray:
        graph = self.graph
        _, nbr, edges = _gather(graph, self.frontier)
        keep = edge_weights(graph, edges, self.flt).keep
        new = np.unique(nbr[keep])
        new = new[self.dist[new] < 0]
        if self.max_degree is not None:
            small = graph.degree(new) <= self.max_degree
            new = new[small | np.isin(new, list(self.ends))]
        self.depth += 1
        self.dist[new] = self.depth
        self.frontier = new
        return new

    def back(self, node: int) -> list[tuple[int, tuple[int, ...]]]:
        """Neighbours one level nearer this side's start, with the joining edges."""
        level = int(self.dist[node])
        _, nbr, edges = _gather(self.graph, np.array([node], dtype=np.int64))
        keep = edge_weights(self.graph, edges, self.flt).keep & (self.dist[nbr] == level - 1)
        out: dict[int, list[int]] = {}
        for v, e in zip(nbr[keep].tolist(), edges[keep].tolist(), strict=True):
            out.setdefault(v, []).append(e)
        return [(v, tuple(sorted(es))) for v, es in sorted(out.items())]

    def walks(self, node: int) -> Iterator[list[tuple[int, tuple[int, ...]]]]:
        """Every shortest walk from ``node`` back to the start, as (node, edges-to-next)."""
        if self.dist[node] == 0:
            yield []
            return
        for prev, edges in self.back(node):
            for rest in self.walks(prev):
                yield [*rest, (prev, edges)]


def shortest_paths(
    graph: EntityGraph,
    source: str | int,
    target: str | int,
    *,
    edge_filter: EdgeFilter | None = None,
    max_hops: int = 6,
    max_paths: int = 10,
    max_degree: int | None = None,
) -> PathResult:
    """All shortest paths (up to ``max_paths``) between two nodes over the filtered graph,
    found by a bidirectional BFS that stops at ``max_hops``. Paths never pass through a
    node of degree above ``max_degree`` (a hub such as a busy outlet).

    Raises ``NotFound`` for an unknown id, ``InvalidInput`` for bad arguments."""
    _check_counts(max_hops=max_hops, max_paths=max_paths, max_degree=max_degree)
    flt = edge_filter or EdgeFilter()
    a = source if isinstance(source, int) else graph.index_of(source)
    b = target if isinstance(target, int) else graph.index_of(target)
    fwd, bwd = _Search(graph, a, flt, max_degree), _Search(graph, b, flt, max_degree)
    fwd.ends = bwd.ends = {a, b}
    length = 0 if a == b else -1
    while length < 0 and fwd.depth + bwd.depth < max_hops:
        if not fwd.frontier.size or not bwd.frontier.size:
            break
        side, other = (fwd, bwd) if fwd.cost() <= bwd.cost() else (bwd, fwd)
        new = side.step()
        met = new[other.dist[new] >= 0]
        if met.size:
            length = int((side.dist[met] + other.dist[met]).min())
    paths: list[tuple[tuple[int, ...], tuple[tuple[int, ...], ...]]] = []
    if length > 0:
        level = fwd.depth if fwd.depth <= length else length
        middle = np.flatnonzero((fwd.dist == level) & (bwd.dist == length - level))
        for x in middle.tolist():
            for head in fwd.walks(x):
                for tail in bwd.walks(x):
                    nodes = [v for v, _ in head] + [x] + [v for v, _ in reversed(tail)]
                    steps = [es for _, es in head] + [es for _, es in reversed(tail)]
                    paths.append((tuple(nodes), tuple(steps)))
                    if len(paths) >= max_paths:
                        break
                if len(paths) >= max_paths:
                    break
            if len(paths) >= max_paths:
                break
    elif length == 0:
        paths.append(((a,), ()))
    on_path = np.unique(np.array([v for p, _ in paths for v in p] or [a, b], dtype=np.int64))
    used = np.unique(np.array([e for _, s in paths for es in s for e in es], dtype=np.int64))
    weights = edge_weights(graph, used, flt)
    hops = np.where(fwd.dist[on_path] >= 0, fwd.dist[on_path], -1).astype(np.int64)
    sub = subgraph_of(
        graph,
        np.array(sorted({a, b}), dtype=np.int64),
        on_path,
        hops,
        [(used, weights, np.ones(used.size, dtype=bool))],
        flt,
        max_hops=max_hops,
    )
    return PathResult(a, b, length, tuple(paths), sub)
