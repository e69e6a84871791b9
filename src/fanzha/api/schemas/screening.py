"""Bodies of the screening (识诈) endpoints."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, Field

from fanzha.api.schemas.common import STRICT
from fanzha.screening import MAX_TEXT_CHARS, FraudTypeRef, RuleHit, Verdict

__all__ = [
    "BatchItem",
    "BatchScreenRequest",
    "PhoneScreenRequest",
    "TextScreenRequest",
    "UrlScreenRequest",
    "VerdictListPublic",
    "VerdictPublic",
]


class TextScreenRequest(BaseModel):
    model_config = STRICT
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)


class PhoneScreenRequest(BaseModel):
    model_config = STRICT
    number: str = Field(min_length=1, max_length=40)


class UrlScreenRequest(BaseModel):
    model_config = STRICT
    url: str = Field(min_length=1, max_length=4_000)


class BatchItem(BaseModel):
    model_config = STRICT
    value: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    kind: Literal["text", "phone", "url"] | None = None


class BatchScreenRequest(BaseModel):
    model_config = STRICT
    items: list[BatchItem] = Field(min_length=1)


class VerdictPublic(BaseModel):
    """The verdict on one input: risk (0..1), level, fraud type, rules hit, advice, reasons."""

    kind: str
    risk: float
    level: str
    fraud_type: FraudTypeRef
    rules: list[RuleHit]
    advice: str
    reasons: list[str]
    model_scores: list[tuple[str, float]]

    @classmethod
    def of(cls, verdict: Verdict) -> Self:
        """The verdict as :meth:`fanzha.screening.Verdict.to_dict` writes it."""
        return cls.model_validate(verdict.to_dict())


class VerdictListPublic(BaseModel):
    data: list[VerdictPublic]
