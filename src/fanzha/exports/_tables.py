"""What each export holds: the warning queue, the cases, a case's transfers, the fund-control
ledger and a return plan, as sheets with Chinese headers.

The rows are the API's bodies as plain mappings (``model_dump()``), already masked for the
officer who asks: these functions only choose, name and order the columns, the same ones the
pages show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Final

from fanzha.exports._files import Column, Sheet, beijing_time
from fanzha.funds import KIND_NAMES
from fanzha.records import CASE_STATUS_NAMES, channel_name, format_yuan

__all__ = [
    "CASE_COLUMNS",
    "HOLDING_COLUMNS",
    "LEDGER_COLUMNS",
    "QUEUE_COLUMNS",
    "RETURN_LINE_COLUMNS",
    "TRANSFER_COLUMNS",
    "case_sheets",
    "ledger_sheets",
    "queue_sheets",
    "return_plan_sheets",
    "transfer_sheets",
]

Row = Mapping[str, object]

QUEUE_COLUMNS: Final = (
    Column("任务编号", "id", "int"),
    Column("优先级", "band_label"),
    Column("风险分", "priority", "number"),
    Column("状态", "state_label"),
    Column("诈骗类型", "fraud_type_name"),
    Column("涉险金额（元）", "money_at_risk_fen", "money"),
    Column("辖区", "district"),
    Column("联系电话", "phone_number"),
    Column("处置民警", "assignee_name"),
    Column("预警原因", "reason"),
    Column("信号时间", "signal_at", "time"),
    Column("创建时间", "created_at", "time"),
    Column("首次联系时限", "sla_due_at", "time"),
    Column("首次联系时间", "first_contact_at", "time"),
    Column("联系次数", "contact_count", "int"),
    Column("挽回金额（元）", "money_saved_fen", "money"),
    Column("办结时间", "closed_at", "time"),
)
CASE_COLUMNS: Final = (
    Column("案件编号", "case_no"),
    Column("诈骗类型", "fraud_type_name"),
    Column("损失金额（元）", "amount_lost_fen", "money"),
    Column("辖区", "district"),
    Column("发案时间", "occurred_at", "time"),
    Column("报案时间", "reported_at", "time"),
    Column("状态", "status", names=CASE_STATUS_NAMES),
    Column("受害人", "victim_name"),
    Column("简要案情", "summary"),
)
TRANSFER_COLUMNS: Final = (
    Column("流水号", "txn_id"),
    Column("转出账户", "src_account"),
    Column("转入账户", "dst_account"),
    Column("金额（元）", "amount_fen", "money"),
    Column("交易时间", "at", "time"),
    Column("渠道", "channel_name"),
)
LEDGER_COLUMNS: Final = (
    Column("时间", "at", "time"),
    Column("措施", "kind", names=KIND_NAMES),
    Column("账户", "account_no"),
    Column("开户行", "bank"),
    Column("金额（元）", "amount_fen", "money"),
    Column("法律文书", "legal_basis"),
    Column("返还给", "payee"),
    Column("经办人", "officer_name"),
    Column("备注", "note"),
)
HOLDING_COLUMNS: Final = (
    Column("账户", "account_no"),
    Column("止付中（元）", "stopped_fen", "money"),
    Column("冻结中（元）", "frozen_fen", "money"),
    Column("已返还（元）", "returned_fen", "money"),
    Column("累计止付（元）", "stop_paid_fen", "money"),
    Column("累计冻结（元）", "frozen_in_fen", "money"),
)
RETURN_LINE_COLUMNS: Final = (
    Column("序号", "index", "int"),
    Column("受害人（案件）", "victim"),
    Column("返还账户", "account"),
    Column("认定金额（元）", "claim_fen", "money"),
    Column("拟返还（元）", "amount_fen", "money"),
    Column("溯源到该账户（元）", "traced_fen", "money"),
    Column("报案损失（元）", "loss_fen", "money"),
    Column("依据", "basis_text"),
)
# Columns of a plan line shown only when the plan's lines carry them.
_OPTIONAL_LINE_KEYS: Final = frozenset({"traced_fen", "loss_fen", "basis_text"})
_NOTICE: Final = "须公告 30 日，期满无异议后返还"
_ITEM_COLUMNS: Final = (Column("项目", "item"), Column("内容", "value"))
_TOTAL_NAMES: Final = (
    ("stopped_fen", "止付中"),
    ("frozen_fen", "冻结中"),
    ("returned_fen", "已返还"),
    ("unfrozen_fen", "已解冻"),
    ("released_fen", "已解除止付"),
    ("lapsed_fen", "已到期失效"),
)


def _items(pairs: Sequence[tuple[str, object]]) -> list[Row]:
    return [{"item": item, "value": value} for item, value in pairs]


def _time_text(value: object) -> str:
    if isinstance(value, datetime):
        return beijing_time(value).strftime("%Y-%m-%d %H:%M:%S")
    return "" if value is None else str(value)


def _yuan(value: object) -> str:
    return f"{format_yuan(int(value))} 元" if isinstance(value, int) else ""


def queue_sheets(tasks: Sequence[Row]) -> list[Sheet]:
    """The warning queue (预警队列): one row per task, in the queue's order."""
    return [Sheet("预警队列", QUEUE_COLUMNS, tasks)]


