"""Fund control on the store: transfers as columnar arrays, traces, the ledger, return plans.

Tracing reads the whole transfers table once into :class:`fanzha.funds.Transfers` and an
index, cached on the app until the table changes (its row count and largest id).
Ledger entries are validated against the balances replayed from the stored entries of the
same case and account, under a row lock on the account, then appended.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from fanzha.api._audit import Actor
from fanzha.errors import InvalidInput, NotFound
from fanzha.funds import (
    LedgerEntry,
    Seed,
    TransferIndex,
    Transfers,
    VictimClaim,
    apply_entry,
    index_transfers,
    ledger_totals,
    plan_returns,
    replay_ledger,
    return_notice,
    trace_claims,
    transfers_from_arrays,
    validate_entry,
)
from fanzha.store import BankAccount, Case, Person, Transfer, read_tables
from fanzha.store import LedgerEntry as LedgerRow

__all__ = [
    "TransferCache",
    "case_ledger",
    "case_return_plan",
    "case_seeds",
    "record_ledger_entry",
]

_EXITS = ("cash_out", "crypto_exit", "merchant")


@dataclass(frozen=True, slots=True)
class _Loaded:
    key: tuple[int, int]
    transfers: Transfers
    index: TransferIndex
    case_of: np.ndarray
    exits: tuple[str, ...]
    frozen: tuple[str, ...]


class TransferCache:
    """The transfers table as arrays + index, rebuilt when the table changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: _Loaded | None = None

    def get(self, engine: Engine) -> _Loaded:
        """The current arrays (reloaded if transfers changed) with today's exits and freezes."""
        with engine.connect() as connection:
            count, top = connection.execute(
                select(func.count(), func.coalesce(func.max(Transfer.id), 0))
            ).one()
            statuses = connection.execute(
                select(BankAccount.account_no, BankAccount.kind, BankAccount.status).where(
                    BankAccount.kind.in_(_EXITS) | (BankAccount.status == "frozen")
                )
            ).all()
        exits = tuple(number for number, kind, _ in statuses if kind in _EXITS)
        frozen = tuple(number for number, _, status in statuses if status == "frozen")
        key = (int(count), int(top))
        with self._lock:
            cached = self._loaded
        if cached is None or cached.key != key:
            cached = self._load(engine, key)
            with self._lock:
                self._loaded = cached
        return replace(cached, exits=exits, frozen=frozen)

    @staticmethod
    def _load(engine: Engine, key: tuple[int, int]) -> _Loaded:
        """Transfers with their account numbers, in time order, as columns (polars joins)."""
        tables = read_tables(engine, ["transfers", "bank_accounts"])
        if tables["transfers"].is_empty():
            raise NotFound(
                "the store holds no transfers yet; load some with `fanzha ingest transfers`"
            )
        numbers = tables["bank_accounts"].select("id", "account_no")
        frame = (
            tables["transfers"]
            .join(
                numbers.rename({"id": "src_account_id", "account_no": "src"}), on="src_account_id"
            )
            .join(
                numbers.rename({"id": "dst_account_id", "account_no": "dst"}), on="dst_account_id"
            )
            .sort("at", "id")
        )
        transfers = transfers_from_arrays(
            frame["src"].to_numpy(),
            frame["dst"].to_numpy(),
            frame["amount_fen"].to_numpy(),
            frame["at"].dt.epoch("s").to_numpy(),
        )
        case_of = frame["case_id"].fill_null(-1).to_numpy().astype(np.int64)
        return _Loaded(key, transfers, index_transfers(transfers), case_of, (), ())


