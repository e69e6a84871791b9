"""What the API bodies of every area share: strict requests, timestamps, list pages, names."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, TypeVar, cast

from pydantic import BaseModel, ConfigDict, PlainSerializer

from fanzha.masking import mask_value
from fanzha.taxonomy import get_fraud_type

__all__ = ["STRICT", "IsoDatetime", "PagePublic", "fraud_type_name", "public_of"]

_Model = TypeVar("_Model", bound=BaseModel)

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
