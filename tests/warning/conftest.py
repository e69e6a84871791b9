"""Shared helpers for the warning tests: a fixed clock and a task factory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fanzha.warning import WarningTask

NOW = datetime(2024, 5, 1, 2, 0, tzinfo=UTC)  # 10:00 in Nanning (UTC+8)


def make_task(**overrides: Any) -> WarningTask:
    """A task signalled five minutes before NOW; keyword arguments replace any field."""
    fields: dict[str, Any] = {
        "id": 1,
        "person_id": 101,
        "phone": "13800138000",
        "district": "青秀区",
        "fraud_type": "impersonate_authority",
        "money_at_risk_fen": 5_000_000,
        "priority": 70.0,
        "created_at": NOW - timedelta(minutes=4),
        "signal_at": NOW - timedelta(minutes=5),
        "sla_due_at": NOW + timedelta(minutes=5),
        "reason": "接到涉诈号码来电/短信",
    }
    fields.update(overrides)
    return WarningTask(**fields)
