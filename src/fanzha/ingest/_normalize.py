"""Normalisation of the identifiers only ingest reads, as polars expressions over columns.

Every cell is first NFKC-folded and trimmed (:func:`fanzha.records.as_text`); an empty cell
is missing. Phone numbers, bank accounts, ID numbers, times, amounts and currencies follow
:mod:`fanzha.records`. Here:

* **IMEI**: 14–16 digits, or a 14-hex-digit MEID (upper-cased). **IMSI**: 14–15 digits.
* **Durations**: whole seconds, ``mm:ss`` or ``h:mm:ss``.
* **Canonical values**: a listed spelling → its canonical name (call kinds, device kinds).
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

__all__ = [
    "canonical_values",
    "clean_imeis",
    "clean_imsis",
    "parse_durations",
]


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
