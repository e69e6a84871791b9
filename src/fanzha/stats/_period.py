"""Statistics periods: whole days in Beijing time, and the periods they are compared with.

A period ``2022-01-01..2022-05-24`` holds both days (Beijing time, UTC+8, where the center
works). 环比 compares with the period of the same length just before; 同比 with the same
dates a year earlier (29 February becomes 28 February).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

from fanzha.errors import InvalidInput

__all__ = ["BEIJING", "Period", "parse_period", "week_start"]

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")
_MAX_DAYS = 3660


def _year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week (weeks run Monday to Sunday)."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True, slots=True)
class Period:
    """The days ``start`` … ``end`` (both included), Beijing time."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidInput(
                f"period {self} ends before it starts; write START..END with START <= END",
                field="period",
                value=str(self),
            )
        if self.days > _MAX_DAYS:
            raise InvalidInput(
                f"period {self} is {self.days} days; at most {_MAX_DAYS}",
                field="period",
                value=str(self),
            )

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def days(self) -> int:
        """How many days the period holds."""
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """环比: the period of the same length that ends the day before this one starts."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def year_ago(self) -> Period:
        """同比: the same dates one year earlier."""
        return Period(_year_earlier(self.start), _year_earlier(self.end))

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """The UTC instants [from, until) the period covers."""
        since = datetime.combine(self.start, time(), BEIJING).astimezone(UTC)
        until = datetime.combine(self.end + timedelta(days=1), time(), BEIJING).astimezone(UTC)
        return since, until


def parse_period(text: str) -> Period:
    """``YYYY-MM-DD..YYYY-MM-DD`` (or one day) as a :class:`Period`; raises InvalidInput."""
    first, sep, last = text.strip().partition("..")
    try:
        start = date.fromisoformat(first.strip())
        end = date.fromisoformat(last.strip()) if sep else start
    except ValueError:
        raise InvalidInput(
            f"period {text!r} is not START..END; write e.g. 2022-01-01..2022-05-24",
            field="period",
            value=text,
        ) from None
    return Period(start, end)
