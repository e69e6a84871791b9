"""Resident ID numbers (居民身份证): 18 characters with a valid GB 11643 check character and
a real birth date (``x`` is read as ``X``), or the old 15 digits (born 19xx).

Birth date and sex are read from the number (the sequence digit is odd for men).
:func:`clean_id_numbers` (a column) and :func:`clean_id_number` (one string) share the
weights, the check characters and the patterns.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Final

import polars as pl

from fanzha.records._text import BLANK, fold, folded

__all__ = [
    "clean_id_number",
    "clean_id_numbers",
    "id_number_births",
    "id_number_genders",
]

_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK: Final = "10X98765432"
_LONG: Final = r"^[0-9]{17}[0-9X]$"
_SHORT: Final = r"^[0-9]{15}$"
_SPACE: Final = BLANK
_BIRTH_FORMAT: Final = "%Y%m%d"
_LONG_RE: Final = re.compile(_LONG)
_SHORT_RE: Final = re.compile(_SHORT)
_SPACE_RE: Final = re.compile(_SPACE)


def _birth_text(number: pl.Expr) -> pl.Expr:
    return (
        pl.when(number.str.len_chars() == 18)
        .then(number.str.slice(6, 8))
        .otherwise(pl.lit("19") + number.str.slice(6, 6))
    )


def id_number_births(number: pl.Expr) -> pl.Expr:
    """The birth date written in a (clean) ID number."""
    return _birth_text(number).str.strptime(pl.Date, _BIRTH_FORMAT, strict=False)


def id_number_genders(number: pl.Expr) -> pl.Expr:
    """``M`` or ``F`` from the sequence digit of a (clean) ID number (odd for men)."""
    digit = (
        pl.when(number.str.len_chars() == 18)
        .then(number.str.slice(16, 1))
        .otherwise(number.str.slice(14, 1))
        .cast(pl.Int64, strict=False)
    )
    return pl.when(digit % 2 == 1).then(pl.lit("M")).otherwise(pl.lit("F"))


def clean_id_numbers(text: pl.Expr) -> pl.Expr:
    """Resident ID numbers (18 with a valid check character, or 15 digits); null otherwise."""
    s = folded(text).str.replace_all(_SPACE, "").str.to_uppercase()
    weighted = pl.sum_horizontal(
        [s.str.slice(i, 1).cast(pl.Int64, strict=False) * w for i, w in enumerate(_WEIGHTS)]
    )
    check = pl.lit(_CHECK).str.slice(weighted % 11, 1)
    long_ok = s.str.contains(_LONG) & (s.str.slice(17, 1) == check)
    short_ok = s.str.contains(_SHORT)
    return pl.when((long_ok | short_ok) & id_number_births(s).is_not_null()).then(s)


def _birth(number: str) -> date | None:
    text = number[6:14] if len(number) == 18 else "19" + number[6:12]
    try:
        return datetime.strptime(text, _BIRTH_FORMAT).date()
    except ValueError:
        return None


def clean_id_number(raw: str) -> str | None:
    """One resident ID number, upper-cased; None where not a valid one."""
    s = _SPACE_RE.sub("", fold(raw)).upper()
    if _LONG_RE.search(s):
        weighted = sum(int(s[i]) * w for i, w in enumerate(_WEIGHTS))
        if s[17] != _CHECK[weighted % 11]:
            return None
    elif not _SHORT_RE.search(s):
        return None
    return s if _birth(s) is not None else None
