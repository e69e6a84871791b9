"""Follow victims' money forward through mule accounts, and back from a mule to its victims.

Tracing replays, in time order, only the transfers of accounts that hold victim money.
Every such account keeps a ledger of *lots*: its balance before victim money arrived
(the smallest opening balance that never lets its observed history go negative, plus
everything before the arrival) and each later inflow, tagged by victim or as other money.
An outgoing transfer takes lots

* ``fifo``: oldest first (the default; what a bank statement shows first leaves first),
* ``lifo``: newest first, or
* ``pro_rata``: a share of every victim's money equal to amount / balance (rounded down
  to whole fen, so victim money is never created).

so money never leaves before it arrived and the amounts are conserved to the fen: every
victim's total is exactly what is held, exited or left at a leaf. Transfers at the same
time are replayed in input order. Money is not followed past an exit (a cash, crypto or
merchant channel, or an account named as an exit), the depth limit, an account with more
than ``max_account_transfers`` transfers (a payment hub) or a fresh account that would
receive less than ``min_fen`` of victim money.

A stop-pay or freeze (:class:`~fanzha.funds.Freeze`) happens at a time and for an amount:
transfers out of the account before that time are followed as usual; at that time the
balance (capped at the amount) is set aside, taken the way the method spends last (the
newest lots under FIFO, the oldest under LIFO, a share of each under pro rata) so that a
freeze later transfers never reach changes nothing they carry; later transfers out spend
only the rest; when the hold lapses or is released its money rejoins the balance and may
move again. An account whose victim money is (partly) held at the end is ``frozen``.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from fanzha.errors import InvalidInput
from fanzha.funds._freezes import Freeze
from fanzha.funds._trace_index import TransferIndex, index_transfers
from fanzha.funds._trace_result import Priority, TraceEdge, TraceNode, TraceResult
from fanzha.funds._transfers import Transfers
from fanzha.records import CHANNELS, EXIT_CHANNELS

__all__ = ["METHODS", "Seed", "trace_funds", "victim_seeds"]

IntArray = npt.NDArray[np.int64]
METHODS = ("fifo", "lifo", "pro_rata")
_EXIT_CODES = frozenset(CHANNELS.index(c) for c in EXIT_CHANNELS)
# Statuses where victim money stops being followed and stays (as far as fanzha knows).
_LEAVES = frozenset({"depth_limit", "hub", "small", "outside", "victim"})


@dataclass(frozen=True, slots=True)
class Seed:
    """A victim's transfer to trace: the transfer's index and whose money it is."""

    transfer: int
    label: str


def victim_seeds(
    transfers: Transfers,
    account: str,
    *,
    since: int | None = None,
    until: int | None = None,
    label: str | None = None,
) -> list[Seed]:
    """A victim account's outgoing transfers in ``[since, until]`` as seeds.

    Raises:
        NotFound: the account is in no transfer.
        InvalidInput: it sent nothing in that window.
    """
    code = transfers.code_of(account)
    chosen = (transfers.src == code) & (transfers.dst != code)
    if since is not None:
        chosen &= transfers.at >= since
    if until is not None:
        chosen &= transfers.at <= until
    found = np.flatnonzero(chosen)
    if found.shape[0] == 0:
        window = "" if since is None else f" since {transfers.format_time(since)}"
        raise InvalidInput(f"account {account!r} sent no transfer{window}", field="from")
    name = label if label is not None else str(transfers.accounts[code])
    return [Seed(int(k), name) for k in found]


class _Lots:
    """An account's money as lots (FIFO/LIFO) or as balance + victim shares (pro rata), and
    the money set aside by stop-pays and freezes (``holds``: hold id → amount, victim parts)."""

    __slots__ = ("balance", "holds", "lots", "method", "shares")

    def __init__(self, method: str, opening: int) -> None:
        self.method = method
        self.balance = opening
        self.lots: deque[list[Any]] = deque([[opening, None]] if opening > 0 else [])
        self.shares: dict[str, int] = {}
        self.holds: dict[int, tuple[int, dict[str, int]]] = {}

    def put(self, amount: int, victim_money: Mapping[str, int]) -> None:
        self.balance += amount
        if self.method == "pro_rata":
            for label, part in victim_money.items():
                self.shares[label] = self.shares.get(label, 0) + part
            return
        other = amount - sum(victim_money.values())
        for label, part in victim_money.items():
            self.lots.append([part, label])
        if other > 0:
            if self.lots and self.lots[-1][1] is None:
                self.lots[-1][0] += other
            else:
                self.lots.append([other, None])

    def take(self, amount: int) -> dict[str, int]:
        if self.method == "pro_rata":
            return self._share(amount)
        return self._draw(amount, front=self.method == "fifo")

    def _share(self, amount: int) -> dict[str, int]:
        taken: dict[str, int] = {}
        if self.balance > 0:
            for label, part in list(self.shares.items()):
                share = part * min(amount, self.balance) // self.balance
                if share:
                    taken[label] = share
                    self.shares[label] = part - share
        # More can leave than the (unfrozen) balance only when the history contradicts a
        # freeze; that part is other money.
        self.balance = max(self.balance - amount, 0)
        return taken

    def _draw(self, amount: int, *, front: bool) -> dict[str, int]:
        taken: dict[str, int] = {}
        self.balance = max(self.balance - amount, 0)
        need = amount
        lots = self.lots
        pop = lots.popleft if front else lots.pop
        while need > 0 and lots:
            lot = lots[0] if front else lots[-1]
            part = min(need, lot[0])
            if lot[1] is not None:
                taken[lot[1]] = taken.get(lot[1], 0) + part
            lot[0] -= part
            need -= part
            if lot[0] == 0:
                pop()
        return taken

    def hold(self, key: int, amount: int) -> None:
        """Set ``amount`` (at most the balance) aside: the money the method spends last
        (the newest lots under FIFO, the oldest under LIFO, a share of each under pro rata),
        so a freeze that later transfers never reach changes nothing they carry."""
        amount = min(amount, self.balance)
        if amount <= 0:
            return
        if self.method == "pro_rata":
            parts = self._share(amount)
        else:
            parts = self._draw(amount, front=self.method == "lifo")
        self.holds[key] = (amount, parts)

    def release(self, key: int) -> None:
        """Put a hold's money back, as if it arrived now."""
        found = self.holds.pop(key, None)
        if found is not None:
            self.put(*found)

    def frozen(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for _, parts in self.holds.values():
            _add(out, parts)
        return {label: part for label, part in out.items() if part > 0}

    def held(self) -> dict[str, int]:
        if self.method == "pro_rata":
            out = {label: part for label, part in self.shares.items() if part > 0}
        else:
            out = {}
            for amount, label in self.lots:
                if label is not None and amount > 0:
                    out[label] = out.get(label, 0) + amount
        _add(out, self.frozen())
        return out


@dataclass
class _Node:
    depth: int
    first_time: int
    status: str
    received: dict[str, int] = field(default_factory=dict)
    sent: dict[str, int] = field(default_factory=dict)
    exited: dict[str, int] = field(default_factory=dict)
    last_time: int = 0


def _add(target: dict[str, int], parts: Mapping[str, int]) -> None:
    for label, part in parts.items():
        target[label] = target.get(label, 0) + part


def _check_method(method: str, max_depth: int, min_fen: int) -> None:
    if method not in METHODS:
        raise InvalidInput(f"{method!r}; use one of {', '.join(METHODS)}", field="method")
    if max_depth < 1:
        raise InvalidInput(f"{max_depth}; the depth limit is at least 1", field="depth")
    if min_fen < 1:
        raise InvalidInput(
            f"{min_fen}; the smallest amount followed is at least 1 fen", field="min_fen"
        )


_NEVER = np.iinfo(np.int64).max


class _Holds:
    """The stop-pays and freezes on traced accounts, applied lazily: before an account's
    next transfer (and at the end), every hold placed or ended by then is applied in time
    order, ends before starts at the same time, then in the order given."""

    __slots__ = ("cursor", "events", "index", "late", "times")

    def __init__(
        self, transfers: Transfers, index: TransferIndex, freezes: Sequence[Freeze]
    ) -> None:
        self.index = index
        self.times = transfers.at
        self.events: dict[int, list[tuple[int, int, int, int]]] = {}
        self.late: dict[int, list[tuple[int, int]]] = {}
        self.cursor: dict[int, int] = {}
        codes = transfers.lookup([f.account for f in freezes]).tolist() if freezes else []
        for key, (freeze, code) in enumerate(zip(freezes, codes, strict=True)):
            if code < 0:
                continue
            amount = _NEVER if freeze.amount_fen is None else freeze.amount_fen
            if freeze.at is None:
                self.late.setdefault(int(code), []).append((key, amount))
                continue
            events = self.events.setdefault(int(code), [])
            events.append((freeze.at, 1, key, amount))
            if freeze.until is not None:
                events.append((freeze.until, 0, key, 0))
        for events in self.events.values():
            events.sort()
        for code in self.late:
            self.events.setdefault(code, [])

    def _balance_at(self, code: int, when: int) -> int:
        """The account's balance just before its first transfer at or after ``when``."""
        index = self.index
        start, stop = int(index.ptr[code]), int(index.ptr[code + 1])
        times = self.times[index.order[index.events[start:stop]]]
        position = int(np.searchsorted(times, when, side="left"))
        if position == 0:
            return int(index.opening[code])
        return int(index.running[start + position - 1])

    def sync(self, code: int, lots: _Lots, when: int) -> None:
        """Apply the holds of ``code`` placed or ended at or before ``when``."""
        events = self.events[code]
        at = self.cursor.get(code, 0)
        while at < len(events) and events[at][0] <= when:
            moment, starts, key, amount = events[at]
            if starts:
                held = sum(part for part, _ in lots.holds.values())
                lots.hold(key, min(amount, self._balance_at(code, moment) - held))
            else:
                lots.release(key)
            at += 1
        self.cursor[code] = at

    def finish(self, code: int, lots: _Lots, as_of: int | None) -> None:
        """Bring ``code`` to the end: holds up to ``as_of`` (all when None), then the holds
        placed after every transfer."""
        self.sync(code, lots, _NEVER if as_of is None else as_of)
        for key, amount in self.late.get(code, ()):
            lots.hold(key, amount)


def _replay(
    transfers: Transfers,
    index: TransferIndex,
    seeds: Sequence[Seed],
    *,
    method: str,
    max_depth: int,
    until: int | None,
    min_fen: int,
    holds: _Holds,
    as_of: int | None,
    exits: frozenset[int],
    allowed: frozenset[int] | None,
    max_account_transfers: int,
) -> tuple[dict[int, _Node], dict[int, _Lots], dict[tuple[int, int], list[Any]]]:
    """The event loop: replay the holders' transfers in time order, holds applied lazily."""
    nodes: dict[int, _Node] = {}
    held_on = holds.events
    holders: dict[int, _Lots] = {}
    edges: dict[tuple[int, int], list[Any]] = {}
    seed_label = {s.transfer: s.label for s in seeds}
    heap = sorted({int(index.rank[s.transfer]) for s in seeds})
    queued = set(heap)
    channel = transfers.channel
    while heap:
        rank = heapq.heappop(heap)
        k = int(index.order[rank])
        when = int(transfers.at[k])
        if until is not None and when > until:
            break
        a, b, amount = int(transfers.src[k]), int(transfers.dst[k]), int(transfers.amount_fen[k])
        if a == b:
            continue
        if held_on:
            for code in (a, b):
                if code in held_on and code in holders:
                    holds.sync(code, holders[code], when)
        if k in seed_label:
            moved = {seed_label[k]: amount}
            if a not in nodes:
                nodes[a] = _Node(depth=0, first_time=when, status="victim", last_time=when)
            if a in holders:
                holders[a].take(amount)
        elif a in holders:
            moved = holders[a].take(amount)
        else:
            moved = {}
        if b in holders:
            holders[b].put(amount, moved)
        moved_total = sum(moved.values())
        if moved_total == 0:
            continue
        source = nodes[a]
        _add(source.sent, moved)
        edge = edges.setdefault((a, b), [{}, 0, when, when])
        _add(edge[0], moved)
        edge[1] += 1
        edge[3] = when
        node = nodes.get(b)
        if node is None:
            node = nodes[b] = _Node(depth=source.depth + 1, first_time=when, status="")
            is_exit = b in exits or (channel is not None and int(channel[k]) in _EXIT_CODES)
            n_events = int(index.ptr[b + 1] - index.ptr[b])
            if is_exit:
                node.status = "exit"
            elif node.depth > max_depth:
                node.status = "depth_limit"
            elif allowed is not None and b not in allowed:
                node.status = "outside"
            elif n_events > max_account_transfers:
                node.status = "hub"
            elif moved_total < min_fen:
                node.status = "small"
            else:
                node.status = "passing"
                lots = holders[b] = _Lots(method, index.balance_before(b, rank))
                if b in held_on:
                    holds.sync(b, lots, when)
                lots.put(amount, moved)
                start, stop = int(index.ptr[b]), int(index.ptr[b + 1])
                later = index.events[start:stop]
                for r in later[later > rank].tolist():
                    if r not in queued:
                        queued.add(r)
                        heapq.heappush(heap, r)
        _add(node.received, moved)
        node.last_time = when
        if node.status == "exit":
            _add(node.exited, moved)
    for code, lots in holders.items():
        if code in held_on:
            holds.finish(code, lots, as_of)
    return nodes, holders, edges


def _result(
    transfers: Transfers,
    seeds: Sequence[Seed],
    method: str,
    nodes: dict[int, _Node],
    holders: dict[int, _Lots],
    edges: dict[tuple[int, int], list[Any]],
    urgent_within: int,
) -> TraceResult:
    names = transfers.accounts
    out_nodes: list[TraceNode] = []
    priorities: list[Priority] = []
    last_seen = max((n.last_time for n in nodes.values()), default=0)
    for code, node in nodes.items():
        lots = holders.get(code)
        held = lots.held() if lots is not None else {}
        frozen = lots.frozen() if lots is not None else {}
        if node.status in _LEAVES:
            held = dict(node.received)
        held_fen = sum(held.values())
        frozen_fen = sum(frozen.values())
        status = node.status
        if status == "passing" and frozen_fen > 0:
            status = "frozen"
        elif status == "passing" and held_fen > 0:
            status = "holding"
        out_nodes.append(
            TraceNode(
                account=str(names[code]),
                depth=node.depth,
                status=status,
                first_time=node.first_time,
                last_time=node.last_time,
                received_fen=sum(node.received.values()),
                sent_fen=sum(node.sent.values()),
                exited_fen=sum(node.exited.values()),
                held_fen=held_fen,
                held_by=tuple(sorted(held.items())),
                frozen_fen=frozen_fen,
                frozen_by=tuple(sorted(frozen.items())),
            )
        )
        free_fen = held_fen - frozen_fen
        if free_fen > 0 and status in ("holding", "frozen", "depth_limit", "hub"):
            recent = last_seen - node.last_time <= urgent_within
            priorities.append(
                Priority(
                    account=str(names[code]),
                    amount_fen=free_fen,
                    first_time=node.first_time,
                    action="stop_pay" if recent else "freeze",
                    reason="holding" if status == "frozen" else status,
                )
            )
    out_nodes.sort(key=lambda n: (n.depth, n.first_time, n.account))
    priorities.sort(key=lambda p: (-p.amount_fen, p.first_time, p.account))
    out_edges = sorted(
        (
            TraceEdge(
                src=str(names[a]),
                dst=str(names[b]),
                amount_fen=sum(parts.values()),
                n_transfers=count,
                first_time=first,
                last_time=last,
                by_victim=tuple(sorted(parts.items())),
            )
            for (a, b), (parts, count, first, last) in edges.items()
        ),
        key=lambda e: (e.first_time, e.src, e.dst),
    )
    seed_rows = tuple(
        (
            s.label,
            str(names[transfers.src[s.transfer]]),
            str(names[transfers.dst[s.transfer]]),
            int(transfers.amount_fen[s.transfer]),
            int(transfers.at[s.transfer]),
        )
        for s in seeds
    )
    return TraceResult(
        method=method,
        time_unit=transfers.time_unit,
        total_fen=sum(row[3] for row in seed_rows),
        seeds=seed_rows,
        nodes=tuple(out_nodes),
        edges=tuple(out_edges),
        priorities=tuple(priorities),
    )


def _check_freezes(freezes: Sequence[Freeze]) -> None:
    for freeze in freezes:
        if freeze.amount_fen is not None and freeze.amount_fen <= 0:
            raise InvalidInput(
                f"{freeze.amount_fen}; a freeze holds more than 0 fen",
                field="frozen",
                value=freeze.account,
            )
        if freeze.until is not None and freeze.at is not None and freeze.until <= freeze.at:
            raise InvalidInput(
                "a freeze must end after it starts", field="frozen", value=freeze.account
            )


def _as_of(
    transfers: Transfers, freezes: Sequence[Freeze], until: int | None, as_of: int | None
) -> int | None:
    if as_of is not None:
        return as_of
    if until is not None or not freezes:
        return until
    starts = [f.at for f in freezes if f.at is not None]
    last = int(transfers.at.max()) if transfers.n else 0
    return max([last, *starts])


def _codes(transfers: Transfers, accounts: Iterable[str]) -> frozenset[int]:
    found = transfers.lookup(list(accounts))
    return frozenset(int(c) for c in found[found >= 0])


def trace_funds(
    transfers: Transfers,
    seeds: Sequence[Seed],
    *,
    index: TransferIndex | None = None,
    method: str = "fifo",
    max_depth: int = 6,
    until: int | None = None,
    min_fen: int = 100,
    freezes: Sequence[Freeze] = (),
    as_of: int | None = None,
    exits: Collection[str] = (),
    max_account_transfers: int = 50_000,
    urgent_within: int | None = None,
) -> TraceResult:
    """Trace the seeds' money forward; see the module docstring for the rules.

    ``until`` ends the time window (inclusive); ``freezes`` are the stop-pays and freezes
    (:class:`Freeze`) placed on accounts, and ``as_of`` the moment the result describes:
    the holds placed by then keep their money, those lapsed or released by then do not
    (default: ``until``, else the last transfer or hold placed). ``urgent_within``
    (default 48 hours, or 2 steps) marks a holding account as ``stop_pay`` (money arrived
    recently, still moving) rather than ``freeze``. Build ``index`` once with
    :func:`index_transfers` to trace many victims fast.

    Raises:
        InvalidInput: no seed, a bad method/depth/min_fen, a seed index out of range, or a
            freeze with no positive amount or ending before it starts.
    """
    _check_method(method, max_depth, min_fen)
    _check_freezes(freezes)
    if not seeds:
        raise InvalidInput("nothing to trace; give at least one victim transfer", field="seeds")
    for seed in seeds:
        if not 0 <= seed.transfer < transfers.n:
            raise InvalidInput(f"no transfer {seed.transfer}", field="seeds", value=seed.transfer)
    built = index if index is not None else index_transfers(transfers)
    nodes, holders, edges = _replay(
        transfers,
        built,
        seeds,
        method=method,
        max_depth=max_depth,
        until=until,
        min_fen=min_fen,
        holds=_Holds(transfers, built, freezes),
        as_of=_as_of(transfers, freezes, until, as_of),
        exits=_codes(transfers, exits),
        allowed=None,
        max_account_transfers=max_account_transfers,
    )
    if urgent_within is None:
        urgent_within = 2 if transfers.time_unit == "step" else 48 * 3600
    return _result(transfers, seeds, method, nodes, holders, edges, urgent_within)
