"""Fund control's queries: transfers for tracing, cases and their victims, the ledger.

Every function takes a session and returns ``fanzha.funds`` dataclasses or polars frames;
what the rows mean (exits, seeds, balances, who may claim) is decided in ``fanzha.funds``.
"""

from __future__ import annotations

from collections.abc import Collection

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fanzha.errors import NotFound
from fanzha.funds import FundCase, LedgerEntry
from fanzha.store._frames import read_tables
from fanzha.store._models import BankAccount, Case, Person, Transfer
from fanzha.store._models import LedgerEntry as LedgerRow

__all__ = [
    "add_ledger_entry",
    "lock_account",
    "read_case_ledger",
    "read_fund_case",
    "read_fund_cases",
    "read_ledger",
    "read_stop_accounts",
    "read_trace_transfers",
    "transfers_version",
]

#: The fields of a ledger entry and the ``ledger_entries`` columns that hold them.
_ENTRY_COLUMNS = {
    "entry_id": "entry_id",
    "kind": "kind",
    "bank": "bank",
    "amount_fen": "amount_fen",
    "at": "at",
    "officer": "officer",
    "legal_basis": "legal_basis",
    "payee": "payee",
    "payee_account": "payee_account",
    "from_stop": "from_stop",
    "expires_at": "expires_at",
    "note": "note",
}


def transfers_version(session: Session) -> tuple[int, int]:
    """The transfers table's row count and largest id: it changed when this changed."""
    count, top = session.execute(
        select(func.count(), func.coalesce(func.max(Transfer.id), 0))
    ).one()
    return int(count), int(top)


def read_trace_transfers(session: Session) -> pl.DataFrame:
    """All transfers in time order (ties by id) as ``src``, ``dst`` (account numbers),
    ``amount_fen``, ``at``, ``channel`` and ``case_id`` (null when in no case).

    Raises:
        NotFound: the store holds no transfer.
    """
    tables = read_tables(session.connection(), ["transfers", "bank_accounts"])
    if tables["transfers"].is_empty():
        raise NotFound("the store holds no transfers yet; load some with `fanzha ingest transfers`")
    numbers = tables["bank_accounts"].select("id", "account_no")
    return (
        tables["transfers"]
        .join(numbers.rename({"id": "src_account_id", "account_no": "src"}), on="src_account_id")
        .join(numbers.rename({"id": "dst_account_id", "account_no": "dst"}), on="dst_account_id")
        .sort("at", "id")
        .select("src", "dst", "amount_fen", "at", "channel", "case_id")
    )


def read_stop_accounts(
    session: Session, exit_kinds: Collection[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The numbers of the accounts of the ``exit_kinds`` and of the frozen accounts."""
    rows = session.execute(
        select(BankAccount.account_no, BankAccount.kind, BankAccount.status).where(
            BankAccount.kind.in_(list(exit_kinds)) | (BankAccount.status == "frozen")
        )
    ).all()
    exits = tuple(number for number, kind, _ in rows if kind in exit_kinds)
    frozen = tuple(number for number, _, status in rows if status == "frozen")
    return exits, frozen


def read_fund_cases(
    session: Session, case_ids: Collection[int], *, with_accounts: bool = True
) -> dict[int, FundCase]:
    """The cases of ``case_ids`` that exist, by key, in the order given: number, loss, the
    victim's name and (``with_accounts``) the victim's first account on record."""
    rows = session.execute(
        select(Case.id, Case.case_no, Case.amount_lost_fen, Case.victim_id, Person.name)
        .outerjoin(Person, Person.id == Case.victim_id)
        .where(Case.id.in_(list(case_ids)))
    ).all()
    victims = {row.victim_id for row in rows if row.victim_id is not None}
    accounts: dict[int, str] = {}
    if with_accounts and victims:
        owned = session.execute(
            select(BankAccount.holder_id, BankAccount.account_no)
            .where(BankAccount.holder_id.in_(victims))
            .order_by(BankAccount.id)
        ).all()
        for holder, number in owned:
            accounts.setdefault(int(holder), number)
    found = {
        int(row.id): FundCase(
            case_id=int(row.id),
            case_no=row.case_no,
            loss_fen=int(row.amount_lost_fen),
            victim_name=row.name,
            victim_account=accounts.get(row.victim_id) if row.victim_id is not None else None,
        )
        for row in rows
    }
    return {key: found[key] for key in case_ids if key in found}


def read_fund_case(session: Session, case_id: int, *, with_accounts: bool = False) -> FundCase:
    """One case (see :func:`read_fund_cases`).

    Raises:
        NotFound: no such case.
    """
    found = read_fund_cases(session, [case_id], with_accounts=with_accounts)
    if case_id not in found:
        raise NotFound(f"case {case_id} does not exist")
    return found[case_id]


def read_case_ledger(
    session: Session, case: FundCase, *, account_no: str | None = None
) -> list[LedgerEntry]:
    """The case's ledger entries (on ``account_no`` only, when given) in time order."""
    query = (
        select(LedgerRow, BankAccount.account_no)
        .join(BankAccount, BankAccount.id == LedgerRow.account_id)
        .where(LedgerRow.case_id == case.case_id)
        .order_by(LedgerRow.at, LedgerRow.id)
    )
    if account_no is not None:
        query = query.where(BankAccount.account_no == account_no)
    return [
        LedgerEntry(
            case_no=case.case_no,
            account=number,
            **{field: getattr(row, column) for field, column in _ENTRY_COLUMNS.items()},
        )
        for row, number in session.execute(query).all()
    ]


def read_ledger(session: Session) -> list[LedgerEntry]:
    """Every case's ledger entries in time order (ties by id): the holds a trace applies."""
    query = (
        select(LedgerRow, BankAccount.account_no, Case.case_no)
        .join(BankAccount, BankAccount.id == LedgerRow.account_id)
        .join(Case, Case.id == LedgerRow.case_id)
        .order_by(LedgerRow.at, LedgerRow.id)
    )
    return [
        LedgerEntry(
            case_no=case_no,
            account=number,
            **{field: getattr(row, column) for field, column in _ENTRY_COLUMNS.items()},
        )
        for row, number, case_no in session.execute(query).all()
    ]


def lock_account(session: Session, account_no: str) -> BankAccount:
    """The account, its row locked until the session commits (PostgreSQL).

    Raises:
        NotFound: no such account.
    """
    account = session.scalars(
        select(BankAccount).where(BankAccount.account_no == account_no).with_for_update()
    ).first()
    if account is None:
        raise NotFound(f"account {account_no!r} is not in the store")
    return account


def add_ledger_entry(
    session: Session,
    entry: LedgerEntry,
    *,
    case: FundCase,
    account: BankAccount,
    user_id: int | None,
    account_status: str,
) -> None:
    """Append ``entry`` for ``case`` on the locked ``account`` and set the account's status
    (the caller commits)."""
    session.add(
        LedgerRow(
            case_id=case.case_id,
            account_id=account.id,
            user_id=user_id,
            **{column: getattr(entry, field) for field, column in _ENTRY_COLUMNS.items()},
        )
    )
    account.status = account_status
    session.flush()
