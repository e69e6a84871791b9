"""Schemathesis over every operation of /api/openapi.json with every built-in check
(issue 15 item 7): no 5xx, status codes, content types and bodies as the document declares.

Uses schemathesis's documented Python API for an ASGI app (``schemathesis.openapi.from_asgi``
and each operation's ``as_strategy`` under Hypothesis), positive and negative examples.
Run as a privileged (city-wide) user and as a district-scoped warning officer, on SQLite and
PostgreSQL. Bounded for CI: a fixed number of examples per operation, derandomised, no
example database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from sqlalchemy import Engine

from fanzha.api import Settings, create_app
from fanzha.roles import PERMISSIONS
from fanzha.store.audit import AuditChain
from tests.api.conftest import PASSWORD, seed_users

EXAMPLES_PER_OPERATION = 8
_REJECTED = ["400", "401", "403", "404", "405", "406", "409", "415", "422", "428", "429"]
CITY_WIDE = ("admin", "commander", "analyst", "fund_officer")
_ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429"]
# A body over the app's size limit (Settings.max_body_bytes; the schema's maxLength allows
# a batch or text of 1,000,000 characters) is refused with 413 before it is read.
CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            "negative_data_rejection": {"expected-statuses": [*_REJECTED, "413"]},
            "positive_data_acceptance": {"expected-statuses": [*_ACCEPTED, "413"]},
        },
        # Rules the schema does not express, answered 422 naming the field: screening refuses
        # text of only invisible or control characters; 举报 needs at least one of number,
        # account, url or text.
        "operations": [
            {
                "include-path-regex": "^/api/v1/(reports|screen/)",
                "checks": {
                    "positive_data_acceptance": {"expected-statuses": [*_ACCEPTED, "413", "422"]}
                },
            }
        ],
    }
)
TokenOf = Callable[[schemathesis.Case], dict[str, str]]


def _permission_by_route(app: FastAPI) -> dict[tuple[str, str], str]:
    """The action each operation's ``permit(...)`` dependency asks for, by (METHOD, path)."""
    by_name = {f"permit_{action.replace('.', '_')}": action for action in PERMISSIONS}
    found: dict[tuple[str, str], str] = {}
    for route in app.routes:
        if not isinstance(route, APIRoute):
            continue
        names = [getattr(dep.call, "__name__", "") for dep in route.dependant.dependencies]
        actions = [by_name[name] for name in names if name in by_name]
        for method in route.methods:
            if actions:
                found[(method, route.path)] = actions[0]
    return found


def _role_for(action: str | None, user: str) -> str:
    """The user to send: the warning officer, or a city-wide role the action allows."""
    if user == "warning_officer" or action is None:
        return "warning_officer" if user == "warning_officer" else "admin"
    allowed = PERMISSIONS.get(action, frozenset())
    return next((role for role in CITY_WIDE if role in allowed), "commander")


@pytest.fixture
def api_app(engine: Engine, audit_chain: AuditChain) -> FastAPI:
    """The API (no web UI) on a migrated database with one user per role."""
    seed_users(engine)
    return create_app(
        Settings(max_body_bytes=20_000), engine=engine, with_web=False, audit_chain=audit_chain
    )


@pytest.fixture
def token_of(api_app: FastAPI, api_user: str) -> Iterator[TokenOf]:
    """Authorization headers for a case: the role that ``api_user`` means for its operation."""
    permissions = _permission_by_route(api_app)
    tokens: dict[str, str] = {}
    with TestClient(api_app) as client:
        for role in {*CITY_WIDE, "commander", "warning_officer"}:
            answer = client.post(
                "/api/v1/auth/login", json={"username": role, "password": PASSWORD}
            )
            tokens[role] = answer.json()["token"]

    def headers(case: schemathesis.Case) -> dict[str, str]:
        action = permissions.get((case.method.upper(), case.path))
        return {"Authorization": f"Bearer {tokens[_role_for(action, api_user)]}"}

    yield headers


def _check_operation(
    operation: schemathesis.APIOperation, mode: schemathesis.GenerationMode, token_of: TokenOf
) -> str | None:
    """Run the operation's bounded examples in ``mode``; the first failure, or None."""

    last: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        headers = token_of(case)
        response = case.call(headers=headers)
        last[:] = [f"{case.body!r:.200} -> {response.status_code} {response.text:.300}"]
        case.validate_response(response, headers=headers, transport_kwargs={"headers": headers})

    try:
        run()
    except Unsatisfiable:  # negative mode of an operation that takes no input: nothing to send
        return None
    except (Exception, BaseExceptionGroup) as failure:  # the checks' FailureGroup, or an error
        details = [repr(sub) for sub in getattr(failure, "exceptions", ())] or [repr(failure)]
        return f"{operation.label} ({mode.value}): " + "\n".join([*details, *last])
    return None


@pytest.mark.parametrize("api_user", ["privileged", "warning_officer"])
def test_every_operation_conforms(api_app: FastAPI, token_of: TokenOf) -> None:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", api_app, config=CONFIG)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    failures = [
        found
        for operation in operations
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
        if (found := _check_operation(operation, mode, token_of)) is not None
    ]
    assert not failures, "\n\n".join(failures)
