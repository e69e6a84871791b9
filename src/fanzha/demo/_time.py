"""Times of the demo city as int64 microseconds since the epoch (UTC), and their shapes."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt
import polars as pl

__all__ = []

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

SECOND = 1_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
_LOCAL = 8 * HOUR  # China Standard Time, UTC+8
# Relative activity per local hour (0-23): quiet nights, busy days, a lunch dip.
_HOURLY = np.array(
    [0.3, 0.15, 0.1, 0.08, 0.08, 0.15, 0.5, 1.2, 2.2, 3.0, 3.2, 3.0,
     2.4, 2.6, 3.0, 3.1, 3.0, 2.8, 2.6, 2.6, 2.4, 2.0, 1.4, 0.7],
)  # fmt: skip


def to_us(moment: datetime) -> int:
    """Microseconds since the epoch of an aware datetime."""
    delta = moment.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * SECOND + delta.microseconds


def to_datetimes(values: npt.NDArray[np.int64], name: str) -> pl.Series:
    """A ``Datetime("us", "UTC")`` series from microseconds since the epoch (-1: null)."""
    series = pl.Series(name, values, dtype=pl.Int64)
    series = pl.select(pl.when(series >= 0).then(series)).to_series().alias(name)
    return series.cast(pl.Datetime("us")).dt.replace_time_zone("UTC")


def diurnal_times(rng: np.random.Generator, n: int, start: int, end: int) -> IntArray:
    """``n`` moments in ``[start, end)`` with the local daily rhythm of people's activity."""
    out = np.empty(n, dtype=np.int64)
    todo = np.arange(n)
    p = _HOURLY / _HOURLY.sum()
    while todo.size:
        moment = rng.integers(start, end, size=todo.size, dtype=np.int64)
        local_day = (moment + _LOCAL) // DAY
        hour = rng.choice(24, size=todo.size, p=p)
        within = rng.integers(0, HOUR, size=todo.size, dtype=np.int64)
        moment = local_day * DAY + hour * HOUR + within - _LOCAL
        ok = (moment >= start) & (moment < end)
        out[todo[ok]] = moment[ok]
        todo = todo[~ok]
    return out


def lognormal_delays(
    rng: np.random.Generator, n: int, median: int, sigma: float, low: int, high: int
) -> IntArray:
    """``n`` positive delays (microseconds), log-normal around ``median``, within [low, high]."""
    raw = median * np.exp(rng.normal(0.0, sigma, size=n))
    delays: IntArray = np.clip(raw, low, high).astype(np.int64)
    return delays
