"""A small hand-built store whose figures the tests know by hand (see EXPECTED's comments).

Period under test: 2022-05-16..2022-05-22 (Beijing); 环比 2022-05-09..05-15; 同比
2021-05-16..05-22. Times are UTC: 16:30 UTC on 05-15 is 00:30 on 05-16 in Beijing (inside),
17:30 UTC on 05-22 is 01:30 on 05-23 (outside).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fanzha.store import BankAccount, Case, Outcome, WarningTask
from fanzha.store._models import Gang, LedgerEntry, Outlet
from fanzha.store._ops_models import (
    Clue,
    Den,
    Fugitive,
    Operation,
    Raid,
    Rectification,
    Seizure,
    Suspect,
    Sweep,
)
from fanzha.store._outreach_models import OutreachEvent

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


def _d(day: int) -> date:
    return date(2022, 5, day)


def fill_operations(engine: Engine) -> None:
    """Operations records (issue 17 tables) whose figures the tests work out by hand:
    arrests 3 (card_dealer, leader, operator), gangs broken 1 (gang 1's first catch was
    05-10, in 环比), fugitives 1, raids 3 (goip 1, laundering 1, one without a den), seizures
    201 items and 80000.00 yuan, outlets rectified 2, clues in time 1, officers 1500 + 20 + 5
    + 100 = 1625 (those of the raid and sweep inside the operation are the operation's),
    outreach events 2 (05-23 is outside) reaching 1210 people."""
    with Session(engine) as db:
        db.add_all(
            [
                Gang(id=1, name="一号团伙", kind="gang", fraud_type=BRUSHING, district=QINGXIU),
                Gang(id=2, name="二号团伙", kind="gang", fraud_type=INVESTMENT, district=XINGNING),
                Outlet(id=1, name="某营业厅", kind="phone", operator="移动", district=QINGXIU),
                Operation(id=1, name="断卡收网", starts_on=_d(20), ends_on=_d(24), officers=1500),
                Den(id=1, name="GOIP窝点", kind="goip", district=QINGXIU),
                Den(id=2, name="跑分窝点", kind="laundering", district=XINGNING),
            ]
        )
        db.flush()
        db.add_all(
            [
                Suspect(name="甲", role="leader", gang_id=1, district=QINGXIU, caught_at=_t(5, 17)),
                Suspect(
                    name="乙", role="operator", gang_id=1, district=QINGXIU, caught_at=_t(5, 18)
                ),
                Suspect(
                    name="丙", role="operator", gang_id=1, district=QINGXIU, caught_at=_t(5, 10)
                ),
                Suspect(
                    name="丁", role="card_dealer", gang_id=2, district=XINGNING, caught_at=_t(5, 19)
                ),
                Suspect(name="戊", role="cash_out", district=XINGNING),
                Fugitive(name="己", kind="online", district=QINGXIU, caught_at=_t(5, 20)),
                Fugitive(name="庚", kind="online", district=QINGXIU),
                Fugitive(
                    name="辛", kind="online", district=QINGXIU, caught_at=_t(5, 17, year=2021)
                ),
                Raid(id=1, raided_at=_t(5, 17), district=QINGXIU, den_id=1, officers=20),
                Raid(
                    id=2,
                    raided_at=_t(5, 21),
                    district=XINGNING,
                    den_id=2,
                    officers=10,
                    operation_id=1,
                ),
                Raid(id=3, raided_at=_t(5, 19), district=QINGXIU, officers=5),
                Seizure(kind="phone", count=200, district=QINGXIU, seized_at=_t(5, 17)),
                Seizure(
                    kind="cash",
                    count=1,
                    amount_fen=8_000_000,
                    district=QINGXIU,
                    seized_at=_t(5, 17),
                ),
                Seizure(kind="computer", count=105, district=QINGXIU, seized_at=_t(5, 25)),
                Sweep(swept_on=_d(18), district=XINGNING, officers=100),
                Sweep(swept_on=_d(19), district=XINGNING, officers=50, operation_id=1),
                Clue(
                    source="manual",
                    title="准时",
                    district=QINGXIU,
                    created_at=_t(5, 16),
                    sla_due_at=_t(5, 17),
                    closed_at=_t(5, 16, 9),
                ),
                Clue(
                    source="manual",
                    title="超时",
                    district=QINGXIU,
                    created_at=_t(5, 17),
                    sla_due_at=_t(5, 18),
                    closed_at=_t(5, 19),
                ),
                Clue(
                    source="manual",
                    title="在办",
                    district=QINGXIU,
                    created_at=_t(5, 18),
                    sla_due_at=_t(5, 19),
                ),
                Clue(
                    source="manual",
                    title="上期",
                    district=QINGXIU,
                    created_at=_t(5, 10),
                    sla_due_at=_t(5, 11),
                    closed_at=_t(5, 10, 9),
                ),
            ]
        )
        for state, closed in (("passed", 18), ("penalised", 20), ("cancelled", 19)):
            db.add(
                Rectification(
                    outlet_id=1,
                    district=QINGXIU,
                    opened_on=_d(1),
                    deadline=_d(15),
                    state=state,
                    closed_at=_t(5, closed),
                )
            )
        db.add(Rectification(outlet_id=1, district=QINGXIU, opened_on=_d(1), deadline=_d(15)))
        for day, kind, people in ((17, "market", 910), (22, "school", 300), (23, "school", 5)):
            db.add(
                OutreachEvent(held_on=_d(day), district=XINGNING, place="某地", kind=kind,
                              people_reached=people)
            )  # fmt: skip
        db.commit()
