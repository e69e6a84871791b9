"""Screening for signals that arrive as text: the shipped screener, loaded on first use."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from fanzha.taxonomy import get_fraud_type

if TYPE_CHECKING:
    from fanzha.screening import Screener

__all__ = ["text_screen"]


@cache
def _screener() -> Screener:
    from fanzha.screening import Screener

    return Screener.default()


def text_screen(text: str) -> tuple[float, str | None]:
    """The screening risk of ``text`` and its fraud type code (None when not a known type)."""
    verdict = _screener().screen_text(text)
    code = verdict.fraud_type.code
    return verdict.risk, code if get_fraud_type(code) is not None else None
