"""Fraud types, screening rules, advice texts and data set label maps, as data.

Everything is loaded once from the YAML files under ``taxonomy/data/`` into
read-only objects.
"""

from __future__ import annotations

from fanzha.taxonomy._model import FraudType, Rule
from fanzha.taxonomy._registry import (
    fraud_type,
    fraud_types,
    get_fraud_type,
    map_label,
    rule,
    rules,
)

__all__ = [
    "FraudType",
    "Rule",
    "fraud_type",
    "fraud_types",
    "get_fraud_type",
    "map_label",
    "rule",
    "rules",
]
