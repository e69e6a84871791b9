"""Plain result types shared by the screening checks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from fanzha.taxonomy import Rule

__all__ = ["RuleHit", "hit_from_rule", "noisy_or"]


@dataclass(frozen=True, slots=True)
class RuleHit:
    """One rule that fired on an input.

    ``start``/``end`` index the text the rule ran over (for text rules: the
    original input, after mapping back from the normalised text); ``matched``
    is that slice. ``weight`` (0..1) is how strongly the hit alone indicates
    fraud; ``fraud_type`` is a taxonomy code the hit points to, if any.
    """

    rule_id: str
    name: str
    explanation: str
    start: int
    end: int
    matched: str
    weight: float
    fraud_type: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the hit as a JSON-ready dict."""
        return asdict(self)


def hit_from_rule(rule: Rule, text: str, start: int, end: int) -> RuleHit:
    """Return the hit of ``rule`` on ``text[start:end]``."""
    return RuleHit(
        rule_id=rule.id,
        name=rule.name,
        explanation=rule.explanation,
        start=start,
        end=end,
        matched=text[start:end],
        weight=rule.weight,
        fraud_type=rule.fraud_type,
    )


def noisy_or(weights: Iterable[float]) -> float:
    """Combine weights in 0..1 as independent evidence: ``1 - prod(1 - w)``."""
    remaining = 1.0
    for weight in weights:
        remaining *= 1.0 - min(max(weight, 0.0), 1.0)
    return 1.0 - remaining
