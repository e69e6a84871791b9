"""The one transfer validator, under the store's rules and under the simulations' rules."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from fanzha.errors import InvalidInput
from fanzha.records import (
    SIMULATION_RULES,
    TRANSFER_SCHEMA,
    TransferRules,
    check_transfer_frame,
    check_transfers,
)

CARD_A, CARD_B = "6217000000000000012", "6217000000000000020"


def _rows(**columns: list[str | None]) -> pl.DataFrame:
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))


def test_a_good_row_is_normalised() -> None:
    checked = check_transfers(
        _rows(
            txn_id=["T1"],
            src=["6217 0000 0000 0000 012"],
            dst=[CARD_B],
            amount=["12.50"],
            time=["2024-05-01 10:00:00"],
            currency=["¥"],
            channel=["ATM"],
        )
    )
    assert checked.problems.is_empty()
    row = checked.good().row(0, named=True)
    assert row["src"] == CARD_A and row["amount_fen"] == 1250
    assert row["at"] == datetime(2024, 5, 1, 2, tzinfo=UTC)
    assert (row["currency"], row["channel"]) == ("CNY", "cash")


def test_each_bad_cell_is_one_problem_naming_field_and_line() -> None:
    checked = check_transfers(
        _rows(
            txn_id=["T1", "T1", None, "T3"],
            src=[CARD_A, "1234", CARD_A, CARD_A],
            dst=[CARD_B, CARD_B, CARD_B, CARD_B],
            amount=["1", "1.234", "0", "5"],
            time=["2024-05-01", "2024-05-01", "soon", "2024-05-01"],
            currency=[None, "USD", None, None],
            channel=[None, None, "wire", "pos"],
        ),
        first_line=2,
    )
    found = {(r["row"], r["field"]) for r in checked.problems.iter_rows(named=True)}
    assert found == {
        (1, "txn_id"),
        (1, "src"),
        (1, "amount"),
        (1, "currency"),
        (2, "txn_id"),
        (2, "amount"),
        (2, "time"),
        (2, "channel"),
    }
    repeat = checked.problems.filter(pl.col("row") == 1, pl.col("field") == "txn_id")
    assert "line 2" in repeat.get_column("reason").item()
    assert checked.good().get_column("row").to_list() == [0, 3]


def test_simulation_rules_round_and_take_steps_and_any_account() -> None:
    checked = check_transfers(
        _rows(src=["7", "8"], dst=["8", "9"], amount=["1.005", "2"], time=["3", "4"]),
        SIMULATION_RULES,
    )
    assert checked.problems.is_empty() and checked.time_unit == "step"
    assert checked.rows.get_column("amount_fen").to_list() == [100, 200]
    assert checked.rows.get_column("time").to_list() == [3, 4]


def test_steps_are_refused_under_the_store_rules() -> None:
    with pytest.raises(InvalidInput, match="simulation steps"):
        check_transfers(
            _rows(txn_id=["T1"], src=[CARD_A], dst=[CARD_B], amount=["1"], time=["3"]),
            TransferRules(),
        )


def _clean() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "txn_id": ["T1"],
            "src": [CARD_A],
            "dst": [CARD_B],
            "amount_fen": [100],
            "currency": ["CNY"],
            "at": [datetime(2024, 5, 1, tzinfo=UTC)],
            "channel": ["transfer"],
            "case_no": [None],
        },
        schema=TRANSFER_SCHEMA,
    )


def test_clean_rows_pass_the_frame_check() -> None:
    check_transfer_frame(_clean())


@pytest.mark.parametrize(
    ("column", "value"),
    [("amount_fen", 0), ("channel", "mobile"), ("currency", "USD"), ("src", None)],
)
def test_the_frame_check_names_the_bad_column(column: str, value: object) -> None:
    frame = _clean().with_columns(pl.lit(value, dtype=TRANSFER_SCHEMA[column]).alias(column))
    with pytest.raises(InvalidInput) as caught:
        check_transfer_frame(frame)
    assert caught.value.field == column
