"""The first step of every identifier rule: NFKC folding (full-width ``１３８`` → ``138``)."""

from __future__ import annotations

import unicodedata

import polars as pl

__all__: list[str] = []


def folded(text: pl.Expr) -> pl.Expr:
    """A column as NFKC-folded text."""
    return text.cast(pl.String).str.normalize("NFKC")


def fold(raw: str) -> str:
    """One string NFKC-folded."""
    return unicodedata.normalize("NFKC", raw)
