"""subgraph_json: the shape the graph view draws."""

from __future__ import annotations

import json

import pytest

from fanzha.graph import EntityGraph, assign_roles, expand, find_gangs, subgraph_json
from tests.graph.conftest import City


def test_shape_and_values(tiny_graph: EntityGraph) -> None:
    data = subgraph_json(tiny_graph, expand(tiny_graph, "account:6222000000000001", hops=1))
    assert set(data) == {"nodes", "edges", "truncated", "stats"}
    node = next(n for n in data["nodes"] if n["id"] == "account:6222000000000001")
    assert {"id", "type", "label", "hop", "flagged", "props"} <= set(node)
    money = next(e for e in data["edges"] if e["type"] == "transferred")
    assert money == {
        "source": "account:6222000000000001",
        "target": "account:6222000000000002",
        "type": "transferred",
        "count": 2,
        "amount_fen": 30_000,
        "first": "2026-01-08T10:00:00Z",
        "last": "2026-01-08T11:00:00Z",
    }
    assert data["stats"]["nodes"] == len(data["nodes"])
    json.dumps(data, ensure_ascii=False)  # plain JSON


@pytest.mark.parametrize(
    ("kind", "field", "present"),
    [
        pytest.param("called", "duration_s", True, id="calls-duration"),
        pytest.param("called", "amount_fen", False, id="calls-no-amount"),
        pytest.param("registered-by", "amount_fen", False, id="static-no-amount"),
    ],
)
def test_optional_edge_fields(
    tiny_graph: EntityGraph, kind: str, field: str, present: bool
) -> None:
    data = subgraph_json(tiny_graph, expand(tiny_graph, "phone:13800000001", hops=1))
    edge = next(e for e in data["edges"] if e["type"] == kind)
    assert (field in edge) is present


def test_roles_and_gangs_are_attached(city: City, city_graph: EntityGraph) -> None:
    roles = assign_roles(city_graph)
    gangs = find_gangs(city_graph, roles=roles)
    start = city_graph.ids[int(gangs[0].key_nodes[0].node)]
    data = subgraph_json(city_graph, expand(city_graph, start, hops=1), roles=roles, gangs=gangs)
    seed = next(n for n in data["nodes"] if n["id"] == start)
    assert seed["gang"] == gangs[0].id
    with_role = [n for n in data["nodes"] if "role" in n]
    assert with_role and all(
        {"key", "label", "score", "reason"} <= set(n["role"]) for n in with_role
    )
