"""A reason an officer gives (why a look-up, why an amount): real text, one rule for all."""

from __future__ import annotations

import unicodedata

from fanzha.screening import normalize_text

__all__ = ["MIN_REASON_CHARS", "is_real_reason"]

MIN_REASON_CHARS = 4
"""Fewest letters or digits a reason holds after normalisation (e.g. 核查身份, 预警处置)."""


def is_real_reason(value: str) -> bool:
    """Whether ``value`` holds at least ``MIN_REASON_CHARS`` letters or digits once invisible
    characters, whitespace and obfuscation are taken out (the screening normaliser)."""
    visible = normalize_text(value)
    return sum(1 for char in visible if unicodedata.category(char)[0] in "LN") >= MIN_REASON_CHARS
