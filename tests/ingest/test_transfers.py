"""Transfers against an in-memory store: fen, accounts, transaction ids, currency, cases."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from fanzha.errors import InvalidInput
from tests.ingest.conftest import CARD_A, CARD_B, CARD_C, EXAMPLES, run

HEADER = "交易流水号,付款账号,收款账号,交易金额,币种,交易时间\n"
ACCOUNTS = {"bank_accounts": pl.DataFrame({"account_no": [CARD_A, CARD_B], "id": [11, 12]})}


def _row(txn: str = "T1", src: str = CARD_A, dst: str = CARD_B, amount: str = "100.00") -> str:
    return f"{txn},{src},{dst},{amount},CNY,2024-05-01 10:00:00\n"


def test_a_transfer_row_in_the_store_shape() -> None:
    result = run(
        "transfers", HEADER + _row(amount="5000.5"), stored=ACCOUNTS, ids={"transfers": 70}
    )
    transfers = result.inserts["transfers"]
    assert transfers.columns == [
        "id",
        "txn_id",
        "src_account_id",
        "dst_account_id",
        "amount_fen",
        "currency",
        "at",
        "channel",
        "case_id",
    ]
    assert transfers.row(0) == (
        70,
        "T1",
        11,
        12,
        500050,
        "CNY",
        datetime(2024, 5, 1, 2, tzinfo=UTC),
        "transfer",
        None,
    )
    assert "bank_accounts" not in result.inserts


def test_the_example_file_creates_missing_accounts_when_asked() -> None:
    frame = pl.read_csv(EXAMPLES / "transfers.csv", infer_schema=False)
    result = run("transfers", frame, create_missing=True)
    accounts = result.inserts["bank_accounts"]
    assert set(accounts["bank"]) == {"未知"} and set(accounts["kind"]) == {"personal"}
    assert result.inserts["transfers"]["amount_fen"].to_list() == [500000, 499950, 200000, 250000]
    assert result.inserts["transfers"]["at"].is_sorted()
    assert result.report.self_loops == 1


def test_unknown_accounts_are_listed_without_create_missing() -> None:
    text = HEADER + _row("T1", dst=CARD_C) + _row("T2", src="6230580000000000099", dst=CARD_C)
    with pytest.raises(InvalidInput) as caught:
        run("transfers", text, stored=ACCOUNTS)
    message = caught.value.message
    assert caught.value.line == 2 and caught.value.field == "收款账号"
    assert CARD_C in message and "6230580000000000099" in message
    assert "not an account in the store" in message and "--create-missing" in message


def test_amount_unit_fen() -> None:
    result = run("transfers", HEADER + _row(amount="1250"), stored=ACCOUNTS, amount_unit="fen")
    assert result.inserts["transfers"]["amount_fen"].to_list() == [1250]


@pytest.mark.parametrize(
    ("row", "field", "fragment"),
    [
        pytest.param(_row(amount="0"), "交易金额", "is zero", id="zero"),
        pytest.param(_row(amount="-20"), "交易金额", "is negative", id="negative"),
        pytest.param(_row(amount="1.234"), "交易金额", "at most 2 decimals", id="decimals"),
        pytest.param(_row(amount='"1,000"'), "交易金额", "not a number", id="separator"),
        pytest.param(_row(src="62170000"), "付款账号", "not a bank account", id="short-account"),
        pytest.param(_row(txn=""), "交易流水号", "is empty", id="no-txn-id"),
        pytest.param(_row(txn="T" * 41), "交易流水号", "longer than 40", id="long-txn-id"),
        pytest.param(_row().replace("CNY", "USD"), "币种", "is not CNY", id="currency-mismatch"),
        pytest.param(
            _row().replace("2024-05-01 10:00:00", "05/01/2024"), "交易时间", "not a time", id="time"
        ),
    ],
)
def test_bad_rows_are_named(row: str, field: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        run("transfers", HEADER + _row("T0") + row, stored=ACCOUNTS)
    assert (caught.value.line, caught.value.field) == (3, field)
    assert fragment in caught.value.message


def test_a_repeated_transaction_id_names_the_first_line() -> None:
    text = HEADER + _row("T1") + _row("T2") + _row("T1", amount="9.00")
    with pytest.raises(InvalidInput) as caught:
        run("transfers", text, stored=ACCOUNTS)
    assert caught.value.line == 4
    assert "'T1' repeats the transaction id of line 2" in caught.value.message


@pytest.mark.parametrize("currency", ["CNY", "rmb", "人民币", "元", ""])
def test_yuan_currency_names_are_accepted(currency: str) -> None:
    text = HEADER + _row().replace("CNY", currency)
    assert run("transfers", text, stored=ACCOUNTS).inserts["transfers"]["currency"].item() == "CNY"


def test_stored_transaction_ids_are_skipped() -> None:
    stored = {**ACCOUNTS, "transfers": pl.DataFrame({"txn_id": ["T1"]})}
    result = run("transfers", HEADER + _row("T1") + _row("T2"), stored=stored)
    assert result.inserts["transfers"]["txn_id"].to_list() == ["T2"]
    assert result.report.skipped_existing == 1


def test_case_numbers_must_be_known() -> None:
    header = HEADER.replace("\n", ",案件编号\n")
    stored = {**ACCOUNTS, "cases": pl.DataFrame({"case_no": ["A1"], "id": [5]})}
    good = _row("T1").replace("\n", ",A1\n")
    result = run("transfers", header + good, stored=stored)
    assert result.inserts["transfers"]["case_id"].to_list() == [5]
    with pytest.raises(InvalidInput, match="not a case in the store"):
        run("transfers", header + good + _row("T2").replace("\n", ",A2\n"), stored=stored)


def test_mixed_time_formats_are_ordered() -> None:
    text = (
        HEADER
        + _row("T1").replace("2024-05-01 10:00:00", "1714532400")
        + _row("T2").replace("2024-05-01 10:00:00", "2024/05/01 09:00:00")
        + _row("T3").replace("2024-05-01 10:00:00", "2024-05-01T01:30:00Z")
    )
    result = run("transfers", text, stored=ACCOUNTS)
    assert result.inserts["transfers"]["txn_id"].to_list() == ["T2", "T3", "T1"]


def test_a_file_of_blank_lines_has_no_records() -> None:
    with pytest.raises(InvalidInput, match="has no records"):
        run("transfers", HEADER + ",,,,,\n")
