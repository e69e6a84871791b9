"""fanzha.stats periods: parsing, 环比 and 同比 periods, Beijing-day bounds."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from fanzha.errors import InvalidInput
from fanzha.stats import Period, parse_period


def test_parse_and_compare() -> None:
    period = parse_period("2022-01-01..2022-05-24")
    assert (period.start, period.end, period.days) == (date(2022, 1, 1), date(2022, 5, 24), 144)
    assert str(period.previous()) == "2021-08-10..2021-12-31"
    assert str(period.year_ago()) == "2021-01-01..2021-05-24"
    assert parse_period("2022-03-01").days == 1


def test_leap_day_a_year_earlier_is_28_february() -> None:
    assert str(Period(date(2024, 2, 29), date(2024, 3, 1)).year_ago()) == "2023-02-28..2023-03-01"


def test_bounds_are_beijing_midnights() -> None:
    since, until = parse_period("2022-05-16..2022-05-22").utc_bounds()
    assert since == datetime(2022, 5, 15, 16, tzinfo=UTC)
    assert until == datetime(2022, 5, 22, 16, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("2022-05-24..2022-01-01", id="reversed"),
        pytest.param("last week", id="not-dates"),
        pytest.param("2022-13-01..2022-12-31", id="bad-month"),
        pytest.param("2000-01-01..2022-01-01", id="too-long"),
    ],
)
def test_bad_periods_are_refused_with_the_field(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_period(text)
    assert caught.value.field == "period"
