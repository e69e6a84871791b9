"""Bodies of the screening (识诈) endpoints."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from fanzha.api.schemas.common import STRICT
from fanzha.screening import MAX_TEXT_CHARS

__all__ = [
    "BatchItem",
    "BatchScreenRequest",
    "PhoneScreenRequest",
    "TextScreenRequest",
    "UrlScreenRequest",
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
