"""expand and shortest_paths: filters, caps, windows, errors, and a reference BFS."""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime
from itertools import pairwise

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fanzha.errors import InvalidInput, NotFound
from fanzha.graph import (
    EdgeFilter,
    EntityGraph,
    build_graph,
    expand,
    expand_nodes,
    shortest_paths,
)
from tests.graph.conftest import at

P1, P2, P3 = "phone:13800000001", "phone:13800000002", "phone:13800000003"
A1, A2, A3 = "account:6222000000000001", "account:6222000000000002", "account:6222000000000003"


def _ids(graph: EntityGraph, nodes: np.ndarray) -> set[str]:
    return {graph.ids[int(n)] for n in nodes}


def test_one_hop_from_a_phone(tiny_graph: EntityGraph) -> None:
    sub = expand(tiny_graph, P1, hops=1)
    assert _ids(tiny_graph, sub.nodes) == {P1, P2, "person:1", "outlet:1"}
    assert sub.hops[0] == 0 and set(sub.hops[1:].tolist()) == {1}


def test_two_hops_follow_only_the_types_asked(tiny_graph: EntityGraph) -> None:
    flt = EdgeFilter(types=("transferred",))
    sub = expand(tiny_graph, A1, hops=2, edge_filter=flt)
    assert _ids(tiny_graph, sub.nodes) == {A1, A2, A3}


def test_window_recounts_events(tiny_graph: EntityGraph) -> None:
    flt = EdgeFilter(types=("called",), since=at(2), until=at(6))
    sub = expand(tiny_graph, P1, hops=1, edge_filter=flt)
    assert sub.count.tolist() == [1]  # the 1 January call is outside
    assert sub.value.tolist() == [30]
    assert sub.first[0] == sub.last[0] == int(at(5).timestamp())


def test_window_with_no_events_reaches_nothing(tiny_graph: EntityGraph) -> None:
    flt = EdgeFilter(types=("called",), since=at(20), until=at(21))
    assert expand(tiny_graph, P1, hops=2, edge_filter=flt).nodes.tolist() == [
        tiny_graph.index_of(P1)
    ]


def test_static_links_pass_any_window(tiny_graph: EntityGraph) -> None:
    flt = EdgeFilter(types=("registered-by",), since=at(20), until=at(21))
    assert _ids(tiny_graph, expand(tiny_graph, P1, hops=1, edge_filter=flt).nodes) == {
        P1,
        "person:1",
    }


@pytest.mark.parametrize(
    ("flt", "reached"),
    [
        pytest.param(EdgeFilter(types=("called",), min_count=2), {P1, P2}, id="min-count-kept"),
        pytest.param(EdgeFilter(types=("called",), min_count=3), {P1}, id="min-count-dropped"),
        pytest.param(EdgeFilter(types=("transferred",), min_amount_fen=30_000), None, id="amount"),
    ],
)
def test_minimums(tiny_graph: EntityGraph, flt: EdgeFilter, reached: set[str] | None) -> None:
    seed = A1 if reached is None else P1
    nodes = _ids(tiny_graph, expand(tiny_graph, seed, hops=1, edge_filter=flt).nodes)
    assert nodes == (reached if reached is not None else {A1, A2})


def test_cap_keeps_flagged_first_and_reports_the_rest() -> None:
    n = 30
    tables = {
        "phones": pl.DataFrame(
            {
                "id": list(range(1, n + 2)),
                "number": [f"1390000{i:04d}" for i in range(n + 1)],
                "flagged": [False] * n + [True],
            }
        ),
        "calls": pl.DataFrame(
            {
                "caller_id": [1] * n,
                "callee_id": list(range(2, n + 2)),
                "started_at": [at(1)] * n,
            }
        ),
    }
    graph = build_graph(tables)
    sub = expand(graph, "phone:13900000000", hops=1, cap=5)
    assert sub.nodes.size == 6
    assert "phone:13900000030" in _ids(graph, sub.nodes)  # the flagged one survives
    assert [(graph.ids[t.node], t.kept, t.dropped) for t in sub.truncated] == [
        ("phone:13900000000", 5, n - 5)
    ]


