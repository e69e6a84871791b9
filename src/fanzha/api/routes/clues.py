"""线索 over HTTP: make a clue (from the graph, a fund trace or by hand), list, read, move."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from fanzha.api._deps import DbSession, audit, page_size, permit, settings_of
from fanzha.api._operations_service import (
    clue_detail,
    clue_public,
    create_clue,
    transition_clue,
)
from fanzha.api._reasons import ListReason, Reason
from fanzha.api.schemas.common import PageNumber, RecordId
from fanzha.api.schemas.operations import (
    ClueCreate,
    ClueDetailPublic,
    ClueListPublic,
    ClueState,
    ClueTransitionRequest,
)
from fanzha.roles import Actor, district_scope
from fanzha.store import clues as stored

__all__ = ["router"]

router = APIRouter(prefix="/clues", tags=["operations"])


@router.post("", status_code=201, response_model=ClueDetailPublic)
def add_clue(
    body: ClueCreate,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("clue.create"))],
) -> ClueDetailPublic:
    """Make a clue; from the graph the server takes the evidence snapshot itself."""
    clue = create_clue(request, db, actor, body, settings_of(request).clue_sla_hours)
    audit(request, actor, "create", "clue", clue.id, detail=f"{clue.source}")
    return clue_detail(db, clue, datetime.now(UTC))


@router.get("", response_model=ClueListPublic)
def list_clues(
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("clue.list"))],
    state: ClueState | None = None,
    operation_id: RecordId | None = None,
    overdue: Annotated[bool, Query(description="only open clues past their SLA")] = False,
    page: PageNumber = 1,
    per_page: Annotated[int, Query(ge=1, le=1000)] = 50,
    reason: ListReason = None,
) -> ClueListPublic:
    """Clues of the caller's scope: by state or operation, or open ones past their SLA."""
    now = datetime.now(UTC)
    size = page_size(request, per_page)
    found, total = stored.list_clues(
        db,
        scope=district_scope(actor),
        state=state,
        operation_id=operation_id,
        overdue_at=now if overdue else None,
        page=page,
        per_page=size,
    )
    audit(
        request, actor, "list", "clue", "overdue" if overdue else state or "*", reason=reason or ""
    )
    return ClueListPublic(
        count=total, page=page, per_page=size, data=[clue_public(c, now) for c in found]
    )


@router.get("/{clue_id}", response_model=ClueDetailPublic)
def get_clue(
    clue_id: RecordId,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("clue.read"))],
    *,
    reason: Reason,
) -> ClueDetailPublic:
    """A clue with its evidence snapshot, allowed moves and recorded changes."""
    clue = stored.get_clue(db, clue_id, scope=district_scope(actor))
    audit(request, actor, "read", "clue", clue_id, reason=reason)
    return clue_detail(db, clue, datetime.now(UTC))


@router.post("/{clue_id}/transition", response_model=ClueDetailPublic)
def move(
    clue_id: RecordId,
    body: ClueTransitionRequest,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("clue.update"))],
) -> ClueDetailPublic:
    """Move a clue (待研判 → 研判中 → 已扩线 → 已落地 / 无价值); illegal moves get 409 naming
    both states, a stale ``version`` 409 too."""
    clue = transition_clue(db, actor, clue_id, body.to_state, version=body.version, note=body.note)
    audit(request, actor, "update", "clue", clue_id, detail=f"state→{body.to_state}")
    return clue_detail(db, clue, datetime.now(UTC))
