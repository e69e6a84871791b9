"""The stop-pay / freeze / return ledger: pure logic, validated entries, balances that reconcile.

An entry is one legal act on one account for one case: 止付 ``stop_pay``, 解除止付
``release_stop``, 冻结 ``freeze`` (new money, or converting stop-paid money with
``from_stop``), 续冻 ``renew_freeze``, 解冻 ``unfreeze`` and 返还 ``return`` (to a
victim). :func:`validate_entry` checks an entry against the current state and raises
:class:`~fanzha.errors.InvalidInput` (malformed) or :class:`~fanzha.errors.LedgerConflict`
(it would break the balances); :func:`apply_entry` returns the new state. The store only
persists entries; :func:`replay_ledger` rebuilds the state from them.

Per (case, account) the balances always satisfy::

    stopped = stop_paid - released_stop - converted_to_freeze - stop_lapsed   >= 0
    frozen  = frozen_in - unfrozen - returned - freeze_lapsed                 >= 0

so money is never returned that was not frozen. A stop-pay lapses after 48 hours and a
freeze after 6 months unless the entry gives ``expires_at`` (or a 续冻 extends it); lapsed
money counts as released, and an entry after the lapse sees the lower balance.
Entries on one holding must not go back in time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from types import MappingProxyType

from fanzha.errors import InvalidInput, LedgerConflict

__all__ = [
    "ENTRY_KINDS",
    "FREEZE_DAYS",
    "KIND_NAMES",
    "STOP_PAY_HOURS",
    "Holding",
    "LedgerEntry",
    "LedgerState",
    "account_status",
    "apply_entry",
    "empty_ledger",
    "ledger_totals",
    "replay_ledger",
    "validate_entry",
]

ENTRY_KINDS = ("stop_pay", "release_stop", "freeze", "renew_freeze", "unfreeze", "return")
KIND_NAMES = MappingProxyType(
    {
        "stop_pay": "止付",
        "release_stop": "解除止付",
        "freeze": "冻结",
        "renew_freeze": "续冻",
        "unfreeze": "解冻",
        "return": "返还",
    }
)
STOP_PAY_HOURS = 48
FREEZE_DAYS = 180


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One act: who (officer), under which document (legal_basis), at which bank, how much.

    ``payee`` and ``payee_account`` name the victim of a ``return``; ``from_stop`` makes a
    ``freeze`` convert stop-paid money; ``expires_at`` overrides the default lapse time.
    ``case_no`` is the case number (案件编号); ``at`` when the act took effect.
    """

    entry_id: str
    kind: str
    case_no: str
    account: str
    bank: str
    amount_fen: int
    at: datetime
    officer: str
    legal_basis: str
    payee: str | None = None
    payee_account: str | None = None
    from_stop: bool = False
    expires_at: datetime | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Holding:
    """Balances of one account in one case, in fen (``converted_fen``: stop-paid, then frozen)."""

    stopped_fen: int = 0
    frozen_fen: int = 0
    stop_paid_fen: int = 0
    released_stop_fen: int = 0
    converted_fen: int = 0
    frozen_in_fen: int = 0
    unfrozen_fen: int = 0
    returned_fen: int = 0
    lapsed_fen: int = 0
    stop_expires_at: datetime | None = None
    freeze_expires_at: datetime | None = None
    last_time: datetime | None = None
    returned_to: tuple[tuple[str, int], ...] = ()

    def reconciles(self) -> bool:
        """True when the balances add up and none is negative."""
        return (
            self.stopped_fen >= 0
            and self.frozen_fen >= 0
            and self.returned_fen <= self.frozen_in_fen
            and sum(fen for _, fen in self.returned_to) == self.returned_fen
            and self.frozen_fen + self.stopped_fen
            == self.stop_paid_fen
            - self.released_stop_fen
            + self.frozen_in_fen
            - self.converted_fen
            - self.unfrozen_fen
            - self.returned_fen
            - self.lapsed_fen
        )


