"""One verdict for anything screened: combine model, rules, phone and URL checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from fanzha.screening._types import RuleHit
from fanzha.taxonomy import FraudType, fraud_types

__all__ = [
    "FraudTypeRef",
    "Verdict",
    "combine_verdict",
    "level_of",
    "resolve_label",
]

HIGH_RISK = 0.7
MEDIUM_RISK = 0.4
# Illegal-but-not-fraud content (gambling, escort, fake papers) is risky but not the
# fraud a warning officer acts on: it counts at this share of its probability.
ILLEGAL_RISK_SHARE = 0.5
LOW_RISK_ADVICE = (
    "未发现明显的诈骗特征，但仍请保持警惕：不轻信陌生来电和信息，不点击陌生链接，"
    "不向陌生人转账。如有疑问请拨打96110反诈专线或110咨询。"
)
LEVEL_NAMES = {"high": "高风险", "medium": "中风险", "low": "低风险"}


@dataclass(frozen=True, slots=True)
class FraudTypeRef:
    """A fraud type as it appears in a verdict: taxonomy code, Chinese name and category."""

    code: str
    name: str
    category: str

    def to_dict(self) -> dict[str, str]:
        """Return the reference as a JSON-ready dict."""
        return {"code": self.code, "name": self.name, "category": self.category}


@dataclass(frozen=True, slots=True)
class Verdict:
    """The result of screening one input (text, phone number or URL)."""

    kind: str
    value: str
    risk: float
    level: str
    fraud_type: FraudTypeRef
    rules: tuple[RuleHit, ...]
    advice: str
    reasons: tuple[str, ...]
    model_scores: tuple[tuple[str, float], ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Return the verdict as a JSON-ready dict (the ``--json`` and API shape)."""
        return {
            "kind": self.kind,
            "risk": round(self.risk, 4),
            "level": self.level,
            "fraud_type": self.fraud_type.to_dict(),
            "rules": [hit.to_dict() for hit in self.rules],
            "advice": self.advice,
            "reasons": list(self.reasons),
            "model_scores": [[label, round(p, 4)] for label, p in self.model_scores],
        }


@cache
def _label_index() -> Mapping[str, FraudType]:
    index: dict[str, FraudType] = {}
    for fraud_type in fraud_types():
        for key in (fraud_type.code, fraud_type.name, *fraud_type.aliases):
            index.setdefault(key, fraud_type)
    return MappingProxyType(index)


def resolve_label(label: str) -> FraudTypeRef:
    """Map a model label onto the taxonomy (by code, Chinese name or alias).

    A label the taxonomy does not know (a model trained on a user's own label set)
    keeps its own text as code and name; it counts as fraud unless it names normal text.
    """
    known = _label_index().get(label)
    if known is not None:
        return FraudTypeRef(known.code, known.name, known.category)
    category = "normal" if label.lower() in {"normal", "正常", "other", "ham", "0"} else "fraud"
    return FraudTypeRef(label, label, category)


def level_of(risk: float) -> str:
    """Return ``high``, ``medium`` or ``low`` for a risk in 0..1."""
    if risk >= HIGH_RISK:
        return "high"
    if risk >= MEDIUM_RISK:
        return "medium"
    return "low"


def _noisy_or(weights: Iterable[float]) -> float:
    remaining = 1.0
    for weight in weights:
        remaining *= 1.0 - min(max(weight, 0.0), 1.0)
    return 1.0 - remaining


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def combine_verdict(
    *,
    kind: str,
    value: str,
    hits: Sequence[RuleHit],
    model_scores: Sequence[tuple[str, float]] = (),
    rule_advice: dict[str, str] | None = None,
) -> Verdict:
    """Combine rule hits and model class probabilities into one :class:`Verdict`.

    ``model_scores`` are (label, probability) pairs for every class of the text
    model (empty for phone numbers and URLs). Risk is the noisy-OR of the model's
    fraud probability (illegal content at half weight) and the rule weights. The
    fraud type is the model's top risky class, or the type the strongest rule points
    to when the model sees none.
    """
    resolved = [(resolve_label(label), p) for label, p in model_scores]
    p_fraud = sum(p for ref, p in resolved if ref.category == "fraud")
    p_illegal = sum(p for ref, p in resolved if ref.category == "illegal")
    model_risk = min(1.0, p_fraud + ILLEGAL_RISK_SHARE * p_illegal)
    rule_risk = _noisy_or(hit.weight for hit in hits)
    risk = 1.0 - (1.0 - model_risk) * (1.0 - rule_risk)
    level = level_of(risk)

    votes: dict[str, float] = {}
    refs: dict[str, FraudTypeRef] = {}
    for ref, p in resolved:
        if ref.category in {"fraud", "illegal"}:
            votes[ref.code] = votes.get(ref.code, 0.0) + p
            refs[ref.code] = ref
    for hit in hits:
        if hit.fraud_type:
            ref = resolve_label(hit.fraud_type)
            votes[ref.code] = votes.get(ref.code, 0.0) + hit.weight * 0.5
            refs[ref.code] = ref
    top_model = max(resolved, key=lambda pair: pair[1])[0] if resolved else None
    if level != "low" and votes:
        fraud_type = refs[max(votes, key=lambda code: votes[code])]
    elif top_model is not None and top_model.category != "fraud":
        fraud_type = top_model
    else:
        fraud_type = resolve_label("normal")

    reasons: list[str] = []
    if resolved:
        best, best_p = max(resolved, key=lambda pair: pair[1])
        reasons.append(f"文本模型判断最可能的类别为「{best.name}」（概率{best_p:.0%}）")
    reasons.extend(f"{hit.name}：{hit.explanation}" for hit in hits)
    if not hits and not resolved:
        reasons.append("未命中任何规则")

    if level == "low":
        advice = LOW_RISK_ADVICE
    else:
        known = _label_index().get(fraud_type.code)
        type_advice = known.advice if known is not None else ""
        per_rule = [(rule_advice or {}).get(hit.rule_id, "") for hit in hits]
        advice = "\n".join(_unique([type_advice, *per_rule])) or LOW_RISK_ADVICE
    return Verdict(
        kind=kind,
        value=value,
        risk=risk,
        level=level,
        fraud_type=fraud_type,
        rules=tuple(hits),
        advice=advice,
        reasons=tuple(reasons),
        model_scores=tuple(sorted(model_scores, key=lambda pair: -pair[1])[:3]),
    )
