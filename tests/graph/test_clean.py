"""Bad input in the columns the graph reads: normalised as documented, or refused by row."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import polars as pl
import pytest

from fanzha.errors import InvalidInput
from fanzha.graph._clean import NO_TIME, epoch_seconds, references, whole_numbers

NOON = int(datetime(2026, 1, 31, 12, tzinfo=UTC).timestamp())


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("2026-01-31 12:00:00", id="space"),
        pytest.param("2026-01-31T12:00:00Z", id="iso-z"),
        pytest.param("2026/1/31 12:00", id="slashes"),
        pytest.param("2026-01-31 20:00:00+08:00", id="offset"),
        pytest.param("20260131120000", id="compact"),
        pytest.param(str(NOON), id="epoch-s"),
        pytest.param(str(NOON * 1000), id="epoch-ms"),
    ],
)
def test_text_times_in_mixed_forms(value: str) -> None:
    frame = pl.DataFrame({"t": [value, "2026-01-31 12:00:00"]})
    assert epoch_seconds(frame, "calls", "t").tolist() == [NOON, NOON]


@pytest.mark.parametrize(
    "values",
    [
        pytest.param([datetime(2026, 1, 31, 20, tzinfo=timezone(timedelta(hours=8)))], id="aware"),
        pytest.param([datetime(2026, 1, 31, 12)], id="naive-is-utc"),
        pytest.param([NOON], id="int-epoch"),
    ],
)
def test_typed_times(values: list[object]) -> None:
    assert epoch_seconds(pl.DataFrame({"t": values}), "calls", "t").tolist() == [NOON]


def test_dates_are_midnight_and_missing_is_no_time() -> None:
    frame = pl.DataFrame({"t": [date(2026, 1, 31), None]})
    assert epoch_seconds(frame, "x", "t").tolist() == [NOON - 12 * 3600, NO_TIME]


def test_bad_time_names_table_column_and_row() -> None:
    frame = pl.DataFrame({"t": ["2026-01-31", "yesterday", "soon"]})
    with pytest.raises(InvalidInput, match=r"line 2, calls\.t: 'yesterday' is not a time \(2 rows"):
        epoch_seconds(frame, "calls", "t")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param(["12,000", " 5 ", "1_000"], [12000, 5, 1000], id="text"),
        pytest.param([12000.0, 3.0, 0.0], [12000, 3, 0], id="whole-floats"),
    ],
)
def test_numbers_are_normalised(values: list[object], expected: list[int]) -> None:
    assert whole_numbers(pl.DataFrame({"a": values}), "transfers", "a").tolist() == expected


@pytest.mark.parametrize(
    ("values", "message"),
    [
        pytest.param(
            ["1", "1.5"], "line 2, transfers.a: '1.5' is not a whole number", id="fraction"
        ),
        pytest.param(["-3"], "is negative", id="negative"),
        pytest.param(["12元"], "is not a number", id="unit"),
        pytest.param(["1", None], "empty; the column is required", id="missing"),
    ],
)
def test_bad_numbers_are_refused(values: list[object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        whole_numbers(pl.DataFrame({"a": values}), "transfers", "a")


def test_missing_number_takes_the_default() -> None:
    frame = pl.DataFrame({"a": [None, 7]}, schema={"a": pl.Int64})
    assert whole_numbers(frame, "calls", "a", default=0).tolist() == [0, 7]


def test_references() -> None:
    assert references(pl.DataFrame({"r": ["12", None, " 3"]}), "phones", "r").tolist() == [
        12,
        -1,
        3,
    ]
    with pytest.raises(InvalidInput, match="not a whole-number id"):
        references(pl.DataFrame({"r": ["x1"]}), "phones", "r")
