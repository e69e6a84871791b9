"""资金查控 over HTTP on a small demo city: trace, freeze, refuse an over-return, plan returns."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from fanzha.store import Case, Transfer
from tests.api.conftest import demo_app


@pytest.fixture
def demo_client(demo_engine: Engine) -> Iterator[TestClient]:
    with demo_app(demo_engine, "fund") as client:
        yield client


def _traced_case(engine: Engine) -> int:
    with Session(engine) as session:
        return int(
            session.execute(
                select(Transfer.case_id)
                .where(Transfer.case_id.is_not(None))
                .group_by(Transfer.case_id)
                .order_by(func.count().desc(), Transfer.case_id)
                .limit(1)
            ).scalar_one()
        )


def test_trace_freeze_and_return_plan(demo_client: TestClient, engine: Engine) -> None:
    case_id = _traced_case(engine)
    trace = demo_client.get(f"/api/v1/cases/{case_id}/trace")
    assert trace.status_code == 200, trace.text
    body = trace.json()
    assert body["total_fen"] > 0 and body["nodes"] and body["edges"]
    with Session(engine) as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert body["total_fen"] <= case.amount_lost_fen
    holder = max(body["nodes"], key=lambda n: n["held_fen"] + n["exited_fen"] * 0)
    account, held = holder["account"], holder["held_fen"]
    assert held > 0
    freeze = {
        "case_id": case_id,
        "account_no": account,
        "kind": "freeze",
        "amount_fen": held,
        "legal_basis": "南公（反诈）冻字〔2026〕001号",
    }
    assert demo_client.post("/api/v1/ledger", json=freeze).status_code == 201
    over = {
        **freeze,
        "kind": "return",
        "amount_fen": held + 1,
        "payee": "victim",
        "payee_account": "6222000000000001",
    }
    refused = demo_client.post("/api/v1/ledger", json=over)
    assert refused.status_code == 409, refused.text
    retraced = demo_client.get(f"/api/v1/cases/{case_id}/trace").json()
    assert next(n for n in retraced["nodes"] if n["account"] == account)["status"] == "frozen"
    ledger = demo_client.get(f"/api/v1/cases/{case_id}/ledger").json()
    assert [h["frozen_fen"] for h in ledger["holdings"]] == [held]
    assert len(ledger["entries"]) == 1
    plan = demo_client.get(f"/api/v1/cases/{case_id}/return-plan", params={"account": account})
    assert plan.status_code == 200, plan.text
    assert 0 < plan.json()["returned_fen"] <= held
    back = demo_client.get(f"/api/v1/accounts/{account}/trace-back")
    assert back.status_code == 200 and back.json()["victims"]


def test_unknown_case_and_account_are_404(demo_client: TestClient) -> None:
    assert demo_client.get("/api/v1/cases/999999/trace").status_code == 404
    assert demo_client.get("/api/v1/accounts/123456789012/trace-back").status_code == 404
