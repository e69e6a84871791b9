"""Citizen reports (issue 15 item 4): an anonymous report changes nothing and reveals nothing;
it waits in the review queue until a warning or outreach officer decides it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from fanzha.store import AuditEntry, Event, Phone, WarningTask
from tests.api.conftest import login

STORED = "17012345678"
UNKNOWN = "17098765432"
READ = {"reason": "预警处置：查看任务"}


@pytest.fixture
def stored_phone(engine: Engine) -> str:
    with Session(engine) as db:
        db.add(Phone(number=STORED, kind="mobile"))
        db.commit()
    return STORED


def _counts(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as db:
        return (
            db.scalar(select(func.count()).select_from(Event)) or 0,
            db.scalar(select(func.count()).select_from(WarningTask)) or 0,
            db.scalar(select(func.count()).where(Phone.flagged.is_(True))) or 0,
        )


def _shape(body: Any) -> Any:
    if isinstance(body, dict):
        return {key: _shape(value) for key, value in body.items()}
    if isinstance(body, list):
        return [_shape(value) for value in body]
    return type(body).__name__


def _report(client: TestClient, **body: object) -> Any:
    response = client.post("/api/v1/reports", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_report_flags_nothing_and_answers_the_same_for_any_number(
    client: TestClient, engine: Engine, stored_phone: str
) -> None:
    before = _counts(engine)
    known = _report(client, number=stored_phone)
    unknown = _report(client, number=UNKNOWN)
    assert _counts(engine) == before
    assert _shape(known) == _shape(unknown)
    assert set(known) == {"receipt_id", "verdicts", "message"}
    assert known["receipt_id"] != unknown["receipt_id"]
    assert stored_phone not in str(known)


def test_a_report_cannot_raise_an_open_task(client: TestClient) -> None:
    officer = login(client, "warning_officer")
    created = client.post(
        "/api/v1/events", json={"kind": "fraud_call", "person_id": 1}, headers=officer
    ).json()
    task_id = created["created_task_ids"][0]
    before = client.get(f"/api/v1/tasks/{task_id}", params=READ, headers=officer).json()
    _report(
        client,
        reporter_phone="13900001111",
        being_defrauded=True,
        amount_fen=9_999_999_999,
        text="有人冒充公检法让我转账到安全账户",
    )
    after = client.get(f"/api/v1/tasks/{task_id}", params=READ, headers=officer).json()
    assert after["priority"] == before["priority"]
    assert after["money_at_risk_fen"] == before["money_at_risk_fen"]
    assert after["version"] == before["version"]


def _queue(client: TestClient, headers: dict[str, str], **params: Any) -> Any:
    response = client.get("/api/v1/reports", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_accepting_a_report_applies_the_warning_rules(
    client: TestClient, engine: Engine, stored_phone: str
) -> None:
    receipt = _report(client, number=stored_phone, text="刷单返利，先垫付后返现", district="青秀区")
    officer = login(client, "warning_officer")
    queue = _queue(client, officer, state="pending")
    assert [item["id"] for item in queue["data"]] == [receipt["receipt_id"]]
    item = queue["data"][0]
    assert item["state"] == "pending" and item["number"] == stored_phone
    assert item["verdicts"] and item["risk"] is not None
    url = f"/api/v1/reports/{receipt['receipt_id']}/decision"
    done = client.post(url, json={"decision": "accept", "note": "核实为诈骗号码"}, headers=officer)
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["report"]["state"] == "accepted"
    assert body["report"]["reviewed_by_name"] == "测试warning_officer"
    assert body["event_id"] > 0
    assert body["flagged"] == [stored_phone]
    assert _counts(engine)[2] == 1
    again = client.post(url, json={"decision": "reject", "note": "重复"}, headers=officer)
    assert again.status_code == 409
    assert _queue(client, officer, state="pending")["count"] == 0
    with Session(engine) as db:
        actions = db.scalars(
            select(AuditEntry.action).where(AuditEntry.object_type == "report")
        ).all()
    assert actions.count("create") == 1 and "review" in actions and "list" in actions


def test_rejecting_a_report_changes_nothing(
    client: TestClient, engine: Engine, stored_phone: str
) -> None:
    receipt = _report(client, number=stored_phone)
    outreach = login(client, "outreach_officer")
    before = _counts(engine)
    url = f"/api/v1/reports/{receipt['receipt_id']}/decision"
    done = client.post(url, json={"decision": "reject", "note": "正常号码"}, headers=outreach)
    assert done.status_code == 200, done.text
    assert done.json()["report"]["state"] == "rejected"
    assert done.json()["event_id"] is None and done.json()["flagged"] == []
    assert _counts(engine) == before


def test_the_queue_masks_numbers_for_roles_without_pii(
    client: TestClient, stored_phone: str
) -> None:
    _report(client, number=stored_phone, reporter_phone="13900001111")
    item = _queue(client, login(client, "outreach_officer"))["data"][0]
    assert item["number"] != stored_phone and "*" in item["number"]
    assert "13900001111" not in str(item)


def test_district_officers_see_and_decide_only_their_district(client: TestClient) -> None:
    other = _report(client, number=UNKNOWN, district="横州市")
    own = _report(client, number=UNKNOWN, district="青秀区")
    anywhere = _report(client, number=UNKNOWN)
    officer = login(client, "warning_officer")  # 青秀区
    seen = {item["id"] for item in _queue(client, officer)["data"]}
    assert seen == {own["receipt_id"], anywhere["receipt_id"]}
    refused = client.post(
        f"/api/v1/reports/{other['receipt_id']}/decision",
        json={"decision": "accept", "note": ""},
        headers=officer,
    )
    assert refused.status_code == 404
    city_wide = {item["id"] for item in _queue(client, login(client, "outreach_officer"))["data"]}
    assert other["receipt_id"] in city_wide


@pytest.mark.parametrize("role", ["admin", "commander", "analyst", "fund_officer"])
def test_only_warning_and_outreach_officers_review(client: TestClient, role: str) -> None:
    receipt = _report(client, number=UNKNOWN)
    headers = login(client, role)
    assert client.get("/api/v1/reports", headers=headers).status_code == 403
    decision = client.post(
        f"/api/v1/reports/{receipt['receipt_id']}/decision",
        json={"decision": "accept", "note": ""},
        headers=headers,
    )
    assert decision.status_code == 403
    assert client.get("/api/v1/reports").status_code == 401


def test_unknown_report_and_bad_decision(client: TestClient) -> None:
    officer = login(client, "warning_officer")
    missing = client.post(
        "/api/v1/reports/999/decision", json={"decision": "accept", "note": ""}, headers=officer
    )
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    receipt = _report(client, number=UNKNOWN)
    bad = client.post(
        f"/api/v1/reports/{receipt['receipt_id']}/decision",
        json={"decision": "maybe"},
        headers=officer,
    )
    assert bad.status_code == 422
