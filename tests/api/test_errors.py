"""Bad input gets a 4xx in the one error shape, never a 500; concurrent edits lose nothing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import login

TASK_REASON = {"reason": "预警处置：查看任务"}


def _task(client: TestClient) -> tuple[int, dict[str, str]]:
    officer = login(client, "warning_officer")
    made = client.post(
        "/api/v1/events", json={"kind": "fraud_call", "person_id": 1}, headers=officer
    )
    client.post("/api/v1/tasks/assign", headers=login(client, "commander"))
    return made.json()["created_task_ids"][0], officer


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "field"),
    [
        ("POST", "/api/v1/screen/text", "{not json", 422, "body"),
        ("POST", "/api/v1/screen/text", {"text": 12}, 422, "text"),
        ("POST", "/api/v1/screen/text", {"text": ""}, 422, "text"),
        ("POST", "/api/v1/screen/text", {"txt": "你好"}, 422, "text"),
        ("POST", "/api/v1/screen/text", {"text": "诈" * 30_000}, 413, None),
        ("POST", "/api/v1/events", {"kind": "gossip"}, 422, "kind"),
        ("POST", "/api/v1/events", {"kind": "fraud_call", "person_id": 999}, 422, "person_id"),
        (
            "POST",
            "/api/v1/events",
            {"kind": "fraud_call", "person_id": 1, "fraud_type": "nope"},
            422,
            "fraud_type",
        ),
        (
            "POST",
            "/api/v1/events",
            {"kind": "fraud_call", "amount_at_risk_fen": -5},
            422,
            "amount_at_risk_fen",
        ),
        ("GET", "/api/v1/tasks/99999?reason=核查任务", None, 404, None),
        ("GET", "/api/v1/tasks/abc?reason=核查任务", None, 422, "task_id"),
        ("GET", "/api/v1/cases/99999?reason=核查案件", None, 404, None),
        ("GET", "/api/v1/tasks?page=0", None, 422, "page"),
        ("POST", "/api/v1/reports", {}, 422, "body"),
        ("GET", "/api/v1/nowhere", None, 404, None),
        ("GET", "/api/v1/cases?since=2026-11-01T00:00:00", None, 422, "since"),
    ],
)
def test_bad_requests_get_a_clear_4xx(
    client: TestClient, method: str, path: str, body: Any, status: int, field: str | None
) -> None:
    headers = login(client, "warning_officer")
    if isinstance(body, str):
        response = client.request(
            method, path, content=body, headers={**headers, "content-type": "application/json"}
        )
    else:
        response = client.request(method, path, json=body, headers=headers)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["message"]
    if field is not None:
        assert error["field"] == field


def test_illegal_moves_are_refused_with_both_states_named(client: TestClient) -> None:
    task_id, officer = _task(client)
    response = client.post(
        f"/api/v1/tasks/{task_id}/transition",
        json={"to_state": "dissuaded", "version": 2},
        headers=officer,
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert "已分派" in error["message"] and "已劝阻" in error["message"]
    assert "assigned" in error["detail"] and "dissuaded" in error["detail"]


def test_a_stale_version_is_a_conflict_and_loses_no_update(client: TestClient) -> None:
    task_id, officer = _task(client)
    version = client.get(f"/api/v1/tasks/{task_id}", params=TASK_REASON, headers=officer).json()[
        "version"
    ]
    body = {"channel": "call", "result": "no_answer", "version": version}
    first = client.post(f"/api/v1/tasks/{task_id}/outcomes", json=body, headers=officer)
    second = client.post(f"/api/v1/tasks/{task_id}/outcomes", json=body, headers=officer)
    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["error"]["field"] == "version"
    task = client.get(f"/api/v1/tasks/{task_id}", params=TASK_REASON, headers=officer).json()
    assert task["contact_count"] == 1
    assert len(task["outcomes"]) == 1


def test_a_wrong_password_is_401_and_a_bad_token_is_anonymous(client: TestClient) -> None:
    response = client.post("/api/v1/auth/login", json={"username": "admin", "password": "nope"})
    assert response.status_code == 401
    response = client.get("/api/v1/tasks", headers={"Authorization": "Bearer forged"})
    assert response.status_code == 401


def test_naive_times_are_refused_naming_the_field(client: TestClient) -> None:
    headers = login(client, "warning_officer")
    body = {"kind": "fraud_call", "person_id": 1, "occurred_at": "2026-11-23T10:00:00"}
    response = client.post("/api/v1/events", json=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "occurred_at"
