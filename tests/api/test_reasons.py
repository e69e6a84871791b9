"""Look-up reasons are real text, required where personal data is read; list reads are audited."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import login

BLANK_OR_INVISIBLE = [
    "",
    "    ",
    "\u3000\u3000\u3000\u3000",  # ideographic spaces
    "\u200b\u200b\u200b\u200b\u200b",  # zero-width spaces
    "\u200d\ufeff\u2060\u00ad\u3164",  # joiner, BOM, word joiner, soft hyphen, Hangul filler
    "\u2800\u2800\u2800\u2800",  # braille blanks
    "....",
    "核查",  # too short: two characters
    "核\u200b\u200b\u200b查",
]

# Every endpoint that reads one person, number, account, case or task, or traces from them.
READS = [
    ("warning_officer", "/api/v1/persons/1"),
    ("warning_officer", "/api/v1/phones/13900001111"),
    ("fund_officer", "/api/v1/accounts/6222000011112222"),
    ("warning_officer", "/api/v1/tasks/1"),
    ("warning_officer", "/api/v1/cases/1"),
    ("fund_officer", "/api/v1/cases/1/trace"),
    ("fund_officer", "/api/v1/accounts/6222000011112222/trace-back"),
    ("fund_officer", "/api/v1/cases/1/return-plan?account=6222000011112222"),
    ("analyst", "/api/v1/graph/expand?from=13900001111"),
    ("analyst", "/api/v1/graph/path?a=13900001111&b=person:1"),
    ("analyst", "/api/v1/graph/export.ftm?from=13900001111"),
]


@pytest.mark.parametrize(("role", "path"), READS)
def test_a_read_without_a_reason_is_refused_naming_the_field(
    client: TestClient, role: str, path: str
) -> None:
    response = client.get(path, headers=login(client, role))
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == "reason"


@pytest.mark.parametrize("reason", BLANK_OR_INVISIBLE)
def test_blank_or_invisible_reasons_are_refused(client: TestClient, reason: str) -> None:
    officer = login(client, "warning_officer")
    for path in ("/api/v1/persons/1", "/api/v1/tasks/1", "/api/v1/tasks"):
        response = client.get(path, params={"reason": reason}, headers=officer)
        if path == "/api/v1/tasks" and reason == "":
            continue  # an empty optional list reason is no reason: allowed on lists
        assert response.status_code == 422, (path, repr(reason), response.text)
        error = response.json()["error"]
        assert error["field"] == "reason" and "reason" in error["message"]


def test_a_real_reason_is_accepted_and_recorded(client: TestClient) -> None:
    officer = login(client, "warning_officer")
    response = client.get("/api/v1/persons/1", params={"reason": " 核查身份 "}, headers=officer)
    assert response.status_code == 200
    entries = client.get(
        "/api/v1/audit", params={"object_type": "person"}, headers=login(client, "admin")
    ).json()["data"]
    assert entries[0]["reason"] == "核查身份"


@pytest.mark.parametrize(
    ("path", "object_type"),
    [("/api/v1/tasks", "warning_task"), ("/api/v1/events", "event"), ("/api/v1/cases", "case")],
)
def test_list_reads_leave_audit_entries(client: TestClient, path: str, object_type: str) -> None:
    officer = login(client, "commander")
    response = client.get(path, params={"page": 1, "reason": "预警处置：查看列表"}, headers=officer)
    assert response.status_code == 200, response.text
    entries = client.get(
        "/api/v1/audit", params={"username": "commander"}, headers=login(client, "admin")
    ).json()["data"]
    listed = [(e["action"], e["object_type"], e["reason"]) for e in entries]
    assert ("list", object_type, "预警处置：查看列表") in listed
