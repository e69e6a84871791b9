"""Case statuses: the values the store and the demo city write, and their Chinese names."""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

__all__ = ["CASE_STATUS_NAMES"]

#: A case's status → its Chinese name (a status not listed is shown as stored).
CASE_STATUS_NAMES: Final = MappingProxyType(
    {
        "open": "已受理",
        "investigating": "侦查中",
        "solved": "已破案",
        "closed": "已结案",
    }
)
