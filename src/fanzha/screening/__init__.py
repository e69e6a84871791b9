"""识诈 screening: normalisation, rules, phone and URL checks, a text model, one verdict."""

from __future__ import annotations

from fanzha.screening._evaluate import ClassScores, EvalReport, evaluate_model, predict_texts
from fanzha.screening._normalize import normalize, normalize_text
from fanzha.screening._offsets import Normalized
from fanzha.screening._phone import PhoneCheck, check_phone, extract_phones, load_blocklist
from fanzha.screening._rules import RuleEngine, default_engine
from fanzha.screening._screen import (
    MAX_TEXT_CHARS,
    Screener,
    check_text,
    default_model_path,
    detect_kind,
    prepare_text,
)
from fanzha.screening._textmodel import TextModel, predict_proba_together
from fanzha.screening._types import RuleHit, hit_from_rule, noisy_or
from fanzha.screening._url import UrlCheck, check_url, extract_urls, load_domain_list
from fanzha.screening._verdict import (
    LEVEL_NAMES,
    FraudTypeRef,
    Verdict,
    combine_verdict,
    level_of,
    resolve_label,
    risk_weight,
)

__all__ = [
    "LEVEL_NAMES",
    "MAX_TEXT_CHARS",
    "ClassScores",
    "EvalReport",
    "FraudTypeRef",
    "Normalized",
    "PhoneCheck",
    "RuleEngine",
    "RuleHit",
    "Screener",
    "TextModel",
    "UrlCheck",
    "Verdict",
    "check_phone",
    "check_text",
    "check_url",
    "combine_verdict",
    "default_engine",
    "default_model_path",
    "detect_kind",
    "evaluate_model",
    "extract_phones",
    "extract_urls",
    "hit_from_rule",
    "level_of",
    "load_blocklist",
    "load_domain_list",
    "noisy_or",
    "normalize",
    "normalize_text",
    "predict_proba_together",
    "predict_texts",
    "prepare_text",
    "resolve_label",
    "risk_weight",
]
