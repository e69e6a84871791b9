"""Gangs: Leiden communities on the suspicious part of the graph.

The suspicious part is everything within ``hops`` of a seed: a flagged node, a case, or
a node whose role score reaches ``role_threshold`` (outlets and domains are left out: an
outlet links thousands of honest customers). Leiden (igraph's ``community_leiden``,
``iterations`` passes, random numbers from ``random.Random(seed)``) splits it into
communities by modularity with ``resolution`` 10 (gangs are small against the suspicious
part), a timed edge weighing the square of its event count
(repeated contact is what ties a gang; a one-off call weighs 1) and a static link 4. A
community with a seed and at least ``min_size`` members is a gang. Per gang: members, the
money victims paid into its accounts (case-linked transfers from accounts that never
received case money), the roles of its members and its key nodes (weighted degree and
betweenness inside the gang: exact up to 500 members, paths of ≤ 3 hops up to 20,000,
degree alone beyond).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

import igraph as ig  # type: ignore[import-untyped]
import numpy as np
import polars as pl

from fanzha.errors import InvalidInput
from fanzha.graph._clean import IntArray
from fanzha.graph._expand import expand
from fanzha.graph._graph import EdgeFilter, EntityGraph, edge_events
from fanzha.graph._schema import EDGE_TYPES, NODE_TYPES, node_type_code

__all__ = ["GANG_EDGE_TYPES", "Gang", "KeyNode", "find_gangs", "gang_seeds"]

GANG_EDGE_TYPES = tuple(t.key for t in EDGE_TYPES if t.key not in ("opened-at", "hosted-on"))
_EXACT_BETWEENNESS = 500
_NO_BETWEENNESS = 20_000
_TIMED = np.array([t.timed for t in EDGE_TYPES])


@dataclass(frozen=True, slots=True)
class KeyNode:
    """A central member of a gang: weighted degree and betweenness inside the gang."""

    node: int
    degree: float
    betweenness: float


@dataclass(frozen=True, slots=True)
class Gang:
    """One community: ``id`` (1 = most money), members (node indices), what it holds."""

    id: int
    members: IntArray
    seeds: int
    money_fen: int
    by_type: Mapping[str, int]
    roles: Mapping[str, int]
    key_nodes: tuple[KeyNode, ...]

    @property
    def size(self) -> int:
        """Number of members."""
        return int(self.members.size)


def gang_seeds(
    graph: EntityGraph, roles: pl.DataFrame | None = None, *, role_threshold: float = 0.6
) -> IntArray:
    """Flagged nodes, cases, and nodes with a role scored at least ``role_threshold``."""
    seeds = [np.flatnonzero(graph.flagged), np.flatnonzero(graph.types == node_type_code("case"))]
    if roles is not None and not roles.is_empty():
        strong = roles.filter(pl.col("score") >= role_threshold).get_column("node").to_numpy()
        seeds.append(strong.astype(np.int64))
    return np.unique(np.concatenate(seeds)).astype(np.int64)


def _victim_money(graph: EntityGraph, community: IntArray) -> IntArray:
    """Money victims paid into each community's accounts (fen)."""
    linked = edge_events(graph, "transferred").filter("case")
    received = linked.get_column("dst").unique().implode()
    paid = linked.filter(~pl.col("src").is_in(received))
    dst = paid.get_column("dst").to_numpy()
    where = community[dst]
    inside = where >= 0
    total = int(community.max()) + 1 if community.size and community.max() >= 0 else 0
    return np.bincount(
        where[inside], weights=paid.get_column("value").to_numpy()[inside], minlength=total
    ).astype(np.int64)


def _key_nodes(
    members: IntArray, local: ig.Graph, index: IntArray, count: int
) -> tuple[KeyNode, ...]:
    sub = local.induced_subgraph(index.tolist())
    degree = np.array(sub.strength(weights="weight"), dtype=np.float64)
    if sub.vcount() > _NO_BETWEENNESS:  # too big to be one gang: rank by degree alone
        between = np.zeros(sub.vcount(), dtype=np.float64)
    else:
        cutoff = None if sub.vcount() <= _EXACT_BETWEENNESS else 3
        between = np.array(sub.betweenness(directed=False, cutoff=cutoff), dtype=np.float64)
    order = np.lexsort((-degree, -between))[:count]
    return tuple(KeyNode(int(members[i]), float(degree[i]), float(between[i])) for i in order)