def case_seeds(db: Session, loaded: _Loaded, case_id: int) -> tuple[Case, list[Seed]]:
    """The case and its victim's payments as trace seeds.

    The case's transfers are those marked with it; the victim's payments are those of them
    sent from an account that received none of them (the money's origin).
    """
    case = db.get(Case, case_id)
    if case is None:
        raise NotFound(f"case {case_id} does not exist")
    marked = np.flatnonzero(loaded.case_of == case_id)
    if marked.shape[0] == 0:
        raise InvalidInput(f"case {case.case_no} has no transfers to trace", field="case_id")
    src, dst = loaded.transfers.src[marked], loaded.transfers.dst[marked]
    origins = marked[~np.isin(src, dst)]
    victim = db.get(Person, case.victim_id) if case.victim_id else None
    label = f"{victim.name if victim else '受害人'}（{case.case_no}）"
    return case, [Seed(transfer=int(i), label=label) for i in origins]


def _entry(row: LedgerRow, case_no: str, account_no: str) -> LedgerEntry:
    return LedgerEntry(
        entry_id=row.entry_id,
        kind=row.kind,
        case_id=case_no,
        account=account_no,
        bank=row.bank,
        amount_fen=row.amount_fen,
        time=row.at,
        officer=row.officer,
        legal_basis=row.legal_basis,
        payee=row.payee,
        payee_account=row.payee_account,
        from_stop=row.from_stop,
        expires=row.expires_at,
        note=row.note,
    )


def _stored_entries(
    db: Session, case: Case, account_id: int | None = None
) -> list[tuple[LedgerRow, str]]:
    query = (
        select(LedgerRow, BankAccount.account_no)
        .join(BankAccount, BankAccount.id == LedgerRow.account_id)
        .where(LedgerRow.case_id == case.id)
        .order_by(LedgerRow.at, LedgerRow.id)
    )
    if account_id is not None:
        query = query.where(LedgerRow.account_id == account_id)
    return [(row, account_no) for row, account_no in db.execute(query).all()]


def record_ledger_entry(
    db: Session,
    actor: Actor,
    *,
    case_id: int,
    account_no: str,
    kind: str,
    amount_fen: int,
    legal_basis: str,
    bank: str | None = None,
    at: datetime | None = None,
    payee: str | None = None,
    payee_account: str | None = None,
    from_stop: bool = False,
    expires_at: datetime | None = None,
    note: str = "",
) -> LedgerRow:
    """Validate one act against the replayed balances of its case and account, then append it.

    The account row is locked for the check, so two officers cannot both spend one balance.
    """
    case = db.get(Case, case_id)
    if case is None:
        raise NotFound(f"case {case_id} does not exist")
    account = db.scalars(
        select(BankAccount).where(BankAccount.account_no == account_no).with_for_update()
    ).first()
    if account is None:
        raise NotFound(f"account {account_no!r} is not in the store")
    entry = LedgerEntry(
        entry_id=f"L{uuid.uuid4().hex[:16]}",
        kind=kind,
        case_id=case.case_no,
        account=account.account_no,
        bank=bank or account.bank,
        amount_fen=amount_fen,
        time=at or datetime.now(UTC),
        officer=actor.username,
        legal_basis=legal_basis,
        payee=payee,
        payee_account=payee_account,
        from_stop=from_stop,
        expires=expires_at,
        note=note,
    )
    state = replay_ledger(
        _entry(row, case.case_no, number) for row, number in _stored_entries(db, case, account.id)
    )
    validate_entry(state, entry)
    row = LedgerRow(
        entry_id=entry.entry_id,
        kind=entry.kind,
        case_id=case.id,
        account_id=account.id,
        bank=entry.bank,
        amount_fen=entry.amount_fen,
        at=entry.time,
        user_id=actor.user_id,
        officer=entry.officer,
        legal_basis=entry.legal_basis,
        payee=entry.payee,
        payee_account=entry.payee_account,
        from_stop=entry.from_stop,
        expires_at=entry.expires,
        note=entry.note,
    )
    db.add(row)
    holding = apply_entry(state, entry).holding(case.case_no, account.account_no)
    account.status = (
        "frozen" if holding.frozen_fen > 0 else "stop_paid" if holding.stopped_fen > 0 else "normal"
    )
    db.commit()
    return row


