"""举报: citizens report without logging in; warning and outreach officers review the queue."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request

from fanzha.api._deps import DbSession, audit, limit_public, page_size, permit
from fanzha.api._reports_service import decide_report, screen_report
from fanzha.api.routes.screening import screener_of
from fanzha.api.schemas.common import PageNumber, RecordId
from fanzha.api.schemas.reports import (
    CitizenReportRequest,
    ReportDecision,
    ReportDecisionPublic,
    ReportListPublic,
    ReportPublic,
    ReportReceiptPublic,
)
from fanzha.roles import Actor, district_scope, is_allowed
from fanzha.store import reports as stored
from fanzha.store import users as stored_users

__all__ = ["router"]

router = APIRouter(tags=["reports"])
Reviewer = Annotated[Actor, Depends(permit("report.review"))]


@router.post(
    "/reports",
    status_code=201,
    response_model=ReportReceiptPublic,
    dependencies=[Depends(limit_public)],
)
def citizen_report(
    body: CitizenReportRequest,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("report.create"))],
) -> ReportReceiptPublic:
    """举报: a number, account, link or message is screened and queued for an officer's review.

    The answer is a receipt and the verdicts on what was sent, the same for any number: a
    report neither reveals nor changes what the police know until an officer accepts it.
    """
    report, verdicts = screen_report(screener_of(request), body, datetime.now(UTC))
    report_id = stored.add_report(db, report)
    audit(request, actor, "create", "report", report_id)
    return ReportReceiptPublic(
        receipt_id=report_id,
        verdicts=verdicts,
        message="举报已受理，将由民警审核，感谢您的支持。如正在被骗，请立即拨打 110 或 96110。",
    )


@router.get("/reports", response_model=ReportListPublic)
def list_reports(
    request: Request,
    db: DbSession,
    actor: Reviewer,
    state: Literal["pending", "accepted", "rejected"] | None = None,
    page: PageNumber = 1,
    per_page: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> ReportListPublic:
    """The review queue (oldest first); a district officer sees their district's reports and
    those naming no district."""
    per_page = page_size(request, per_page)
    reports, count = stored.list_reports(
        db, state=state, district=district_scope(actor), page=page, per_page=per_page
    )
    audit(request, actor, "list", "report", "-", detail=f"state={state or 'all'} page={page}")
    names = stored_users.user_names(db, (r.reviewed_by for r in reports if r.reviewed_by))
    visible = is_allowed(actor.role, "pii.view")
    return ReportListPublic(
        data=[ReportPublic.of(r, visible=visible, names=names) for r in reports],
        count=count,
        page=page,
        per_page=per_page,
    )


@router.post("/reports/{report_id}/decision", response_model=ReportDecisionPublic)
def decide(
    report_id: RecordId,
    body: ReportDecision,
    request: Request,
    db: DbSession,
    actor: Reviewer,
) -> ReportDecisionPublic:
    """Accept (the warning rules may open or join a task and flag the number) or reject a
    pending report; a decided report gets 409."""
    accept = body.decision == "accept"
    result = decide_report(db, actor, report_id, accept=accept, note=body.note)
    audit(request, actor, "review", "report", report_id, detail=body.decision)
    db.flush()
    db.expire_all()
    report = stored.get_report(db, report_id)
    assert report is not None
    names = stored_users.user_names(db, [report.reviewed_by] if report.reviewed_by else [])
    return ReportDecisionPublic(
        report=ReportPublic.of(report, visible=is_allowed(actor.role, "pii.view"), names=names),
        event_id=result.event_ids[0] if result.event_ids else None,
        created_task_ids=result.created_task_ids,
        merged_task_ids=result.merged_task_ids,
        flagged=result.flagged,
    )
