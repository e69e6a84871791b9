"""What a forward trace returns: the accounts and moves of victim money, and what to do first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Priority", "TraceEdge", "TraceNode", "TraceResult"]


@dataclass(frozen=True, slots=True)
class TraceNode:
    """One account reached by victim money; amounts in fen, per victim in ``held_by``.

    ``status``: ``passing`` (sent it all on), ``holding`` (victim money still there),
    ``exit`` (cashed out / crypto / merchant), ``frozen`` (victim money held there by a
    stop-pay or freeze in force), ``depth_limit``, ``hub``, ``small`` (less than ``min_fen``
    arrived), or ``victim``. ``held_fen`` counts the frozen money too; ``frozen_fen`` /
    ``frozen_by`` is the part a stop-pay or freeze holds.
    """

    account: str
    depth: int
    status: str
    first_time: int
    last_time: int
    received_fen: int
    sent_fen: int
    exited_fen: int
    held_fen: int
    held_by: tuple[tuple[str, int], ...]
    frozen_fen: int = 0
    frozen_by: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class TraceEdge:
    """Victim money moved from one account to another, summed over transfers."""

    src: str
    dst: str
    amount_fen: int
    n_transfers: int
    first_time: int
    last_time: int
    by_victim: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class Priority:
    """An account to stop-pay (止付) or freeze (冻结), with the victim money it may hold."""

    account: str
    amount_fen: int
    first_time: int
    action: str
    reason: str


@dataclass(frozen=True, slots=True)
class TraceResult:
    """A trace: the accounts (nodes) and moves (edges) of victim money, and what to do first."""

    method: str
    time_unit: str
    total_fen: int
    seeds: tuple[tuple[str, str, str, int, int], ...]
    nodes: tuple[TraceNode, ...]
    edges: tuple[TraceEdge, ...]
    priorities: tuple[Priority, ...]

    def node(self, account: str) -> TraceNode | None:
        """The node of ``account``, or None when victim money never reached it."""
        return next((n for n in self.nodes if n.account == account), None)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (amounts in fen, times in the transfers' unit)."""

        def pairs(items: tuple[tuple[str, int], ...]) -> dict[str, int]:
            return dict(items)

        return {
            "method": self.method,
            "time_unit": self.time_unit,
            "total_fen": self.total_fen,
            "seeds": [
                {"victim": v, "from": a, "to": b, "amount_fen": m, "time": t}
                for v, a, b, m, t in self.seeds
            ],
            "nodes": [
                {
                    "account": n.account,
                    "depth": n.depth,
                    "status": n.status,
                    "first_time": n.first_time,
                    "last_time": n.last_time,
                    "received_fen": n.received_fen,
                    "sent_fen": n.sent_fen,
                    "exited_fen": n.exited_fen,
                    "held_fen": n.held_fen,
                    "held_by": pairs(n.held_by),
                    "frozen_fen": n.frozen_fen,
                    "frozen_by": pairs(n.frozen_by),
                }
                for n in self.nodes
            ],
            "edges": [
                {
                    "src": e.src,
                    "dst": e.dst,
                    "amount_fen": e.amount_fen,
                    "n_transfers": e.n_transfers,
                    "first_time": e.first_time,
                    "last_time": e.last_time,
                    "by_victim": pairs(e.by_victim),
                }
                for e in self.edges
            ],
            "priorities": [
                {
                    "account": p.account,
                    "amount_fen": p.amount_fen,
                    "first_time": p.first_time,
                    "action": p.action,
                    "reason": p.reason,
                }
                for p in self.priorities
            ],
        }
