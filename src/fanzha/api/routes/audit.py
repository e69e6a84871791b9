"""The audit log: list and verify the hash chain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from fanzha.api._deps import DbSession, page_size, permit
from fanzha.api.schemas.audit import AuditEntryListPublic, AuditEntryPublic, AuditVerifyPublic
from fanzha.api.schemas.common import ApiTime, PageNumber
from fanzha.roles import Actor
from fanzha.store.audit import list_entries, verify_audit_chain

__all__ = ["router"]

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", response_model=AuditEntryListPublic)
def list_audit(
    request: Request,
    db: DbSession,
    _actor: Annotated[Actor, Depends(permit("audit.read"))],
    username: Annotated[str | None, Query(max_length=64)] = None,
    action: Annotated[str | None, Query(max_length=32)] = None,
    object_type: Annotated[str | None, Query(max_length=32)] = None,
    object_id: Annotated[str | None, Query(max_length=64)] = None,
    since: ApiTime | None = None,
    until: ApiTime | None = None,
    page: PageNumber = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AuditEntryListPublic:
    """Audit entries, newest first, by user, action, object (type and id) and time
    (``since`` ≤ at < ``until``)."""
    per_page = page_size(request, per_page)
    entries, count = list_entries(
        db,
        username=username,
        action=action,
        object_type=object_type,
        object_id=object_id,
        since=since,
        until=until,
        page=page,
        per_page=per_page,
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
