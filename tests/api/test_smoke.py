"""The warning workflow end to end over HTTP."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import login


def test_event_to_dissuaded_task_changes_the_kpis(client: TestClient) -> None:
    officer = login(client, "warning_officer")
    commander = login(client, "commander")
    made = client.post(
        "/api/v1/events",
        json={
            "kind": "fraud_call",
            "person_id": 1,
            "counterparty": "17012345678",
            "amount_at_risk_fen": 5_000_000,
            "fraud_type": "impersonate_authority",
        },
        headers=officer,
    )
    assert made.status_code == 201, made.text
    task_id = made.json()["created_task_ids"][0]
    assigned = client.post("/api/v1/tasks/assign", headers=commander)
    assert assigned.status_code == 200, assigned.text
    task = client.get(
        f"/api/v1/tasks/{task_id}", params={"reason": "预警处置：查看任务"}, headers=officer
    ).json()
    assert task["state"] == "assigned"
    done = client.post(
        f"/api/v1/tasks/{task_id}/outcomes",
        json={
            "channel": "call",
            "result": "reached_dissuaded",
            "version": task["version"],
            "note": "已劝阻",
        },
        headers=officer,
    )
    assert done.status_code == 201, done.text
    assert done.json()["state"] == "dissuaded"
    kpis = client.get("/api/v1/kpis", headers=commander).json()
    assert kpis["overall"]["dissuaded"] == 1
    assert kpis["overall"]["money_saved_fen"] == 5_000_000
