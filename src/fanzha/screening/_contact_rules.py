"""Internal helpers shared by the phone and URL checks; nothing here is public API.

Reads ``taxonomy/data/rules_phone_url.yaml`` and the ``screening/data`` files
directly (not through the taxonomy loader), once per process.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from fanzha.screening._types import RuleHit

__all__: list[str] = []

_RULES_FILE = ("taxonomy", "data", "rules_phone_url.yaml")


@dataclass(frozen=True, slots=True)
class ContactRule:
    """One entry of ``rules_phone_url.yaml``."""

    id: str
    name: str
    kind: str
    group: str
    explanation: str
    advice: str
    fraud_type: str | None
    weight: float


@cache
def load_package_yaml(*parts: str) -> Any:
    """Return the parsed YAML file at ``fanzha/<parts...>`` (cached)."""
    resource = resources.files("fanzha").joinpath(*parts)
    return yaml.safe_load(resource.read_text(encoding="utf-8"))


@cache
def contact_rules() -> MappingProxyType[str, ContactRule]:
    """Return the phone and URL rule entries by id."""
    entries = load_package_yaml(*_RULES_FILE)["rules"]
    rules = {
        entry["id"]: ContactRule(
            id=entry["id"],
            name=entry["name"],
            kind=entry["kind"],
            group=entry["group"],
            explanation=entry["explanation"],
            advice=entry["advice"],
            fraud_type=entry.get("fraud_type"),
            weight=float(entry["weight"]),
        )
        for entry in entries
    }
    return MappingProxyType(rules)


def make_hit(rule_id: str, raw: str, start: int, end: int) -> RuleHit:
    """Return a RuleHit for ``rule_id`` covering ``raw[start:end]``."""
    rule = contact_rules()[rule_id]
    return RuleHit(
        rule_id=rule.id,
        name=rule.name,
        explanation=rule.explanation,
        start=start,
        end=end,
        matched=raw[start:end],
        weight=rule.weight,
        fraud_type=rule.fraud_type,
    )


def noisy_or(hits: Iterable[RuleHit]) -> float:
    """Combine hit weights as independent evidence: ``1 - prod(1 - w)``."""
    miss = 1.0
    for hit in hits:
        miss *= 1.0 - min(max(hit.weight, 0.0), 1.0)
    return round(1.0 - miss, 6)
