"""Bodies of citizen reports (举报): the public receipt and the officers' review queue."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Literal, Self

from pydantic import BaseModel, Field

from fanzha.api.schemas.common import STRICT, PagePublic, fraud_type_name, public_of
from fanzha.api.schemas.screening import VerdictPublic
from fanzha.store import CitizenReport

__all__ = [
    "REPORT_STATE_LABELS",
    "CitizenReportRequest",
    "ReportDecision",
    "ReportDecisionPublic",
    "ReportListPublic",
    "ReportPublic",
    "ReportReceiptPublic",
]

REPORT_STATE_LABELS = {"pending": "待审核", "accepted": "已采纳", "rejected": "已驳回"}
_REPORT_PII = {"number": "phone", "account": "account", "reporter_phone": "phone"}


class CitizenReportRequest(BaseModel):
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


class ReportReceiptPublic(BaseModel):
    """举报 received: a receipt id and the verdicts on what was sent — the same shape for any
    number, and nothing about what the police already know."""

    receipt_id: int
    verdicts: list[VerdictPublic]
    message: str


class ReportPublic(BaseModel):
    """A report in the review queue; numbers masked for roles without ``pii.view``."""

    id: int
    received_at: datetime
    state: str
    state_label: str
    district: str | None
    number: str | None
    account: str | None
    url: str | None
    text: str | None
    reporter_phone: str | None
    amount_fen: int
    being_defrauded: bool
    risk: float | None
    fraud_type: str | None
    fraud_type_name: str
    verdicts: list[VerdictPublic]
    reviewed_by: int | None
    reviewed_by_name: str | None
    reviewed_at: datetime | None
    review_note: str
    event_id: int | None

    @classmethod
    def of(cls, report: CitizenReport, *, visible: bool, names: dict[int, str]) -> Self:
        """The stored report, masked unless ``visible``; reviewer names from ``names``."""
        return public_of(
            cls,
            report,
            visible=visible,
            masked=_REPORT_PII,
            state_label=REPORT_STATE_LABELS.get(report.state, report.state),
            fraud_type_name=fraud_type_name(report.fraud_type),
            verdicts=json.loads(report.verdicts or "[]"),
            reviewed_by_name=names.get(report.reviewed_by) if report.reviewed_by else None,
        )


class ReportListPublic(PagePublic):
    """One page of the review queue."""

    data: list[ReportPublic]


class ReportDecision(BaseModel):
    """An officer's decision: accept (the warning rules then apply) or reject, with a note."""

    model_config = STRICT
    decision: Literal["accept", "reject"]
    note: str = Field(default="", max_length=500)


class ReportDecisionPublic(BaseModel):
    """The decided report and, when accepted, the event, tasks and flags it made."""

    report: ReportPublic
    event_id: int | None
    created_task_ids: list[int]
    merged_task_ids: list[int]
    flagged: list[str]
