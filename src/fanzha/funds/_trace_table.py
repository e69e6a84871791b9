"""The trace as table rows, with Chinese names for statuses and actions."""

from __future__ import annotations

from types import MappingProxyType

from fanzha.funds._trace_result import TraceEdge, TraceResult
from fanzha.records import format_time, format_yuan

__all__ = ["ACTION_NAMES", "STATUS_NAMES", "TRACE_COLUMNS", "priority_rows", "trace_rows"]

STATUS_NAMES = MappingProxyType(
    {
        "passing": "过路",
        "holding": "留存",
        "exit": "出口",
        "frozen": "已冻结",
        "depth_limit": "超出层级",
        "hub": "枢纽账户",
        "small": "小额未追",
        "outside": "范围外",
        "victim": "受害人",
    }
)
ACTION_NAMES = MappingProxyType({"stop_pay": "止付", "freeze": "冻结"})
TRACE_COLUMNS = ("账户", "层级", "状态", "涉案流入", "转出", "出口", "留存", "首次到账")


def trace_rows(result: TraceResult) -> list[tuple[str, ...]]:
    """The trace as table rows (:data:`TRACE_COLUMNS`): a tree from each victim, in time
    order; an account reached again is listed once more as ``↺`` without its subtree."""
    by_account = {n.account: n for n in result.nodes}
    children: dict[str, list[TraceEdge]] = {}
    for edge in result.edges:
        children.setdefault(edge.src, []).append(edge)
    rows: list[tuple[str, ...]] = []
    shown: set[str] = set()
    stack = [(victim, 0) for victim in dict.fromkeys(v for _, v, _, _, _ in result.seeds)][::-1]
    while stack:
        account, level = stack.pop()
        node = by_account.get(account)
        if node is None:
            continue
        prefix = "  " * level + ("└ " if level else "")
        if account in shown:
            rows.append((f"{prefix}{account} ↺", "", "", "", "", "", "", ""))
            continue
        shown.add(account)
        rows.append(
            (
                f"{prefix}{account}",
                str(node.depth),
                STATUS_NAMES.get(node.status, node.status),
                format_yuan(node.received_fen) if node.depth else "",
                format_yuan(node.sent_fen),
                format_yuan(node.exited_fen) if node.exited_fen else "",
                format_yuan(node.held_fen) if node.held_fen else "",
                format_time(node.first_time, result.time_unit),
            )
        )
        for edge in sorted(children.get(account, []), key=lambda e: e.first_time, reverse=True):
            stack.append((edge.dst, level + 1))
    return rows


def priority_rows(result: TraceResult) -> list[tuple[str, ...]]:
    """Rows (rank, action, account, amount, first arrival, why) of the accounts to act on."""
    return [
        (
            str(i),
            ACTION_NAMES.get(p.action, p.action),
            p.account,
            format_yuan(p.amount_fen),
            format_time(p.first_time, result.time_unit),
            STATUS_NAMES.get(p.reason, p.reason),
        )
        for i, p in enumerate(result.priorities, start=1)
    ]
