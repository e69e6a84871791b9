"""build_graph: nodes and typed edges from store-shaped frames, bad input handled."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from fanzha.errors import InvalidInput
from fanzha.graph import EntityGraph, build_graph
from fanzha.graph._schema import edge_type_code
from tests.graph.conftest import City, at


def _edge(graph: EntityGraph, a: str, b: str, kind: str) -> int:
    i, j = graph.index_of(a), graph.index_of(b)
    hits = np.flatnonzero(
        (graph.src == i) & (graph.dst == j) & (graph.etype == edge_type_code(kind))
    )
    assert hits.size == 1, (a, b, kind, hits)
    return int(hits[0])


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        pytest.param("phone:13800000001", "person:1", "registered-by", id="phone-owner"),
        pytest.param("account:6222000000000002", "person:2", "registered-by", id="card-holder"),
        pytest.param("device:861325220391378", "person:2", "registered-by", id="device-owner"),
        pytest.param("device:861325220391378", "phone:13800000002", "used-SIM", id="sim-in-device"),
        pytest.param("phone:13800000001", "outlet:1", "opened-at", id="phone-outlet"),
        pytest.param("account:6222000000000001", "outlet:2", "opened-at", id="card-outlet"),
        pytest.param("person:1", "case:A4501002026000001", "reported-in", id="victim"),
        pytest.param(
            "account:6222000000000002", "case:A4501002026000001", "reported-in", id="named-card"
        ),
        pytest.param("phone:13800000001", "phone:13800000002", "texted", id="sms"),
    ],
)
def test_edges_from_tables(tiny_graph: EntityGraph, a: str, b: str, kind: str) -> None:
    _edge(tiny_graph, a, b, kind)


def test_parallel_events_aggregate_and_keep_their_times(tiny_graph: EntityGraph) -> None:
    calls = _edge(tiny_graph, "phone:13800000001", "phone:13800000002", "called")
    money = _edge(tiny_graph, "account:6222000000000001", "account:6222000000000002", "transferred")
    assert tiny_graph.count[calls] == 2 and tiny_graph.value[calls] == 90
    assert tiny_graph.first[calls] == int(at(1).timestamp())  # given out of order
    assert tiny_graph.last[calls] == int(at(5).timestamp())
    assert tiny_graph.count[money] == 2 and tiny_graph.value[money] == 30_000
    times = tiny_graph.ev_time[tiny_graph.eptr[calls] : tiny_graph.eptr[calls + 1]]
    assert list(times) == sorted(times)


def test_device_log_sightings_are_timed_edges_beside_the_latest_device(tiny: City) -> None:
    tiny["device_sightings"] = pl.DataFrame(
        {
            "id": [1, 2, 3],
            "device_id": [1, 1, 1],
            "phone_id": [1, 1, 2],
            "seen_at": [at(3), at(1), at(2)],
        }
    )
    graph = build_graph(tiny)
    seen = _edge(graph, "device:861325220391378", "phone:13800000001", "SIM-seen")
    assert graph.count[seen] == 2
    assert graph.first[seen] == int(at(1).timestamp())
    assert graph.last[seen] == int(at(3).timestamp())
    _edge(graph, "device:861325220391378", "phone:13800000002", "SIM-seen")
    _edge(graph, "device:861325220391378", "phone:13800000002", "used-SIM")


def test_sim_alias_resolves_to_the_phone(tiny_graph: EntityGraph) -> None:
    phone = tiny_graph.index_of("phone:13800000002")
    assert tiny_graph.index_of("sim:460000000000002") == phone


def test_flags_and_props(tiny_graph: EntityGraph) -> None:
    phone = tiny_graph.index_of("phone:13800000002")
    assert tiny_graph.flagged[phone]
    props = tiny_graph.attrs_of(np.array([tiny_graph.index_of("person:1"), phone]))
    assert props[0]["name"] == "张三"
    assert props[1]["store_id"] == 2


def test_self_loops_are_dropped_and_counted(tiny: City) -> None:
    tiny["calls"] = pl.concat(
        [
            tiny["calls"],
            tiny["calls"]
            .head(1)
            .with_columns(id=pl.lit(9, dtype=pl.Int64), callee_id=pl.lit(1, dtype=pl.Int64)),
        ]
    )
    graph = build_graph(tiny)
    assert graph.report.self_loops == {"called": 1}
    assert not np.any(graph.src == graph.dst)


def test_duplicate_rows_merge_into_one_node(tiny: City) -> None:
    extra = (
        tiny["phones"]
        .head(1)
        .with_columns(id=pl.lit(4, dtype=pl.Int64), number=pl.lit("86-13800000001"))
    )
    tiny["phones"] = pl.concat([tiny["phones"], extra], how="diagonal")
    tiny["calls"] = pl.concat(
        [
            tiny["calls"],
            tiny["calls"]
            .head(1)
            .with_columns(id=pl.lit(9, dtype=pl.Int64), caller_id=pl.lit(4, dtype=pl.Int64)),
        ]
    )
    graph = build_graph(tiny)
    assert graph.report.duplicate_nodes == {"phones": 1}
    calls = _edge(graph, "phone:13800000001", "phone:13800000002", "called")
    assert graph.count[calls] == 3


def test_unnormalisable_key_keeps_the_node(tiny: City) -> None:
    tiny["phones"] = tiny["phones"].with_columns(
        number=pl.when(pl.col("id") == 3).then(pl.lit("n/a")).otherwise("number")
    )
    graph = build_graph(tiny)
    assert graph.report.unnormalised == {"phones": 1}
    assert graph.ids.to_list().count("phone:#3") == 1


def test_dangling_references_are_counted(tiny: City) -> None:
    tiny["calls"] = tiny["calls"].with_columns(callee_id=pl.Series([2, 2, 99]))
    graph = build_graph(tiny)
    assert graph.report.dangling == {"calls": 1}


def test_missing_column_is_refused(tiny: City) -> None:
    tiny["transfers"] = tiny["transfers"].drop("amount_fen")
    with pytest.raises(InvalidInput, match=r"transfers: missing column\(s\) \['amount_fen'\]"):
        build_graph(tiny)


def test_mixed_time_formats_and_text_amounts(tiny: City) -> None:
    tiny["transfers"] = tiny["transfers"].with_columns(
        at=pl.Series(["2026-01-08 10:00:00", "2026-01-08T11:00:00Z", "1767873600"]),
        amount_fen=pl.Series(["10,000", "20000", "29000"]),
    )
    graph = build_graph(tiny)
    money = _edge(graph, "account:6222000000000001", "account:6222000000000002", "transferred")
    assert graph.value[money] == 30_000
    assert graph.first[money] == int(at(8, 10).timestamp())


def test_bad_amount_names_the_row(tiny: City) -> None:
    tiny["transfers"] = tiny["transfers"].with_columns(amount_fen=pl.Series(["1", "2", "3.5"]))
    with pytest.raises(InvalidInput, match=r"line 3, transfers\.amount_fen"):
        build_graph(tiny)


def test_extra_edges_add_ip_logins(tiny: City) -> None:
    extra = pl.DataFrame(
        {
            "source": ["im:wechat:wxid_x", "im:wechat:wxid_x"],
            "target": ["ip:10.0.0.8", "ip:10.0.0.8"],
            "type": ["logged-in-from", "logged-in-from"],
            "at": [at(2), at(3)],
        }
    )
    graph = build_graph(tiny, extra_edges=extra)
    login = _edge(graph, "im:wechat:wxid_x", "ip:10.0.0.8", "logged-in-from")
    assert graph.count[login] == 2


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        pytest.param("target", "10.0.0.8", "not a typed node id", id="untyped"),
        pytest.param("type", "knows", "unknown edge type", id="type"),
        pytest.param("at", None, "needs a time", id="timed-without-time"),
    ],
)
def test_bad_extra_edges(tiny: City, column: str, value: object, message: str) -> None:
    row = {
        "source": "im:qq:12345",
        "target": "ip:10.0.0.8",
        "type": "logged-in-from",
        "at": "2026-01-02",
    }
    row[column] = value
    with pytest.raises(InvalidInput, match=message):
        build_graph(tiny, extra_edges=pl.DataFrame([row]))


def test_empty_input_gives_an_empty_graph() -> None:
    graph = build_graph({})
    assert graph.n_nodes == 0 and graph.n_edges == 0


def test_demo_city_every_record_becomes_an_event(city: City, city_graph: EntityGraph) -> None:
    events = city_graph.report.events
    assert events["called"] + events["texted"] == city["calls"].height
    assert events["transferred"] == city["transfers"].height
    assert city_graph.report.nodes["phone"] == city["phones"].height
    assert not city_graph.report.dangling and not city_graph.report.self_loops


def test_tables_are_not_modified(tiny: City) -> None:
    before = {name: frame.clone() for name, frame in tiny.items()}
    build_graph(tiny)
    for name, frame in tiny.items():
        assert frame.equals(before[name])
