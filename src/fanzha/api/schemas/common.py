"""What the API bodies of every area share: strict requests, timestamps, list pages."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, PlainSerializer

__all__ = ["STRICT", "IsoDatetime", "PagePublic"]

STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)

IsoDatetime = Annotated[
    datetime, PlainSerializer(lambda value: value.isoformat(), return_type=str, when_used="json")
]
"""A timestamp written as ``datetime.isoformat()`` (``…+00:00``), as the API always has."""


class PagePublic(BaseModel):
    """The fields every list returns beside ``data``: total ``count``, ``page``, ``per_page``."""

    count: int
    page: int
    per_page: int