@dataclass(frozen=True, slots=True)
class LedgerState:
    """Holdings by (case number, account) and the entry ids already applied."""

    holdings: Mapping[tuple[str, str], Holding]
    entry_ids: frozenset[str]

    def holding(self, case_no: str, account: str) -> Holding:
        """The balances of ``account`` in case ``case_no`` (all zero when nothing happened yet)."""
        return self.holdings.get((case_no, account), Holding())


def empty_ledger() -> LedgerState:
    """A ledger with no entries."""
    return LedgerState(holdings=MappingProxyType({}), entry_ids=frozenset())


def _text(entry: LedgerEntry, name: str) -> None:
    value = getattr(entry, name)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(
            f"{value!r}; every ledger entry needs a non-empty {name}",
            field=name,
            value=value,
            source=f"entry {entry.entry_id!r}",
        )


def _check_shape(entry: LedgerEntry) -> None:
    for name in ("entry_id", "case_no", "account", "bank", "officer", "legal_basis"):
        _text(entry, name)
    where = f"entry {entry.entry_id!r}"
    if entry.kind not in ENTRY_KINDS:
        raise InvalidInput(
            f"{entry.kind!r}; use one of {', '.join(ENTRY_KINDS)}", field="kind", source=where
        )
    amount = entry.amount_fen
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise InvalidInput(
            f"{amount!r}; amounts are whole fen greater than 0", field="amount_fen", source=where
        )
    if not isinstance(entry.at, datetime) or entry.at.tzinfo is None:
        raise InvalidInput(
            f"{entry.at!r}; give a timezone-aware datetime", field="at", source=where
        )
    if entry.expires_at is not None and (
        entry.expires_at.tzinfo is None or entry.expires_at <= entry.at
    ):
        raise InvalidInput(
            "must be a timezone-aware datetime after the entry's time",
            field="expires_at",
            source=where,
        )
    if entry.kind == "return":
        _text(entry, "payee")
        _text(entry, "payee_account")
    if entry.from_stop and entry.kind != "freeze":
        raise InvalidInput(
            "only a freeze can convert stop-paid money", field="from_stop", source=where
        )


def _lapse(holding: Holding, when: datetime) -> Holding:
    """Release a stop-pay or freeze whose time ran out before ``when``."""
    if (
        holding.stop_expires_at is not None
        and when > holding.stop_expires_at
        and holding.stopped_fen
    ):
        holding = replace(
            holding,
            lapsed_fen=holding.lapsed_fen + holding.stopped_fen,
            stopped_fen=0,
            stop_expires_at=None,
        )
    if (
        holding.freeze_expires_at is not None
        and when > holding.freeze_expires_at
        and holding.frozen_fen
    ):
        holding = replace(
            holding,
            lapsed_fen=holding.lapsed_fen + holding.frozen_fen,
            frozen_fen=0,
            freeze_expires_at=None,
        )
    return holding


def _conflict(entry: LedgerEntry, message: str) -> LedgerConflict:
    name = KIND_NAMES[entry.kind]
    return LedgerConflict(
        f"entry {entry.entry_id!r} ({name} {entry.amount_fen} fen on {entry.account}, "
        f"case {entry.case_no}): {message}"
    )


