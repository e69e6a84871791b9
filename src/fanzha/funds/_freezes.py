"""Stop-pays and freezes as the trace sees them: an amount held on an account from a time.

A 止付 or 冻结 happens at a time and for an amount. Transfers out of the account before that
time still happened; from that time on, the balance the account held then (capped at the
amount) stays where it is, until the stop-pay or freeze lapses (``expires_at``, 48 hours for
a stop-pay, 6 months for a freeze unless renewed) or is released (解除止付 / 解冻); then the
money may move again. :func:`ledger_freezes` turns ledger entries into such holds;
:func:`fanzha.funds.trace_funds` applies them while it replays the transfers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from fanzha.funds._ledger import FREEZE_DAYS, STOP_PAY_HOURS, LedgerEntry

__all__ = ["Freeze", "ledger_freezes"]


@dataclass(frozen=True, slots=True)
class Freeze:
    """Money held on ``account`` from ``at`` until ``until`` (times in the transfers' unit).

    ``at`` None: the hold is placed after every transfer (the account is frozen now);
    ``amount_fen`` None: the whole balance; ``until`` None: still in force. ``kind`` is
    ``freeze`` or ``stop_pay`` (both hold money the same way).
    """

    account: str
    at: int | None = None
    amount_fen: int | None = None
    until: int | None = None
    kind: str = "freeze"


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())


class _Open:
    """One open hold of one (case, account): amount, start, end, kind (mutable while built)."""

    __slots__ = ("amount", "end", "kind", "start")

    def __init__(self, kind: str, start: datetime, amount: int, end: datetime | None) -> None:
        self.kind = kind
        self.start = start
        self.amount = amount
        self.end = end


def _split(opened: list[_Open], kind: str, amount: int, at: datetime) -> list[_Open]:
    """Take ``amount`` out of the holds of ``kind`` still in force at ``at`` (newest first) as
    separate holds with the same start, so that the caller can end or extend them."""
    taken: list[_Open] = []
    for hold in reversed(opened):
        if amount <= 0:
            break
        if hold.kind != kind or hold.amount <= 0 or (hold.end is not None and hold.end <= at):
            continue
        part = min(amount, hold.amount)
        hold.amount -= part
        amount -= part
        piece = _Open(kind, hold.start, part, hold.end)
        taken.append(piece)
    opened.extend(taken)
    return taken


def ledger_freezes(entries: Iterable[LedgerEntry]) -> list[Freeze]:
    """The holds the stop-pay / freeze entries of a ledger place, times in epoch seconds.

    Per (case, account), in entry order: a 止付 holds its amount until it lapses or a 解除止付
    releases it; a 冻结 ``from_stop`` keeps holding the stop-paid money (now until the
    freeze lapses); a 续冻 extends the open freezes; a 解冻 ends that much of them; a 返还
    keeps its money held for good (it goes back to the victim, not on through the mules).
    The holds of a partial release keep their original start: the trace caps each hold at
    the balance when it was placed, the part released last first.
    """
    per_holding: dict[tuple[str, str], list[_Open]] = {}
    for entry in entries:
        opened = per_holding.setdefault((entry.case_no, entry.account), [])
        at, amount = entry.at, entry.amount_fen
        if entry.kind == "stop_pay":
            end = entry.expires_at or at + timedelta(hours=STOP_PAY_HOURS)
            opened.append(_Open("stop_pay", at, amount, end))
        elif entry.kind == "release_stop":
            for piece in _split(opened, "stop_pay", amount, at):
                piece.end = min(piece.end or at, at)
        elif entry.kind == "freeze":
            end = entry.expires_at or at + timedelta(days=FREEZE_DAYS)
            if entry.from_stop:
                for piece in _split(opened, "stop_pay", amount, at):
                    piece.kind, piece.end = "freeze", end
            else:
                opened.append(_Open("freeze", at, amount, end))
        elif entry.kind == "renew_freeze":
            end = entry.expires_at or at + timedelta(days=FREEZE_DAYS)
            for hold in opened:
                if hold.kind == "freeze" and hold.end is not None and hold.end >= at:
                    hold.end = end
        elif entry.kind == "unfreeze":
            for piece in _split(opened, "freeze", amount, at):
                piece.end = min(piece.end or at, at)
        elif entry.kind == "return":
            for piece in _split(opened, "freeze", amount, at):
                piece.kind, piece.end = "returned", None
    holds: list[Freeze] = []
    for (_, account), opened in per_holding.items():
        for hold in opened:
            if hold.amount <= 0 or (hold.end is not None and hold.end <= hold.start):
                continue
            holds.append(
                Freeze(
                    account=account,
                    at=_seconds(hold.start),
                    amount_fen=hold.amount,
                    until=None if hold.end is None else _seconds(hold.end),
                    kind="stop_pay" if hold.kind == "stop_pay" else "freeze",
                )
            )
    return holds
