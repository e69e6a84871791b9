"""A small hand-built store whose figures the tests know by hand (see EXPECTED's comments).

Period under test: 2022-05-16..2022-05-22 (Beijing); 环比 2022-05-09..05-15; 同比
2021-05-16..05-22. Times are UTC: 16:30 UTC on 05-15 is 00:30 on 05-16 in Beijing (inside),
17:30 UTC on 05-22 is 01:30 on 05-23 (outside).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fanzha.store import BankAccount, Case, Outcome, WarningTask
from fanzha.store._models import LedgerEntry

PERIOD = "2022-05-16..2022-05-22"
QINGXIU, XINGNING = "青秀区", "兴宁区"
BRUSHING, INVESTMENT = "brushing_rebate", "fake_investment"


def _t(month: int, day: int, hour: int = 4, minute: int = 0, year: int = 2022) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


CASES = (  # id, type, district, reported (UTC), loss fen
    (1, BRUSHING, QINGXIU, _t(5, 16, 2), 1_000_000),  # in
    (2, BRUSHING, XINGNING, _t(5, 22, 17, 30), 50_000),  # Beijing 05-23: out
    (3, INVESTMENT, QINGXIU, _t(5, 15, 16, 30), 2_000_000),  # Beijing 05-16: in
    (4, INVESTMENT, XINGNING, _t(5, 10), 300_000),  # 环比
    (5, BRUSHING, XINGNING, _t(5, 18, year=2021), 100_000),  # 同比
    (6, BRUSHING, QINGXIU, _t(5, 20), 50_000),  # in
)
TASKS = ((1, QINGXIU, BRUSHING), (2, XINGNING, INVESTMENT), (3, XINGNING, INVESTMENT))
OUTCOMES = (  # id, task, result, at, saved fen
    (1, 1, "no_answer", _t(5, 16, 3), 0),
    (2, 1, "reached_dissuaded", _t(5, 16, 4), 800_000),
    (3, 2, "sms_sent", _t(5, 17), 0),
    (4, 2, "reached_refused", _t(5, 18), 0),
    (5, 3, "reached_dissuaded", _t(5, 12), 100_000),  # 环比
)
LEDGER = (  # id, kind, case, amount fen, at
    (1, "stop_pay", 1, 300_000, _t(5, 16)),
    (2, "freeze", 1, 200_000, _t(5, 17)),
    (3, "release_stop", 1, 100_000, _t(5, 18)),  # not counted
    (4, "return", 1, 150_000, _t(5, 20)),
    (5, "stop_pay", 3, 1_000_000, _t(5, 19)),
    (6, "renew_freeze", 1, 200_000, _t(5, 21)),  # not counted
    (7, "stop_pay", 4, 70_000, _t(5, 11)),  # 环比
)


def fill_stats_store(engine: Engine) -> None:
    """Store the cases, tasks, outcomes and ledger entries above."""
    with Session(engine) as db:
        db.add(BankAccount(id=1, account_no="6222000000000001", bank="测试银行"))
        for case_id, kind, district, at, loss in CASES:
            db.add(
                Case(
                    id=case_id,
                    case_no=f"A{case_id}",
                    fraud_type=kind,
                    amount_lost_fen=loss,
                    district=district,
                    occurred_at=at,
                    reported_at=at,
                )
            )
        for task_id, district, kind in TASKS:
            db.add(
                WarningTask(
                    id=task_id,
                    district=district,
                    fraud_type=kind,
                    signal_at=_t(5, 1),
                    sla_due_at=_t(5, 1, 5),
                )
            )
        db.flush()
        for outcome_id, task_id, result, at, saved in OUTCOMES:
            db.add(
                Outcome(
                    id=outcome_id,
                    task_id=task_id,
                    channel="call",
                    result=result,
                    at=at,
                    money_saved_fen=saved,
                )
            )
        for entry_id, kind, case_id, amount, at in LEDGER:
            db.add(
                LedgerEntry(
                    entry_id=f"L{entry_id}",
                    kind=kind,
                    case_id=case_id,
                    account_id=1,
                    bank="测试银行",
                    amount_fen=amount,
                    at=at,
                    officer="张警官",
                    legal_basis="测试",
                )
            )
        db.commit()