def case_sheets(cases: Sequence[Row]) -> list[Sheet]:
    """The case list (案件列表): one row per case."""
    return [Sheet("案件列表", CASE_COLUMNS, cases)]


def transfer_sheets(case: Row, transfers: Sequence[Row]) -> list[Sheet]:
    """A case's transfers (资金流水), in time order."""
    ordered = [
        {**t, "channel_name": t.get("channel_name") or channel_name(str(t.get("channel") or ""))}
        for t in sorted(transfers, key=lambda t: (str(t.get("at")), str(t.get("txn_id"))))
    ]
    return [Sheet(f"资金流水 {case.get('case_no', '')}", TRANSFER_COLUMNS, ordered)]


def ledger_sheets(ledger: Row) -> list[Sheet]:
    """A case's fund-control ledger (止付冻结台账): the entries, the balance per account and
    the totals (the CSV holds the entries)."""
    entries = ledger.get("entries", [])
    holdings = ledger.get("holdings", [])
    totals = ledger.get("totals", {})
    assert isinstance(entries, list) and isinstance(holdings, list) and isinstance(totals, dict)
    # 经办人 is the officer's name; the login name only where the account is gone.
    entries = [{**e, "officer_name": e.get("officer_name") or e.get("officer")} for e in entries]
    return [
        Sheet("台账记录", LEDGER_COLUMNS, entries),
        Sheet("各账户余额", HOLDING_COLUMNS, holdings),
        Sheet(
            "合计",
            _ITEM_COLUMNS,
            _items(
                [("案件编号", ledger.get("case_no"))]
                + [(label, _yuan(totals.get(key))) for key, label in _TOTAL_NAMES]
            ),
        ),
    ]


def return_plan_sheets(plan: Row) -> list[Sheet]:
    """A return plan (返还方案): its lines, then what it rests on, then the notice if any
    (the CSV holds the lines)."""
    lines = plan.get("lines", [])
    assert isinstance(lines, list)
    numbered = [{**line, "index": i} for i, line in enumerate(lines, start=1)]
    notice = plan.get("notice")
    summary = [
        ("案件编号", plan.get("case_id")),
        ("冻结账户", plan.get("frozen_account")),
        ("开户行", plan.get("bank")),
        ("冻结金额", _yuan(plan.get("frozen_fen"))),
        ("适用规则", plan.get("rule_text")),
        ("拟返还合计", _yuan(plan.get("returned_fen"))),
        ("继续冻结", _yuan(plan.get("remaining_fen"))),
        ("方案生成时间", _time_text(plan.get("decided_at"))),
        ("可执行时间", _time_text(plan.get("executable_from"))),
        ("是否公告", _NOTICE if plan.get("notice_required") else "无须公告"),
    ]
    if plan.get("basis_text"):
        summary.insert(5, ("认定依据", plan.get("basis_text")))
    columns = [
        c
        for c in RETURN_LINE_COLUMNS
        if c.key not in _OPTIONAL_LINE_KEYS or any(c.key in line for line in lines)
    ]
    sheets = [
        Sheet("返还明细", columns, numbered),
        Sheet("方案概要", _ITEM_COLUMNS, _items(summary)),
    ]
    if isinstance(notice, str) and notice:
        sheets.append(
            Sheet("返还公告", (Column("公告", "line"),), [{"line": t} for t in notice.split("\n")])
        )
    return sheets
