"""Normalising amounts and times, and writing them back as text.

* **Amounts** are yuan on input and integer fen (分) inside: ``round(yuan * 100)``, half to
  even, so sums never drift. A zero, negative, missing or non-numeric amount is a row
  error; ``"12,000元"`` is refused with a hint to write ``12000.00``.
* **Times** become int64 and a unit. Integers below 10**7 are simulation steps (AMLSim
  writes one step per simulated day; unit ``"step"``); 10**8..10**11 are epoch seconds;
  10**11..4.2*10**12 epoch milliseconds; 14-digit numbers ``YYYYMMDDhhmmss`` (bank
  statements). Strings may be any of those or ISO 8601 (``2024-03-01T10:00:00+08:00``,
  ``2024-03-01 10:00``, ``2024/03/01``); a time without an offset is Beijing time
  (UTC+8). Absolute times are stored as UTC epoch seconds (unit ``"s"``). Steps and
  dates cannot be ordered together: the values of the minority kind are marked bad.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from fanzha.errors import InvalidInput

__all__ = ["format_time", "format_yuan", "normalize_amounts", "normalize_times", "parse_time"]

IntArray = npt.NDArray[np.int64]
_MAX_YUAN = 1e12
_STEP_MAX = 10**7
_SECONDS_MIN = 10**8
_MS_MIN = 10**11
_MS_MAX = 4_200_000_000_000
_COMPACT_MIN = 19_000_101_000_000
_COMPACT_MAX = 21_001_231_235_959
_BEIJING = 8 * 3600
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


def format_yuan(fen: int) -> str:
    """Fen as yuan text, exact: ``1234567`` → ``12,345.67``."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole:,}.{cents:02d}"


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
        offset = dates.str.extract(r"(Z|[+-]\d{2}:?\d{2})$", 1)
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
            dates.str.replace(r"(Z|[+-]\d{2}:?\d{2})$", "")
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


def normalize_amounts(values: pl.Series) -> tuple[IntArray, npt.NDArray[np.int8]]:
    """Yuan → integer fen, and a problem code per row (0 ok, 1 not a number, 2 ≤ 0, 3 huge)."""
    if values.dtype.is_numeric():
        yuan = values.cast(pl.Float64).fill_null(np.nan).to_numpy()
    else:
        text = values.cast(pl.String).str.strip_chars()
        plain = text.str.contains(r"^-?\d+(\.\d+)?$").fill_null(False)
        yuan = (
            pl.select(pl.when(plain).then(text.cast(pl.Float64, strict=False)).otherwise(None))
            .to_series()
            .fill_null(np.nan)
            .to_numpy()
        )
    problem = np.zeros(yuan.shape[0], dtype=np.int8)
    problem[~np.isfinite(yuan)] = 1
    finite = np.isfinite(yuan)
    problem[finite & (yuan <= 0)] = 2
    problem[finite & (yuan > _MAX_YUAN)] = 3
    fen = np.zeros(yuan.shape[0], dtype=np.int64)
    ok = problem == 0
    fen[ok] = np.rint(yuan[ok] * 100.0).astype(np.int64)
    problem[ok & (fen <= 0)] = 2
    return fen, problem
