"""Text columns and strings as every identifier rule first sees them: NFKC-folded
(full-width ``１３８`` → ``138``), trimmed, empty is missing."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

import polars as pl

__all__ = ["as_text"]

#: One blank character: Unicode White_Space, written out so that Python's ``re`` (whose
#: ``\s`` also matches the separators \x1c-\x1f) and polars' regex agree.
BLANK: Final = r"[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_EDGES: Final = re.compile(f"^{BLANK}+|{BLANK}+$")


def folded(text: pl.Expr) -> pl.Expr:
    """A column as NFKC-folded text."""
    return text.cast(pl.String).str.normalize("NFKC")


def fold(raw: str) -> str:
    """One string NFKC-folded."""
    return unicodedata.normalize("NFKC", raw)


def trimmed(text: pl.Expr) -> pl.Expr:
    """A column without blanks at either end (see :data:`BLANK`)."""
    return text.str.replace_all(_EDGES.pattern, "")


def trim(raw: str) -> str:
    """One string without blanks at either end (see :data:`BLANK`)."""
    return _EDGES.sub("", raw)


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
