"""Call records against an in-memory store: phones, calls, self-loops, repeats, bad rows."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from fanzha.errors import InvalidInput
from fanzha.ingest import parse_mapping
from tests.ingest.conftest import CALLS_MAP, EXAMPLES, run

HEADER = "主叫号码,被叫号码,通话时间,通话时长,通话类型\n"


def test_the_example_file_with_a_mapping() -> None:
    frame = pl.read_csv(EXAMPLES / "calls.csv", infer_schema=False)
    result = run("calls", frame, mapping=parse_mapping([CALLS_MAP]))
    phones = result.inserts["phones"]
    calls = result.inserts["calls"]
    assert dict(zip(phones["number"], phones["kind"], strict=True)) == {
        "17900000002": "mobile",
        "15400000001": "mobile",
        "19400000003": "mobile",
        "+639171234567": "overseas",
        "95588": "service",
    }
    assert calls["id"].to_list() == [1, 2, 3, 4, 5]
    assert calls["started_at"].is_sorted()  # the file is out of order
    assert calls["kind"].to_list() == ["call", "call", "sms", "call", "call"]
    assert calls["duration_s"].to_list() == [45, 125, 0, 38, 61]
    assert (result.report.records, result.report.self_loops) == (5, 1)


def test_frames_have_the_store_shapes_and_ids_continue() -> None:
    text = HEADER + "13800138000,13900139000,2024-05-01 10:00:00,60,通话\n"
    result = run("calls", text, ids={"phones": 41, "calls": 9001})
    assert result.inserts["phones"].columns == ["id", "number", "kind"]
    assert result.inserts["phones"]["id"].to_list() == [41, 42]
    calls = result.inserts["calls"]
    assert calls.columns == ["id", "caller_id", "callee_id", "started_at", "duration_s", "kind"]
    assert calls.row(0) == (9001, 41, 42, datetime(2024, 5, 1, 2, tzinfo=UTC), 60, "call")


def test_stored_numbers_are_reused_and_stored_calls_skipped() -> None:
    text = (
        HEADER
        + "13800138000,13900139000,2024-05-01 10:00:00,60,通话\n"
        + "13800138000,13900139000,2024-05-01 11:00:00,60,通话\n"
    )
    stored = {
        "phones": pl.DataFrame({"number": ["13800138000", "13900139000"], "id": [7, 8]}),
        "calls": pl.DataFrame(
            {
                "caller_id": [7],
                "callee_id": [8],
                "started_at": [datetime(2024, 5, 1, 2, tzinfo=UTC)],
                "duration_s": [60],
                "kind": ["call"],
            }
        ),
    }
    result = run("calls", text, stored=stored)
    assert "phones" not in result.inserts
    assert result.inserts["calls"]["started_at"].to_list() == [datetime(2024, 5, 1, 3, tzinfo=UTC)]
    assert result.report.skipped_existing == 1


def test_exact_repeats_are_stored_once_and_counted() -> None:
    row = "13800138000,13900139000,2024-05-01 10:00:00,60,通话\n"
    other_time = "13800138000,13900139000,2024-05-01 10:05:00,60,通话\n"
    result = run("calls", HEADER + row + row.replace("138", "+86 138", 1) + other_time)
    assert (result.inserts["calls"].height, result.report.duplicates) == (2, 1)


def test_blank_lines_and_optional_columns() -> None:
    text = "caller,callee,started_at\n13800138000,13900139000,1714528800\n,,\n"
    result = run("calls", text)
    assert result.inserts["calls"].row(0)[-2:] == (0, "call")
    assert result.report.blank_rows == 1


@pytest.mark.parametrize(
    ("row", "line_field", "fragment"),
    [
        ("1380013800a,13900139000,2024-05-01 10:00:00,60,通话", "主叫号码", "not a phone number"),
        (",13900139000,2024-05-01 10:00:00,60,通话", "主叫号码", "is empty"),
        ("13800138000,13900139000,2024-05-32 10:00:00,60,通话", "通话时间", "not a time"),
        ("13800138000,13900139000,2024-05-01 10:00:00,-3,通话", "通话时长", "not a duration"),
        ("13800138000,13900139000,2024-05-01 10:00:00,60,彩信", "通话类型", "not call or sms"),
    ],
)
def test_a_bad_row_stops_the_import_naming_file_line_and_column(
    row: str, line_field: str, fragment: str
) -> None:
    good = "13800138000,13900139000,2024-05-01 10:00:00,60,通话\n"
    with pytest.raises(InvalidInput) as caught:
        run("calls", HEADER + good + row + "\n")
    error = caught.value
    assert (error.source, error.line, error.field) == ("calls.csv", 3, line_field)
    assert fragment in error.message and "Nothing was written" in error.message


def test_skip_bad_returns_rejects_with_line_and_reason() -> None:
    text = (
        HEADER
        + "13800138000,13900139000,2024-05-01 10:00:00,60,通话\n"
        + "1380013800a,13900139000,nonsense,60,通话\n"
    )
    result = run("calls", text, skip_bad=True)
    assert result.inserts["calls"].height == 1 and result.report.rejected == 1
    reject = result.rejects.row(0, named=True)
    assert reject["line"] == 3 and reject["主叫号码"] == "1380013800a"
    assert "主叫号码: '1380013800a' is not a phone number" in reject["reason"]
    assert "通话时间: 'nonsense' is not a time" in reject["reason"]
