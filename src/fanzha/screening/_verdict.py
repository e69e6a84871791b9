"""One verdict for anything screened: combine model, rules, phone and URL checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from fanzha.screening._types import RuleHit, noisy_or
from fanzha.taxonomy import FraudType, fraud_types, rules

__all__ = [
    "LEVEL_NAMES",
    "FraudTypeRef",
    "Verdict",
    "combine_verdict",
    "level_of",
    "resolve_label",
    "risk_weight",
]

HIGH_RISK = 0.7
MEDIUM_RISK = 0.4
# Illegal-but-not-fraud content (gambling, escort, fake papers) is risky but not the
# fraud a warning officer acts on: it counts at this share of its probability.
ILLEGAL_RISK_SHARE = 0.5
RISKY_CATEGORIES = frozenset({"fraud", "illegal"})
LOW_RISK_ADVICE = (
    "未发现明显的诈骗特征，但仍请保持警惕：不轻信陌生来电和信息，不点击陌生链接，"
    "不向陌生人转账。如有疑问请拨打96110反诈专线或110咨询。"
)
# A reason naming the rules that decided a verdict names at most this many.
MAX_RULES_NAMED = 3
# Below the model's top class, a probability at least this high for the verdict's fraud
# type is cited as support for a rule-driven verdict.
SUPPORTING_PROBABILITY = 0.2
LEVEL_NAMES = MappingProxyType({"high": "高风险", "medium": "中风险", "low": "低风险"})


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


@cache
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


@cache
def _rule_advice() -> Mapping[str, str]:
    return MappingProxyType({rule.id: rule.advice for rule in rules()})


def level_of(risk: float) -> str:
    """Return ``high``, ``medium`` or ``low`` for a risk in 0..1."""
    if risk >= HIGH_RISK:
        return "high"
    if risk >= MEDIUM_RISK:
        return "medium"
    return "low"


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def risk_weight(label: str, *, is_category: bool = False) -> float:
    """How much a model class's probability counts toward risk: fraud 1, illegal 0.5, else 0.

    ``label`` is a fraud type label, or with ``is_category`` a category name
    (the classes of a risk model: fraud, illegal, advertising, normal).
    """
    category = label if is_category else resolve_label(label).category
    if category == "fraud":
        return 1.0
    return ILLEGAL_RISK_SHARE if category == "illegal" else 0.0


def combine_verdict(
    *,
    kind: str,
    value: str,
    hits: Sequence[RuleHit],
    model_scores: Sequence[tuple[str, float]] = (),
    model_risk: float | None = None,
    rule_advice: Mapping[str, str] | None = None,
) -> Verdict:
    """Combine rule hits and model class probabilities into one :class:`Verdict`.

    ``model_scores`` are (label, probability) pairs of the text model, most likely
    first; they may be cut to the top few classes when ``model_risk`` (the sum of
    :func:`risk_weight` × probability over all classes) is given. Empty for numbers and URLs.
    Risk is the noisy-OR of the model's risk and the rule weights. Advice per rule
    comes from ``rule_advice`` (default: the taxonomy's). The fraud type
    is the model's top risky class, or the type the strongest rule points to when
    the model sees none.
    """
    if model_risk is None:
        model_risk = min(1.0, sum(risk_weight(label) * p for label, p in model_scores))
    strongest: dict[str, float] = {}
    for hit in hits:  # a rule counts once, however often it fires
        strongest[hit.rule_id] = max(hit.weight, strongest.get(hit.rule_id, 0.0))
    risk = 1.0 - (1.0 - model_risk) * (1.0 - noisy_or(strongest.values()))
    level = level_of(risk)
    votes: dict[str, float] = {}
    for label, p in model_scores:
        if resolve_label(label).category in RISKY_CATEGORIES:
            votes[label] = votes.get(label, 0.0) + p
    for hit in hits:
        if hit.fraud_type:
            votes[hit.fraud_type] = votes.get(hit.fraud_type, 0.0) + hit.weight * 0.5
    top_model = max(model_scores, key=lambda pair: pair[1]) if model_scores else None
    if level != "low":
        fraud_type = resolve_label(max(votes, key=votes.__getitem__) if votes else "other_fraud")
    elif top_model is not None and resolve_label(top_model[0]).category != "fraud":
        fraud_type = resolve_label(top_model[0])
    else:
        fraud_type = resolve_label("normal")

    reasons = _reasons(
        level=level,
        hits=hits,
        strongest=strongest,
        model_scores=model_scores,
        model_risk=model_risk,
        fraud_type=fraud_type,
    )

    if level == "low":
        advice = LOW_RISK_ADVICE
    else:
        known = _label_index().get(fraud_type.code)
        type_advice = known.advice if known is not None else ""
        advice_of = _rule_advice() if rule_advice is None else rule_advice
        per_rule = [advice_of.get(hit.rule_id, "") for hit in hits]
        advice = "\n".join(_unique([type_advice, *per_rule])) or LOW_RISK_ADVICE
    return Verdict(
        kind=kind,
        value=value,
        risk=risk,
        level=level,
        fraud_type=fraud_type,
        rules=tuple(hits),
        advice=advice,
        reasons=reasons,
        model_scores=tuple(sorted(model_scores, key=lambda pair: -pair[1])[:3]),
    )


def _rule_names(hits: Sequence[RuleHit], strongest: Mapping[str, float]) -> str:
    """The rules that fired, strongest first, as 「名称」「名称」 (at most three)."""
    names: dict[str, float] = {}
    for hit in hits:
        names[hit.name] = max(strongest[hit.rule_id], names.get(hit.name, 0.0))
    ranked = sorted(names, key=lambda name: -names[name])[:MAX_RULES_NAMED]
    return "".join(f"「{name}」" for name in ranked)


def _reasons(
    *,
    level: str,
    hits: Sequence[RuleHit],
    strongest: Mapping[str, float],
    model_scores: Sequence[tuple[str, float]],
    model_risk: float,
    fraud_type: FraudTypeRef,
) -> tuple[str, ...]:
    """The reasons of a verdict: they explain its level and never argue with it.

    A medium or high verdict never cites "normal" as the model's most likely class: when
    the rules decided and the model saw no typical fraud talk, the reasons say so and name
    the deciding rules; when the model agrees it is cited as support (or as the driver,
    when its risk outweighs the rules'). A low verdict may name the model's top class,
    and says the evidence was not enough when that class is a risky one.
    """
    rule_lines = list(_unique(f"{hit.name}：{hit.explanation}" for hit in hits))
    top_model = max(model_scores, key=lambda pair: pair[1]) if model_scores else None
    if top_model is None:
        return tuple(rule_lines) if rule_lines else ("未命中任何规则",)
    best, best_p = resolve_label(top_model[0]), top_model[1]
    model_sees_risk = best.category in RISKY_CATEGORIES
    if level == "low":
        if model_sees_risk:
            line = (
                f"文本模型认为可能是「{best.name}」（概率{best_p:.0%}），"
                "但证据不足，综合判定为低风险"
            )
        else:
            line = f"文本模型判断最可能的类别为「{best.name}」（概率{best_p:.0%}）"
        return (line, *rule_lines)
    rules_decide = bool(strongest) and noisy_or(strongest.values()) >= model_risk
    if not model_sees_risk:
        if rules_decide:
            deciding = _rule_names(hits, strongest)
            type_p = sum(
                p for label, p in model_scores if resolve_label(label).code == fraud_type.code
            )
            if type_p >= SUPPORTING_PROBABILITY:
                line = (
                    f"风险主要由规则{deciding}判定，文本模型也认为可能是"
                    f"「{fraud_type.name}」（概率{type_p:.0%}）"
                )
            else:
                line = f"文本模型未识别出典型话术，风险由规则{deciding}判定"
            return (line, *rule_lines)
        # The risk model's fraud share outweighs the rules although the type model's
        # single most likely class is not a risky one: cite the risk, not the class.
        line = f"文本模型估计这是诈骗或违法信息的概率为{model_risk:.0%}"
        return (line, *rule_lines)
    if best.code == fraud_type.code:
        verb = "也识别出" if rules_decide else "识别出"
        line = f"文本模型{verb}「{best.name}」的典型话术（概率{best_p:.0%}）"
    else:
        line = f"文本模型识别出诈骗或违法话术，最接近「{best.name}」（概率{best_p:.0%}）"
    return (*rule_lines, line) if rules_decide else (line, *rule_lines)
