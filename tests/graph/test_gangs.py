"""find_gangs on the demo city: seeded, sensible against the known gangs, money adds up."""

from __future__ import annotations

import json
from itertools import pairwise

import numpy as np
import polars as pl
import pytest

from fanzha.demo import evaluate_gangs
from fanzha.errors import InvalidInput
from fanzha.graph import EntityGraph, Gang, assign_roles, find_gangs, gang_record
from fanzha.graph._gangs import _default_resolution, gang_seeds, victim_nodes
from tests.graph.conftest import City


@pytest.fixture(scope="module")
def roles(city_graph: EntityGraph) -> pl.DataFrame:
    return assign_roles(city_graph)


@pytest.fixture(scope="module")
def gangs(city_graph: EntityGraph, roles: pl.DataFrame) -> list[Gang]:
    return find_gangs(city_graph, roles=roles)


def test_same_seed_same_gangs(
    city_graph: EntityGraph, roles: pl.DataFrame, gangs: list[Gang]
) -> None:
    again = find_gangs(city_graph, roles=roles, seed=0)
    assert [g.members.tolist() for g in gangs] == [g.members.tolist() for g in again]


def test_gangs_match_the_known_gangs(
    city: City, city_graph: EntityGraph, roles: pl.DataFrame
) -> None:
    gangs = find_gangs(city_graph, roles=roles)
    scores = evaluate_gangs(city_graph, gangs, city["persons"])
    assert scores["purity"] >= 0.7, scores
    assert scores["coverage"] >= 0.5, scores
    assert scores["recovered"] >= 2, scores


def test_every_gang_holds_a_seed_and_is_big_enough(
    city_graph: EntityGraph, roles: pl.DataFrame
) -> None:
    seeds = gang_seeds(city_graph, roles)
    gangs = find_gangs(city_graph, roles=roles, min_size=4)
    assert gangs and all(g.size >= 4 for g in gangs)
    assert all(np.isin(g.members, seeds).any() for g in gangs)
    members = np.concatenate([g.members for g in gangs])
    assert np.unique(members).size == members.size  # a node is in one gang at most
    assert [g.id for g in gangs] == list(range(1, len(gangs) + 1))
    assert all(a.money_fen >= b.money_fen for a, b in pairwise(gangs))


def test_money_is_victims_payments_only(
    city: City, city_graph: EntityGraph, roles: pl.DataFrame
) -> None:
    gangs = find_gangs(city_graph, roles=roles)
    linked = city["transfers"].filter(pl.col("case_id").is_not_null())
    receivers = linked.get_column("dst_account_id").unique().implode()
    paid = linked.filter(~pl.col("src_account_id").is_in(receivers)).get_column("amount_fen").sum()
    total = sum(g.money_fen for g in gangs)
    assert 0 < total <= paid


def test_key_nodes_are_members(gangs: list[Gang]) -> None:
    for gang in gangs[:5]:
        assert 0 < len(gang.key_nodes) <= 5
        assert set(k.node for k in gang.key_nodes) <= set(gang.members.tolist())


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        pytest.param({"min_size": 0}, "min_size", id="min-size"),
        pytest.param({"resolution": 0.0}, "resolution", id="resolution"),
        pytest.param({"min_seed_share": 1.5}, "min_seed_share", id="seed-share"),
    ],
)
def test_bad_arguments(city_graph: EntityGraph, kwargs: dict[str, float], field: str) -> None:
    with pytest.raises(InvalidInput, match=field):
        find_gangs(city_graph, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("n_nodes", "expected"), [(0, 2.0), (100, 0.2), (160_000, 0.005), (1_300_000, 0.005)]
)
def test_default_resolution_is_two_over_root_n_with_a_floor(n_nodes: int, expected: float) -> None:
    assert _default_resolution(n_nodes) == pytest.approx(expected)


def test_no_seeds_no_gangs(city_graph: EntityGraph) -> None:
    assert find_gangs(city_graph, seeds=np.empty(0, dtype=np.int64)) == []


def test_victims_are_counted_not_members(
    city: City, city_graph: EntityGraph, gangs: list[Gang]
) -> None:
    victims = victim_nodes(city_graph)
    assert victims.any()
    assert not any(victims[g.members].any() for g in gangs)
    case_victims = city["cases"].get_column("victim_id").n_unique()
    assert 0 < sum(g.victims for g in gangs) <= case_victims


def test_gangs_are_mostly_suspects_not_bystanders(
    city: City, city_graph: EntityGraph, gangs: list[Gang]
) -> None:
    scores = evaluate_gangs(city_graph, gangs, city["persons"])
    assert scores["others"] <= scores["known_gang_persons"], scores


def test_every_member_but_seeds_has_two_neighbours_in_its_gang(
    city_graph: EntityGraph, roles: pl.DataFrame, gangs: list[Gang]
) -> None:
    seeds = gang_seeds(city_graph, roles)
    gang_of = np.full(city_graph.n_nodes, -1)
    for gang in gangs:
        gang_of[gang.members] = gang.id
    inside = (gang_of[city_graph.src] >= 0) & (gang_of[city_graph.src] == gang_of[city_graph.dst])
    degree = np.bincount(city_graph.src[inside], minlength=city_graph.n_nodes)
    degree += np.bincount(city_graph.dst[inside], minlength=city_graph.n_nodes)
    members = np.concatenate([g.members for g in gangs])
    peripheral = members[(degree[members] < 2) & ~np.isin(members, seeds)]
    assert peripheral.size == 0


def test_seed_share_keeps_citizen_circles_out(
    city_graph: EntityGraph, roles: pl.DataFrame, gangs: list[Gang]
) -> None:
    seeds = gang_seeds(city_graph, roles)
    assert all(np.isin(g.members, seeds).sum() >= 0.1 * g.size for g in gangs)
    loose = find_gangs(city_graph, roles=roles, min_seed_share=0.0)
    assert sum(g.size for g in loose) > sum(g.size for g in gangs)


def test_gang_record_is_plain_data(city_graph: EntityGraph, gangs: list[Gang]) -> None:
    record = gang_record(city_graph, gangs[0], max_members=3)
    assert record["gang"] == 1 and record["size"] == gangs[0].size
    assert len(record["members"]) == min(3, gangs[0].size)
    assert all(isinstance(m, str) for m in record["members"] + record["key_nodes"])
    assert json.loads(json.dumps(record)) == record
