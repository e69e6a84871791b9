"""Amounts to integer fen, times in mixed formats to one unit, and back to text."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import polars as pl
import pytest

from fanzha.errors import InvalidInput
from fanzha.records import format_date_cn, format_time, format_yuan, local_date, parse_time
from fanzha.records._money import normalize_amounts
from fanzha.records._time import normalize_times


@pytest.mark.parametrize(
    ("raw", "fen"),
    [
        pytest.param("12000.00", 1_200_000, id="yuan-with-cents"),
        pytest.param("0.1", 10, id="ten-fen"),
        pytest.param(" 3.14 ", 314, id="spaces"),
        pytest.param("2.675", 268, id="third-decimal-rounds"),
        pytest.param("100", 10_000, id="integer"),
    ],
)
def test_amounts_become_integer_fen(raw: str, fen: int) -> None:
    values, problem = normalize_amounts(pl.Series([raw]))
    assert problem[0] == 0
    assert values[0] == fen


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        pytest.param("12,000元", 1, id="chinese-formatted"),
        pytest.param("abc", 1, id="text"),
        pytest.param(None, 1, id="missing"),
        pytest.param("0", 2, id="zero"),
        pytest.param("-5.00", 2, id="negative"),
        pytest.param("0.001", 2, id="below-one-fen"),
        pytest.param("1e20", 1, id="exponent-not-accepted"),
    ],
)
def test_bad_amounts_are_flagged(raw: str | None, code: int) -> None:
    _values, problem = normalize_amounts(pl.Series([raw], dtype=pl.String))
    assert problem[0] == code


def test_float_sums_do_not_drift() -> None:
    values, _ = normalize_amounts(pl.Series([0.1] * 10))
    assert int(values.sum()) == 100


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [
        pytest.param("2024-03-01T10:00:00+08:00", 1_709_258_400, id="iso-offset"),
        pytest.param("2024-03-01 10:00:00", 1_709_258_400, id="naive-is-beijing"),
        pytest.param("2024-03-01T02:00:00Z", 1_709_258_400, id="utc-z"),
        pytest.param("2024/03/01 10:00", 1_709_258_400, id="slashes-minutes"),
        pytest.param("2024-03-01", 1_709_222_400, id="date-only"),
        pytest.param("1709258400", 1_709_258_400, id="epoch-seconds"),
        pytest.param("1709258400000", 1_709_258_400, id="epoch-millis"),
        pytest.param("20240301100000", 1_709_258_400, id="bank-compact"),
    ],
)
def test_absolute_times_become_utc_seconds(raw: str, seconds: int) -> None:
    values, unit, bad = normalize_times(pl.Series([raw]))
    assert unit == "s"
    assert not bad[0]
    assert values[0] == seconds


def test_mixed_formats_in_one_column_agree() -> None:
    raw = ["2024-03-01T10:00:00+08:00", "1709258400", "20240301100000", "2024-03-01 10:00"]
    values, unit, bad = normalize_times(pl.Series(raw))
    assert unit == "s" and not bad.any()
    assert set(values.tolist()) == {1_709_258_400}


def test_integer_steps_stay_steps() -> None:
    values, unit, bad = normalize_times(pl.Series([1, 34, 149]))
    assert unit == "step" and not bad.any()
    assert values.tolist() == [1, 34, 149]


def test_steps_among_dates_are_the_bad_rows() -> None:
    _values, unit, bad = normalize_times(pl.Series(["2024-03-01", "2024-03-02", "17"]))
    assert unit == "s"
    assert bad.tolist() == [False, False, True]


@pytest.mark.parametrize("raw", ["yesterday", "2024-13-45", "99999999"])
def test_unreadable_times_are_bad(raw: str) -> None:
    _values, _unit, bad = normalize_times(pl.Series(["2024-03-01", raw]))
    assert bad.tolist() == [False, True]


def test_parse_time_checks_the_unit() -> None:
    assert parse_time("60", unit="step") == 60
    with pytest.raises(InvalidInput, match="since"):
        parse_time("2024-03-01", unit="step", field="since")


@pytest.mark.parametrize(
    ("fen", "text"), [(0, "0.00"), (5, "0.05"), (1_234_567, "12,345.67"), (-250, "-2.50")]
)
def test_format_yuan_is_exact(fen: int, text: str) -> None:
    assert format_yuan(fen) == text


def test_format_time_in_beijing_or_steps() -> None:
    assert format_time(1_709_258_400, "s") == "2024-03-01 10:00:00"
    assert format_time(34, "step") == "step 34"


@pytest.mark.parametrize(
    ("moment", "day", "text"),
    [
        pytest.param(
            datetime(2026, 12, 2, 18, 36, tzinfo=UTC),
            date(2026, 12, 3),
            "2026年12月3日",
            id="utc-evening-is-next-beijing-day",
        ),
        pytest.param(
            datetime(2026, 12, 2, 15, 59, tzinfo=UTC),
            date(2026, 12, 2),
            "2026年12月2日",
            id="before-beijing-midnight",
        ),
        pytest.param(
            datetime(2026, 12, 2, 16, 0), date(2026, 12, 3), "2026年12月3日", id="naive-is-utc"
        ),
        pytest.param(
            datetime(2026, 12, 3, 2, 36, tzinfo=timezone(timedelta(hours=8))),
            date(2026, 12, 3),
            "2026年12月3日",
            id="already-beijing",
        ),
        pytest.param(date(2021, 3, 5), date(2021, 3, 5), "2021年3月5日", id="a-date-is-itself"),
    ],
)
def test_days_are_beijing_days(moment: datetime | date, day: date, text: str) -> None:
    assert local_date(moment) == day
    assert format_date_cn(moment) == text
