"""资金查控 over HTTP on a small demo city: trace, freeze, refuse an over-return, plan returns."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from fanzha.store import BankAccount, Case, Transfer
from tests.api.conftest import demo_app, login

WHY = {"reason": "资金查控：追踪"}


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
    trace = demo_client.get(f"/api/v1/cases/{case_id}/trace", params=WHY)
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
    retraced = demo_client.get(f"/api/v1/cases/{case_id}/trace", params=WHY).json()
    assert next(n for n in retraced["nodes"] if n["account"] == account)["status"] == "frozen"
    ledger = demo_client.get(f"/api/v1/cases/{case_id}/ledger").json()
    assert [h["frozen_fen"] for h in ledger["holdings"]] == [held]
    assert len(ledger["entries"]) == 1
    plan = demo_client.get(
        f"/api/v1/cases/{case_id}/return-plan", params={"account": account, **WHY}
    )
    assert plan.status_code == 200, plan.text
    assert 0 < plan.json()["returned_fen"] <= held
    back = demo_client.get(f"/api/v1/accounts/{account}/trace-back", params=WHY)
    assert back.status_code == 200 and back.json()["victims"]


def test_unknown_case_and_account_are_404(demo_client: TestClient) -> None:
    assert demo_client.get("/api/v1/cases/999999/trace", params=WHY).status_code == 404
    assert (
        demo_client.get("/api/v1/accounts/123456789012/trace-back", params=WHY).status_code == 404
    )


def _small_chain(engine: Engine) -> None:
    """王秀兰 (person 1) pays a mule, who cashes part out by ATM and keeps the rest."""
    day = datetime(2026, 9, 1, tzinfo=UTC)
    with Session(engine) as session:
        session.add_all(
            [
                BankAccount(id=1, account_no="6222000000000001", bank="农业银行", holder_id=1),
                BankAccount(id=2, account_no="6222000000000002", bank="工商银行"),
                BankAccount(id=3, account_no="6222000000000003", bank="工商银行"),
                Case(
                    id=1,
                    case_no="A001",
                    fraud_type="fake_investment",
                    amount_lost_fen=50_000,
                    occurred_at=day,
                    reported_at=day,
                    victim_id=1,
                ),
            ]
        )
        session.flush()
        session.add_all(
            Transfer(
                txn_id=f"T{i}",
                src_account_id=src,
                dst_account_id=dst,
                amount_fen=fen,
                at=day + timedelta(hours=i),
                channel=channel,
                case_id=1,
            )
            for i, (src, dst, fen, channel) in enumerate(
                [(1, 2, 50_000, "mobile"), (2, 3, 20_000, "atm")], start=1
            )
        )
        session.commit()


def test_trace_stops_at_a_stored_exit_channel_and_plans_from_the_ledger(
    client: TestClient, engine: Engine
) -> None:
    _small_chain(engine)
    headers = login(client, "fund_officer")
    trace = client.get("/api/v1/cases/1/trace", params=WHY, headers=headers).json()
    assert (trace["case_id"], trace["case_no"], trace["total_fen"]) == (1, "A001", 50_000)
    assert trace["seeds"][0]["victim"] == "王秀兰（A001）"
    assert trace["seeds"][0]["from"] == "6222000000000001"
    nodes = {node["account"]: node for node in trace["nodes"]}
    # The ATM withdrawal is an exit by its stored channel, though the account is ordinary.
    assert nodes["6222000000000003"]["status"] == "exit"
    assert nodes["6222000000000003"]["exited_fen"] == 20_000
    assert nodes["6222000000000002"]["held_fen"] == 30_000
    freeze = {
        "case_id": 1,
        "account_no": "6222000000000002",
        "kind": "freeze",
        "amount_fen": 30_000,
        "legal_basis": "南公（反诈）冻字〔2026〕001号",
    }
    ledger = client.post("/api/v1/ledger", json=freeze, headers=headers).json()
    assert [(e["kind"], e["account_no"], e["bank"]) for e in ledger["entries"]] == [
        ("freeze", "6222000000000002", "工商银行")
    ]
    assert ledger["holdings"][0]["frozen_fen"] == ledger["totals"]["frozen_fen"] == 30_000
    assert ledger["entries"][0]["at"].endswith("+00:00")
    # 经办人: the login name stays the stable code, the page shows the person's name.
    assert ledger["entries"][0]["officer"] == "fund_officer"
    read = client.get("/api/v1/cases/1/ledger", headers=headers).json()
    assert read["entries"][0]["officer_name"] == "测试fund_officer"
    # The stored channel codes keep their spelling; the page reads their Chinese names.
    case = client.get("/api/v1/cases/1", params={"reason": "核查案件"}, headers=headers).json()
    assert [(t["channel"], t["channel_name"]) for t in case["transfers"]] == [
        ("mobile", "手机银行"),
        ("atm", "自助取款机取现"),
    ]
    plan = client.get(
        "/api/v1/cases/1/return-plan",
        params={"account": "6222000000000002", **WHY},
        headers=headers,
    ).json()
    assert (plan["case_id"], plan["rule"], plan["notice"]) == ("A001", "single_deposit", None)
    assert plan["lines"] == [
        {
            "victim": "A001",
            "account": "6222000000000001",
            "claim_fen": 50_000,
            "amount_fen": 30_000,
            "basis": "single_deposit",
            "traced_fen": 30_000,
            "loss_fen": 50_000,
            "share_ppm": 1_000_000,
            "basis_text": "依据：冻结账户内该被害人的单笔汇款（以报案被骗金额为限），"
            "报案被骗金额 500.00 元",
        }
    ]
    assert (plan["returned_fen"], plan["remaining_fen"]) == (30_000, 0)
    assert plan["decided_at"] == plan["executable_from"] and plan["decided_at"].endswith("+00:00")
    back = client.get(
        "/api/v1/accounts/6222000000000003/trace-back", params=WHY, headers=headers
    ).json()
    assert back["account"] == "6222000000000003"
    assert back["victims"][0]["amount_fen"] == 20_000


def test_every_funds_route_documents_its_body(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/v1/cases/{case_id}/trace",
        "/api/v1/accounts/{account_no}/trace-back",
        "/api/v1/cases/{case_id}/ledger",
        "/api/v1/ledger",
        "/api/v1/cases/{case_id}/return-plan",
    ):
        for operation in paths[path].values():
            ok = next(v for k, v in operation["responses"].items() if k.startswith("2"))
            assert ok["content"]["application/json"]["schema"]["$ref"].endswith("Public")


def _exits_and_accounts(body: dict[str, Any]) -> tuple[int, int, int]:
    nodes = body["nodes"]
    return (
        sum(n["exited_fen"] for n in nodes),
        len(nodes),
        sum(n["held_fen"] + n["exited_fen"] for n in nodes),
    )


def test_a_small_freeze_on_one_mule_does_not_collapse_the_trace(
    demo_client: TestClient, engine: Engine
) -> None:
    """The reported bug: freezing 27.25 元 on a mule that had passed money on made the trace
    count everything it ever received as frozen, and the layers below it vanished."""
    case_id = _traced_case(engine)
    before = demo_client.get(f"/api/v1/cases/{case_id}/trace", params=WHY).json()
    children = {e["src"] for e in before["edges"]}
    mule = next(
        n
        for n in before["nodes"]
        if n["depth"] >= 1 and n["sent_fen"] > 0 and n["account"] in children
    )
    freeze = {
        "case_id": case_id,
        "account_no": mule["account"],
        "kind": "freeze",
        "amount_fen": 2_725,
        "legal_basis": "南公（反诈）冻字〔2026〕002号",
    }
    assert demo_client.post("/api/v1/ledger", json=freeze).status_code == 201
    after = demo_client.get(f"/api/v1/cases/{case_id}/trace", params=WHY).json()
    # Exits, the number of accounts and the money accounted for stay as they were.
    assert _exits_and_accounts(after) == _exits_and_accounts(before)
    frozen_held = sum(n["held_fen"] for n in after["nodes"] if n["status"] == "frozen")
    assert frozen_held <= min(2_725, mule["held_fen"])
    node = next(n for n in after["nodes"] if n["account"] == mule["account"])
    # FIFO freezes the newest money on the account, which need not be the victim's.
    assert node["frozen_fen"] <= 2_725
    assert (node["sent_fen"], node["held_fen"]) == (mule["sent_fen"], mule["held_fen"])
    assert after["edges"] == before["edges"]
    # Pro rata, the freeze holds a share of each victim's money on the account.
    shared = demo_client.get(
        f"/api/v1/cases/{case_id}/trace", params={**WHY, "method": "pro_rata"}
    ).json()
    held = next(n for n in shared["nodes"] if n["account"] == mule["account"])
    assert 0 < held["frozen_fen"] <= 2_725 and held["status"] == "frozen"
