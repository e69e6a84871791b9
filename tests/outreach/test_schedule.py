"""Schedules (once, weekly) and quiet hours, in Beijing time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fanzha.outreach._schedule import (
    BEIJING,
    Schedule,
    due_run,
    in_quiet_hours,
    quiet_hours_end,
)

# 2026-12-07 is a Monday


def bj(day: int, hour: int, minute: int = 0) -> datetime:
    """A December 2026 Beijing wall-clock time as UTC."""
    return datetime(2026, 12, day, hour, minute, tzinfo=BEIJING).astimezone(UTC)


def test_once_is_due_after_its_start_with_one_key() -> None:
    schedule = Schedule("once", bj(8, 10))
    assert due_run(schedule, bj(8, 9)) is None
    assert due_run(schedule, bj(8, 10)) == ("once", bj(8, 10))
    assert due_run(schedule, bj(20, 10))[0] == "once"  # type: ignore[index]


def test_weekly_is_due_from_weekday_and_hour_keyed_by_iso_week() -> None:
    schedule = Schedule("weekly", None, weekday=2, hour=10)  # Wednesdays 10:00
    assert due_run(schedule, bj(9, 9, 59)) is None
    assert due_run(schedule, bj(9, 10)) == ("2026-W50", bj(9, 10))
    assert due_run(schedule, bj(13, 23))[0] == "2026-W50"  # type: ignore[index]
    assert due_run(schedule, bj(14, 9)) is None  # next Monday: this week's not due yet
    assert due_run(schedule, bj(16, 11))[0] == "2026-W51"  # type: ignore[index]


@pytest.mark.parametrize(
    ("hour", "minute", "quiet"),
    [(20, 59, False), (21, 0, True), (23, 30, True), (0, 0, True), (7, 59, True), (8, 0, False)],
)
def test_quiet_hours_are_21_to_8_beijing(hour: int, minute: int, quiet: bool) -> None:
    assert in_quiet_hours(bj(8, hour, minute)) is quiet


def test_quiet_hours_end_at_eight_next_morning() -> None:
    assert quiet_hours_end(bj(8, 22)) == bj(9, 8)
    assert quiet_hours_end(bj(9, 3)) == bj(9, 8)
    # 21:00 Beijing is 13:00 UTC: a UTC-only check would miss it
    assert in_quiet_hours(datetime(2026, 12, 8, 13, 0, tzinfo=UTC))
