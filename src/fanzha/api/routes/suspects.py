"""犯罪嫌疑人 and 在逃人员: suspects with their legal status, fugitives with their hits.

District-scoped (a district officer sees their district; the city-wide roles all), every
read of a person audited with a reason, names and numbers masked for roles without
``pii.view``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request

from fanzha.api._deps import DbSession, audit, no_store, page_size, permit
from fanzha.api._reasons import ListReason, Reason
from fanzha.api.schemas.common import PageNumber, RecordId
from fanzha.api.schemas.suspects import (
    FugitiveCreate,
    FugitiveDetailPublic,
    FugitiveListPublic,
    FugitivePublic,
    HitPublic,
    IdentifierPublic,
    LegalChangePublic,
    LegalStatusChange,
    SuspectCreate,
    SuspectDetailPublic,
    SuspectListPublic,
    SuspectPublic,
)
from fanzha.errors import NotFound, PermissionDenied
from fanzha.roles import Actor, district_scope, in_scope, is_allowed
from fanzha.store import fugitives as stored_fugitives
from fanzha.store import suspects as stored
from fanzha.store._ops_models import Fugitive, Suspect

__all__ = ["PerPage", "check_district", "router"]

router = APIRouter(tags=["operations"])
PerPage = Annotated[int, Query(ge=1, le=1000)]


def check_district(actor: Actor, district: str | None) -> None:
    """A district officer may only create records of their own district."""
    scope = district_scope(actor)
    if not in_scope(scope, district):
        raise PermissionDenied(
            f"只能登记本辖区（{scope}）的记录 (district {district!r} is out of scope)"
        )


def _suspect_detail(db: DbSession, row: Suspect, *, visible: bool) -> SuspectDetailPublic:
    return SuspectDetailPublic(
        **SuspectPublic.of(row, visible=visible).model_dump(),
        note=row.note,
        identifiers=[
            IdentifierPublic.of(i.kind, i.value, visible=visible)
            for i in stored.suspect_identifiers(db, row.id)
        ],
        history=[LegalChangePublic.of(c) for c in stored.suspect_history(db, row.id)],
    )


@router.get("/suspects", response_model=SuspectListPublic)
def list_suspects(
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("suspect.read"))],
    role: str | None = Query(default=None, max_length=32),
    status: str | None = Query(default=None, max_length=16),
    operation_id: RecordId | None = None,
    page: PageNumber = 1,
    per_page: PerPage = 50,
    reason: ListReason = None,
) -> SuspectListPublic:
    """Suspects (newest first) by role, legal status or operation, in the caller's scope."""
    per_page = page_size(request, per_page)
    rows, count = stored.list_suspects(
        db,
        scope=district_scope(actor),
        role=role,
        status=status,
        operation_id=operation_id,
        page=page,
        per_page=per_page,
    )
    audit(request, actor, "list", "suspect", "-", reason=reason or "", detail=f"page={page}")
    visible = is_allowed(actor.role, "pii.view")
    return SuspectListPublic(
        data=[SuspectPublic.of(r, visible=visible) for r in rows],
        count=count,
        page=page,
        per_page=per_page,
    )


@router.post("/suspects", status_code=201, response_model=SuspectDetailPublic)
def create_suspect(
    body: SuspectCreate,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("suspect.write"))],
) -> SuspectDetailPublic:
    """Record a suspect with their role and identifiers (status 已查明)."""
    check_district(actor, body.district)
    new = stored.NewSuspect(
        **body.model_dump(exclude={"identifiers"}),
        identifiers=tuple((i.kind, i.value) for i in body.identifiers),
    )
    suspect_id = stored.add_suspect(db, new, now=datetime.now(UTC))
    audit(request, actor, "create", "suspect", suspect_id)
    row = stored.get_suspect(db, suspect_id, None)
    assert row is not None
    return _suspect_detail(db, row, visible=is_allowed(actor.role, "pii.view"))


@router.get(
    "/suspects/{suspect_id}", dependencies=[Depends(no_store)], response_model=SuspectDetailPublic
)
def get_suspect(
    suspect_id: RecordId,
    request: Request,
    db: DbSession,
    reason: Reason,
    actor: Annotated[Actor, Depends(permit("suspect.read"))],
) -> SuspectDetailPublic:
    """A suspect with identifiers and the history of legal decisions."""
    row = stored.get_suspect(db, suspect_id, district_scope(actor))
    if row is None:
        raise NotFound(f"suspect {suspect_id} does not exist")
    audit(request, actor, "read", "suspect", suspect_id, reason=reason)
    return _suspect_detail(db, row, visible=is_allowed(actor.role, "pii.view"))


