"""Clues, operations, dens and raids over HTTP: the clue workflow with its 409s, the live
roll-up of an operation, the commander's overdue list, and district scoping."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from fanzha.store import User
from fanzha.store._ops_models import Clue
from tests.api.conftest import _HASH, PASSWORD, login

WHY = {"reason": "专项行动研判"}


def _district_investigator(engine: Engine, client: TestClient, district: str) -> dict[str, str]:
    name = f"inv_{len(district)}_{abs(hash(district)) % 1000}"
    with Session(engine) as session:
        session.add(
            User(
                username=name,
                display_name="侦查",
                role="investigator",
                district=district,
                password_hash=_HASH,
            )
        )
        session.commit()
    response = client.post("/api/v1/auth/login", json={"username": name, "password": PASSWORD})
    client.cookies.clear()
    return {"Authorization": f"Bearer {response.json()['token']}"}


def _clue(client: TestClient, headers: dict[str, str], **extra: object) -> dict:
    body = {"source": "manual", "title": "某跑分窝点线索", **extra}
    response = client.post("/api/v1/clues", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_clue_moves_to_landed_and_illegal_moves_get_409(client: TestClient) -> None:
    analyst = login(client, "analyst")
    clue = _clue(client, analyst, owner_level="district", district="青秀区")
    assert (clue["state"], clue["state_name"], clue["allowed"]) == (
        "pending",
        "待研判",
        ["analysing", "no_value"],
    )
    due = datetime.fromisoformat(clue["sla_due_at"]) - datetime.fromisoformat(clue["created_at"])
    assert due == timedelta(hours=12)
    url = f"/api/v1/clues/{clue['id']}/transition"
    bad = client.post(
        url, json={"to_state": "landed", "version": 1, "note": "抓获"}, headers=analyst
    )
    assert bad.status_code == 409
    message = bad.json()["error"]["message"]
    assert "待研判" in message and "已落地" in message
    assert "pending" in str(bad.json()) and "landed" in str(bad.json())
    moved = client.post(url, json={"to_state": "analysing", "version": 1}, headers=analyst)
    assert moved.status_code == 200 and moved.json()["version"] == 2
    stale = client.post(url, json={"to_state": "expanded", "version": 1}, headers=analyst)
    assert stale.status_code == 409
    for state, version in (("expanded", 2), ("landed", 3)):
        done = client.post(
            url, json={"to_state": state, "version": version, "note": "抓获3人"}, headers=analyst
        )
        assert done.status_code == 200, done.text
    detail = client.get(f"/api/v1/clues/{clue['id']}", params=WHY, headers=analyst).json()
    assert (
        detail["state"] == "landed" and detail["outcome"] == "抓获3人" and detail["allowed"] == []
    )
    assert [(t["from_state"], t["to_state"]) for t in detail["transitions"]] == [
        ("pending", "analysing"),
        ("analysing", "expanded"),
        ("expanded", "landed"),
    ]
    audit = client.get(
        "/api/v1/audit", params={"object_type": "clue"}, headers=login(client, "admin")
    )
    assert audit.status_code == 200


def test_open_clues_past_their_sla_are_listed_for_the_commander(
    client: TestClient, engine: Engine
) -> None:
    analyst = login(client, "analyst")
    late = _clue(client, analyst, title="过夜线索")
    _clue(client, analyst, title="新线索")
    with Session(engine) as session:
        session.execute(
            update(Clue)
            .where(Clue.id == late["id"])
            .values(sla_due_at=datetime.now(UTC) - timedelta(hours=1))
        )
        session.commit()
    found = client.get(
        "/api/v1/clues", params={"overdue": "true"}, headers=login(client, "commander")
    ).json()
    assert [c["title"] for c in found["data"]] == ["过夜线索"] and found["data"][0]["overdue"]


def test_an_operation_rolls_up_its_raids_and_seizures(client: TestClient) -> None:
    commander = login(client, "commander")
    op = client.post(
        "/api/v1/operations",
        json={
            "name": "绿城反诈·断卡 第二轮",
            "starts_on": "2022-05-23",
            "ends_on": "2022-05-24",
            "lead_unit": "市局反诈中心",
            "officers": 1500,
            "outreach_sites": 59,
        },
        headers=commander,
    )
    assert op.status_code == 201, op.text
    op_id = op.json()["id"]
    investigator = login(client, "investigator")
    den = client.post(
        "/api/v1/dens",
        json={"name": "某刷单窝点", "kind": "shuadan", "district": "兴宁区", "operation_id": op_id},
        headers=investigator,
    )
    assert den.status_code == 201, den.text
    raid = {
        "raided_at": "2022-05-23T21:00:00+08:00",
        "district": "兴宁区",
        "den_id": den.json()["id"],
        "operation_id": op_id,
        "officers": 120,
        "suspects_caught": 103,
        "seizures": [
            {"kind": "computer", "count": 105},
            {"kind": "phone", "count": 200},
            {"kind": "cash", "amount_fen": 8_000_000},
        ],
    }
    made = client.post("/api/v1/raids", json=raid, headers=investigator)
    assert made.status_code == 201, made.text
    bad = client.post(
        "/api/v1/raids",
        json={**raid, "seizures": [{"kind": "spaceship", "count": 1}]},
        headers=investigator,
    )
    assert bad.status_code == 422
    detail = client.get(f"/api/v1/operations/{op_id}", headers=commander).json()
    rollup = detail["rollup"]
    assert (
        rollup["raids"],
        rollup["caught_in_raids"],
        rollup["dens_raided"],
        rollup["cash_fen"],
    ) == (1, 103, 1, 8_000_000)
    assert rollup["seizures"] == {"computer": 105, "phone": 200, "cash": 0}
    assert (rollup["officers"], rollup["outreach_sites"]) == (1500, 59)
    assert detail["dens"][0]["state"] == "raided"
    assert (
        client.post("/api/v1/raids", json=raid, headers=login(client, "analyst")).status_code == 403
    )


def test_a_district_team_sees_and_records_only_its_district(
    client: TestClient, engine: Engine
) -> None:
    analyst = login(client, "analyst")
    theirs = _clue(client, analyst, owner_level="district", district="横州市")
    mine_headers = _district_investigator(engine, client, "青秀区")
    mine = _clue(client, mine_headers, owner_level="city")
    assert (mine["district"], mine["owner_level"]) == ("青秀区", "district")
    listed = client.get("/api/v1/clues", headers=mine_headers).json()
    assert [c["id"] for c in listed["data"]] == [mine["id"]]
    assert (
        client.get(f"/api/v1/clues/{theirs['id']}", params=WHY, headers=mine_headers).status_code
        == 404
    )
    move = client.post(
        f"/api/v1/clues/{theirs['id']}/transition",
        json={"to_state": "analysing", "version": 1},
        headers=mine_headers,
    )
    assert move.status_code == 404
    other = client.post(
        "/api/v1/clues",
        json={"source": "manual", "title": "x", "district": "横州市"},
        headers=mine_headers,
    )
    assert other.status_code == 422
    assert len(client.get("/api/v1/clues", headers=analyst).json()["data"]) == 2
    assert client.get("/api/v1/clues", headers=login(client, "outreach_officer")).status_code == 403


def test_a_fund_officer_makes_a_clue_of_a_cash_out_account(client: TestClient) -> None:
    fund = login(client, "fund_officer")
    evidence = {"case_id": 3, "account": "6222020000007654321", "exited_fen": 500_000}
    body = {"source": "fund_trace", "source_ref": "6222020000007654321", "title": "取现账户线索"}
    made = client.post("/api/v1/clues", json={**body, "evidence": evidence}, headers=fund)
    assert made.status_code == 201, made.text
    assert made.json()["source_name"] == "资金追踪"
    assert json.loads(made.json()["evidence"])["exited_fen"] == 500_000
    missing = client.post("/api/v1/clues", json={**body, "source_ref": ""}, headers=fund)
    assert missing.status_code == 422
    moved = client.post(
        f"/api/v1/clues/{made.json()['id']}/transition",
        json={"to_state": "analysing", "version": 1},
        headers=fund,
    )
    assert moved.status_code == 403  # fund officers hand clues on; the strike teams work them
