"""识诈 screening: normalisation, rules, phone and URL checks, a text model, one verdict."""

from __future__ import annotations

from fanzha.screening._evaluate import evaluate_model, predict_texts
from fanzha.screening._normalize import normalize, normalize_text
from fanzha.screening._offsets import Normalized
from fanzha.screening._phone import load_blocklist
from fanzha.screening._screen import (
    MAX_TEXT_CHARS,
    Screener,
    default_model_path,
    detect_kind,
    prepare_text,
)
from fanzha.screening._textmodel import TextModel
from fanzha.screening._types import RuleHit
from fanzha.screening._url import load_domain_list
from fanzha.screening._verdict import LEVEL_NAMES, FraudTypeRef, Verdict

__all__ = [
    "LEVEL_NAMES",
    "MAX_TEXT_CHARS",
    "FraudTypeRef",
    "Normalized",
    "RuleHit",
    "Screener",
    "TextModel",
    "Verdict",
    "default_model_path",
    "detect_kind",
    "evaluate_model",
    "load_blocklist",
    "load_domain_list",
    "normalize",
    "normalize_text",
    "predict_texts",
    "prepare_text",
]
