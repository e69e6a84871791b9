"""fanzha.store.funds on SQLite and PostgreSQL: transfers for tracing, cases, the ledger."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from fanzha.errors import NotFound
from fanzha.funds import EXIT_ACCOUNT_KINDS, FundCase, LedgerEntry
from fanzha.store import BankAccount, Case, Person, Transfer
from fanzha.store._models import LedgerEntry as LedgerRow
from fanzha.store.funds import (
    add_ledger_entry,
    lock_account,
    read_case_ledger,
    read_fund_case,
    read_fund_cases,
    read_stop_accounts,
    read_trace_transfers,
    transfers_version,
)

DAY = datetime(2026, 9, 1, tzinfo=UTC)


def _at(hour: int, minute: int = 0) -> datetime:
    return DAY.replace(hour=hour, minute=minute)


def _fill(engine: Engine) -> None:
    """Two victims paying one mule, who cashes out and pays a frozen account."""
    with Session(engine) as session:
        session.add_all(
            [
                Person(id=1, name="王芳"),
                Person(id=2, name="李强"),
                Person(id=3, name="张三", kind="suspect"),
            ]
        )
        session.flush()
        session.add_all(
            [
                BankAccount(id=10, account_no="6222000000000010", bank="农业银行", holder_id=1),
                BankAccount(id=11, account_no="6222000000000011", bank="农业银行", holder_id=1),
                BankAccount(id=20, account_no="6222000000000020", bank="建设银行", holder_id=2),
                BankAccount(id=30, account_no="6222000000000030", bank="工商银行", holder_id=3),
                BankAccount(id=40, account_no="6222000000000040", bank="工商银行", kind="cash_out"),
                BankAccount(id=50, account_no="6222000000000050", bank="中国银行", status="frozen"),
            ]
        )
        session.add_all(
            [
                Case(
                    id=1,
                    case_no="A001",
                    fraud_type="fake_investment",
                    amount_lost_fen=50_000,
                    occurred_at=DAY,
                    reported_at=DAY,
                    victim_id=1,
                ),
                Case(
                    id=2,
                    case_no="A002",
                    fraud_type="fake_investment",
                    amount_lost_fen=30_000,
                    occurred_at=DAY,
                    reported_at=DAY,
                    victim_id=2,
                ),
                Case(
                    id=3,
                    case_no="A003",
                    fraud_type="other",
                    amount_lost_fen=1,
                    occurred_at=DAY,
                    reported_at=DAY,
                ),
            ]
        )
        session.flush()
        rows = [
            ("T1", 10, 30, 50_000, _at(10), "mobile", 1),
            ("T2", 20, 30, 30_000, _at(10, 30), "counter", 2),
            ("T3", 30, 40, 20_000, _at(11), "atm", 1),
            ("T4", 30, 50, 10_000, _at(11), "bank", 1),
            ("T5", 10, 20, 1_000, _at(9), "bank", None),
        ]
        session.add_all(
            Transfer(
                id=i,
                txn_id=txn,
                src_account_id=src,
                dst_account_id=dst,
                amount_fen=fen,
                at=at,
                channel=channel,
                case_id=case,
            )
            for i, (txn, src, dst, fen, at, channel, case) in enumerate(rows, start=1)
        )
        session.commit()


def _entry(entry_id: str, kind: str, account: str, fen: int, at: datetime) -> LedgerEntry:
    return LedgerEntry(
        entry_id=entry_id,
        kind=kind,
        case_no="A001",
        account=account,
        bank="工商银行",
        amount_fen=fen,
        at=at,
        officer="fund",
        legal_basis="冻字001号",
    )


def test_trace_transfers_come_in_time_order_with_numbers_channels_and_cases(
    engine: Engine,
) -> None:
    with Session(engine) as session:
        assert transfers_version(session) == (0, 0)
        with pytest.raises(NotFound, match="no transfers"):
            read_trace_transfers(session)
    _fill(engine)
    with Session(engine) as session:
        assert transfers_version(session) == (5, 5)
        frame = read_trace_transfers(session)
    assert frame.columns == ["src", "dst", "amount_fen", "at", "channel", "case_id"]
    assert frame["src"].to_list() == [
        "6222000000000010",
        "6222000000000010",
        "6222000000000020",
        "6222000000000030",
        "6222000000000030",
    ]
    assert frame["dst"].to_list()[-2:] == ["6222000000000040", "6222000000000050"]
    assert frame["amount_fen"].to_list() == [1_000, 50_000, 30_000, 20_000, 10_000]
    assert frame["channel"].to_list() == ["bank", "mobile", "counter", "atm", "bank"]
    assert frame["case_id"].to_list() == [None, 1, 2, 1, 1]
    assert frame["at"].dtype == pl.Datetime("us", "UTC")
    assert frame["at"][0] == _at(9)


def test_stop_accounts_are_the_exit_kinds_and_the_frozen(engine: Engine) -> None:
    _fill(engine)
    with Session(engine) as session:
        exits, frozen = read_stop_accounts(session, EXIT_ACCOUNT_KINDS)
        assert read_stop_accounts(session, ()) == ((), ("6222000000000050",))
    assert exits == ("6222000000000040",)
    assert frozen == ("6222000000000050",)


def test_fund_cases_carry_the_victim_name_and_first_account(engine: Engine) -> None:
    _fill(engine)
    with Session(engine) as session:
        found = read_fund_cases(session, [3, 2, 1, 99])
        bare = read_fund_case(session, 1)
        with pytest.raises(NotFound, match="case 99"):
            read_fund_case(session, 99)
    assert list(found) == [3, 2, 1]
    assert found[1] == FundCase(1, "A001", 50_000, "王芳", "6222000000000010")
    assert found[2] == FundCase(2, "A002", 30_000, "李强", "6222000000000020")
    assert found[3] == FundCase(3, "A003", 1, None, None)
    assert bare == FundCase(1, "A001", 50_000, "王芳", None)


def test_ledger_entries_round_trip_and_set_the_account_status(engine: Engine) -> None:
    _fill(engine)
    with Session(engine) as session:
        case = read_fund_case(session, 1)
        later = _entry("L2", "stop_pay", "6222000000000040", 5_000, _at(13))
        first = _entry("L1", "freeze", "6222000000000030", 20_000, _at(12))
        for entry, status in ((later, "stop_paid"), (first, "frozen")):
            account = lock_account(session, entry.account)
            add_ledger_entry(
                session, entry, case=case, account=account, user_id=None, account_status=status
            )
        session.commit()
        with pytest.raises(NotFound, match="not in the store"):
            lock_account(session, "6222999999999999")
    with Session(engine) as session:
        case = read_fund_case(session, 1)
        entries = read_case_ledger(session, case)
        on_mule = read_case_ledger(session, case, account_no="6222000000000030")
        statuses = dict(session.execute(select(BankAccount.account_no, BankAccount.status)).all())
        stored = session.scalars(select(LedgerRow).order_by(LedgerRow.id)).all()
    assert [e.entry_id for e in entries] == ["L1", "L2"]
    assert entries[0] == first
    assert on_mule == [first]
    assert [(row.case_id, row.account_id) for row in stored] == [(1, 40), (1, 30)]
    assert statuses["6222000000000030"] == "frozen"
    assert statuses["6222000000000040"] == "stop_paid"
