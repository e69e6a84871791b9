"""Bodies of the record look-ups: cases, persons, phone numbers, bank accounts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

__all__ = ["CasePublic"]


class CasePublic(BaseModel):
    id: int
    case_no: str
    fraud_type: str
    fraud_type_name: str
    amount_lost_fen: int
    district: str | None
    occurred_at: datetime
    reported_at: datetime
    status: str
    victim_id: int | None
    victim_name: str | None = None
    summary: str = ""
    detail: dict[str, Any] | None = None
