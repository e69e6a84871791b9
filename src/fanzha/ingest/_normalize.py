"""Normalisation of identifiers, times and amounts, as polars expressions over whole columns.

Every cell is first NFKC-folded (full-width ``１３８`` → ``138``) and trimmed; an empty cell
is missing. Then:

* **Phone numbers** follow :mod:`fanzha.records` (``clean_phones``: national form
  ``13800138000``, ``+63…`` abroad); anything else (letters, ``*``) is a row error. New
  numbers get a ``kind`` (``phone_kinds``): mobile, fixed, hotline, overseas or service.
* **Bank accounts**: spaces and dashes dropped; 12–19 digits is a personal card, 20–40
  digits a corporate account; anything else is a row error.
* **ID numbers** (居民身份证): 18 characters with a valid GB 11643 check character and
  birth date (``x`` is read as ``X``), or the old 15 digits; birth date and sex are read
  from the number.
* **IMEI**: 14–16 digits, or a 14-hex-digit MEID (upper-cased). **IMSI**: 14–15 digits.
* **Times**: ISO 8601 with or without an offset (``2024-05-01T10:00:00+08:00``,
  ``2024-05-01 10:00``), ``2024/05/01 10:00:00``, ``20240501100000``, epoch seconds or
  milliseconds, and Parquet datetimes; the parsing is ``fanzha.funds.normalize_times``.
  A time without an offset is wall-clock time in ``tz`` (Asia/Shanghai unless told),
  converted to UTC with that zone's rules; a wall-clock time that does not exist there
  (a daylight-saving gap) is a row error. Seconds are the precision.
* **Amounts**: yuan with at most two decimals become integer fen (``12.5`` → 1250,
  ``fanzha.funds.normalize_amounts``); with ``amount_unit="fen"`` the amount must be a whole
  number of fen. Zero, negative, non-numeric (``12,000``, ``12元``) and more than two
  decimals are row errors, never rounded.
* **Durations**: whole seconds, ``mm:ss`` or ``h:mm:ss``.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping
from typing import Final

import numpy as np
import polars as pl

from fanzha.errors import InvalidInput
from fanzha.funds import normalize_amounts, normalize_times

__all__ = [
    "AMOUNT_UNITS",
    "CNY_NAMES",
    "DEFAULT_TZ",
    "as_text",
    "canonical_values",
    "check_timezone",
    "clean_imeis",
    "clean_imsis",
    "parse_amounts",
    "parse_durations",
    "parse_times",
]

AMOUNT_UNITS = ("yuan", "fen")
DEFAULT_TZ = "Asia/Shanghai"
#: Currency names read as Chinese yuan (upper-cased before comparing).
CNY_NAMES = frozenset({"CNY", "RMB", "人民币", "元", "¥"})
_BEIJING_S: Final = 8 * 3600
_OFFSET = r"(Z|[+-]\d{2}:?\d{2})$"
_FLOAT_TOLERANCE = 1e-6


def as_text(series: pl.Series) -> pl.Series:
    """Any column as trimmed, NFKC-folded text; empty is null; a whole float loses its ".0"."""
    if series.dtype.is_float():
        whole = series.cast(pl.Int64, strict=False)
        text = (
            pl.select(
                pl.when(whole.cast(pl.Float64) == series)
                .then(whole.cast(pl.String))
                .otherwise(series.cast(pl.String))
            )
            .to_series()
            .alias(series.name)
        )
    else:
        text = series.cast(pl.String)
    folded = text.str.normalize("NFKC").str.strip_chars()
    return pl.select(pl.when(folded != "").then(folded)).to_series().alias(series.name)


def canonical_values(text: pl.Expr, names: Mapping[str, str]) -> pl.Expr:
    """Each value's canonical name from ``names`` (keys lower-case); null when not listed."""
    return text.str.to_lowercase().replace_strict(names, default=None, return_dtype=pl.String)


def clean_imeis(text: pl.Expr) -> pl.Expr:
    """IMEIs (14–16 digits) or MEIDs (14 hex digits, upper-cased); null otherwise."""
    s = text.str.replace_all(r"[\s\-]", "").str.to_uppercase()
    return pl.when(s.str.contains(r"^(\d{14,16}|[0-9A-F]{14})$")).then(s)


def clean_imsis(text: pl.Expr) -> pl.Expr:
    """IMSIs (14–15 digits); null otherwise."""
    s = text.str.replace_all(r"\s", "")
    return pl.when(s.str.contains(r"^\d{14,15}$")).then(s)


def parse_durations(text: pl.Expr) -> pl.Expr:
    """Seconds from ``95``, ``95.0``, ``1:35`` or ``0:01:35``; null when none of those."""
    parts = text.str.extract_groups(r"^(?:(\d+):)??(?:(\d+):)?(\d+)(?:\.0+)?$")
    hours = parts.struct.field("1").cast(pl.Int64, strict=False).fill_null(0)
    minutes = parts.struct.field("2").cast(pl.Int64, strict=False).fill_null(0)
    seconds = parts.struct.field("3").cast(pl.Int64, strict=False)
    colon = text.str.contains(":")
    valid = seconds.is_not_null() & (~colon | ((seconds < 60) & (minutes < 60)))
    return pl.when(valid).then(hours * 3600 + minutes * 60 + seconds)


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
    wall = pl.from_epoch(pl.Series(seconds + _BEIJING_S), time_unit="s").cast(pl.Datetime("us"))
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


def parse_amounts(values: pl.Series, *, unit: str = "yuan") -> tuple[pl.Series, pl.Series]:
    """Amounts → (integer fen, reason); the reason is null on good rows, the fen null on bad.

    Raises:
        InvalidInput: an unknown ``unit``.
    """
    if unit not in AMOUNT_UNITS:
        raise InvalidInput(f"{unit!r}; use yuan or fen", field="amount_unit", value=unit)
    numeric = values.dtype.is_numeric()
    text = as_text(values)
    fen, problem = normalize_amounts(values if numeric else text)
    decimals = 2 if unit == "yuan" else 0
    if numeric:
        scaled = values.cast(pl.Float64).fill_null(0.0).to_numpy() * 10**decimals
        fraction = np.abs(scaled - np.rint(scaled)) > _FLOAT_TOLERANCE
    else:
        beyond = rf"\.\d{{{decimals}}}0*[1-9]"
        fraction = text.str.contains(beyond).fill_null(False).to_numpy()
    negative = (text.cast(pl.Float64, strict=False) < 0).fill_null(False).to_numpy()
    whole = "a whole number of fen" if unit == "fen" else "yuan with at most 2 decimals"
    messages = (
        None,
        "is empty; every transfer needs an amount",
        f"is not a number; write {whole}, e.g. 12000.00 (no thousands separators, no 元)",
        f"is too large for an amount in {unit}",
        "is negative; a refund is a transfer the other way, with its own transaction id",
        f"is not {whole}; fanzha does not round amounts",
        "is zero; a transfer moves money",
    )
    codes = np.select(
        [text.is_null().to_numpy(), problem == 1, problem == 3, negative, fraction, problem == 2],
        [1, 2, 3, 4, 5, 6],
        default=0,
    )
    reason = pl.Series("reason", messages, dtype=pl.String).gather(codes)
    # normalize_amounts reads yuan: a fen amount comes back multiplied by 100.
    per_unit = 1 if unit == "yuan" else 100
    amounts = pl.Series("amount_fen", np.where(codes == 0, fen // per_unit, 0))
    return pl.select(pl.when(pl.Series(codes == 0)).then(amounts)).to_series(), reason
