"""The audit log: list and verify the hash chain."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select

from fanzha.api._audit import Actor, verify_audit_chain
from fanzha.api._deps import DbSession, permit
from fanzha.api.routes.records import paginate
from fanzha.api.schemas.audit import AuditEntryPublic, AuditVerifyPublic
from fanzha.store import AuditEntry

__all__ = ["router"]

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("")
def list_audit(
    request: Request,
    db: DbSession,
    _actor: Annotated[Actor, Depends(permit("audit.read"))],
    username: str | None = None,
    object_type: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    """Audit entries, newest first."""
    query = select(AuditEntry)
    if username:
        query = query.where(AuditEntry.username == username)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    rows, meta = paginate(request, db, query.order_by(AuditEntry.id.desc()), page, per_page)
    data = [AuditEntryPublic.model_validate(row[0], from_attributes=True) for row in rows]
    return {"data": data, **meta}


@router.get("/verify", response_model=AuditVerifyPublic)
def verify(
    request: Request, _actor: Annotated[Actor, Depends(permit("audit.verify"))]
) -> AuditVerifyPublic:
    """Recompute the hash chain; reports the first entry that was changed, removed or inserted."""
    report = verify_audit_chain(request.app.state.engine)
    return AuditVerifyPublic(
        ok=report.ok,
        checked=report.checked,
        first_bad_id=report.first_bad_id,
        problem=report.problem,
    )
