"""Gangs: Leiden communities on the suspicious part of the graph.

Seeds are flagged nodes, cases, accounts that received case money and nodes whose role
score reaches ``role_threshold``. The suspicious part is everything within ``hops`` of a
seed (outlets and domains are left out: an outlet links thousands of honest customers).
Leiden (igraph's ``community_leiden``, ``iterations`` passes, random numbers from
``random.Random(seed)``) splits it with the constant Potts model: a community must be
denser than ``resolution``, by default 2/√N for a suspicious part of N nodes but not below
0.005 (calibrated on demo cities of 12k-10M records, where it gave the purest gangs: 2/√N
alone fell to 0.0017 at 10M records and merged gangs, purity 0.72 against 0.96 with the
floor; modularity merged them more the bigger the graph, purity 0.36 at 10M).
A timed edge weighs the square of its event count (repeated contact is what ties a gang;
a one-off call weighs 1), a static link 4.

Victims tie a gang's SIMs and mule cards together, so they take part in the clustering,
but they are never members: a person reported in a case and what is registered to them
are left out, and a gang counts the victims of its cases instead. Then the periphery is
peeled off: a member with fewer than two neighbours inside its community (a citizen called
once by a gang SIM, that citizen's own phone) leaves it, repeatedly, unless it is a seed.
A community is a gang when it has at least ``min_size`` members of whom at least
``min_seed_share`` are seeds (a circle of ordinary citizens around one flagged phone is
not a gang). Per gang: members, the money victims paid into its accounts (case-linked
transfers from accounts that never received case money), the victims of its cases, the
roles of its members and its key nodes (weighted degree, then betweenness inside the gang:
exact up to 500 members, estimated from 256 sampled sources beyond).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import igraph as ig  # type: ignore[import-untyped]
import numpy as np
import polars as pl

from fanzha.errors import InvalidInput
from fanzha.graph._clean import IntArray
from fanzha.graph._expand import expand
from fanzha.graph._graph import BoolArray, EdgeFilter, EntityGraph, edge_events
from fanzha.graph._schema import EDGE_TYPES, NODE_TYPES, edge_type_code, node_type_code

__all__ = [
    "GANG_EDGE_TYPES",
    "Gang",
    "KeyNode",
    "find_gangs",
    "gang_record",
    "gang_seeds",
    "victim_nodes",
]

GANG_EDGE_TYPES = tuple(t.key for t in EDGE_TYPES if t.key not in ("opened-at", "hosted-on"))
_EXACT_BETWEENNESS = 500
_SAMPLED_SOURCES = 256
_PERIPHERY_DEGREE = 2
# The default CPM density never falls below this (about the 1M-record demo city's 2/√N).
_MIN_RESOLUTION = 0.005
_TIMED = np.array([t.timed for t in EDGE_TYPES])


@dataclass(frozen=True, slots=True)
class KeyNode:
    """A central member of a gang: weighted degree and betweenness inside the gang."""

    node: int
    degree: float
    betweenness: float


@dataclass(frozen=True, slots=True)
class Gang:
    """One community: ``id`` (1 = most money), members (node indices), what it holds;
    ``victims``: the distinct victims of its cases (victims are never members)."""

    id: int
    members: IntArray
    seeds: int
    money_fen: int
    victims: int
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
    """Flagged nodes, cases, accounts that received case money (涉案账户) and nodes with a
    role scored at least ``role_threshold``."""
    case_money = edge_events(graph, "transferred").filter("case").get_column("dst").to_numpy()
    seeds = [
        np.flatnonzero(graph.flagged),
        np.flatnonzero(graph.types == node_type_code("case")),
        case_money.astype(np.int64),
    ]
    if roles is not None and not roles.is_empty():
        strong = roles.filter(pl.col("score") >= role_threshold).get_column("node").to_numpy()
        seeds.append(strong.astype(np.int64))
    return np.unique(np.concatenate(seeds)).astype(np.int64)


def _victim_money(graph: EntityGraph, community: IntArray, n_gangs: int) -> IntArray:
    """Money victims paid into the accounts of each of ``n_gangs`` communities (fen)."""
    linked = edge_events(graph, "transferred").filter("case")
    received = linked.get_column("dst").unique().implode()
    paid = linked.filter(~pl.col("src").is_in(received))
    dst = paid.get_column("dst").to_numpy()
    where = community[dst]
    inside = where >= 0
    return np.bincount(
        where[inside], weights=paid.get_column("value").to_numpy()[inside], minlength=n_gangs
    ).astype(np.int64)


def _reported_by_victims(graph: EntityGraph) -> BoolArray:
    """The reported-in edges from a victim (person) to their case."""
    reported: BoolArray = graph.etype == edge_type_code("reported-in")
    from_person: BoolArray = graph.types[graph.src] == node_type_code("person")
    return reported & from_person


def _victims_of_cases(graph: EntityGraph, community: IntArray, n_gangs: int) -> IntArray:
    """Distinct victims of the cases in each of ``n_gangs`` communities."""
    reported = _reported_by_victims(graph)
    gang = community[graph.dst[reported]]
    pairs = np.unique(np.stack([gang, graph.src[reported]], axis=1)[gang >= 0], axis=0)
    return np.bincount(pairs[:, 0], minlength=n_gangs).astype(np.int64)


def _key_nodes(
    members: IntArray, local: ig.Graph, index: IntArray, count: int, seed: int
) -> tuple[KeyNode, ...]:
    sub = local.induced_subgraph(index)
    degree = np.array(sub.strength(weights="weight"), dtype=np.float64)
    sources = None
    if sub.vcount() > _EXACT_BETWEENNESS:  # estimate from a seeded sample of sources
        rng = np.random.default_rng(seed)
        sources = rng.choice(sub.vcount(), _SAMPLED_SOURCES, replace=False)
    between = np.array(sub.betweenness(directed=False, sources=sources), dtype=np.float64)
    order = np.lexsort((-between, -degree))[:count]
    return tuple(KeyNode(int(members[i]), float(degree[i]), float(between[i])) for i in order)


def victim_nodes(graph: EntityGraph) -> BoolArray:
    """Persons reported in a case as its victim, and what is registered to them."""
    victims = np.zeros(graph.n_nodes, dtype=bool)
    victims[graph.src[_reported_by_victims(graph)]] = True
    owned = graph.etype == edge_type_code("registered-by")
    victims[graph.src[owned][victims[graph.dst[owned]]]] = True
    return victims


def _peel(membership: IntArray, pairs: IntArray, keep: BoolArray) -> IntArray:
    """Membership with the periphery removed (-1): members with fewer than two distinct
    neighbours in their own community leave it, repeatedly; ``keep`` nodes stay."""
    membership = membership.copy()
    lo, hi = np.minimum(pairs[:, 0], pairs[:, 1]), np.maximum(pairs[:, 0], pairs[:, 1])
    distinct = np.unique(lo * membership.size + hi)
    lo, hi = distinct // membership.size, distinct % membership.size
    while True:
        inside = (membership[lo] >= 0) & (membership[lo] == membership[hi])
        degree = np.bincount(lo[inside], minlength=membership.size)
        degree += np.bincount(hi[inside], minlength=membership.size)
        leaving = (membership >= 0) & (degree < _PERIPHERY_DEGREE) & ~keep
        if not leaving.any():
            return membership
        membership[leaving] = -1


def _default_resolution(n_nodes: int) -> float:
    """CPM density for a suspicious part of ``n_nodes`` nodes: 2/√N, at least 0.005."""
    return max(2 / float(np.sqrt(max(n_nodes, 1))), _MIN_RESOLUTION)


def find_gangs(
    graph: EntityGraph,
    *,
    roles: pl.DataFrame | None = None,
    seeds: IntArray | None = None,
    role_threshold: float = 0.6,
    hops: int = 2,
    cap: int | None = 50,
    edge_filter: EdgeFilter | None = None,
    resolution: float | None = None,
    min_size: int = 3,
    min_seed_share: float = 0.1,
    key_nodes: int = 5,
    iterations: int = 2,
    seed: int = 0,
) -> list[Gang]:
    """Gangs found by Leiden on the suspicious part of the graph, most money first.

    ``seeds`` default to :func:`gang_seeds`; ``roles`` (from ``assign_roles``) add seeds
    and fill each gang's role counts. Raises ``InvalidInput`` for bad arguments."""
    if not isinstance(min_size, int) or min_size < 1:
        raise InvalidInput("expected a whole number ≥ 1", field="min_size", value=min_size)
    if resolution is not None and not resolution > 0:
        raise InvalidInput("expected a positive number", field="resolution", value=resolution)
    if not 0 <= min_seed_share <= 1:
        raise InvalidInput(
            "expected a share between 0 and 1", field="min_seed_share", value=min_seed_share
        )
    start = gang_seeds(graph, roles, role_threshold=role_threshold) if seeds is None else seeds
    flt = edge_filter or EdgeFilter(types=GANG_EDGE_TYPES)
    if not start.size:
        return []
    part = expand(graph, start, hops=hops, edge_filter=flt, cap=cap)
    nodes = np.sort(part.nodes)
    local_of = np.full(graph.n_nodes, -1, dtype=np.int64)
    local_of[nodes] = np.arange(nodes.size)
    pairs = np.stack([local_of[graph.src[part.edges]], local_of[graph.dst[part.edges]]], axis=1)
    local = ig.Graph(n=nodes.size, edges=pairs, directed=False)
    timed = _TIMED[graph.etype[part.edges]]
    local.es["weight"] = np.where(timed, part.count.astype(np.float64) ** 2, 4.0)
    ig.set_random_number_generator(random.Random(seed))
    try:
        partition = local.community_leiden(
            objective_function="CPM",
            weights="weight",
            resolution=_default_resolution(nodes.size) if resolution is None else resolution,
            n_iterations=iterations,
        )
    finally:
        ig.set_random_number_generator(random)
    is_seed = np.zeros(nodes.size, dtype=bool)
    is_seed[local_of[start]] = True
    is_victim = victim_nodes(graph)[nodes]
    clustered = np.asarray(partition.membership, dtype=np.int64)
    membership = np.where(is_victim, -1, clustered)
    membership = _peel(membership, pairs, is_seed)
    labels = int(clustered.max()) + 1 if clustered.size else 0
    member = membership >= 0
    sizes = np.bincount(membership[member], minlength=labels)
    seeded = np.bincount(membership[member], weights=is_seed[member], minlength=labels)
    kept = np.flatnonzero((sizes >= min_size) & (seeded > 0) & (seeded >= min_seed_share * sizes))
    community = np.full(graph.n_nodes, -1, dtype=np.int64)
    rank_of = np.full(labels, -1, dtype=np.int64)
    rank_of[kept] = np.arange(kept.size)
    community[nodes[member]] = rank_of[membership[member]]
    money = _victim_money(graph, community, kept.size)
    victims = _victims_of_cases(graph, community, kept.size)
    role_counts: dict[int, dict[str, int]] = {}
    if roles is not None and not roles.is_empty():
        tagged = roles.with_columns(
            gang=pl.Series(community[roles.get_column("node").to_numpy()])
        ).filter(pl.col("gang") >= 0)
        for gang, role, n in tagged.group_by("gang", "role").len().iter_rows():
            role_counts.setdefault(int(gang), {})[str(role)] = int(n)
    gangs = []
    by_label = np.argsort(np.where(member, membership, labels), kind="stable")
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
                money_fen=int(money[rank]),
                victims=int(victims[rank]),
                by_type={t.key: int(c) for t, c in zip(NODE_TYPES, types, strict=True) if c},
                roles=role_counts.get(rank, {}),
                key_nodes=_key_nodes(members, local, index, key_nodes, seed),
            )
        )
    gangs.sort(key=lambda g: (-g.money_fen, -g.size))
    return [replace(g, id=i + 1) for i, g in enumerate(gangs)]


def gang_record(
    graph: EntityGraph, gang: Gang, *, max_members: int | None = None
) -> dict[str, Any]:
    """A gang as plain JSON-ready data with node ids (the first ``max_members`` members)."""
    shown = gang.members if max_members is None else gang.members[:max_members]
    return {
        "gang": gang.id,
        "size": gang.size,
        "money_fen": gang.money_fen,
        "victims": gang.victims,
        "by_type": dict(gang.by_type),
        "roles": dict(gang.roles),
        "key_nodes": [graph.ids[k.node] for k in gang.key_nodes],
        "members": graph.ids.gather(shown).to_list(),
    }
