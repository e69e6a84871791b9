"""The audit log: list and verify the hash chain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from fanzha.api._deps import DbSession, page_size, permit
from fanzha.api.schemas.audit import AuditEntryListPublic, AuditEntryPublic, AuditVerifyPublic
from fanzha.api.schemas.common import PageNumber
from fanzha.roles import Actor
from fanzha.store.audit import list_entries, verify_audit_chain

__all__ = ["router"]

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", response_model=AuditEntryListPublic)
def list_audit(
    request: Request,
    db: DbSession,
    _actor: Annotated[Actor, Depends(permit("audit.read"))],
    username: str | None = None,
    object_type: str | None = None,
    page: PageNumber = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AuditEntryListPublic:
    """Audit entries, newest first."""
    per_page = page_size(request, per_page)
    entries, count = list_entries(
        db, username=username, object_type=object_type, page=page, per_page=per_page
    )
    return AuditEntryListPublic(
        data=[AuditEntryPublic.model_validate(entry, from_attributes=True) for entry in entries],
        count=count,
        page=page,
        per_page=per_page,
    )


@router.get("/verify", response_model=AuditVerifyPublic)
def verify(
    request: Request, _actor: Annotated[Actor, Depends(permit("audit.verify"))]
) -> AuditVerifyPublic:
    """Recompute the hash chain; reports the first entry that was changed, removed or inserted."""
    report = verify_audit_chain(request.app.state.engine, request.app.state.audit_chain)
    return AuditVerifyPublic(
        ok=report.ok,
        checked=report.checked,
        first_bad_id=report.first_bad_id,
        problem=report.problem,
    )
