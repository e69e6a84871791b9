"""Reading the columns the graph is built from, with documented normalisation of bad input.

- Times become int64 epoch seconds (UTC). Accepted: aware datetimes (any zone), naive
  datetimes (taken as UTC), dates (midnight UTC), whole numbers (epoch seconds; values above
  1e11 are read as milliseconds, above 1e14 as microseconds, above 1e17 as nanoseconds) and
  text in the forms ``2024-01-31 08:00:00[.ffffff][±hh:mm|Z]``, with ``T`` or ``/`` too,
  ``2024-01-31 08:00``, ``2024-01-31`` and ``20240131080000``, mixed freely in one column.
  A missing time is :data:`NO_TIME`; anything else is refused naming the row.
- Amounts and durations become int64: numbers must be whole; text may carry spaces,
  thousands commas and underscores (``"12,000"`` → 12000); negative values are refused.
- References (``owner_id`` …) become int64 with -1 for empty; text must be digits.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from fanzha.errors import InvalidInput

__all__ = ["NO_TIME", "epoch_seconds", "references", "whole_numbers"]

IntArray = npt.NDArray[np.int64]
NO_TIME = int(np.iinfo(np.int64).min)

_TEXT_FORMATS = (
    ("%Y-%m-%d %H:%M:%S%.f%z", True),
    ("%Y-%m-%d %H:%M:%S%.f", False),
    ("%Y-%m-%d %H:%M:%S", False),
    ("%Y-%m-%d %H:%M", False),
    ("%Y-%m-%d", False),
    ("%Y%m%d%H%M%S", False),
)
_EPOCH_UNITS = ((1e17, 1_000_000_000), (1e14, 1_000_000), (1e11, 1_000))


def _refuse(table: str, column: str, values: pl.Series, bad: pl.Series, what: str) -> None:
    rows = np.flatnonzero(bad.fill_null(False).to_numpy())
    if rows.size:
        row = int(rows[0])
        more = f" ({rows.size} rows in all)" if rows.size > 1 else ""
        raise InvalidInput(
            f"{what.format(value=repr(values[row]))}{more}",
            field=f"{table}.{column}",
            line=row + 1,
            value=values[row],
        )


def _wrong_type(table: str, column: str, dtype: pl.DataType, what: str) -> InvalidInput:
    return InvalidInput(
        f"expected {what}, got a {dtype} column", field=f"{table}.{column}", value=str(dtype)
    )


def _parse_text_times(text: pl.Series) -> pl.Series:
    cleaned = (
        text.str.strip_chars()
        .str.replace(r"^(\d{4})/(\d{1,2})/(\d{1,2})", "$1-$2-$3")
        .str.replace(r"^(\d{4}-\d{1,2}-\d{1,2})T", "$1 ")
        .str.replace(r"Z$", "+00:00")
    )
    parsed = []
    for fmt, aware in _TEXT_FORMATS:
        if aware:
            times = cleaned.str.to_datetime(fmt, strict=False, time_unit="us", time_zone="UTC")
            parsed.append(times.dt.replace_time_zone(None))
        else:
            parsed.append(cleaned.str.to_datetime(fmt, strict=False, time_unit="us"))
    return pl.select(pl.coalesce(parsed)).to_series()


def _integer_epochs(values: pl.Series) -> pl.Series:
    raw = values.cast(pl.Float64)
    size = raw.abs()
    seconds = raw
    for limit, per_second in _EPOCH_UNITS:
        seconds = pl.select(
            pl.when(size >= limit).then(raw / per_second).otherwise(seconds)
        ).to_series()
    return seconds.floor().cast(pl.Int64)


def epoch_seconds(frame: pl.DataFrame, table: str, column: str) -> IntArray:
    """Column ``column`` of ``frame`` as epoch seconds (``NO_TIME`` where empty)."""
    values = frame.get_column(column)
    dtype = values.dtype
    if isinstance(dtype, pl.Datetime):
        utc = values.dt.convert_time_zone("UTC") if dtype.time_zone else values
        seconds = utc.dt.epoch("s")
    elif dtype == pl.Date:
        seconds = values.cast(pl.Datetime("us")).dt.epoch("s")
    elif dtype.is_numeric():
        seconds = _integer_epochs(values)
    elif dtype in (pl.String, pl.Categorical, pl.Null):
        text = values.cast(pl.String)
        digits = text.str.contains(r"^\s*-?\d{9,19}\s*$").fill_null(False)
        stamped = _parse_text_times(text).dt.epoch("s")
        epochs = _integer_epochs(text.str.strip_chars().cast(pl.Int64, strict=False))
        seconds = pl.select(pl.coalesce(stamped, pl.when(digits).then(epochs))).to_series()
        _refuse(
            table, column, text, text.is_not_null() & seconds.is_null(), "{value} is not a time"
        )
    else:
        raise _wrong_type(table, column, dtype, "times")
    return seconds.fill_null(NO_TIME).to_numpy().astype(np.int64)


def whole_numbers(
    frame: pl.DataFrame, table: str, column: str, *, default: int | None = None
) -> IntArray:
    """Column ``column`` as whole, non-negative int64; empty cells become ``default``
    (refused when ``default`` is None)."""
    values = frame.get_column(column)
    if values.dtype in (pl.String, pl.Categorical):
        text = values.cast(pl.String)
        numbers = text.str.replace_all(r"[\s,_，]", "").cast(pl.Float64, strict=False)
        _refuse(
            table, column, text, text.is_not_null() & numbers.is_null(), "{value} is not a number"
        )
    elif values.dtype.is_numeric() or values.dtype == pl.Null:
        numbers = values.cast(pl.Float64)
    else:
        raise _wrong_type(table, column, values.dtype, "numbers")
    _refuse(table, column, values, numbers != numbers.floor(), "{value} is not a whole number")
    _refuse(table, column, values, numbers < 0, "{value} is negative")
    if default is None:
        _refuse(table, column, values, numbers.is_null(), "empty; the column is required")
    return numbers.fill_null(default or 0).cast(pl.Int64).to_numpy().astype(np.int64)


def references(frame: pl.DataFrame, table: str, column: str) -> IntArray:
    """Column ``column`` of store ids as int64, -1 where empty."""
    values = frame.get_column(column)
    if values.dtype in (pl.String, pl.Categorical):
        text = values.cast(pl.String).str.strip_chars()
        ids = text.cast(pl.Int64, strict=False)
        _refuse(
            table,
            column,
            values,
            text.is_not_null() & ids.is_null(),
            "{value} is not a whole-number id",
        )
    elif values.dtype.is_integer() or values.dtype == pl.Null:
        ids = values.cast(pl.Int64)
    elif values.dtype.is_float():
        _refuse(table, column, values, values != values.floor(), "{value} is not a whole-number id")
        ids = values.cast(pl.Int64)
    else:
        raise _wrong_type(table, column, values.dtype, "ids")
    return ids.fill_null(-1).to_numpy().astype(np.int64)
