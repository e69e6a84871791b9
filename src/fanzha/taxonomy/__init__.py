"""Fraud types, screening rules, advice texts and data set label maps, as data.

Everything is loaded once from the YAML files under ``taxonomy/data/`` into
read-only objects.
"""

from __future__ import annotations

from fanzha.taxonomy._loader import read_fraud_types, read_label_maps, read_rules
from fanzha.taxonomy._model import CATEGORIES, RULE_KINDS, FraudType, Rule
from fanzha.taxonomy._registry import (
    DATA_DIR,
    fraud_type,
    fraud_types,
    get_fraud_type,
    label_maps,
    map_label,
    rule,
    rules,
)

__all__ = [
    "CATEGORIES",
    "DATA_DIR",
    "RULE_KINDS",
    "FraudType",
    "Rule",
    "fraud_type",
    "fraud_types",
    "get_fraud_type",
    "label_maps",
    "map_label",
    "read_fraud_types",
    "read_label_maps",
    "read_rules",
    "rule",
    "rules",
]
