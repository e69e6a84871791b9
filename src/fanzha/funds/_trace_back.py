"""Reverse tracing: from a mule account back to the victims whose money reached it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import numpy as np

from fanzha.funds._trace import _add, _check_method, _codes, _Lots
from fanzha.funds._trace_index import TransferIndex, index_transfers
from fanzha.funds._transfers import Transfers

__all__ = ["BackTrace", "VictimReach", "trace_back"]


@dataclass(frozen=True, slots=True)
class VictimReach:
    """A victim (or origin account) whose money reached the account traced back from.

    ``depth`` is the number of hops; ``max_depth + 1`` for money from beyond the limit.
    """

    victim: str
    amount_fen: int
    depth: int
    first_time: int


@dataclass(frozen=True, slots=True)
class BackTrace:
    """Victims whose money reached ``account``, most money first; upstream accounts seen."""

    account: str
    victims: tuple[VictimReach, ...]
    upstream: int

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        return {
            "account": self.account,
            "upstream_accounts": self.upstream,
            "victims": [
                {
                    "victim": v.victim,
                    "amount_fen": v.amount_fen,
                    "depth": v.depth,
                    "first_time": v.first_time,
                }
                for v in self.victims
            ],
        }


def _upstream(
    transfers: Transfers,
    index: TransferIndex,
    target: int,
    *,
    since: int | None,
    until: int | None,
    max_depth: int,
    max_accounts: int,
) -> dict[int, tuple[int, int]]:
    """Accounts that could have sent money to ``target`` in time: code → (depth, latest time)."""
    latest = {target: (0, until if until is not None else int(transfers.at.max()))}
    frontier = [target]
    for depth in range(1, max_depth + 1):
        found: dict[int, int] = {}
        for account in frontier:
            start, stop = int(index.ptr[account]), int(index.ptr[account + 1])
            incoming = index.delta[start:stop] > 0
            ks = index.order[index.events[start:stop][incoming]]
            times = transfers.at[ks]
            ok = times <= latest[account][1]
            if since is not None:
                ok &= times >= since
            for src, when in zip(transfers.src[ks][ok].tolist(), times[ok].tolist(), strict=True):
                if src not in latest and found.get(src, -(2**62)) < when:
                    found[src] = when
            if len(latest) + len(found) >= max_accounts:
                break
        for src, when in found.items():
            latest[src] = (depth, when)
        frontier = list(found)
        if not frontier or len(latest) >= max_accounts:
            break
    return latest


def _provenance(
    transfers: Transfers,
    index: TransferIndex,
    upstream: Collection[int],
    target: int,
    *,
    labelled: Collection[int] | None,
    method: str,
    since: int | None,
    until: int | None,
) -> tuple[dict[str, int], dict[str, int]]:
    """Replay the upstream accounts' transfers with each origin's own money tagged.

    An upstream account's balance when the window opens, and money it gets from outside
    the upstream set, carry the sender's id (only for ``labelled`` accounts when given).
    Returns the tagged fen that reached ``target`` and when each tag first arrived.
    """
    inside = frozenset(upstream)
    pieces = [index.events[index.ptr[a] : index.ptr[a + 1]] for a in inside]
    ranks = np.unique(np.concatenate(pieces)) if pieces else np.zeros(0, dtype=np.int64)
    ks = index.order[ranks]
    keep = np.ones(ks.shape[0], dtype=bool)
    if since is not None:
        keep &= transfers.at[ks] >= since
    if until is not None:
        keep &= transfers.at[ks] <= until
    holders: dict[int, _Lots] = {}
    names = transfers.accounts

    def tag(account: int, amount: int) -> dict[str, int]:
        if amount <= 0 or (labelled is not None and account not in labelled):
            return {}
        return {str(names[account]): amount}

    def holder(account: int, rank: int) -> _Lots:
        lots = holders.get(account)
        if lots is None:
            lots = holders[account] = _Lots(method, 0)
            opening = index.balance_before(account, rank)
            lots.put(opening, tag(account, opening))
        return lots

    reached: dict[str, int] = {}
    first: dict[str, int] = {}
    for rank, k in zip(ranks[keep].tolist(), ks[keep].tolist(), strict=True):
        a, b, amount = int(transfers.src[k]), int(transfers.dst[k]), int(transfers.amount_fen[k])
        if a == b:
            continue
        if b not in inside and b != target:
            if a in inside:
                holder(a, rank).take(amount)
            continue
        moved = holder(a, rank).take(amount) if a in inside else tag(a, amount)
        if b == target:
            _add(reached, moved)
            for label in moved:
                first.setdefault(label, int(transfers.at[k]))
        else:
            holder(b, rank).put(amount, moved)
    return reached, first


def trace_back(
    transfers: Transfers,
    account: str,
    *,
    victims: Collection[str] | None = None,
    index: TransferIndex | None = None,
    method: str = "fifo",
    since: int | None = None,
    until: int | None = None,
    max_depth: int = 6,
    max_accounts: int = 20_000,
) -> BackTrace:
    """From a mule ``account`` back to the accounts whose money reached it, with amounts.

    Finds every account that could have sent money to ``account`` in time order (at most
    ``max_depth`` hops, ``max_accounts`` accounts), then replays their transfers from
    ``since`` with the same attribution as :func:`trace_funds`, each account's own money
    (its balance when the window opens, and money from outside that set) tagged with its
    id. With ``victims`` (case reports) only the victims' money is tagged.

    Raises:
        NotFound: ``account`` is in no transfer.
        InvalidInput: a bad method or depth.
    """
    _check_method(method, max_depth, 1)
    target = transfers.code_of(account)
    built = index if index is not None else index_transfers(transfers)
    upstream = _upstream(
        transfers,
        built,
        target,
        since=since,
        until=until,
        max_depth=max_depth,
        max_accounts=max_accounts,
    )
    reached, first = _provenance(
        transfers,
        built,
        [code for code in upstream if code != target],
        target,
        labelled=None if victims is None else _codes(transfers, victims),
        method=method,
        since=since,
        until=until,
    )
    beyond = (max_depth + 1, 0)  # money from outside the upstream set: past the depth limit
    found = [
        VictimReach(label, amount, upstream.get(transfers.code_of(label), beyond)[0], first[label])
        for label, amount in reached.items()
        if amount > 0 and label != str(transfers.accounts[target])
    ]
    found.sort(key=lambda v: (-v.amount_fen, v.first_time, v.victim))
    return BackTrace(
        account=str(transfers.accounts[target]), victims=tuple(found), upstream=len(upstream) - 1
    )
