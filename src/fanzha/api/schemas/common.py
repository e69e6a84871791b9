"""What the API bodies of every area share: strict requests, timestamps, list pages, names."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, TypeVar, cast

from annotated_types import Ge, Le
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
)

from fanzha.masking import mask_value
from fanzha.taxonomy import get_fraud_type

__all__ = [
    "DB_INT_MAX",
    "STRICT",
    "ApiTime",
    "IsoDatetime",
    "PageNumber",
    "PagePublic",
    "RecordId",
    "Version",
    "fraud_type_name",
    "public_of",
]

_Model = TypeVar("_Model", bound=BaseModel)

STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)

IsoDatetime = Annotated[
    datetime, PlainSerializer(lambda value: value.isoformat(), return_type=str, when_used="json")
]
"""A timestamp written as ``datetime.isoformat()`` (``…+00:00``), as the API always has."""

DB_INT_MAX = 2**31 - 1
"""The largest id, page or version the API takes: PostgreSQL's ``integer`` (SQLite's is
2**63 - 1), so a value that passes validation is a value both databases can compare."""

RecordId = Annotated[int, Ge(1), Le(DB_INT_MAX)]
"""A stored record's id (task, case, person, user) in a path, a query or a body."""

PageNumber = Annotated[int, Ge(1), Le(DB_INT_MAX)]
"""A list's page number, 1 first."""

Version = Annotated[int, Ge(1), Le(DB_INT_MAX)]
"""A record's version for optimistic locking."""

_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def _iso_text_only(value: object) -> object:
    """Refuse numbers (pydantic would read ``0.5`` as seconds since 1970) and other text."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_TIME.match(value):
        raise ValueError(
            "expected an ISO 8601 time with a time zone, e.g. 2026-11-01T08:00:00+08:00"
        )
    return value


def _fits_in_utc(value: datetime) -> datetime:
    """Refuse a time that leaves the calendar when converted to UTC (year 1 at +14:00)."""
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise ValueError("time out of range when converted to UTC") from None
    return value


ApiTime = Annotated[AwareDatetime, BeforeValidator(_iso_text_only), AfterValidator(_fits_in_utc)]
"""A time the API takes: ISO 8601 text with a time zone that stays in range in UTC."""


class PagePublic(BaseModel):
    """The fields every list returns beside ``data``: total ``count``, ``page``, ``per_page``."""

    count: int
    page: int
    per_page: int


def fraud_type_name(code: str | None) -> str:
    """The Chinese name of a fraud-type code (the code itself when unknown)."""
    if not code:
        return "未知"
    found = get_fraud_type(code)
    return found.name if found is not None else code


def public_of(
    model: type[_Model],
    record: object,
    *,
    visible: bool = True,
    masked: Mapping[str, str] | None = None,
    **values: object,
) -> _Model:
    """``model`` filled from the same-named attributes of ``record`` and from ``values``;
    the fields named in ``masked`` (field → kind of personal data, as
    :func:`fanzha.masking.mask_value` takes it) are masked unless ``visible``."""
    data = {name: getattr(record, name) for name in model.model_fields if hasattr(record, name)}
    data.update(values)
    for name, kind in (masked or {}).items():
        data[name] = mask_value(kind, cast(str | None, data[name]), visible=visible)
    return model.model_validate(data)
