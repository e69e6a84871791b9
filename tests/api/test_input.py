"""Abusive input gets a 422 naming the field on SQLite and PostgreSQL, never a 500
(issue 15 item 7): ids and pages beyond the database's integers, times that overflow on
conversion to UTC, numbers posing as times, unknown states, NUL bytes, lone surrogates,
invalid UTF-8; and /api/openapi.json declares the error responses the API gives."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import login

HUGE = (2**31, 2**63, 2**64 + 1)
_LEDGER = {"account_no": "6222000011112222", "kind": "freeze", "amount_fen": 100}
_LEDGER_BODY = {**_LEDGER, "legal_basis": "冻结通知书 1"}


def _send(client: TestClient, role: str, method: str, path: str, body: Any = None) -> Any:
    headers = login(client, role) if role != "anonymous" else {}
    if isinstance(body, bytes):
        headers = {**headers, "content-type": "application/json"}
        return client.request(method, path, content=body, headers=headers)
    return client.request(method, path, json=body, headers=headers)


def _assert_422(response: Any, field: str) -> None:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["field"] == field, error


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize(
    ("role", "method", "path", "body", "field"),
    [
        ("warning_officer", "GET", "/api/v1/tasks?page={n}", None, "page"),
        ("warning_officer", "GET", "/api/v1/events?page={n}", None, "page"),
        ("warning_officer", "GET", "/api/v1/cases?page={n}", None, "page"),
        ("admin", "GET", "/api/v1/audit?page={n}", None, "page"),
        ("warning_officer", "GET", "/api/v1/tasks/{n}", None, "task_id"),
        ("warning_officer", "GET", "/api/v1/cases/{n}", None, "case_id"),
        ("warning_officer", "GET", "/api/v1/persons/{n}?reason=核查身份", None, "person_id"),
        ("fund_officer", "GET", "/api/v1/cases/{n}/trace", None, "case_id"),
        ("fund_officer", "GET", "/api/v1/cases/{n}/ledger", None, "case_id"),
        (
            "fund_officer",
            "GET",
            "/api/v1/cases/{n}/return-plan?account=6222000011112222",
            None,
            "case_id",
        ),
        ("warning_officer", "GET", "/api/v1/tasks?assigned_to={n}", None, "assigned_to"),
        ("warning_officer", "POST", "/api/v1/events", {"person_id": "{n}"}, "person_id"),
        ("fund_officer", "POST", "/api/v1/ledger", {"case_id": "{n}"}, "case_id"),
        (
            "warning_officer",
            "POST",
            "/api/v1/tasks/{n}/outcomes",
            {"channel": "call", "result": "no_answer", "version": 1},
            "task_id",
        ),
        (
            "warning_officer",
            "POST",
            "/api/v1/tasks/1/transition",
            {"to_state": "assigned", "version": 1, "assigned_to": "{n}"},
            "assigned_to",
        ),
    ],
)
def test_integers_beyond_the_database_are_refused_naming_the_field(
    client: TestClient,
    number: int,
    role: str,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    field: str,
) -> None:
    if body is not None:
        base = {"kind": "fraud_call"} if path.endswith("/events") else {}
        if path.endswith("/ledger"):
            base = dict(_LEDGER_BODY)
        body = {**base, **{k: number if v == "{n}" else v for k, v in body.items()}}
    _assert_422(_send(client, role, method, path.format(n=number), body), field)


@pytest.mark.parametrize(
    ("role", "path", "field"),
    [
        ("warning_officer", "/api/v1/cases?since=0001-01-01T00:00:00%2B14:00", "since"),
        ("warning_officer", "/api/v1/cases?until=9999-12-31T23:59:59-14:00", "until"),
        ("warning_officer", "/api/v1/kpis?since=0001-01-01T00:00:00%2B14:00", "since"),
        (
            "analyst",
            "/api/v1/graph/expand?from=13900001111&since=0001-01-01T00:00:00%2B14:00",
            "since",
        ),
        ("analyst", "/api/v1/graph/path?a=13900001111&b=13900002222&until=0.5", "until"),
        ("analyst", "/api/v1/graph/expand?from=13900001111&until=0.5", "until"),
        ("warning_officer", "/api/v1/cases?until=0.5", "until"),
        ("warning_officer", "/api/v1/kpis?since=1700000000", "since"),
    ],
)
def test_times_must_be_real_times_that_fit_in_utc(
    client: TestClient, role: str, path: str, field: str
) -> None:
    _assert_422(_send(client, role, "GET", path), field)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/events", {"kind": "fraud_call", "occurred_at": 0}, "occurred_at"),
        (
            "/api/v1/events",
            {"kind": "fraud_call", "occurred_at": "0001-01-01T00:00:00+14:00"},
            "occurred_at",
        ),
    ],
)
def test_body_times_must_be_real_times(
    client: TestClient, path: str, body: dict[str, Any], field: str
) -> None:
    _assert_422(_send(client, "warning_officer", "POST", path, body), field)


def test_a_ledger_time_that_overflows_is_refused(client: TestClient) -> None:
    body = {**_LEDGER_BODY, "case_id": 1, "at": "0001-01-01T00:00:00+14:00"}
    _assert_422(_send(client, "fund_officer", "POST", "/api/v1/ledger", body), "at")


@pytest.mark.parametrize("state", ["none", "NEW", ""])
def test_unknown_task_states_are_refused(client: TestClient, state: str) -> None:
    response = _send(client, "warning_officer", "GET", f"/api/v1/tasks?state={state}")
    _assert_422(response, "state.0")


def test_an_unknown_target_state_is_refused(client: TestClient) -> None:
    body = {"to_state": "none", "version": 1}
    response = _send(client, "warning_officer", "POST", "/api/v1/tasks/1/transition", body)
    _assert_422(response, "to_state")


@pytest.mark.parametrize(
    ("role", "method", "path", "body", "field"),
    [
        ("anonymous", "POST", "/api/v1/auth/login", {"username": "a\x00b", "password": "x"}, None),
        (
            "anonymous",
            "POST",
            "/api/v1/auth/login",
            {"username": "admin", "password": "\x00"},
            None,
        ),
        ("anonymous", "POST", "/api/v1/reports", {"number": "139\x0000001111"}, "number"),
        ("anonymous", "POST", "/api/v1/screen/text", {"text": "你好\x00"}, "text"),
        ("warning_officer", "GET", "/api/v1/tasks?district=%00", None, "district"),
        ("warning_officer", "GET", "/api/v1/events?kind=a%00", None, "kind"),
        ("warning_officer", "GET", "/api/v1/phones/139%0000001111?reason=核查号码", None, "number"),
        ("warning_officer", "GET", "/api/v1/persons/1?reason=核查%00身份", None, "reason"),
        ("admin", "GET", "/api/v1/audit?username=ad%00min", None, "username"),
        (
            "warning_officer",
            "POST",
            "/api/v1/events",
            {"kind": "fraud_call", "district": "\x00"},
            "district",
        ),
    ],
)
def test_nul_bytes_are_refused_naming_the_field(
    client: TestClient, role: str, method: str, path: str, body: Any, field: str | None
) -> None:
    response = _send(client, role, method, path, body)
    expected = field or next(k for k, v in body.items() if "\x00" in v)
    _assert_422(response, expected)


@pytest.mark.parametrize(
    ("path", "raw", "field"),
    [
        ("/api/v1/screen/text", b'{"text": "\\ud800 hello"}', "text"),
        ("/api/v1/screen/phone", b'{"number": "\\udfff"}', "number"),
    ],
)
def test_lone_surrogates_are_refused_naming_the_field(
    client: TestClient, path: str, raw: bytes, field: str
) -> None:
    _assert_422(_send(client, "anonymous", "POST", path, raw), field)


@pytest.mark.parametrize("raw", [b'{"text": "\xff\xfe"}', b'{"text": "\xe4\xbd"}', b"\xc3\x28"])
def test_invalid_utf8_is_a_422_in_the_one_shape(client: TestClient, raw: bytes) -> None:
    _assert_422(_send(client, "anonymous", "POST", "/api/v1/screen/text", raw), "body")


ERROR_STATUSES = ("400", "401", "403", "404", "409", "413", "422", "429")


def test_every_operation_declares_its_error_responses(client: TestClient) -> None:
    document = client.get("/api/openapi.json").json()
    error = document["components"]["schemas"]["ErrorPublic"]
    assert set(error["properties"]) == {"error"}
    missing = {
        f"{method.upper()} {path}": [s for s in ERROR_STATUSES if s not in operation["responses"]]
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    }
    assert not {key: value for key, value in missing.items() if value}
    for operations in document["paths"].values():
        for operation in operations.values():
            for status in ERROR_STATUSES:
                schema = operation["responses"][status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorPublic"}


def test_the_declared_error_shape_is_the_one_returned(client: TestClient) -> None:
    document = client.get("/api/openapi.json").json()
    detail = document["components"]["schemas"]["ErrorDetailPublic"]
    body = client.get("/api/v1/tasks").json()
    assert set(body["error"]) == set(detail["properties"])
    assert set(detail["required"]) == {"code", "message", "field"}
