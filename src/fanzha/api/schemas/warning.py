"""Bodies of the 预警劝阻 endpoints: events, reports, tasks, outcomes, KPIs."""

from __future__ import annotations

from pydantic import BaseModel, Field

from fanzha.api.schemas.common import STRICT

__all__ = ["CitizenReport"]


class CitizenReport(BaseModel):
    """举报: what a citizen saw; at least one of number, account, url or text."""

    model_config = STRICT
    number: str | None = Field(default=None, max_length=40)
    account: str | None = Field(default=None, max_length=40)
    url: str | None = Field(default=None, max_length=4_000)
    text: str | None = Field(default=None, max_length=20_000)
    reporter_phone: str | None = Field(default=None, max_length=40)
    district: str | None = Field(default=None, max_length=32)
    amount_fen: int = Field(default=0, ge=0, le=10**13)
    being_defrauded: bool = False
