"""Fund control orchestration: the store's transfers cached for tracing, the ledger, plans.

Tracing reads the whole transfers table once (``fanzha.store.funds``) into
:class:`fanzha.funds.CaseTransfers` and an index, cached on the app until the table changes
(its row count and largest id). The stop-pays and freezes are read fresh for each trace from
the whole ledger (every case's), each with its time and amount
(:func:`fanzha.funds.ledger_freezes`); an account marked frozen with no ledger entry counts
as frozen after its last transfer. Ledger entries are validated by ``fanzha.funds`` against the
balances replayed from the stored entries of the same case and account, under a row lock on
the account, then appended.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from fanzha.api.schemas.funds import LedgerEntryPublic, LedgerPublic, ReturnPlanPublic
from fanzha.funds import (
    EXIT_ACCOUNT_KINDS,
    CaseTransfers,
    Freeze,
    LedgerEntry,
    TransferIndex,
    account_status,
    apply_entry,
    case_return_plan,
    case_transfers,
    claimant_cases,
    frozen_on,
    index_transfers,
    ledger_freezes,
    ledger_totals,
    replay_ledger,
    validate_entry,
)
from fanzha.roles import Actor
from fanzha.store.funds import (
    add_ledger_entry,
    lock_account,
    read_case_ledger,
    read_fund_case,
    read_fund_cases,
    read_ledger,
    read_stop_accounts,
    read_trace_transfers,
    transfers_version,
)
from fanzha.store.users import names_by_username

__all__ = ["LoadedTransfers", "TransferCache", "case_ledger", "plan_return", "record_ledger_entry"]


@dataclass(frozen=True, slots=True)
class LoadedTransfers:
    """The stored transfers indexed for tracing, with today's exit accounts and the holds
    (stop-pays, freezes) of the ledger."""

    version: tuple[int, int]
    stored: CaseTransfers
    index: TransferIndex
    exits: tuple[str, ...] = ()
    freezes: tuple[Freeze, ...] = ()


class TransferCache:
    """The transfers table as arrays + index, rebuilt when the table changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: LoadedTransfers | None = None

    def get(self, db: Session) -> LoadedTransfers:
        """The current transfers (reloaded if they changed) with today's exits and holds."""
        version = transfers_version(db)
        exits, frozen = read_stop_accounts(db, EXIT_ACCOUNT_KINDS)
        holds = ledger_freezes(read_ledger(db))
        placed = {hold.account for hold in holds}
        freezes = (*holds, *(Freeze(number) for number in frozen if number not in placed))
        with self._lock:
            cached = self._loaded
        if cached is None or cached.version != version:
            stored = case_transfers(read_trace_transfers(db))
            cached = LoadedTransfers(version, stored, index_transfers(stored.transfers))
            with self._lock:
                self._loaded = cached
        return replace(cached, exits=exits, freezes=freezes)


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
) -> LedgerEntry:
    """Validate one act against the replayed balances of its case and account, then append it.

    The account row is locked for the check, so two officers cannot both spend one balance.
    """
    case = read_fund_case(db, case_id)
    account = lock_account(db, account_no)
    entry = LedgerEntry(
        entry_id=f"L{uuid.uuid4().hex[:16]}",
        kind=kind,
        case_no=case.case_no,
        account=account.account_no,
        bank=bank or account.bank,
        amount_fen=amount_fen,
        at=at or datetime.now(UTC),
        officer=actor.username,
        legal_basis=legal_basis,
        payee=payee,
        payee_account=payee_account,
        from_stop=from_stop,
        expires_at=expires_at,
        note=note,
    )
    state = replay_ledger(read_case_ledger(db, case, account_no=account.account_no))
    validate_entry(state, entry)
    status = account_status(apply_entry(state, entry).holding(case.case_no, account.account_no))
    add_ledger_entry(
        db, entry, case=case, account=account, user_id=actor.user_id, account_status=status
    )
    return entry


def case_ledger(db: Session, case_id: int) -> LedgerPublic:
    """The case's entries and the balances per account, replayed now."""
    case = read_fund_case(db, case_id)
    entries = read_case_ledger(db, case)
    state = replay_ledger(entries)
    names = names_by_username(db, {e.officer for e in entries})
    return LedgerPublic.model_validate(
        {
            "case_id": case.case_id,
            "case_no": case.case_no,
            "entries": [
                LedgerEntryPublic.model_validate(
                    {**asdict(e), "officer_name": names.get(e.officer)}
                )
                for e in entries
            ],
            "holdings": [
                {**asdict(state.holding(case.case_no, number)), "account_no": number}
                for number in sorted({e.account for e in entries})
            ],
            "totals": ledger_totals(state, at=datetime.now(UTC)),
        }
    )


def plan_return(
    db: Session,
    loaded: LoadedTransfers,
    case_id: int,
    account_no: str,
    *,
    authority: str,
    contact: str,
) -> ReturnPlanPublic:
    """The return plan (and notice) for the money frozen on ``account_no`` in this case.

    One query per table: the case, its ledger, the claimant cases with their victims, and
    the victims' accounts; the plan itself is :func:`fanzha.funds.case_return_plan`'s.
    """
    case = read_fund_case(db, case_id)
    frozen_fen, bank = frozen_on(
        read_case_ledger(db, case, account_no=account_no),
        case_no=case.case_no,
        account=account_no,
    )
    claimants = read_fund_cases(
        db, claimant_cases(loaded.stored, account_no) or [case.case_id], with_accounts=True
    )
    planned = case_return_plan(
        loaded.stored,
        claimants,
        case_no=case.case_no,
        account=account_no,
        frozen_fen=frozen_fen,
        bank=bank,
        index=loaded.index,
        freezes=loaded.freezes,
        decided_at=datetime.now(UTC),
        authority=authority,
        contact=contact,
    )
    return ReturnPlanPublic.model_validate({**planned.plan.to_dict(), "notice": planned.notice})
