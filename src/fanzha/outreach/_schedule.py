"""When a campaign runs: once or weekly (weekday and hour, Beijing time), and quiet hours.

A run has a key (``once``, or the ISO week ``2026-W50``); the idempotency key of a message is
campaign × person × run key, so a run that is planned twice, or resumed after a crash,
never produces a second message for anyone. Beijing keeps UTC+8 all year (no summer time),
so a fixed offset is exact and needs no time-zone database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone

from fanzha.errors import InvalidInput

__all__ = [
    "BEIJING",
    "QUIET_END_HOUR",
    "QUIET_START_HOUR",
    "SCHEDULE_KINDS",
    "WEEKDAY_LABELS",
    "Schedule",
    "due_run",
    "in_quiet_hours",
    "quiet_hours_end",
    "validate_schedule",
]

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")
QUIET_START_HOUR = 21
QUIET_END_HOUR = 8
SCHEDULE_KINDS = ("once", "weekly")
WEEKDAY_LABELS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


@dataclass(frozen=True, slots=True)
class Schedule:
    """``once`` at ``start`` (or as soon as approved when None), or ``weekly`` on
    ``weekday`` (0 = Monday) at ``hour`` o'clock Beijing time, from ``start`` on."""

    kind: str = "once"
    start: datetime | None = None
    weekday: int = 0
    hour: int = 10

    def describe(self) -> str:
        """The schedule in Chinese."""
        if self.kind == "weekly":
            return f"每{WEEKDAY_LABELS[self.weekday]} {self.hour:02d}:00"
        if self.start is None:
            return "审批后立即发送"
        return f"一次：{self.start.astimezone(BEIJING):%Y-%m-%d %H:%M}"


def validate_schedule(schedule: Schedule) -> Schedule:
    """``schedule`` if well-formed; raises InvalidInput naming the field."""
    if schedule.kind not in SCHEDULE_KINDS:
        raise InvalidInput("kind must be once or weekly", field="kind", value=schedule.kind)
    if not 0 <= schedule.weekday <= 6:
        raise InvalidInput("weekday is 0 (Monday) to 6", field="weekday", value=schedule.weekday)
    if not 0 <= schedule.hour <= 23:
        raise InvalidInput("hour is 0 to 23", field="hour", value=schedule.hour)
    if schedule.start is not None and schedule.start.tzinfo is None:
        raise InvalidInput("start needs a time zone", field="start", value=str(schedule.start))
    return schedule


def due_run(schedule: Schedule, now: datetime) -> tuple[str, datetime] | None:
    """The run that is due at ``now`` (its key and its time), or None if none is yet.

    A weekly campaign's run of this ISO week is due from its weekday and hour on; the run
    key is the same all week, so a run already done is simply found done again.
    """
    if schedule.start is not None and now < schedule.start:
        return None
    if schedule.kind == "once":
        return "once", schedule.start or now
    local = now.astimezone(BEIJING)
    monday = local.date() - timedelta(days=local.weekday())
    at = datetime.combine(
        monday + timedelta(days=schedule.weekday), time(schedule.hour), tzinfo=BEIJING
    )
    if local < at:
        return None
    year, week, _ = at.isocalendar()
    return f"{year}-W{week:02d}", at


def in_quiet_hours(
    now: datetime, *, start_hour: int = QUIET_START_HOUR, end_hour: int = QUIET_END_HOUR
) -> bool:
    """Whether ``now`` is in the quiet hours (default 21:00–08:00 Beijing time)."""
    hour = now.astimezone(BEIJING).hour
    return hour >= start_hour or hour < end_hour


def quiet_hours_end(now: datetime, *, end_hour: int = QUIET_END_HOUR) -> datetime:
    """When the quiet hours that hold at ``now`` end (the next ``end_hour`` o'clock)."""
    local = now.astimezone(BEIJING)
    end = datetime.combine(local.date(), time(end_hour), tzinfo=BEIJING)
    return end if local < end else end + timedelta(days=1)
