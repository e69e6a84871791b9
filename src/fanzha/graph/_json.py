"""A subgraph as the JSON the graph view draws::

    {"nodes": [{"id", "type", "label", "hop", "flagged", "role"?, "gang"?, "props"}],
     "edges": [{"source", "target", "type", "count", "amount_fen"?, "duration_s"?,
                "first", "last"}],
     "truncated": [{"id", "label", "kept", "dropped"}],
     "stats": {"nodes", "edges", "by_type", "seeds", "hops", "cap", "truncated_nodes",
               "dropped_neighbours", "filter"}}

Times are ISO 8601 UTC strings (null when unknown); ``role`` is the node's strongest role
``{"key", "label", "score", "reason"}`` when a roles frame is given; ``gang`` the id of the
gang it belongs to when gangs are given.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
import polars as pl

from fanzha.graph._clean import NO_TIME
from fanzha.graph._expand import Subgraph
from fanzha.graph._gangs import Gang
from fanzha.graph._graph import EntityGraph
from fanzha.graph._schema import EDGE_TYPES, NODE_TYPES, edge_type_code

__all__ = ["iso_time", "subgraph_json"]

_CALLED = edge_type_code("called")
_TRANSFERRED = edge_type_code("transferred")


def iso_time(seconds: int) -> str | None:
    """Epoch seconds as ``2024-01-31T08:00:00Z`` (None for an unknown time)."""
    if seconds == NO_TIME:
        return None
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _roles_by_node(roles: pl.DataFrame | None, nodes: np.ndarray) -> dict[int, dict[str, Any]]:
    if roles is None or roles.is_empty():
        return {}
    best = (
        roles.filter(pl.col("node").is_in(nodes.tolist()))
        .sort("score", descending=True)
        .unique("node", keep="first")
    )
    return {
        int(row["node"]): {
            "key": row["role"],
            "label": row["label"],
            "score": round(float(row["score"]), 3),
            "reason": row["reason"],
        }
        for row in best.iter_rows(named=True)
    }


def subgraph_json(
    graph: EntityGraph,
    sub: Subgraph,
    *,
    roles: pl.DataFrame | None = None,
    gangs: Sequence[Gang] = (),
) -> dict[str, Any]:
    """The subgraph as plain JSON-ready data (see the module docstring for the shape)."""
    role_of = _roles_by_node(roles, sub.nodes)
    gang_of = {int(m): g.id for g in gangs for m in g.members}
    props = graph.attrs_of(sub.nodes)
    nodes = []
    for at, node in enumerate(sub.nodes.tolist()):
        item: dict[str, Any] = {
            "id": graph.ids[node],
            "type": NODE_TYPES[int(graph.types[node])].key,
            "label": graph.labels[node],
            "hop": int(sub.hops[at]),
            "flagged": bool(graph.flagged[node]),
        }
        if node in role_of:
            item["role"] = role_of[node]
        if node in gang_of:
            item["gang"] = gang_of[node]
        item["props"] = props[at]
        nodes.append(item)
    edges = []
    for at, edge in enumerate(sub.edges.tolist()):
        kind = int(graph.etype[edge])
        item = {
            "source": graph.ids[int(graph.src[edge])],
            "target": graph.ids[int(graph.dst[edge])],
            "type": EDGE_TYPES[kind].key,
            "count": int(sub.count[at]),
        }
        if kind == _TRANSFERRED:
            item["amount_fen"] = int(sub.value[at])
        elif kind == _CALLED:
            item["duration_s"] = int(sub.value[at])
        item["first"] = iso_time(int(sub.first[at]))
        item["last"] = iso_time(int(sub.last[at]))
        edges.append(item)
    truncated = [
        {
            "id": graph.ids[t.node],
            "label": graph.labels[t.node],
            "kept": t.kept,
            "dropped": t.dropped,
        }
        for t in sub.truncated
    ]
    by_type: dict[str, int] = {}
    for node in nodes:
        by_type[node["type"]] = by_type.get(node["type"], 0) + 1
    stats = {
        "nodes": len(nodes),
        "edges": len(edges),
        "by_type": by_type,
        "seeds": [graph.ids[int(s)] for s in sub.seeds],
        "hops": sub.max_hops,
        "cap": sub.cap,
        "truncated_nodes": len(truncated),
        "dropped_neighbours": sum(t.dropped for t in sub.truncated),
        "filter": sub.edge_filter.describe(),
    }
    return {"nodes": nodes, "edges": edges, "truncated": truncated, "stats": stats}
