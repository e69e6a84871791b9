"""The phone-risk model: is a number used for fraud, from its usage features and its call
graph; the phone-user tables and adjacency matrices it reads, and the figures it reports."""

from __future__ import annotations

from fanzha.phonerisk._metrics import phone_metrics
from fanzha.phonerisk._model import PhoneRiskModel
from fanzha.phonerisk._table import load_adjacency, phone_table_from_frame, read_phone_table

__all__ = [
    "PhoneRiskModel",
    "load_adjacency",
    "phone_metrics",
    "phone_table_from_frame",
    "read_phone_table",
]
