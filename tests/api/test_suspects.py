"""/suspects and /fugitives: roles, district scope, audited reads with a reason, masking,
the legal-status machine's 409 naming both states."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from fanzha.store import AuditEntry
from tests.api.conftest import login

API = "/api/v1"
SUSPECT = {
    "name": "黄某某",
    "role": "card_dealer",
    "district": "青秀区",
    "id_number": "450103199001011234",
    "identifiers": [{"kind": "phone", "value": "13800138000"}],
}


def _create(client: TestClient, body: dict[str, Any], path: str = "/suspects") -> dict[str, Any]:
    response = client.post(API + path, json=body, headers=login(client, "analyst"))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def _status(client: TestClient, suspect: dict[str, Any], to: str, authority: str) -> Any:
    return client.post(
        f"{API}/suspects/{suspect['id']}/status",
        json={
            "to_status": to,
            "decided_on": "2022-05-24",
            "authority": authority,
            "document_no": "青公(刑)拘字〔2022〕88号",
            "version": suspect["version"],
        },
        headers=login(client, "analyst"),
    )


def test_a_suspect_moves_through_legal_status_and_refuses_a_jump(client: TestClient) -> None:
    suspect = _create(client, SUSPECT)
    assert (suspect["role_label"], suspect["legal_status"], suspect["legal_status_label"]) == (
        "卡头卡贩",
        "identified",
        "已查明",
    )
    assert suspect["identifiers"] == [
        {"kind": "phone", "kind_label": "手机号", "value": "13800138000"}
    ]
    response = _status(client, suspect, "detained", "南宁市公安局青秀分局")
    assert response.status_code == 200, response.text
    detained = response.json()
    assert detained["legal_status_label"] == "刑事拘留" and detained["caught_at"]
    assert [(h["from_status"], h["to_status"], h["authority"]) for h in detained["history"]] == [
        ("identified", "detained", "南宁市公安局青秀分局")
    ]
    refused = _status(client, detained, "sentenced", "南宁市青秀区人民法院")
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "illegal_transition"
    assert "刑事拘留" in error["message"] and "判决" in error["message"]
    stale = _status(client, suspect, "arrested", "南宁市青秀区人民检察院")  # old version
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"


def test_reads_are_scoped_audited_and_masked(client: TestClient, engine: Engine) -> None:
    mine = _create(client, SUSPECT)
    other = _create(client, SUSPECT | {"district": "兴宁区"})
    officer = login(client, "warning_officer")  # 青秀区
    listed = client.get(f"{API}/suspects", headers=officer).json()
    assert [s["id"] for s in listed["data"]] == [mine["id"]]
    assert (
        client.get(f"{API}/suspects/{other['id']}?reason=核查嫌疑人", headers=officer).status_code
        == 404
    )
    assert client.get(f"{API}/suspects/{mine['id']}", headers=officer).status_code == 422
    commander = login(client, "commander")
    seen = client.get(f"{API}/suspects/{mine['id']}?reason=核查嫌疑人身份", headers=commander)
    assert seen.status_code == 200
    body = seen.json()
    assert body["name"] != "黄某某" and "13800138000" not in seen.text
    assert "450103199001011234" not in seen.text
    with Session(engine) as session:
        reasons = session.scalars(
            select(AuditEntry.reason).where(
                AuditEntry.object_type == "suspect", AuditEntry.action == "read"
            )
        ).all()
    assert "核查嫌疑人身份" in reasons
    refused = client.post(f"{API}/suspects", json=SUSPECT, headers=officer)
    assert refused.status_code == 403


def test_a_fugitive_is_listed_with_identifiers(client: TestClient) -> None:
    fugitive = _create(
        client,
        {
            "name": "韦某",
            "warrant_no": "桂公网逃〔2022〕17号",
            "district": "青秀区",
            "wanted_since": "2022-01-05",
            "identifiers": [
                {"kind": "phone", "value": "138 0013 8000"},
                {"kind": "card", "value": "6222020012345678901"},
            ],
        },
        "/fugitives",
    )
    assert fugitive["state"] == "wanted" and fugitive["owner_level"] == "district"
    assert {(i["kind"], i["value"]) for i in fugitive["identifiers"]} == {
        ("phone", "13800138000"),
        ("card", "6222020012345678901"),
    }
    bad = client.post(
        f"{API}/fugitives",
        json={
            "name": "某",
            "warrant_no": "令1",
            "identifiers": [{"kind": "imei", "value": "12ab"}],
        },
        headers=login(client, "analyst"),
    )
    assert bad.status_code == 422
    detail = client.get(
        f"{API}/fugitives/{fugitive['id']}?reason=追逃核查", headers=login(client, "commander")
    ).json()
    assert detail["hits"] == [] and "13800138000" not in str(detail)
    listed = client.get(f"{API}/fugitives?state=wanted", headers=login(client, "analyst")).json()
    assert listed["count"] == 1 and listed["data"][0]["warrant_no"] == "桂公网逃〔2022〕17号"


def test_a_new_event_naming_a_wanted_number_hits_at_once(client: TestClient) -> None:
    fugitive = _create(
        client,
        {
            "name": "韦某",
            "warrant_no": "网逃2号",
            "district": "青秀区",
            "identifiers": [{"kind": "phone", "value": "17012345678"}],
        },
        "/fugitives",
    )
    officer = login(client, "warning_officer")
    event = {"kind": "fraud_call", "person_id": 1, "counterparty": "170-1234-5678"}
    for _ in range(2):  # the second event is a new record: a new hit on the same open clue
        created = client.post(f"{API}/events", json=event, headers=officer)
        assert created.status_code == 201, created.text
    detail = client.get(
        f"{API}/fugitives/{fugitive['id']}?reason=追逃核查", headers=login(client, "analyst")
    ).json()
    hits = detail["hits"]
    assert [(h["kind"], h["record_kind"], h["record_label"]) for h in hits] == [
        ("phone", "event", "预警事件")
    ] * 2
    assert len({h["clue_id"] for h in hits}) == 1


def test_detaining_a_wanted_suspect_closes_the_wanted_entry(client: TestClient) -> None:
    suspect = _create(client, SUSPECT)
    fugitive = _create(
        client,
        {
            "name": "黄某某",
            "warrant_no": "网逃3号",
            "district": "青秀区",
            "suspect_id": suspect["id"],
        },
        "/fugitives",
    )
    assert fugitive["state"] == "wanted"
    assert _status(client, suspect, "detained", "南宁市公安局青秀分局").status_code == 200
    caught = client.get(
        f"{API}/fugitives/{fugitive['id']}?reason=追逃核查", headers=login(client, "analyst")
    ).json()
    assert caught["state"] == "caught" and caught["caught_at"]
