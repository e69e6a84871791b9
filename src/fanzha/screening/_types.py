"""Plain result types shared by the screening checks."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["RuleHit"]


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