def _next(holding: Holding, entry: LedgerEntry) -> Holding:
    """The holding after ``entry``; raises :class:`LedgerConflict` if it cannot apply."""
    if holding.last_time is not None and entry.at < holding.last_time:
        raise _conflict(entry, f"dated before the last entry on this account ({holding.last_time})")
    holding = _lapse(holding, entry.at)
    amount = entry.amount_fen
    kind = entry.kind
    if kind == "stop_pay":
        expires = entry.expires_at or entry.at + timedelta(hours=STOP_PAY_HOURS)
        return replace(
            holding,
            stopped_fen=holding.stopped_fen + amount,
            stop_paid_fen=holding.stop_paid_fen + amount,
            stop_expires_at=max(expires, holding.stop_expires_at or expires),
        )
    if kind == "release_stop":
        if amount > holding.stopped_fen:
            raise _conflict(entry, f"only {holding.stopped_fen} fen are stop-paid")
        return replace(
            holding,
            stopped_fen=holding.stopped_fen - amount,
            released_stop_fen=holding.released_stop_fen + amount,
        )
    if kind == "freeze":
        expires = entry.expires_at or entry.at + timedelta(days=FREEZE_DAYS)
        frozen = replace(
            holding,
            frozen_fen=holding.frozen_fen + amount,
            frozen_in_fen=holding.frozen_in_fen + amount,
            freeze_expires_at=max(expires, holding.freeze_expires_at or expires),
        )
        if not entry.from_stop:
            return frozen
        if amount > holding.stopped_fen:
            raise _conflict(entry, f"only {holding.stopped_fen} fen are stop-paid to convert")
        return replace(
            frozen,
            stopped_fen=holding.stopped_fen - amount,
            converted_fen=holding.converted_fen + amount,
        )
    if kind == "renew_freeze":
        if holding.frozen_fen == 0:
            raise _conflict(entry, "nothing is frozen (or the freeze has lapsed) to renew")
        if amount != holding.frozen_fen:
            raise _conflict(entry, f"a renewal covers the whole frozen {holding.frozen_fen} fen")
        expires = entry.expires_at or entry.at + timedelta(days=FREEZE_DAYS)
        return replace(holding, freeze_expires_at=expires)
    if amount > holding.frozen_fen:
        raise _conflict(entry, f"only {holding.frozen_fen} fen are frozen")
    if kind == "unfreeze":
        return replace(
            holding,
            frozen_fen=holding.frozen_fen - amount,
            unfrozen_fen=holding.unfrozen_fen + amount,
        )
    payee = str(entry.payee)
    paid = dict(holding.returned_to)
    paid[payee] = paid.get(payee, 0) + amount
    return replace(
        holding,
        frozen_fen=holding.frozen_fen - amount,
        returned_fen=holding.returned_fen + amount,
        returned_to=tuple(sorted(paid.items())),
    )


def validate_entry(state: LedgerState, entry: LedgerEntry) -> None:
    """Raise if ``entry`` cannot be applied to ``state``; return None when it can.

    Raises:
        InvalidInput: a field is missing or malformed.
        LedgerConflict: a repeated id, a back-dated entry, or more money than is there.
    """
    _check_shape(entry)
    if entry.entry_id in state.entry_ids:
        raise _conflict(entry, "this entry id is already in the ledger")
    _next(state.holding(entry.case_no, entry.account), entry)


def apply_entry(state: LedgerState, entry: LedgerEntry) -> LedgerState:
    """Validate ``entry`` and return the new state (``state`` itself is unchanged)."""
    validate_entry(state, entry)
    key = (entry.case_no, entry.account)
    holdings = dict(state.holdings)
    holdings[key] = replace(_next(state.holding(*key), entry), last_time=entry.at)
    return LedgerState(
        holdings=MappingProxyType(holdings), entry_ids=state.entry_ids | {entry.entry_id}
    )


def replay_ledger(entries: Iterable[LedgerEntry]) -> LedgerState:
    """Apply entries in the order given; raises on the first that does not fit."""
    state = empty_ledger()
    for entry in entries:
        state = apply_entry(state, entry)
    return state


def ledger_totals(state: LedgerState, *, at: datetime | None = None) -> dict[str, int]:
    """Sums in fen over all holdings: stopped, frozen, returned, unfrozen, released, lapsed.

    With ``at``, stop-pays and freezes that have lapsed by then count as lapsed.
    """
    totals = dict.fromkeys(
        ("stopped_fen", "frozen_fen", "returned_fen", "unfrozen_fen", "released_fen", "lapsed_fen"),
        0,
    )
    for holding in state.holdings.values():
        current = _lapse(holding, at) if at is not None else holding
        totals["stopped_fen"] += current.stopped_fen
        totals["frozen_fen"] += current.frozen_fen
        totals["returned_fen"] += current.returned_fen
        totals["unfrozen_fen"] += current.unfrozen_fen
        totals["released_fen"] += current.released_stop_fen
        totals["lapsed_fen"] += current.lapsed_fen
    return totals


def account_status(holding: Holding) -> str:
    """The status an account shows for a holding: ``frozen``, ``stop_paid`` or ``normal``."""
    if holding.frozen_fen > 0:
        return "frozen"
    return "stop_paid" if holding.stopped_fen > 0 else "normal"
