"""Loading transfers: amounts in fen, mixed time formats, bad rows reported, not fatal."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from fanzha.errors import InvalidInput, NotFound
from fanzha.funds import (
    ColumnNames,
    read_accounts,
    read_transfers,
    transfers_from_frame,
)
from tests.funds.conftest import make_transfers

COLUMNS = ColumnNames("src", "dst", "amount", "time")


def _frame(**columns: list[object]) -> pl.DataFrame:
    return pl.DataFrame(
        {k: [None if v is None else str(v) for v in vs] for k, vs in columns.items()}
    )


def test_bad_rows_are_skipped_and_named() -> None:
    frame = _frame(
        src=["a", "b", "c", "d", ""],
        dst=["b", "c", "d", "a", "a"],
        amount=["10.00", "-1", "12,000元", "5", "1"],
        time=["2024-03-01", "2024-03-01", "2024-03-01", "soon", "2024-03-01"],
    )
    loaded = transfers_from_frame(frame, COLUMNS, source="t.csv")
    assert loaded.transfers.n == 1
    assert loaded.n_errors == 4
    messages = [e.message for e in loaded.errors]
    assert any("t.csv line 3, amount" in m and "not positive" in m for m in messages)
    assert any("line 4, amount" in m and "12000.00" in m for m in messages)
    assert any("line 5, time" in m for m in messages)
    assert any("line 6, src" in m for m in messages)


def test_duplicate_transaction_ids_keep_the_first() -> None:
    frame = _frame(
        id=["t1", "t2", "t1"],
        src=["a", "b", "c"],
        dst=["b", "c", "a"],
        amount=["1", "2", "3"],
        time=["1", "2", "3"],
    )
    columns = ColumnNames("src", "dst", "amount", "time", txn_id="id")
    loaded = transfers_from_frame(frame, columns)
    assert loaded.transfers.n == 2
    assert loaded.transfers.txn_id is not None and loaded.transfers.txn_id.tolist() == ["t1", "t2"]
    assert "'t1' repeats the transaction id of line 2" in loaded.errors[0].message


def test_currency_must_be_cny() -> None:
    frame = _frame(
        cur=["CNY", "rmb", "人民币", "USD"],
        src=["a", "b", "c", "d"],
        dst=["b", "c", "d", "a"],
        amount=["1", "2", "3", "4"],
        time=["1", "2", "3", "4"],
    )
    loaded = transfers_from_frame(
        frame, ColumnNames("src", "dst", "amount", "time", currency="cur")
    )
    assert loaded.transfers.n == 3
    assert "CNY only" in loaded.errors[0].message


def test_missing_column_names_the_columns_there() -> None:
    with pytest.raises(InvalidInput, match="no column 'amount'; the file has src, dst, time"):
        transfers_from_frame(_frame(src=["a"], dst=["b"], time=["1"]), COLUMNS)


def test_all_rows_bad_is_one_clear_error() -> None:
    with pytest.raises(InvalidInput, match="no usable transfer"):
        transfers_from_frame(_frame(src=["a"], dst=["b"], amount=["0"], time=["1"]), COLUMNS)


def test_accounts_are_strings_and_looked_up() -> None:
    transfers = make_transfers([("7", "8", 1.0, 1), ("8", "10", 1.0, 2)], unit="step")
    assert transfers.accounts.tolist() == ["10", "7", "8"]
    assert transfers.lookup(["8", "x", "10"]).tolist() == [2, -1, 0]
    with pytest.raises(NotFound, match="'x'"):
        transfers.code_of("x")


def test_read_transfers_and_accounts_from_csv(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text("s,d,v,t\n1,2,3.50,5\n2,1,1.00,6\n", encoding="utf-8")
    (tmp_path / "a.csv").write_text("id,y\n1,1\n2,0\n3,\n", encoding="utf-8")
    loaded = read_transfers(tmp_path / "t.csv", ColumnNames("s", "d", "v", "t"))
    assert loaded.transfers.amount_fen.tolist() == [350, 100]
    assert loaded.transfers.time_unit == "step"
    ids, labels = read_accounts(tmp_path / "a.csv", id_col="id", label_col="y")
    assert ids == ["1", "2", "3"]
    assert labels is not None and labels[:2].tolist() == [1.0, 0.0] and np.isnan(labels[2])


@pytest.mark.parametrize(
    ("text", "match"),
    [
        pytest.param("id,y\n1,1\n1,0\n", "appears twice", id="duplicate-id"),
        pytest.param("id,y\n1,yes\n", "not a label", id="bad-label"),
        pytest.param("ident,y\n1,1\n", "no column 'id'", id="missing-column"),
    ],
)
def test_bad_accounts_files(tmp_path: Path, text: str, match: str) -> None:
    (tmp_path / "a.csv").write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput, match=match):
        read_accounts(tmp_path / "a.csv", id_col="id", label_col="y")


def test_missing_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        read_transfers(tmp_path / "none.csv", COLUMNS)
