"""研判扩线 over HTTP on a small demo city: expand a gang number, paths, gangs, outlets, FtM."""

from __future__ import annotations

import json
from collections import Counter

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from fanzha.store import Device, Phone
from tests.api.conftest import demo_app
from tests.graph.test_ftm import problems

WHY = {"reason": "研判扩线：关联分析"}


def _goip_number(engine: Engine) -> str:
    with Session(engine) as session:
        return str(
            session.execute(
                select(Phone.number)
                .join(Device, Device.id == Phone.device_id)
                .where(Device.kind == "goip")
                .limit(1)
            ).scalar_one()
        )


def test_expand_paths_gangs_outlets_and_export(demo_engine: Engine) -> None:
    number = _goip_number(demo_engine)
    with demo_app(demo_engine, "analyst") as client:
        expanded = client.get(
            "/api/v1/graph/expand", params={"from": number, "hops": 2, "cap": 20, **WHY}
        )
        assert expanded.status_code == 200, expanded.text
        body = expanded.json()
        ids = {node["id"] for node in body["nodes"]}
        assert f"phone:{number}" in ids
        assert any(node["type"] == "device" for node in body["nodes"])
        assert body["edges"]
        other = next(node["id"] for node in body["nodes"] if node["hop"] == 2)
        path = client.get("/api/v1/graph/path", params={"a": number, "b": other, **WHY}).json()
        assert path["length"] == 2 and path["paths"][0][0] == f"phone:{number}"
        gangs = client.get("/api/v1/graph/gangs").json()
        assert gangs["count"] >= 1 and gangs["data"][0]["size"] >= 3
        outlets = client.get("/api/v1/graph/outlets")
        assert outlets.status_code == 200
        ranked = outlets.json()["data"]
        assert ranked and [o["rank"] for o in ranked] == list(range(1, len(ranked) + 1))
        assert all(o["id"].startswith("outlet:") and o["cards"] >= 1 for o in ranked)
        dens = client.get("/api/v1/graph/roles", params={"role": "goip_den"})
        assert dens.status_code == 200
        scored = dens.json()
        assert scored["count"] >= 1 and {r["role"] for r in scored["data"]} == {"goip_den"}
        scores = [r["score"] for r in scored["data"]]
        assert scores == sorted(scores, reverse=True)
        export = client.get("/api/v1/graph/export.ftm", params={"from": number, "hops": 1, **WHY})
        entities = [json.loads(line) for line in export.text.splitlines()]
        assert entities and all({"id", "schema", "properties"} <= set(e) for e in entities)
        assert problems(entities) == Counter()
        assert (
            client.get(
                "/api/v1/graph/expand", params={"from": "phone:10000000000", **WHY}
            ).status_code
            == 404
        )
    with demo_app(demo_engine, "commander") as client:
        assert client.get("/api/v1/graph/gangs").status_code == 403


def test_every_graph_route_documents_its_body(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for name in ("expand", "path", "gangs", "roles", "outlets"):
        ok = paths[f"/api/v1/graph/{name}"]["get"]["responses"]["200"]
        assert ok["content"]["application/json"]["schema"]["$ref"].endswith("Public")
    ftm = paths["/api/v1/graph/export.ftm"]["get"]["responses"]["200"]
    assert ftm["content"]["text/plain"]["schema"] == {"type": "string"}
