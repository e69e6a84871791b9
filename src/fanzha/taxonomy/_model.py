"""The taxonomy's read-only types: fraud types and screening rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = [
    "CATEGORIES",
    "RULE_KINDS",
    "FraudType",
    "Rule",
]

CATEGORIES = ("fraud", "illegal", "advertising", "normal")
RULE_KINDS = ("text", "phone", "url")

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class FraudType:
    """One class of content: a fraud scheme, an illegal class, advertising or normal.

    ``code`` is the stable English key; ``name``, ``description`` and ``advice`` are
    Chinese texts for officers and citizens; ``category`` is one of :data:`CATEGORIES`.
    """

    code: str
    name: str
    category: str
    description: str
    advice: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rule:
    """One screening rule with a plain-words explanation and advice.

    Text rules fire when every keyword group of ``any_of`` has a keyword in the
    (normalised) text, optionally all within ``window`` characters, and no keyword
    of ``none_of`` occurs. Phone and URL rules carry no patterns; their own
    settings (e.g. number prefixes) are in ``params``.
    """

    id: str
    name: str
    kind: str
    group: str
    explanation: str
    advice: str
    fraud_type: str | None
    weight: float
    any_of: tuple[tuple[str, ...], ...] = ()
    none_of: tuple[str, ...] = ()
    window: int | None = None
    params: Mapping[str, Any] = field(default_factory=lambda: _EMPTY, compare=False)
