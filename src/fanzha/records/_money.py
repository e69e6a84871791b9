"""Money: integer fen (分) inside, yuan on input and in text, CNY only.

:func:`normalize_amounts` reads yuan and rounds to fen (half to even) with a problem code
per row; :func:`parse_amounts` reads yuan with at most two decimals (or whole fen) and
refuses, never rounds, anything else, with a message per bad row. :data:`CNY_NAMES` are
the currency spellings read as yuan (compared upper-cased; an empty cell is CNY too).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl

from fanzha.errors import InvalidInput
from fanzha.records._text import as_text

__all__ = [
    "AMOUNT_UNITS",
    "CNY_NAMES",
    "CURRENCY",
    "check_amount_unit",
    "fen_to_yuan",
    "format_yuan",
    "is_cny",
    "normalize_amounts",
    "parse_amounts",
]

IntArray = npt.NDArray[np.int64]
AMOUNT_UNITS = ("yuan", "fen")
#: The one currency stored.
CURRENCY = "CNY"
#: Currency names read as Chinese yuan (upper-cased before comparing).
CNY_NAMES = frozenset({"CNY", "RMB", "人民币", "元", "¥", "CNY元"})
_MAX_YUAN: Final = 1e12
_FLOAT_TOLERANCE: Final = 1e-6


def check_amount_unit(unit: str) -> str:
    """``unit`` if it is ``yuan`` or ``fen``; raises :class:`InvalidInput` otherwise."""
    if unit not in AMOUNT_UNITS:
        raise InvalidInput(f"{unit!r}; use yuan or fen", field="amount_unit", value=unit)
    return unit


def is_cny(currency: pl.Expr) -> pl.Expr:
    """True where a currency cell means yuan (one of :data:`CNY_NAMES`, or empty)."""
    text = currency.cast(pl.String).str.strip_chars().str.to_uppercase()
    return text.is_null() | (text == "") | text.is_in(sorted(CNY_NAMES))


def format_yuan(fen: int) -> str:
    """Fen as yuan text, exact: ``1234567`` → ``12,345.67``."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def fen_to_yuan(fen: int) -> Decimal:
    """Fen as an exact yuan amount with two decimals: ``1234567`` → ``Decimal("12345.67")``
    (for spreadsheets: a number, not text, and never a binary fraction)."""
    return Decimal(int(fen)).scaleb(-2)


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


def parse_amounts(
    values: pl.Series, *, unit: str = "yuan", rounding: bool = False
) -> tuple[pl.Series, pl.Series]:
    """Amounts → (integer fen, reason); the reason is null on good rows, the fen null on bad.

    More decimals than the unit allows are a problem, or, with ``rounding``, rounded to
    fen (half to even).

    Raises:
        InvalidInput: an unknown ``unit``.
    """
    check_amount_unit(unit)
    numeric = values.dtype.is_numeric()
    text = as_text(values)
    fen, problem = normalize_amounts(values if numeric else text)
    decimals = 2 if unit == "yuan" else 0
    if rounding:
        fraction = np.zeros(values.len(), dtype=bool)
    elif numeric:
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
        "is negative (not positive); a refund is a transfer the other way, with its own "
        "transaction id",
        f"is not {whole}; fanzha does not round amounts",
        "is zero (not positive); a transfer moves money",
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
