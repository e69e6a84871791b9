"""The entity graph as compact arrays: a node table, aggregated typed edges with their timed
events, and an undirected CSR adjacency over the aggregated edges.

Layout (``n`` nodes, ``E`` aggregated edges, ``M`` events)::

    nodes      ids (polars String), types (int8 codes of NODE_TYPES), labels, flagged
    edges      src, dst (int32/int64 node indices), etype (int8 codes of EDGE_TYPES)
               eptr[E+1]: events of edge e are ev_*[eptr[e]:eptr[e+1]], sorted by time
    events     ev_time (epoch s, NO_TIME when unknown), ev_value (fen or seconds),
               ev_cum[M+1] prefix sums of ev_value, ev_case (a transfer linked to a case),
               ev_key = e * key_span + (time clipped to [t0, t1] - t0), sorted
    adjacency  indptr[n+1], adj_node, adj_edge: both directions of every edge

Parallel events between two nodes of one type are one edge (count, value sum, first and
last time); a time window recounts them from the events with two binary searches per edge.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from fanzha.errors import InvalidInput, NotFound
from fanzha.graph._clean import NO_TIME, IntArray
from fanzha.graph._ids import SIM_FORM, normalize_node_id, split_node_id
from fanzha.graph._schema import EDGE_TYPES, NODE_TYPES, edge_type_code

__all__ = [
    "AttrBlock",
    "BuildReport",
    "EdgeFilter",
    "EdgeWeights",
    "EntityGraph",
    "edge_events",
    "edge_weights",
]

BoolArray = npt.NDArray[np.bool_]
_TIMED = np.array([t.timed for t in EDGE_TYPES])
_TRANSFERRED = edge_type_code("transferred")


@dataclass(frozen=True, slots=True)
class AttrBlock:
    """Properties of the nodes ``start … start + frame.height - 1``, one row each."""

    start: int
    frame: pl.DataFrame


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What the build kept, merged and dropped, by node type, edge type or ``table.column``."""

    nodes: Mapping[str, int]
    edges: Mapping[str, int]
    events: Mapping[str, int]
    self_loops: Mapping[str, int]
    dangling: Mapping[str, int]
    duplicate_nodes: Mapping[str, int]
    unnormalised: Mapping[str, int]

    def as_dict(self) -> dict[str, dict[str, int]]:
        """The report as plain dicts (for JSON)."""
        return {name: dict(getattr(self, name)) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class EntityGraph:
    """Nodes, aggregated typed edges, their timed events and the undirected CSR adjacency."""

    ids: pl.Series
    types: npt.NDArray[np.int8]
    labels: pl.Series
    flagged: BoolArray
    attrs: tuple[AttrBlock, ...]
    lookup_ids: pl.Series
    lookup_nodes: IntArray
    src: IntArray
    dst: IntArray
    etype: npt.NDArray[np.int8]
    eptr: IntArray
    ev_time: IntArray
    ev_value: IntArray
    ev_cum: IntArray
    ev_case: BoolArray
    ev_key: IntArray
    t0: int
    t1: int
    indptr: IntArray
    adj_node: IntArray
    adj_edge: IntArray
    report: BuildReport
    count: IntArray = field(init=False)
    value: IntArray = field(init=False)
    first: IntArray = field(init=False)
    last: IntArray = field(init=False)

    def __post_init__(self) -> None:
        starts, ends = self.eptr[:-1], self.eptr[1:]
        object.__setattr__(self, "count", (ends - starts).astype(np.int64))
        object.__setattr__(self, "value", self.ev_cum[ends] - self.ev_cum[starts])
        has = ends > starts
        first = np.full(starts.size, NO_TIME, dtype=np.int64)
        last = first.copy()
        first[has] = self.ev_time[starts[has]]
        last[has] = self.ev_time[ends[has] - 1]
        object.__setattr__(self, "first", first)
        object.__setattr__(self, "last", last)

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return int(self.types.size)

    @property
    def n_edges(self) -> int:
        """Number of aggregated edges."""
        return int(self.etype.size)

    @property
    def key_span(self) -> int:
        """The multiplier of the edge index in ``ev_key``."""
        return self.t1 - self.t0 + 2

    def degree(self, nodes: IntArray | None = None) -> IntArray:
        """Undirected degree (aggregated edges) of ``nodes`` (all when None)."""
        deg = np.diff(self.indptr)
        return deg if nodes is None else deg[nodes]

    def index_of(self, node_id: str) -> int:
        """The node index of a typed id (``sim:IMSI`` resolves to its phone).

        Raises ``InvalidInput`` for an id that is not typed, ``NotFound`` naming the id and
        the form of its type when the graph has no such node."""
        normal = normalize_node_id(node_id)
        at = int(self.lookup_ids.search_sorted(normal, side="left"))
        if at < self.lookup_ids.len() and self.lookup_ids[at] == normal:
            return int(self.lookup_nodes[at])
        kind = split_node_id(normal)[0]
        form = SIM_FORM if kind == "sim" else next(t.form for t in NODE_TYPES if t.key == kind)
        raise NotFound(f"no node {normal!r} in the graph (ids of this type look like {form})")

    def indices_of(self, node_ids: Sequence[str]) -> IntArray:
        """Node indices of several typed ids (see :meth:`index_of`)."""
        return np.array([self.index_of(i) for i in node_ids], dtype=np.int64)

    def type_of(self, node: int) -> str:
        """The node type key of node ``node``."""
        return NODE_TYPES[int(self.types[node])].key

    def attrs_of(self, nodes: IntArray) -> list[dict[str, Any]]:
        """The non-empty properties of each node in ``nodes`` (order kept)."""
        out: list[dict[str, Any]] = [{} for _ in range(nodes.size)]
        for block in self.attrs:
            inside = np.flatnonzero(
                (nodes >= block.start) & (nodes < block.start + block.frame.height)
            )
            if not inside.size:
                continue
            rows = block.frame[nodes[inside] - block.start].to_dicts()
            for at, row in zip(inside, rows, strict=True):
                out[at] = {k: v for k, v in row.items() if v is not None}
        return out


def _epoch(value: datetime | None, name: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise InvalidInput("expected an aware datetime, e.g. in UTC", field=name, value=value)
    return int(value.timestamp())


@dataclass(frozen=True, slots=True)
class EdgeFilter:
    """Which edges a traversal may use: edge types (None: all), a time window ``[since,
    until)`` and minimum count / amount. Windows and minimums apply to timed edge types
    (calls, texts, transfers, reports, contacts, logins); static facts always pass."""

    types: tuple[str, ...] | None = None
    since: datetime | None = None
    until: datetime | None = None
    min_count: int = 1
    min_amount_fen: int = 0

    def __post_init__(self) -> None:
        for name in ("min_count", "min_amount_fen"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0:
                raise InvalidInput("expected a whole number ≥ 0", field=name, value=value)
        since, until = _epoch(self.since, "since"), _epoch(self.until, "until")
        if since is not None and until is not None and until <= since:
            raise InvalidInput("the window is empty: until must be after since", field="until")

    def type_mask(self) -> BoolArray:
        """Allowed edge types as a boolean mask over EDGE_TYPES codes."""
        if self.types is None:
            return np.ones(len(EDGE_TYPES), dtype=bool)
        mask = np.zeros(len(EDGE_TYPES), dtype=bool)
        mask[[edge_type_code(t) for t in self.types]] = True
        return mask

    def window(self) -> tuple[int | None, int | None]:
        """The window as epoch seconds (None: open)."""
        return _epoch(self.since, "since"), _epoch(self.until, "until")

    def describe(self) -> dict[str, Any]:
        """The filter as plain data (for JSON stats)."""
        return {
            "types": list(self.types) if self.types is not None else None,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "min_count": self.min_count,
            "min_amount_fen": self.min_amount_fen,
        }


@dataclass(frozen=True, slots=True)
class EdgeWeights:
    """Windowed count, value sum, first and last time of some edges, and which pass."""

    count: IntArray
    value: IntArray
    first: IntArray
    last: IntArray
    keep: BoolArray


def edge_weights(graph: EntityGraph, edges: IntArray, flt: EdgeFilter) -> EdgeWeights:
    """Count, value, first/last time of ``edges`` inside the filter's window, and whether
    each passes the filter (type allowed, any event in the window, minimums met)."""
    kind = graph.etype[edges]
    keep = flt.type_mask()[kind]
    timed = _TIMED[kind]
    count, value = graph.count[edges], graph.value[edges]
    first, last = graph.first[edges], graph.last[edges]
    since, until = flt.window()
    if since is not None or until is not None:
        low = min(max(since if since is not None else graph.t0, graph.t0), graph.t1 + 1)
        high = min(max(until if until is not None else graph.t1 + 1, graph.t0), graph.t1 + 1)
        # Edges wholly inside or outside the window keep or lose all their events; only
        # those that straddle a bound are recounted with two binary searches.
        inside = timed & (first >= low) & (last < high)
        outside = timed & ((last < low) | (first >= high))
        count = np.where(outside, 0, count)
        value = np.where(outside, 0, value)
        first = np.where(outside, NO_TIME, first)
        last = np.where(outside, NO_TIME, last)
        cut = np.flatnonzero(timed & ~inside & ~outside)
        if cut.size:
            base = edges[cut].astype(np.int64) * graph.key_span
            i = np.searchsorted(graph.ev_key, base + (low - graph.t0), side="left")
            j = np.maximum(i, np.searchsorted(graph.ev_key, base + (high - graph.t0), side="left"))
            some = j > i
            count[cut] = j - i
            value[cut] = graph.ev_cum[j] - graph.ev_cum[i]
            first[cut] = np.where(
                some, graph.ev_time[np.minimum(i, graph.ev_time.size - 1)], NO_TIME
            )
            last[cut] = np.where(some, graph.ev_time[np.maximum(j - 1, 0)], NO_TIME)
    keep &= ~timed | (count >= max(1, flt.min_count))
    keep &= (kind != _TRANSFERRED) | (value >= flt.min_amount_fen)
    return EdgeWeights(count, value, first, last, keep)


def edge_events(graph: EntityGraph, kind: str) -> pl.DataFrame:
    """Every event of edge type ``kind`` as a frame: ``edge``, ``src``, ``dst`` (node
    indices), ``time`` (epoch s), ``value`` and ``case`` (a transfer linked to a case)."""
    edges = np.flatnonzero(graph.etype == edge_type_code(kind))
    starts = graph.eptr[edges]
    counts = graph.eptr[edges + 1] - starts
    at = np.arange(int(counts.sum()), dtype=np.int64) + np.repeat(
        starts - (np.cumsum(counts) - counts), counts
    )
    return pl.DataFrame(
        {
            "edge": np.repeat(edges, counts),
            "src": np.repeat(graph.src[edges], counts),
            "dst": np.repeat(graph.dst[edges], counts),
            "time": graph.ev_time[at],
            "value": graph.ev_value[at],
            "case": graph.ev_case[at],
        }
    )
