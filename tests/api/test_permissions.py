"""Every role × every endpoint: allowed roles get through, others get 403 (anonymous: 401)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fanzha.api._app import API_PREFIX
from fanzha.masking import pseudonym
from fanzha.roles import ANONYMOUS, PERMISSIONS, ROLES, is_allowed
from fanzha.store import BankAccount, Case, Transfer
from tests.api.conftest import login

# (method, path, action, JSON body): every endpoint of the API, in the order the matrix calls
# them (the freeze comes before the return plan that needs it).
ENDPOINTS: list[tuple[str, str, str, Any]] = [
    ("POST", "/screen/text", "screen", {"text": "你好"}),
    ("POST", "/screen/phone", "screen", {"number": "13800138000"}),
    ("POST", "/screen/url", "screen", {"url": "https://www.gov.cn"}),
    ("POST", "/screen/batch", "screen", {"items": [{"value": "你好"}]}),
    ("POST", "/reports", "report.create", {"number": "17012345678"}),
    ("GET", "/reports", "report.review", None),
    ("POST", "/reports/1/decision", "report.review", {"decision": "reject", "note": "测试"}),
    ("POST", "/events", "event.create", {"kind": "fraud_call", "person_id": 1}),
    ("GET", "/events", "event.list", None),
    ("GET", "/intake/status", "intake.status", None),
    ("GET", "/tasks", "task.list", None),
    ("GET", "/tasks/1?reason=核查任务", "task.read", None),
    ("POST", "/tasks/1/transition", "task.update", {"to_state": "false_alarm", "version": 1}),
    (
        "POST",
        "/tasks/1/outcomes",
        "task.update",
        {"channel": "sms", "result": "sms_sent", "version": 1},
    ),
    ("POST", "/tasks/assign", "task.assign", None),
    ("GET", "/kpis", "kpi.read", None),
    ("GET", "/cases", "case.list", None),
    ("GET", "/cases/1?reason=核查案件", "case.read", None),
    ("GET", "/persons/1?reason=核查身份", "person.read", None),
    ("GET", "/phones/13900001111?reason=核查号码", "phone.read", None),
    ("GET", "/accounts/6222000011112222?reason=核查账户", "account.read", None),
    ("GET", "/search?q=13900001111&reason=核查线索", "search", None),
    ("GET", "/districts", "district.list", None),
    ("GET", "/cases/1/trace?reason=资金追踪", "funds.trace", None),
    ("GET", "/accounts/6222000011112222/trace-back?reason=资金反查", "funds.trace", None),
    ("GET", "/cases/1/ledger", "funds.ledger.read", None),
    (
        "POST",
        "/ledger",
        "funds.ledger.write",
        {
            "case_id": 1,
            "account_no": "6222000011112222",
            "kind": "freeze",
            "amount_fen": 1,
            "legal_basis": "文书",
        },
    ),
    (
        "GET",
        "/cases/1/return-plan?account=6222000011112222&reason=返还方案",
        "funds.ledger.read",
        None,
    ),
    ("GET", "/export/queue.xlsx?reason=导出队列", "task.list", None),
    ("GET", "/export/cases.csv?reason=导出案件", "case.list", None),
    ("GET", "/export/cases/1/transfers.xlsx?reason=导出流水", "case.read", None),
    ("GET", "/export/cases/1/ledger.csv?reason=导出台账", "funds.ledger.read", None),
    (
        "GET",
        "/export/cases/1/return-plan.xlsx?account=6222000011112222&reason=导出返还方案",
        "funds.ledger.read",
        None,
    ),
    ("GET", "/graph/expand?from=13900001111&reason=研判扩线", "graph.read", None),
    ("GET", "/graph/path?a=13900001111&b=person:1&reason=研判扩线", "graph.read", None),
    ("GET", "/graph/gangs", "graph.read", None),
    ("GET", "/graph/roles", "graph.read", None),
    ("GET", "/graph/outlets", "graph.read", None),
    ("GET", "/graph/export.ftm?from=13900001111&reason=研判扩线", "graph.read", None),
    (
        "POST",
        "/suspects",
        "suspect.write",
        {"name": "黄某", "role": "cash_out", "district": "青秀区"},
    ),
    ("GET", "/suspects", "suspect.read", None),
    ("GET", "/suspects/1?reason=核查嫌疑人", "suspect.read", None),
    (
        "POST",
        "/suspects/1/status",
        "suspect.write",
        {
            "to_status": "detained",
            "decided_on": "2022-05-24",
            "authority": "南宁市公安局",
            "document_no": "拘字1号",
            "version": 1,
        },
    ),
    (
        "POST",
        "/fugitives",
        "fugitive.write",
        {
            "name": "韦某",
            "warrant_no": "网逃1号",
            "district": "青秀区",
            "identifiers": [{"kind": "phone", "value": "13800138000"}],
        },
    ),
    ("GET", "/fugitives", "fugitive.read", None),
    ("GET", "/fugitives/1?reason=追逃核查", "fugitive.read", None),
    ("POST", "/key-areas", "keyarea.write", {"name": "某村", "district": "青秀区"}),
    ("GET", "/key-areas", "keyarea.read", None),
    (
        "POST",
        "/key-persons",
        "keyarea.write",
        {"name": "张三", "kind": "returnee", "since": "2026-10-01", "district": "青秀区"},
    ),
    (
        "POST",
        "/key-persons/two-card",
        "keyarea.write",
        {
            "offenders": [
                {
                    "id_number": "450103199001011234",
                    "punished_at": "2024-03-01",
                    "district": "青秀区",
                }
            ]
        },
    ),
    ("GET", "/key-persons", "keyarea.read", None),
    ("GET", "/key-persons/1?reason=重点人员回访", "keyarea.read", None),
    ("POST", "/key-persons/1/follow-ups", "keyarea.write", {"finding": "在家"}),
    ("POST", "/sweeps", "keyarea.write", {"swept_on": "2026-10-01", "district": "青秀区"}),
    ("GET", "/sweeps", "keyarea.read", None),
    (
        "POST",
        "/rectifications",
        "rectification.write",
        {"deadline": "2027-01-31", "measures": ["实名核验"]},
    ),
    ("GET", "/rectifications?overdue=true", "rectification.read", None),
    (
        "POST",
        "/rectifications/1/transition",
        "rectification.write",
        {"to_state": "rectifying", "version": 1},
    ),
    ("GET", "/audit", "audit.read", None),
    ("GET", "/stats?period=2022-05-16..2022-05-22", "stats.read", None),
    ("GET", "/stats/definitions", "stats.read", None),
    ("GET", "/stats/rows?figure=cases&period=2022-05-16..2022-05-22", "stats.read", None),
    ("GET", "/stats/report.xlsx?period=2022-05-16..2022-05-22", "stats.read", None),
    ("GET", "/audit/verify", "audit.verify", None),
    ("GET", "/users", "user.manage", None),
    (
        "POST",
        "/users",
        "user.manage",
        {
            "username": "newbie",
            "display_name": "新人",
            "role": "analyst",
            "password": "long-enough-1",
        },
    ),
]


def _is_verdict(body: dict[str, Any]) -> bool:
    return (
        0 <= body["risk"] <= 1
        and body["level"] in ("high", "medium", "low")
        and bool(body["fraud_type"]["code"])
    )


def _is_page(body: dict[str, Any]) -> bool:
    return isinstance(body["data"], list) and body["count"] >= len(body["data"])


# What a 2xx body of an endpoint must hold (endpoints not named here: any JSON body).
BODY_CHECKS: dict[tuple[str, str], Callable[[Any], bool]] = {
    ("POST", "/screen/text"): _is_verdict,
    ("POST", "/screen/phone"): _is_verdict,
    ("POST", "/screen/url"): _is_verdict,
    ("POST", "/screen/batch"): lambda body: all(_is_verdict(v) for v in body["data"]),
    ("POST", "/reports"): lambda body: (
        body["receipt_id"] > 0 and all(_is_verdict(v) for v in body["verdicts"])
    ),
    ("GET", "/reports"): lambda body: _is_page(body) and body["count"] >= 1,
    ("POST", "/reports/1/decision"): lambda body: body["report"]["state"] == "rejected",
    ("POST", "/events"): lambda body: (
        body["event_id"] > 0 and len(body["created_task_ids"] + body["merged_task_ids"]) == 1
    ),
    ("GET", "/events"): lambda body: _is_page(body) and body["count"] >= 1,
    ("GET", "/tasks"): lambda body: _is_page(body) and body["count"] >= 1,
    ("GET", "/tasks/1"): lambda body: body["id"] == 1 and bool(body["state_label"]),
    ("POST", "/tasks/1/transition"): lambda body: body["state"] == "false_alarm",
    ("POST", "/tasks/assign"): lambda body: body["count"] == len(body["data"]),
    ("GET", "/kpis"): lambda body: body["overall"]["tasks"] >= 1,
    ("GET", "/cases"): lambda body: _is_page(body) and body["data"][0]["case_no"] == "A1",
    ("GET", "/cases/1"): lambda body: [t["txn_id"] for t in body["transfers"]] == ["T1", "T2"],
    ("GET", "/persons/1"): lambda body: body["id"] == 1 and len(body["accounts"]) == 1,
    ("GET", "/accounts/6222000011112222"): lambda body: (
        body["transfers"]["in"] == {"count": 2, "amount_fen": 500_000}
    ),
    ("GET", "/cases/1/trace"): lambda body: body["total_fen"] == 500_000 and bool(body["nodes"]),
    ("GET", "/accounts/6222000011112222/trace-back"): lambda body: len(body["victims"]) == 1,
    ("GET", "/cases/1/ledger"): lambda body: "frozen_fen" in body["totals"],
    ("POST", "/ledger"): lambda body: body["totals"]["frozen_fen"] == 1,
    ("GET", "/cases/1/return-plan"): lambda body: (
        body["frozen_fen"] == 1
        and body["returned_fen"] + body["remaining_fen"] == 1
        and bool(body["lines"])
    ),
    ("POST", "/suspects"): lambda body: (
        body["role_label"] == "取现" and body["legal_status"] == "identified"
    ),
    ("GET", "/suspects"): _is_page,
    ("GET", "/suspects/1"): lambda body: body["id"] == 1 and body["history"] == [],
    ("POST", "/suspects/1/status"): lambda body: body["legal_status_label"] == "刑事拘留",
    ("POST", "/fugitives"): lambda body: (
        body["state"] == "wanted" and len(body["identifiers"]) == 1
    ),
    ("GET", "/fugitives"): _is_page,
    ("GET", "/fugitives/1"): lambda body: body["warrant_no"] == "网逃1号",
    ("GET", "/key-areas"): lambda body: body["count"] == len(body["data"]),
    ("POST", "/key-persons/two-card"): lambda body: (
        body["count"] == 1 and body["data"][0]["until"] == "2029-03-01"
    ),
    ("GET", "/key-persons"): _is_page,
    ("GET", "/key-persons/1"): lambda body: body["kind_label"] == "境外回流人员",
    ("POST", "/key-persons/1/follow-ups"): lambda body: len(body["follow_ups"]) == 1,
    ("GET", "/sweeps"): lambda body: body["count"] == len(body["data"]),
    ("GET", "/rectifications"): _is_page,
    ("GET", "/audit"): lambda body: _is_page(body) and body["count"] >= 1,
    ("GET", "/audit/verify"): lambda body: body["ok"] is True,
    ("GET", "/users"): lambda body: len(body) == len(ROLES),
    ("POST", "/users"): lambda body: body["username"] == "newbie",
}


def _seed_case(engine: Engine) -> None:
    """Case 1 of person 1 in 青秀区 (the warning officer's district): two transfers from her
    account into 6222000011112222."""
    at = datetime(2026, 9, 1, 10, tzinfo=UTC)
    with Session(engine) as session:
        session.add_all(
            [
                BankAccount(id=1, account_no="6222000099990000", bank="工商银行", holder_id=1),
                BankAccount(id=2, account_no="6222000011112222", bank="农业银行"),
            ]
        )
        session.add(
            Case(
                id=1,
                case_no="A1",
                fraud_type="impersonate_authority",
                district="青秀区",
                amount_lost_fen=500_000,
                occurred_at=at,
                reported_at=at + timedelta(hours=2),
                victim_id=1,
            )
        )
        session.flush()
        session.add_all(
            [
                Transfer(
                    txn_id=f"T{i + 1}",
                    src_account_id=1,
                    dst_account_id=2,
                    amount_fen=fen,
                    at=at + timedelta(minutes=5 * i),
                    case_id=1,
                )
                for i, fen in enumerate((300_000, 200_000))
            ]
        )
        session.commit()


def test_every_route_is_in_the_matrix(client: TestClient) -> None:
    routes = {
        (method, route.path.removeprefix(API_PREFIX))  # type: ignore[attr-defined]
        for route in client.app.routes  # type: ignore[attr-defined]
        if getattr(route, "path", "").startswith(API_PREFIX)
        for method in route.methods  # type: ignore[attr-defined]
    }
    tested = {(m, p.split("?")[0].replace("/1/", "/{task_id}/")) for m, p, _, _ in ENDPOINTS}
    normalised = {
        (
            m,
            p.replace("{case_id}", "1")
            .replace("{person_id}", "1")
            .replace("{number}", "13900001111")
            .replace("{account_no}", "6222000011112222")
            .replace("/export/queue.{fmt}", "/export/queue.xlsx")
            .replace("/export/cases.{fmt}", "/export/cases.csv")
            .replace("/transfers.{fmt}", "/transfers.xlsx")
            .replace("/ledger.{fmt}", "/ledger.csv")
            .replace("/return-plan.{fmt}", "/return-plan.xlsx")
            .replace("/stats/report.{fmt}", "/stats/report.xlsx")
            .replace("{report_id}", "{task_id}")
            .replace("{suspect_id}", "{task_id}")
            .replace("{fugitive_id}", "{task_id}")
            .replace("{key_person_id}", "{task_id}")
            .replace("{rectification_id}", "{task_id}"),
        )
        for m, p in routes
    }
    normalised = {
        (m, p if not p.endswith("{task_id}") else p.replace("{task_id}", "1"))
        for m, p in normalised
    }
    untested = (
        normalised
        - tested
        - {("POST", "/auth/login"), ("POST", "/auth/logout"), ("GET", "/auth/me")}
    )
    assert not untested, f"endpoints missing from the permission matrix: {sorted(untested)}"
    assert {action for _, _, action, _ in ENDPOINTS} <= set(PERMISSIONS)


@pytest.mark.parametrize("role", [*ROLES, ANONYMOUS])
def test_role_matrix(client: TestClient, engine: Engine, role: str) -> None:
    _seed_case(engine)
    officer = login(client, "warning_officer")
    client.post("/api/v1/events", json={"kind": "fraud_call", "person_id": 1}, headers=officer)
    headers = {} if role == ANONYMOUS else login(client, role)
    for method, path, action, body in ENDPOINTS:
        response = client.request(method, API_PREFIX + path, json=body, headers=headers)
        assert response.status_code < 500, (role, method, path, response.text)
        if is_allowed(role, action):
            assert response.status_code not in (401, 403), (role, method, path, response.text)
            check = BODY_CHECKS.get((method, path.split("?")[0]))
            if response.is_success and check is not None:
                assert check(response.json()), (role, method, path, response.text)
        else:
            expected = 401 if role == ANONYMOUS else 403
            assert response.status_code == expected, (role, method, path, response.text)
            assert response.json()["error"]["code"] in ("not_authenticated", "permission_denied")


@pytest.mark.parametrize(
    ("role", "visible"), [("warning_officer", True), ("commander", False), ("admin", False)]
)
def test_personal_data_is_masked_for_roles_that_may_not_see_it(
    client: TestClient, role: str, visible: bool
) -> None:
    headers = login(client, role)
    response = client.get("/api/v1/persons/1", params={"reason": "核查身份"}, headers=headers)
    person = response.json()
    assert (person["name"] == "王秀兰") is visible
    assert (person["phone_number"] == "13900001111") is visible
    if not visible:
        assert person["name"] == "王*兰"
        assert person["phone_number"] == "139****1111"
        assert person["id_number"] == "450103********1234"


def test_look_ups_need_a_reason_and_are_audited(client: TestClient) -> None:
    analyst = login(client, "analyst")
    assert client.get("/api/v1/persons/1", headers=analyst).status_code == 422
    assert (
        client.get(
            "/api/v1/phones/13900001111", params={"reason": "研判扩线"}, headers=analyst
        ).status_code
        == 404
    )
    admin = login(client, "admin")
    entries = client.get("/api/v1/audit", params={"username": "analyst"}, headers=admin).json()[
        "data"
    ]
    looked_up = [(e["action"], e["object_type"], e["object_id"], e["reason"]) for e in entries]
    # a number not in the store is audited as its keyed hash, not the number (issue 15 item 3)
    key = client.app.state.pseudonym_key  # type: ignore[attr-defined]
    assert ("read", "phone", pseudonym("13900001111", key), "研判扩线") in looked_up


def test_case_summaries_do_not_leak_the_victims_name(client: TestClient, engine: object) -> None:
    from datetime import UTC, datetime

    from sqlalchemy.orm import Session

    from fanzha.store import Case

    with Session(engine) as session:  # type: ignore[arg-type]
        now = datetime.now(UTC)
        session.add(
            Case(
                case_no="A1",
                fraud_type="impersonate_authority",
                occurred_at=now,
                reported_at=now,
                victim_id=1,
                summary="受害人王秀兰（76岁）接到冒充公安来电",
            )
        )
        session.commit()
    masked = client.get("/api/v1/cases", headers=login(client, "commander")).json()["data"][0]
    assert "王秀兰" not in masked["summary"] and "王*兰" in masked["summary"]
    full = client.get("/api/v1/cases", headers=login(client, "analyst")).json()["data"][0]
    assert "王秀兰" in full["summary"]
