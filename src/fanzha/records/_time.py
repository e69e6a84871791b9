"""Times: one parser for every input, UTC inside.

Accepted: ISO 8601 with or without an offset (``2024-05-01T10:00:00+08:00``,
``2024-05-01 10:00``), ``2024/05/01 10:00:00``, ``20240501100000`` (bank statements), epoch
seconds or milliseconds, Parquet datetimes, and integers below 10**7 read as simulation
steps (AMLSim writes one step per simulated day). Steps and dates cannot be ordered
together: the values of the minority kind are bad.

:func:`normalize_times` gives int64 epoch seconds (UTC) or steps, reading a time without
an offset as Beijing time (UTC+8); :func:`parse_times` gives UTC datetimes and reads a
time without an offset as wall-clock time in ``tz`` (Asia/Shanghai unless told) with that
zone's rules, a wall-clock time in a daylight-saving gap being bad. :func:`parse_time` is
the one-value form. Seconds are the precision.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl

from fanzha.errors import InvalidInput
from fanzha.records._text import as_text

__all__ = [
    "DEFAULT_TZ",
    "check_timezone",
    "format_date_cn",
    "format_time",
    "local_date",
    "normalize_times",
    "parse_time",
    "parse_times",
]

DEFAULT_TZ = "Asia/Shanghai"
IntArray = npt.NDArray[np.int64]
_STEP_MAX = 10**7
_SECONDS_MIN = 10**8
_MS_MIN = 10**11
_MS_MAX = 4_200_000_000_000
_COMPACT_MIN = 19_000_101_000_000
_COMPACT_MAX = 21_001_231_235_959
_BEIJING = 8 * 3600
_OFFSET: Final = r"(Z|[+-]\d{2}:?\d{2})$"
_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y%m%d%H%M%S",
)


def format_time(value: int, unit: str) -> str:
    """A time as text: ``step 34``, or ``2024-03-01 10:00:00`` in Beijing time for seconds."""
    if unit == "step":
        return f"step {int(value)}"
    moment = np.datetime64(int(value) + _BEIJING, "s")
    return str(moment).replace("T", " ")


def local_date(moment: datetime | date, tz: str = DEFAULT_TZ) -> date:
    """The calendar day of ``moment`` in Beijing time (or ``tz``): 2026-12-02 18:36 UTC is
    2026-12-03. A time without an offset is UTC, as the store keeps it; a date is itself."""
    if not isinstance(moment, datetime):
        return moment
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(zoneinfo.ZoneInfo(tz)).date()


def format_date_cn(moment: datetime | date) -> str:
    """A day as written in Chinese documents, ``2026年12月3日``, taken in Beijing time."""
    day = local_date(moment)
    return f"{day.year}年{day.month}月{day.day}日"


def _numeric_times(values: npt.NDArray[np.float64]) -> tuple[IntArray, npt.NDArray[np.int8]]:
    """Seconds (or steps) and a kind per value: 0 bad, 1 step, 2 absolute."""
    kind = np.zeros(values.shape[0], dtype=np.int8)
    out = np.zeros(values.shape[0], dtype=np.int64)
    finite = np.isfinite(values)
    v = np.where(finite, values, -1.0)
    step = finite & (v >= 0) & (v < _STEP_MAX) & (v == np.floor(v))
    seconds = finite & (v >= _SECONDS_MIN) & (v < _MS_MIN)
    millis = finite & (v >= _MS_MIN) & (v < _MS_MAX)
    compact = finite & (v >= _COMPACT_MIN) & (v <= _COMPACT_MAX) & (v == np.floor(v))
    out[step] = v[step].astype(np.int64)
    out[seconds] = np.floor(v[seconds]).astype(np.int64)
    out[millis] = np.floor(v[millis] / 1000.0).astype(np.int64)
    kind[step] = 1
    kind[seconds | millis] = 2
    if compact.any():
        text = pl.Series(v[compact].astype(np.int64)).cast(pl.String)
        parsed = text.str.strptime(pl.Datetime("us"), "%Y%m%d%H%M%S", strict=False)
        ok = parsed.is_not_null().to_numpy()
        seconds_utc = (parsed.dt.epoch("s").fill_null(0).to_numpy() - _BEIJING).astype(np.int64)
        index = np.flatnonzero(compact)
        out[index[ok]] = seconds_utc[ok]
        kind[index[ok]] = 2
    return out, kind


def _string_times(values: pl.Series) -> tuple[IntArray, npt.NDArray[np.int8]]:
    text = values.cast(pl.String).str.strip_chars()
    numeric = text.str.contains(r"^\d+(\.\d+)?$").fill_null(False).to_numpy()
    out = np.zeros(text.len(), dtype=np.int64)
    kind = np.zeros(text.len(), dtype=np.int8)
    if numeric.any():
        number = text.filter(pl.Series(numeric)).cast(pl.Float64, strict=False).to_numpy()
        out[numeric], kind[numeric] = _numeric_times(number.astype(np.float64))
    rest = ~numeric & text.is_not_null().to_numpy()
    if rest.any():
        dates = text.filter(pl.Series(rest))
        offset = dates.str.extract(_OFFSET, 1)
        sign = offset.str.slice(0, 1)
        digits = offset.str.replace_all(r"[^0-9]", "")
        offset_s = (
            digits.str.slice(0, 2).cast(pl.Int64, strict=False).fill_null(0) * 3600
            + digits.str.slice(2, 2).cast(pl.Int64, strict=False).fill_null(0) * 60
        )
        offset_seconds = (
            pl.select(
                pl.when(offset.is_null())
                .then(_BEIJING)
                .when(sign == "-")
                .then(-offset_s)
                .otherwise(offset_s)
            )
            .to_series()
            .to_numpy()
        )
        naive = (
            dates.str.replace(_OFFSET, "")
            .str.replace_all("/", "-")
            .str.replace("T", " ")
            .str.strip_chars()
        )
        frame = pl.DataFrame({"t": naive})
        parsed = frame.select(
            pl.coalesce(
                [
                    pl.col("t").str.strptime(pl.Datetime("us"), f, strict=False)
                    for f in _DATE_FORMATS
                ]
            )
        ).to_series()
        ok = parsed.is_not_null().to_numpy()
        seconds = parsed.dt.epoch("s").fill_null(0).to_numpy().astype(np.int64) - offset_seconds
        index = np.flatnonzero(rest)
        out[index[ok]] = seconds[ok]
        kind[index[ok]] = 2
    return out, kind


def normalize_times(values: pl.Series) -> tuple[IntArray, str, npt.NDArray[np.bool_]]:
    """Times in any supported format → (int64 times, unit, bad-row mask).

    The unit is ``"step"`` when most parsable values are simulation steps, else ``"s"``;
    values of the other kind are marked bad (steps and dates cannot be ordered together).
    """
    if values.dtype.is_numeric():
        out, kind = _numeric_times(values.cast(pl.Float64).fill_null(np.nan).to_numpy())
    else:
        out, kind = _string_times(values)
    n_step = int((kind == 1).sum())
    n_abs = int((kind == 2).sum())
    unit = "step" if n_step > n_abs else "s"
    bad = kind != (1 if unit == "step" else 2)
    return out, unit, bad


def parse_time(value: str, *, unit: str, field: str = "time") -> int:
    """One time (a ``--since`` flag, say) in the given unit; raises :class:`InvalidInput`."""
    out, got_unit, bad = normalize_times(pl.Series([str(value)]))
    if bad[0] or got_unit != unit:
        expected = "a step number" if unit == "step" else "a date/time or epoch seconds"
        raise InvalidInput(
            f"{value!r} is not {expected} like the transfers' times", field=field, value=value
        )
    return int(out[0])


def check_timezone(tz: str) -> str:
    """``tz`` if it is an IANA zone name; raises :class:`InvalidInput` otherwise."""
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(
            f"{tz!r} is not a time zone; use an IANA name such as Asia/Shanghai",
            field="tz",
            value=tz,
        ) from exc
    return tz


def _localise(naive: pl.Series, tz: str) -> pl.Series:
    """Naive wall-clock times in ``tz`` → UTC; null for times in a daylight-saving gap."""
    return naive.dt.replace_time_zone(
        tz, ambiguous="earliest", non_existent="null"
    ).dt.convert_time_zone("UTC")


def parse_times(
    values: pl.Series, *, tz: str = DEFAULT_TZ, field: str = "time", source: str | None = None
) -> pl.Series:
    """Times in any supported format → UTC datetimes (μs); null where unreadable.

    Raises:
        InvalidInput: the column holds simulation steps (small integers), not times.
    """
    check_timezone(tz)
    if isinstance(values.dtype, pl.Datetime):
        if values.dtype.time_zone is None:
            return _localise(values.cast(pl.Datetime("us")), tz).alias(values.name)
        return values.dt.convert_time_zone("UTC").cast(pl.Datetime("us", "UTC"))
    if values.dtype == pl.Date:
        return _localise(values.cast(pl.Datetime("us")), tz).alias(values.name)
    text = as_text(values)
    seconds, unit, bad = normalize_times(text)
    if unit == "step" and not bad.all():
        raise InvalidInput(
            "holds small integers (simulation steps?), not times; give dates such as "
            "2024-05-01 10:00:00 or epoch seconds",
            field=field,
            source=source,
        )
    # normalize_times reads a time without an offset as UTC+8; take the wall clock back and
    # place it in ``tz`` with that zone's rules.
    compact = text.str.contains(r"^\d{14}$")
    number = text.str.contains(r"^\d+(\.\d+)?$")
    naive = (compact | ~(number | text.str.contains(_OFFSET))).fill_null(False)
    utc = pl.from_epoch(pl.Series(seconds), time_unit="s").cast(pl.Datetime("us"))
    wall = pl.from_epoch(pl.Series(seconds + _BEIJING), time_unit="s").cast(pl.Datetime("us"))
    parts = pl.DataFrame(
        {
            "ok": pl.Series(~bad) & text.is_not_null(),
            "naive": naive,
            "local": _localise(wall, tz),
            "utc": utc.dt.replace_time_zone("UTC"),
        }
    )
    ok = pl.col("ok")
    chosen = pl.when(ok & pl.col("naive")).then("local").when(ok).then("utc")
    return parts.select(chosen).to_series().alias(values.name)