def test_unknown_seed_names_the_id_and_form(tiny_graph: EntityGraph) -> None:
    with pytest.raises(NotFound, match=r"no node 'phone:13999999999'.*phone:<digits"):
        expand(tiny_graph, "phone:+86 139-9999-9999")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        pytest.param({"hops": -1}, "hops", id="hops"),
        pytest.param({"cap": -5}, "cap", id="cap"),
    ],
)
def test_bad_arguments(tiny_graph: EntityGraph, kwargs: dict[str, int], field: str) -> None:
    with pytest.raises(InvalidInput, match=field):
        expand(tiny_graph, P1, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"since": datetime(2026, 1, 2)}, "aware datetime", id="naive"),
        pytest.param({"since": at(5), "until": at(2)}, "window is empty", id="empty-window"),
        pytest.param({"min_count": -1}, "min_count", id="negative"),
        pytest.param({"types": ("knows",)}, "unknown edge type", id="type"),
    ],
)
def test_bad_filters(tiny_graph: EntityGraph, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        expand(tiny_graph, P1, edge_filter=EdgeFilter(**kwargs))  # type: ignore[arg-type]


def test_shortest_path_from_case_to_phone(tiny_graph: EntityGraph) -> None:
    found = shortest_paths(tiny_graph, "case:A4501002026000001", P2)
    assert found.length == 3
    paths = {tuple(tiny_graph.ids[n] for n in nodes) for nodes, _ in found.paths}
    assert ("case:A4501002026000001", "person:1", P1, P2) in paths
    nodes, steps = found.paths[0]
    assert len(steps) == len(nodes) - 1
    for (u, v), edges in zip(pairwise(nodes), steps, strict=True):
        for e in edges:
            assert {int(tiny_graph.src[e]), int(tiny_graph.dst[e])} == {u, v}


def test_hub_is_not_walked_through(tiny_graph: EntityGraph) -> None:
    # P3 reaches P2 through person:1 → P1 → P2 or through outlet:1 (degree 3).
    direct = shortest_paths(tiny_graph, P3, P2, edge_filter=EdgeFilter(types=("opened-at",)))
    assert direct.length == 2
    avoided = shortest_paths(
        tiny_graph, P3, P2, edge_filter=EdgeFilter(types=("opened-at",)), max_degree=2
    )
    assert avoided.length == -1 and avoided.paths == ()


def test_no_path_within_max_hops(tiny_graph: EntityGraph) -> None:
    assert shortest_paths(tiny_graph, A3, P3, max_hops=2).length == -1


def _reference(n: int, edges: list[tuple[int, int]], seed: int, hops: int) -> dict[int, int]:
    adjacency: dict[int, set[int]] = {i: set() for i in range(n)}
    for a, b in edges:
        if a != b:
            adjacency[a].add(b)
            adjacency[b].add(a)
    dist = {seed: 0}
    queue = deque([seed])
    while queue:
        u = queue.popleft()
        if dist[u] == hops:
            continue
        for v in adjacency[u]:
            if v not in dist:
                dist[v] = dist[u] + 1
                queue.append(v)
    return dist


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 25),
    data=st.data(),
    hops=st.integers(0, 4),
)
def test_expand_matches_a_reference_bfs(n: int, data: st.DataObject, hops: int) -> None:
    pairs = data.draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=60)
    )
    tables = {
        "phones": pl.DataFrame(
            {"id": list(range(n)), "number": [f"1370000{i:04d}" for i in range(n)]}
        ),
        "calls": pl.DataFrame(
            {
                "caller_id": [a for a, _ in pairs],
                "callee_id": [b for _, b in pairs],
                "started_at": [datetime(2026, 1, 1, tzinfo=UTC)] * len(pairs),
            },
            schema={
                "caller_id": pl.Int64,
                "callee_id": pl.Int64,
                "started_at": pl.Datetime("us", "UTC"),
            },
        ),
    }
    graph = build_graph(tables)
    seed = data.draw(st.integers(0, n - 1))
    sub = expand(graph, f"phone:1370000{seed:04d}", hops=hops, cap=None)
    got = {int(graph.ids[int(v)][-4:]): int(h) for v, h in zip(sub.nodes, sub.hops, strict=True)}
    assert got == _reference(n, pairs, seed, hops)
    nodes, dist = expand_nodes(graph, f"phone:1370000{seed:04d}", hops=hops)
    only = {int(graph.ids[int(v)][-4:]): int(h) for v, h in zip(nodes, dist, strict=True)}
    assert only == got and nodes.size == len(only)
    path = shortest_paths(graph, f"phone:1370000{seed:04d}", "phone:13700000000", max_hops=8)
    expected = _reference(n, pairs, seed, 8).get(0, -1)
    assert path.length == expected


@pytest.mark.parametrize(
    "flt",
    [
        None,
        EdgeFilter(types=("called",)),
        EdgeFilter(since=datetime(2026, 1, 2, tzinfo=UTC)),
        EdgeFilter(min_amount_fen=25_000),
    ],
)
def test_expand_nodes_agrees_with_expand(tiny_graph: EntityGraph, flt: EdgeFilter | None) -> None:
    for seed in ("phone:13800000001", "account:6222000000000001", "person:1"):
        for hops in (0, 1, 2, 3):
            sub = expand(tiny_graph, seed, hops=hops, cap=None, edge_filter=flt)
            nodes, dist = expand_nodes(tiny_graph, seed, hops=hops, edge_filter=flt)
            assert dict(zip(nodes.tolist(), dist.tolist(), strict=True)) == dict(
                zip(sub.nodes.tolist(), sub.hops.tolist(), strict=True)
            )
