"""Masking everywhere (issue 15 item 3): no phone, ID or account number of the demo city in
any GET response of a role without ``pii.view``, free text and audit entries included."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from fanzha.roles import ROLES, is_allowed
from fanzha.store import AuditEntry, BankAccount, Case, Event, Person, Phone, Transfer, WarningTask
from tests.api.conftest import demo_app

PII_BLIND = [role for role in ROLES if not is_allowed(role, "pii.view")]
USERNAMES = {
    "admin": "admin",
    "commander": "commander",
    "analyst": "analyst",
    "fund_officer": "fund",
    "outreach_officer": "outreach",
    "warning_officer": "warn_qingxiu_1",
    "investigator": "inv_qingxiu",
}
_EDGE_BEFORE = r"(?<![0-9A-Za-z.])"  # not the decimals of a float
_EDGE_AFTER = r"(?![0-9A-Za-z])"
NUMBER_PATTERNS = [
    re.compile(_EDGE_BEFORE + pattern + _EDGE_AFTER)
    for pattern in (r"1[3-9][0-9]{9}", r"[0-9]{17}[0-9Xx]", r"[0-9]{12,40}")
]


@dataclass(frozen=True)
class City:
    """The demo city's numbers and one object of each kind to ask for."""

    numbers: frozenset[str]
    task_id: int
    case_id: int
    person_id: int
    phone: str
    account: str


def _city(engine: Engine) -> City:
    with Session(engine) as session:
        numbers = {
            value
            for column in (
                Phone.number,
                Person.phone_number,
                Person.id_number,
                BankAccount.account_no,
                WarningTask.phone_number,
                Event.phone_number,
            )
            for value in session.scalars(select(column))
            if value
        }
        task_id = session.scalars(
            select(Event.task_id).where(Event.counterpart.is_not(None), Event.task_id.is_not(None))
        ).first()
        case_id = session.scalars(select(Transfer.case_id).where(Transfer.case_id.is_not(None)))
        case = session.get(Case, case_id.first())
        assert task_id is not None and case is not None and case.victim_id is not None
        account = session.scalars(
            select(BankAccount.account_no).where(BankAccount.holder_id == case.victim_id)
        ).first()
        phone = session.scalars(select(Phone.number).where(Phone.owner_id.is_not(None))).first()
        assert account is not None and phone is not None
        return City(frozenset(numbers), task_id, case.id, case.victim_id, phone, account)


def _get_requests(client: TestClient, city: City) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every GET operation of the OpenAPI document with its path and required query filled."""
    values = {
        "task_id": city.task_id,
        "case_id": city.case_id,
        "person_id": city.person_id,
        "number": city.phone,
        "account_no": city.account,
        "reason": f"核查 {city.phone} 的机主",
        "account": city.account,
        "from": f"phone:{city.phone}",
        "a": f"phone:{city.phone}",
        "b": f"person:{city.person_id}",
        "q": city.phone,
        "fmt": "csv",  # the exports, as a file of text
        "period": "2026-09-01..2026-09-30",  # the statistics, over the demo city's month
        "figure": "warned",
    }
    document = client.get("/api/openapi.json").json()
    for path, operations in document["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        params: dict[str, Any] = {}
        for parameter in operation.get("parameters", []):
            name = parameter["name"]
            if parameter["in"] == "path":
                # the registers' ids (suspect_id, clue_id, operation_id …): their first record
                path = path.replace(f"{{{name}}}", str(values.get(name, 1)))
            elif parameter.get("required"):
                params[name] = values[name]
            elif name == "per_page":
                params[name] = 200
        yield path, params


def _numbers_in(text: str, city: City) -> set[str]:
    found = {match.group() for pattern in NUMBER_PATTERNS for match in pattern.finditer(text)}
    return found | {number for number in city.numbers if number in text}


def _sweep(engine: Engine, role: str, city: City) -> dict[str, set[str]]:
    """The numbers found in each GET response of ``role``."""
    found: dict[str, set[str]] = {}
    with demo_app(engine, USERNAMES[role]) as client:
        for path, params in _get_requests(client, city):
            response = client.get(path, params=params)
            assert response.status_code < 500, (path, response.text)
            numbers = _numbers_in(response.text, city)
            if numbers:
                found[path] = numbers
    return found


@pytest.fixture
def city(demo_engine: Engine) -> City:
    """The demo city, after an analyst looked up a phone and an account with reasons naming
    numbers (so the audit log holds numbers in its object ids and reasons)."""
    found = _city(demo_engine)
    with demo_app(demo_engine, "analyst") as client:
        for path in (f"/api/v1/phones/{found.phone}", f"/api/v1/accounts/{found.account}"):
            response = client.get(path, params={"reason": f"核查 {found.phone} {found.account}"})
            assert response.status_code == 200, response.text
        missing = client.get("/api/v1/phones/13912345678", params={"reason": "核查号码"})
        assert missing.status_code == 404
    return found


@pytest.mark.parametrize("role", PII_BLIND)
def test_no_number_reaches_a_role_without_pii_view(
    demo_engine: Engine, city: City, role: str
) -> None:
    assert _sweep(demo_engine, role, city) == {}


def test_the_sweep_finds_numbers_for_a_role_with_pii_view(demo_engine: Engine, city: City) -> None:
    found = _sweep(demo_engine, "fund_officer", city)
    assert {"/api/v1/tasks", "/api/v1/events", f"/api/v1/phones/{city.phone}"} <= set(found)


def test_audit_object_ids_hold_no_number(demo_engine: Engine, city: City) -> None:
    with Session(demo_engine) as session:
        ids = list(session.scalars(select(AuditEntry.object_id)))
    assert ids
    leaked = [i for i in ids if i and (_numbers_in(i, city) or "13912345678" in i)]
    assert leaked == []


def test_look_ups_are_not_cached(demo_engine: Engine, city: City) -> None:
    with demo_app(demo_engine, "analyst") as client:
        for path in (
            f"/api/v1/persons/{city.person_id}",
            f"/api/v1/phones/{city.phone}",
            f"/api/v1/accounts/{city.account}",
        ):
            response = client.get(path, params={"reason": "核查身份"})
            assert response.status_code == 200, response.text
            assert response.headers["cache-control"] == "no-store", path
