"""Recording money saved above the money at risk over HTTP: refused without a reason (422
naming the field, nothing stored), accepted with one, flagged in the KPIs."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import login

REASON = {"reason": "预警处置：查看任务"}


def _assigned_task(client: TestClient, at_risk_fen: int) -> tuple[dict[str, str], dict[str, Any]]:
    officer = login(client, "warning_officer")
    made = client.post(
        "/api/v1/events",
        json={
            "kind": "fraud_call",
            "person_id": 1,
            "counterparty": "17012345678",
            "amount_at_risk_fen": at_risk_fen,
            "fraud_type": "brushing_rebate",
        },
        headers=officer,
    )
    assert made.status_code == 201, made.text
    task_id = made.json()["created_task_ids"][0]
    assigned = client.post("/api/v1/tasks/assign", headers=login(client, "commander"))
    assert assigned.status_code == 200, assigned.text
    task = client.get(f"/api/v1/tasks/{task_id}", params=REASON, headers=officer).json()
    assert task["state"] == "assigned"
    return officer, task


def _dissuade(
    client: TestClient, officer: dict[str, str], task: dict[str, Any], **extra: Any
) -> Any:
    body = {"channel": "call", "result": "reached_dissuaded", "version": task["version"]}
    return client.post(f"/api/v1/tasks/{task['id']}/outcomes", json=body | extra, headers=officer)


def test_saved_above_risk_without_reason_is_refused_and_nothing_is_stored(
    client: TestClient,
) -> None:
    officer, task = _assigned_task(client, 50_000)
    refused = _dissuade(client, officer, task, money_saved_fen=2_000_000)
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["field"] == "money_saved_fen"
    assert "理由" in error["message"]
    again = client.get(f"/api/v1/tasks/{task['id']}", params=REASON, headers=officer).json()
    assert again["state"] == "assigned"
    assert again["money_saved_fen"] == 0
    assert again["version"] == task["version"]


def test_confirmed_saved_amount_is_stored_and_flagged_in_the_kpis(client: TestClient) -> None:
    officer, task = _assigned_task(client, 50_000)
    done = _dissuade(
        client,
        officer,
        task,
        money_saved_fen=2_000_000,
        confirm_saved=True,
        saved_reason="当事人已取现两万元准备转账",
    )
    assert done.status_code == 201, done.text
    body = done.json()
    assert body["state"] == "dissuaded"
    assert body["money_saved_fen"] == 2_000_000
    assert any("当事人已取现两万元准备转账" in o["note"] for o in body["outcomes"])
    kpis = client.get("/api/v1/kpis", headers=login(client, "commander")).json()
    assert kpis["overall"]["saved_above_risk"] == 1
    assert kpis["overall"]["saved_above_risk_fen"] == 2_000_000
    district = next(r for r in kpis["by_district"] if r["district"] == task["district"])
    assert district["saved_above_risk"] == 1


def test_saved_within_risk_is_not_flagged(client: TestClient) -> None:
    officer, task = _assigned_task(client, 50_000)
    done = _dissuade(client, officer, task)
    assert done.status_code == 201, done.text
    assert done.json()["money_saved_fen"] == 50_000
    kpis = client.get("/api/v1/kpis", headers=login(client, "commander")).json()
    assert kpis["overall"]["saved_above_risk"] == 0