def find_gangs(
    graph: EntityGraph,
    *,
    roles: pl.DataFrame | None = None,
    seeds: IntArray | None = None,
    role_threshold: float = 0.6,
    hops: int = 2,
    cap: int | None = 50,
    edge_filter: EdgeFilter | None = None,
    resolution: float = 10.0,
    min_size: int = 3,
    key_nodes: int = 5,
    iterations: int = 2,
    seed: int = 0,
) -> list[Gang]:
    """Gangs found by Leiden on the suspicious part of the graph, most money first.

    ``seeds`` default to :func:`gang_seeds`; ``roles`` (from ``assign_roles``) add seeds
    and fill each gang's role counts. Raises ``InvalidInput`` for bad arguments."""
    if not isinstance(min_size, int) or min_size < 1:
        raise InvalidInput("expected a whole number ≥ 1", field="min_size", value=min_size)
    if not resolution > 0:
        raise InvalidInput("expected a positive number", field="resolution", value=resolution)
    start = gang_seeds(graph, roles, role_threshold=role_threshold) if seeds is None else seeds
    flt = edge_filter or EdgeFilter(types=GANG_EDGE_TYPES)
    if not start.size:
        return []
    part = expand(graph, start, hops=hops, edge_filter=flt, cap=cap)
    nodes = np.sort(part.nodes)
    local_of = np.full(graph.n_nodes, -1, dtype=np.int64)
    local_of[nodes] = np.arange(nodes.size)
    pairs = np.stack([local_of[graph.src[part.edges]], local_of[graph.dst[part.edges]]], axis=1)
    local = ig.Graph(n=nodes.size, edges=pairs.tolist(), directed=False)
    timed = _TIMED[graph.etype[part.edges]]
    local.es["weight"] = np.where(timed, part.count.astype(np.float64) ** 2, 4.0).tolist()
    ig.set_random_number_generator(random.Random(seed))
    try:
        partition = local.community_leiden(
            objective_function="modularity",
            weights="weight",
            resolution=resolution,
            n_iterations=iterations,
        )
    finally:
        ig.set_random_number_generator(random)
    membership = np.asarray(partition.membership, dtype=np.int64)
    is_seed = np.zeros(nodes.size, dtype=bool)
    is_seed[local_of[start]] = True
    sizes = np.bincount(membership)
    seeded = np.bincount(membership, weights=is_seed).astype(np.int64)
    kept = np.flatnonzero((sizes >= min_size) & (seeded > 0))
    community = np.full(graph.n_nodes, -1, dtype=np.int64)
    rank_of = np.full(sizes.size, -1, dtype=np.int64)
    rank_of[kept] = np.arange(kept.size)
    community[nodes] = rank_of[membership]
    money = _victim_money(graph, community)
    role_counts: dict[int, dict[str, int]] = {}
    if roles is not None and not roles.is_empty():
        tagged = roles.with_columns(
            gang=pl.Series(community[roles.get_column("node").to_numpy()])
        ).filter(pl.col("gang") >= 0)
        for gang, role, n in tagged.group_by("gang", "role").len().iter_rows():
            role_counts.setdefault(int(gang), {})[str(role)] = int(n)
    gangs = []
    by_label = np.argsort(membership, kind="stable")
    starts = np.concatenate([[0], np.cumsum(sizes)])
    for rank, label in enumerate(kept.tolist()):
        index = by_label[starts[label] : starts[label + 1]]
        members = nodes[index]
        types = np.bincount(graph.types[members], minlength=len(NODE_TYPES))
        gangs.append(
            Gang(
                id=0,
                members=members,
                seeds=int(seeded[label]),
                money_fen=int(money[rank]) if rank < money.size else 0,
                by_type={t.key: int(c) for t, c in zip(NODE_TYPES, types, strict=True) if c},
                roles=role_counts.get(rank, {}),
                key_nodes=_key_nodes(members, local, index, key_nodes),
            )
        )
    gangs.sort(key=lambda g: (-g.money_fen, -g.size))
    return [
        Gang(i + 1, g.members, g.seeds, g.money_fen, g.by_type, g.roles, g.key_nodes)
        for i, g in enumerate(gangs)
    ]
