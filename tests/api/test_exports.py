"""导出 over HTTP on the demo city: the files read back (openpyxl, csv) hold what the lists
hold for the same officer — district scope, masking for roles without ``pii.view`` — with
Chinese headers, amounts in yuan, a Chinese file name, no caching, and an audit entry with
the reason."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from fanzha.store import AuditEntry, Case, Transfer
from tests.api.conftest import demo_app, login

OWN = "青秀区"
WHY = "导出：核查预警队列"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(response: Any, sheet: int = 0) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    book = load_workbook(io.BytesIO(response.content))
    rows = [[cell.value for cell in row] for row in book.worksheets[sheet].iter_rows()]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _csv(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def _filename(response: Any) -> str:
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="fanzha-')
    found = re.search(r"filename\*=UTF-8''(\S+)", disposition)
    assert found, disposition
    return unquote(found.group(1))


def _exports(engine: Engine) -> list[AuditEntry]:
    with Session(engine) as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all())


def _all_tasks(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    page = 1
    while True:
        body = client.get(
            "/api/v1/tasks", params={"per_page": 1000, "page": page, **params, "reason": WHY}
        ).json()
        rows += body["data"]
        if len(rows) >= body["count"]:
            return rows
        page += 1


def test_the_queue_and_cases_export_what_the_officer_may_see(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:  # a summary that a spreadsheet would run
        case_id = session.scalars(
            select(Case.id).where(Case.district == OWN).order_by(Case.id).limit(1)
        ).one()
        session.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(summary='=HYPERLINK("http://evil.example","点") 13912345678')
        )
        session.commit()

    # a warning officer: own district only, numbers in full
    with demo_app(demo_engine, "warn_qingxiu_1") as client:
        expected = _all_tasks(client, sort="created")
        response = client.get(
            "/api/v1/export/queue.xlsx", params={"sort": "created", "reason": WHY}
        )
        rows = _xlsx(response)
        assert response.headers["cache-control"] == "no-store"
        assert _filename(response).startswith("预警队列_") and _filename(response).endswith(".xlsx")
        assert len(rows) == len(expected) > 0
        assert {row["辖区"] for row in rows} == {OWN}
        assert [row["任务编号"] for row in rows] == [task["id"] for task in expected]
        first, task = rows[0], expected[0]
        assert Decimal(str(first["涉险金额（元）"])) == Decimal(task["money_at_risk_fen"]) / 100
        assert first["联系电话"] == task["phone_number"] and "*" not in str(task["phone_number"])
        assert first["状态"] == task["state_label"]
        created = datetime.fromisoformat(task["created_at"]).astimezone(UTC)
        assert (
            first["创建时间"] - created.replace(tzinfo=None, microsecond=0)
        ).total_seconds() == 8 * 3600

        cases = _csv(client.get("/api/v1/export/cases.csv", params={"reason": WHY}))
        listed = client.get("/api/v1/cases", params={"per_page": 1000, "reason": WHY}).json()
        assert len(cases) == listed["count"] > 0
        assert {row["辖区"] for row in cases} == {OWN}
        assert list(cases[0])[:3] == ["案件编号", "诈骗类型", "损失金额（元）"]
        evil = next(row for row in cases if row["简要案情"].startswith("'="))
        assert "13912345678" in evil["简要案情"]
        assert evil["状态"] in {"已受理", "侦查中", "已破案", "已结案"}

        other = client.get(
            "/api/v1/export/cases.xlsx", params={"district": "横州市", "reason": WHY}
        )
        assert _xlsx(other) == []
        with Session(demo_engine) as session:
            foreign = session.scalars(
                select(Case.id).where(Case.district != OWN).order_by(Case.id).limit(1)
            ).one()
        refused = client.get(
            f"/api/v1/export/cases/{foreign}/transfers.csv", params={"reason": WHY}
        )
        assert refused.status_code == 404

    # a commander (no pii.view): the whole city, names and numbers masked, free text too
    with demo_app(demo_engine, "commander") as client:
        cases = _xlsx(client.get("/api/v1/export/cases.xlsx", params={"reason": WHY}))
        assert len({row["辖区"] for row in cases}) > 1
        victims = [row["受害人"] for row in cases if row["受害人"]]
        assert victims and all("*" in name for name in victims)
        evil = next(row for row in cases if str(row["简要案情"]).startswith("'="))
        assert "13912345678" not in evil["简要案情"] and "139****5678" in evil["简要案情"]
        queue = _csv(client.get("/api/v1/export/queue.csv", params={"reason": WHY}))
        phones = [row["联系电话"] for row in queue if row["联系电话"]]
        assert phones and all(re.fullmatch(r"\d{3}\*{4}\d{4}", p) for p in phones)

    entries = _exports(demo_engine)
    assert [(e.username, e.object_type, e.detail.split(" ")[0]) for e in entries] == [
        ("warn_qingxiu_1", "warning_task", "xlsx"),
        ("warn_qingxiu_1", "case", "csv"),
        ("warn_qingxiu_1", "case", "xlsx"),
        ("commander", "case", "xlsx"),
        ("commander", "warning_task", "csv"),
    ]
    assert all(e.reason == WHY for e in entries)
    assert entries[0].detail.startswith(f"xlsx rows={len(expected)} ")


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


def test_transfers_ledger_and_return_plan_export(demo_engine: Engine) -> None:
    case_id = _traced_case(demo_engine)
    why = {"reason": "资金查控：导出台账"}
    with demo_app(demo_engine, "fund") as client:
        detail = client.get(f"/api/v1/cases/{case_id}", params=why).json()
        transfers = _xlsx(client.get(f"/api/v1/export/cases/{case_id}/transfers.xlsx", params=why))
        assert len(transfers) == len(detail["transfers"]) > 0
        assert (
            sum(Decimal(str(t["金额（元）"])) for t in transfers)
            == Decimal(sum(t["amount_fen"] for t in detail["transfers"])) / 100
        )
        assert {t["渠道"] for t in transfers} <= {"转账", "取现", "数字货币", "商户消费"}

        trace = client.get(f"/api/v1/cases/{case_id}/trace", params=why).json()
        holder = max(trace["nodes"], key=lambda n: n["held_fen"])
        freeze = {
            "case_id": case_id,
            "account_no": holder["account"],
            "kind": "freeze",
            "amount_fen": holder["held_fen"],
            "legal_basis": "南公（反诈）冻字〔2026〕001号",
        }
        assert client.post("/api/v1/ledger", json=freeze).status_code == 201

        response = client.get(f"/api/v1/export/cases/{case_id}/ledger.xlsx", params=why)
        assert "止付冻结台账" in _filename(response)
        entries = _xlsx(response)
        assert len(entries) == 1 and entries[0]["措施"] == "冻结"
        assert Decimal(str(entries[0]["金额（元）"])) == Decimal(holder["held_fen"]) / 100
        holdings = _xlsx(response, sheet=1)
        assert holdings[0]["账户"] == holder["account"]
        assert (
            _csv(client.get(f"/api/v1/export/cases/{case_id}/ledger.csv", params=why))[0][
                "法律文书"
            ]
            == freeze["legal_basis"]
        )

        params = {"account": holder["account"], **why}
        plan = client.get(f"/api/v1/cases/{case_id}/return-plan", params=params).json()
        response = client.get(f"/api/v1/export/cases/{case_id}/return-plan.xlsx", params=params)
        lines = _xlsx(response)
        assert len(lines) == len(plan["lines"]) > 0
        assert (
            sum(Decimal(str(line["拟返还（元）"])) for line in lines)
            == Decimal(plan["returned_fen"]) / 100
        )
        summary = {row["项目"]: row["内容"] for row in _xlsx(response, sheet=1)}
        assert summary["冻结账户"] == holder["account"]
        assert summary["适用规则"] == plan["rule_text"]
        csv_lines = _csv(
            client.get(f"/api/v1/export/cases/{case_id}/return-plan.csv", params=params)
        )
        assert [row["拟返还（元）"] for row in csv_lines] == [
            f"{Decimal(line['amount_fen']) / 100:.2f}" for line in plan["lines"]
        ]
    kinds = [(e.object_type, e.detail.split(" ")[0]) for e in _exports(demo_engine)]
    assert kinds == [
        ("case", "xlsx"),
        ("ledger", "xlsx"),
        ("ledger", "csv"),
        ("ledger", "xlsx"),
        ("ledger", "csv"),
    ]


def test_exports_need_a_reason_a_permission_and_a_known_format(client: TestClient) -> None:
    officer = login(client, "warning_officer")
    missing = client.get("/api/v1/export/queue.xlsx", headers=officer)
    assert missing.status_code == 422 and "reason" in missing.text
    blank = client.get("/api/v1/export/queue.csv", params={"reason": " ** "}, headers=officer)
    assert blank.status_code == 422
    unknown = client.get("/api/v1/export/queue.pdf", params={"reason": WHY}, headers=officer)
    assert unknown.status_code == 422
    outreach = login(client, "outreach_officer")
    refused = client.get("/api/v1/export/cases.csv", params={"reason": WHY}, headers=outreach)
    assert refused.status_code == 403
    anonymous = client.get("/api/v1/export/cases.csv", params={"reason": WHY})
    assert anonymous.status_code == 401
    ledger = client.get(
        "/api/v1/export/cases/1/ledger.csv", params={"reason": WHY}, headers=officer
    )
    assert ledger.status_code == 403
    empty = client.get("/api/v1/export/queue.csv", params={"reason": WHY}, headers=officer)
    assert _csv(empty) == [] and empty.content.decode("utf-8-sig").startswith("任务编号,")