@router.post("/suspects/{suspect_id}/status", response_model=SuspectDetailPublic)
def change_status(
    suspect_id: RecordId,
    body: LegalStatusChange,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("suspect.write"))],
) -> SuspectDetailPublic:
    """A legal decision (刑事拘留, 逮捕, 起诉, 判决, 取保候审, 释放 …) with its day, authority and
    document number; a move the state machine forbids is 409 naming both states."""
    row = stored.change_suspect_status(
        db,
        suspect_id,
        body.to_status,
        version=body.version,
        decided_on=body.decided_on,
        authority=body.authority,
        document_no=body.document_no,
        by_user=actor.username,
        user_id=actor.user_id,
        now=datetime.now(UTC),
        scope=district_scope(actor),
        note=body.note,
    )
    audit(request, actor, "update", "suspect", suspect_id, detail=f"status={body.to_status}")
    return _suspect_detail(db, row, visible=is_allowed(actor.role, "pii.view"))


def _fugitive_detail(db: DbSession, row: Fugitive, *, visible: bool) -> FugitiveDetailPublic:
    return FugitiveDetailPublic(
        **FugitivePublic.of(row, visible=visible).model_dump(),
        note=row.note,
        identifiers=[
            IdentifierPublic.of(i.kind, i.value, visible=visible)
            for i in stored_fugitives.fugitive_identifiers(db, row.id)
        ],
        hits=[HitPublic.of(h, visible=visible) for h in stored_fugitives.fugitive_hits(db, row.id)],
    )


@router.get("/fugitives", response_model=FugitiveListPublic)
def list_fugitives(
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("fugitive.read"))],
    state: Literal["wanted", "caught", "closed"] | None = None,
    page: PageNumber = 1,
    per_page: PerPage = 50,
    reason: ListReason = None,
) -> FugitiveListPublic:
    """The wanted list (newest first) in the caller's scope."""
    per_page = page_size(request, per_page)
    rows, count = stored_fugitives.list_fugitives(
        db, scope=district_scope(actor), state=state, page=page, per_page=per_page
    )
    audit(request, actor, "list", "fugitive", "-", reason=reason or "", detail=f"page={page}")
    visible = is_allowed(actor.role, "pii.view")
    return FugitiveListPublic(
        data=[FugitivePublic.of(r, visible=visible) for r in rows],
        count=count,
        page=page,
        per_page=per_page,
    )


@router.post("/fugitives", status_code=201, response_model=FugitiveDetailPublic)
def create_fugitive(
    body: FugitiveCreate,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("fugitive.write"))],
) -> FugitiveDetailPublic:
    """Put a person on the wanted list; from now on every import and event is matched
    against their identifiers."""
    check_district(actor, body.district)
    new = stored_fugitives.NewFugitive(
        **body.model_dump(exclude={"identifiers"}),
        identifiers=tuple((i.kind, i.value) for i in body.identifiers),
    )
    fugitive_id = stored_fugitives.add_fugitive(db, new, now=datetime.now(UTC))
    audit(request, actor, "create", "fugitive", fugitive_id)
    row = stored_fugitives.get_fugitive(db, fugitive_id, None)
    assert row is not None
    return _fugitive_detail(db, row, visible=is_allowed(actor.role, "pii.view"))


@router.get(
    "/fugitives/{fugitive_id}",
    dependencies=[Depends(no_store)],
    response_model=FugitiveDetailPublic,
)
def get_fugitive(
    fugitive_id: RecordId,
    request: Request,
    db: DbSession,
    reason: Reason,
    actor: Annotated[Actor, Depends(permit("fugitive.read"))],
) -> FugitiveDetailPublic:
    """A fugitive with identifiers and every hit on new records (and the clue it made)."""
    row = stored_fugitives.get_fugitive(db, fugitive_id, district_scope(actor))
    if row is None:
        raise NotFound(f"fugitive {fugitive_id} does not exist")
    audit(request, actor, "read", "fugitive", fugitive_id, reason=reason)
    return _fugitive_detail(db, row, visible=is_allowed(actor.role, "pii.view"))
