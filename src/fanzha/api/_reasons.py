"""Why an officer looks something up: a real text, required on every read of personal data."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from pydantic import AfterValidator

from fanzha.reasons import MIN_REASON_CHARS, is_real_reason

__all__ = ["ListReason", "Reason", "real_reason"]


def real_reason(value: str) -> str:
    """``value`` without its surrounding whitespace, if it holds at least ``MIN_REASON_CHARS``
    letters or digits once invisible characters, whitespace and obfuscation are taken out
    (the screening normaliser); else ValueError."""
    if not is_real_reason(value):
        raise ValueError(
            f"give a reason of at least {MIN_REASON_CHARS} letters or digits (为什么查询); "
            "blank, invisible or symbol-only text does not count"
        )
    return value.strip()


def _optional_reason(value: str | None) -> str | None:
    return None if value is None else real_reason(value)


Reason = Annotated[
    str,
    Query(max_length=500, description="为什么查询 (why: required, at least 4 letters or digits)"),
    AfterValidator(real_reason),
]
"""A required ``reason`` query parameter, checked by :func:`real_reason` (422 naming it)."""

ListReason = Annotated[
    str | None,
    Query(max_length=500, description="为什么查询 (why; optional on lists, checked if given)"),
    AfterValidator(_optional_reason),
]
"""An optional ``reason`` on list endpoints, checked like :data:`Reason` when given."""
