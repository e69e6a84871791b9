"""Transfers ordered for tracing: time ranks and each account's running balance."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from fanzha.funds._transfers import Transfers

__all__ = ["TransferIndex", "index_transfers"]

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True, eq=False)
class TransferIndex:
    """Transfers ordered for tracing; build once with :func:`index_transfers`.

    ``rank[k]`` is transfer ``k``'s place in time order (ties: input order);
    ``order[r]`` the transfer at rank ``r``. Each account's transfers (self-transfers
    left out) are ``events[ptr[a]:ptr[a+1]]`` as ranks, ascending, with the balance change
    in ``delta`` and the running balance after each in ``running`` (from ``opening[a]``,
    the smallest opening balance that never lets the account go negative).
    """

    rank: IntArray
    order: IntArray
    ptr: IntArray
    events: IntArray
    delta: IntArray
    running: IntArray
    opening: IntArray

    def balance_before(self, account: int, rank: int) -> int:
        """Balance of ``account`` just before the transfer at ``rank``."""
        start, stop = int(self.ptr[account]), int(self.ptr[account + 1])
        position = int(np.searchsorted(self.events[start:stop], rank))
        if position == 0:
            return int(self.opening[account])
        return int(self.running[start + position - 1])


def index_transfers(transfers: Transfers) -> TransferIndex:
    """Sort the transfers for tracing (O(n log n), vectorised)."""
    n = transfers.n
    # Lines ascend in input order, so a stable sort on time breaks ties by input order.
    order = np.argsort(transfers.at, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n, dtype=np.int64)
    moving = transfers.src != transfers.dst
    account = np.concatenate([transfers.src[moving], transfers.dst[moving]])
    ranks = np.concatenate([rank[moving], rank[moving]])
    amount = transfers.amount_fen[moving]
    delta = np.concatenate([-amount, amount])
    # One int64 key (account, rank) sorts faster than a two-key lexsort on 2n events.
    by_account = np.argsort(account * max(n, 1) + ranks, kind="stable")
    account, ranks, delta = account[by_account], ranks[by_account], delta[by_account]
    counts = np.bincount(account, minlength=transfers.n_accounts)
    ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    total = np.cumsum(delta)
    start_total = np.concatenate([[0], total])[ptr[:-1]]
    within = total - np.repeat(start_total, counts)
    lowest = np.zeros(transfers.n_accounts, dtype=np.int64)
    active = counts > 0
    if active.any():
        lowest[active] = np.minimum(np.minimum.reduceat(within, ptr[:-1][active]), 0)
    opening = -lowest
    running = within + opening[account]
    return TransferIndex(
        rank=rank,
        order=order.astype(np.int64),
        ptr=ptr,
        events=ranks.astype(np.int64),
        delta=delta.astype(np.int64),
        running=running.astype(np.int64),
        opening=opening.astype(np.int64),
    )