def case_ledger(db: Session, case_id: int) -> dict[str, Any]:
    """The case's entries and the balances per account, replayed now."""
    case = db.get(Case, case_id)
    if case is None:
        raise NotFound(f"case {case_id} does not exist")
    stored = _stored_entries(db, case)
    state = replay_ledger(_entry(row, case.case_no, number) for row, number in stored)
    now = datetime.now(UTC)
    accounts = sorted({number for _, number in stored})
    return {
        "case_id": case.id,
        "case_no": case.case_no,
        "entries": [
            {
                "entry_id": row.entry_id,
                "kind": row.kind,
                "account_no": number,
                "bank": row.bank,
                "amount_fen": row.amount_fen,
                "at": row.at,
                "officer": row.officer,
                "legal_basis": row.legal_basis,
                "payee": row.payee,
                "note": row.note,
            }
            for row, number in stored
        ],
        "holdings": [
            {"account_no": number, **_holding_view(state.holding(case.case_no, number))}
            for number in accounts
        ],
        "totals": ledger_totals(state, at=now),
    }


def _holding_view(holding: Any) -> dict[str, int]:
    return {
        "stopped_fen": holding.stopped_fen,
        "frozen_fen": holding.frozen_fen,
        "returned_fen": holding.returned_fen,
        "stop_paid_fen": holding.stop_paid_fen,
        "frozen_in_fen": holding.frozen_in_fen,
    }


def case_return_plan(
    db: Session, loaded: _Loaded, case_id: int, account_no: str, *, authority: str, contact: str
) -> dict[str, Any]:
    """The return plan (and notice) for the money frozen on ``account_no`` in this case.

    Every case whose victim's money was traced into the account is a claimant; the 2016
    rules decide between whole, by-trace and pro-rata returns.
    """
    case = db.get(Case, case_id)
    if case is None:
        raise NotFound(f"case {case_id} does not exist")
    ledger = case_ledger(db, case_id)
    holding = next((h for h in ledger["holdings"] if h["account_no"] == account_no), None)
    if holding is None or holding["frozen_fen"] <= 0:
        raise InvalidInput(
            f"nothing is frozen on {account_no} in case {case.case_no}", field="account"
        )
    code = loaded.transfers.code_of(account_no)
    reached = np.unique(loaded.case_of[(loaded.transfers.dst == code) & (loaded.case_of >= 0)])
    seeds: list[Seed] = []
    claim_cases: dict[str, Case] = {}
    for other_id in reached.tolist() or [case_id]:
        other, other_seeds = case_seeds(db, loaded, int(other_id))
        seeds.extend(Seed(s.transfer, other.case_no) for s in other_seeds)
        claim_cases[other.case_no] = other
    traced = trace_claims(loaded.transfers, seeds, account_no, index=loaded.index)
    claims = []
    names = {}
    for case_no, other in claim_cases.items():
        victim = db.get(Person, other.victim_id) if other.victim_id else None
        payer = (
            db.scalars(
                select(BankAccount.account_no).where(BankAccount.holder_id == other.victim_id)
            ).first()
            if other.victim_id
            else None
        )
        claims.append(
            VictimClaim(
                victim=case_no,
                account=payer or "待受害人提供",
                loss_fen=other.amount_lost_fen,
                traced_fen=int(traced.held.get(case_no, 0)),
            )
        )
        if victim:
            names[case_no] = victim.name
    plan = plan_returns(
        claims,
        case_id=case.case_no,
        frozen_account=account_no,
        bank=next((e["bank"] for e in ledger["entries"] if e["account_no"] == account_no), ""),
        frozen_fen=holding["frozen_fen"],
        deposits=traced.deposits,
        traceable=traced.traceable,
        decided_at=datetime.now(UTC),
    )
    notice = (
        return_notice(plan, authority=authority, contact=contact, names=names)
        if plan.notice_required
        else None
    )
    return {**plan.to_dict(), "notice": notice}
