"""专项行动 and 打击 over HTTP: operations with their live roll-up, dens, raids, seizures."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request

from fanzha.api._deps import DbSession, audit, permit
from fanzha.api._operations_service import (
    clue_public,
    den_public,
    operation_publics,
    raid_public,
    scoped_district,
)
from fanzha.api._reasons import ListReason
from fanzha.api.schemas.common import RecordId
from fanzha.api.schemas.operations import (
    DenCreate,
    DenListPublic,
    DenPublic,
    OperationCreate,
    OperationDetailPublic,
    OperationListPublic,
    OperationPublic,
    RaidCreate,
    RaidListPublic,
    RaidPublic,
    SeizurePublic,
)
from fanzha.operations import check_den_kind, check_operation, check_seizure
from fanzha.records import local_date
from fanzha.roles import Actor, district_scope
from fanzha.store import clues as stored_clues
from fanzha.store import operations as stored
from fanzha.store.search import districts

__all__ = ["router"]

router = APIRouter(tags=["operations"])


def _today() -> datetime:
    return datetime.now(UTC)


@router.get("/operations", response_model=OperationListPublic)
def list_operations(
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("operation.list"))],
    reason: ListReason = None,
) -> OperationListPublic:
    """Operations covering the caller's district, each with its live figures (战果)."""
    scope = district_scope(actor)
    found = stored.list_operations(db, scope=scope)
    audit(request, actor, "list", "operation", "*", reason=reason or "")
    data = operation_publics(db, found, scope, local_date(_today()))
    return OperationListPublic(count=len(data), data=data)


@router.post("/operations", status_code=201, response_model=OperationPublic)
def add_operation(
    body: OperationCreate,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("operation.write"))],
) -> OperationPublic:
    """Open an operation: name, period, districts (none: the whole city), lead unit."""
    scope = check_operation(body.name, body.starts_on, body.ends_on, body.districts, districts(db))
    made = stored.add_operation(
        db,
        stored.NewOperation(
            name=body.name,
            starts_on=body.starts_on,
            ends_on=body.ends_on,
            districts=scope,
            lead_unit=body.lead_unit,
            officers=body.officers,
            outreach_sites=body.outreach_sites,
            description=body.description,
            created_by=actor.user_id,
        ),
    )
    audit(request, actor, "create", "operation", made.id)
    return operation_publics(db, [made], None, local_date(_today()))[0]


@router.get("/operations/{operation_id}", response_model=OperationDetailPublic)
def get_operation(
    operation_id: RecordId,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("operation.read"))],
    reason: ListReason = None,
) -> OperationDetailPublic:
    """An operation, its figures, and its raids, dens and clues (of the caller's scope)."""
    scope = district_scope(actor)
    op = stored.get_operation(db, operation_id, scope=scope)
    public = operation_publics(db, [op], scope, local_date(_today()))[0]
    audit(request, actor, "read", "operation", operation_id, reason=reason or "")
    clues, _ = stored_clues.list_clues(db, scope=scope, operation_id=operation_id, per_page=200)
    now = _today()
    return OperationDetailPublic(
        **public.model_dump(),
        raids=[raid_public(r) for r in stored.list_raids(db, scope=scope, operation_id=op.id)],
        dens=[den_public(d) for d in stored.list_dens(db, scope=scope, operation_id=op.id)],
        clues=[clue_public(c, now) for c in clues],
    )


@router.get("/dens", response_model=DenListPublic)
def list_dens(
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("den.list"))],
    operation_id: RecordId | None = None,
    kind: str | None = None,
    reason: ListReason = None,
) -> DenListPublic:
    """Dens of the caller's scope (by operation or kind), with their raid counts."""
    found = stored.list_dens(db, scope=district_scope(actor), operation_id=operation_id, kind=kind)
    audit(request, actor, "list", "den", kind or "*", reason=reason or "")
    return DenListPublic(count=len(found), data=[den_public(d) for d in found])


@router.post("/dens", status_code=201, response_model=DenPublic)
def add_den(
    body: DenCreate,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("den.write"))],
) -> DenPublic:
    """Record a den (suspected from the graph, reported or by hand) in the caller's scope."""
    made = stored.add_den(
        db,
        stored.NewDen(
            name=body.name,
            kind=check_den_kind(body.kind),
            district=scoped_district(actor, body.district),
            town=body.town,
            village=body.village,
            address=body.address,
            source=body.source,
            source_ref=body.source_ref,
            gang_id=body.gang_id,
            operation_id=body.operation_id,
            clue_id=body.clue_id,
            note=body.note,
            created_by=actor.user_id,
        ),
    )
    audit(request, actor, "create", "den", made.id)
    return den_public(made)


@router.get("/dens/{den_id}", response_model=DenPublic)
def get_den(
    den_id: RecordId,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("den.list"))],
    reason: ListReason = None,
) -> DenPublic:
    """One den of the caller's scope."""
    found = stored.get_den(db, den_id, scope=district_scope(actor))
    audit(request, actor, "read", "den", den_id, reason=reason or "")
    return den_public(found)


@router.get("/raids", response_model=RaidListPublic)
def list_raids(
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("raid.list"))],
    operation_id: RecordId | None = None,
    den_id: RecordId | None = None,
    reason: ListReason = None,
) -> RaidListPublic:
    """Raids of the caller's scope (by operation or den) with what they seized."""
    found = stored.list_raids(
        db, scope=district_scope(actor), operation_id=operation_id, den_id=den_id
    )
    audit(request, actor, "list", "raid", "*", reason=reason or "")
    return RaidListPublic(count=len(found), data=[raid_public(r) for r in found])


@router.post("/raids", status_code=201, response_model=RaidPublic)
def add_raid(
    body: RaidCreate,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("raid.write"))],
) -> RaidPublic:
    """Record a raid and its seizures by kind (cash in fen); its den becomes 已打掉."""
    scope = district_scope(actor)
    for item in body.seizures:
        check_seizure(item.kind, item.count, item.amount_fen)
    if body.operation_id is not None:
        stored.get_operation(db, body.operation_id, scope=scope)
    if body.clue_id is not None:
        stored_clues.get_clue(db, body.clue_id, scope=scope)
    made = stored.add_raid(
        db,
        stored.NewRaid(
            raided_at=body.raided_at,
            district=scoped_district(actor, body.district),
            den_id=body.den_id,
            operation_id=body.operation_id,
            clue_id=body.clue_id,
            officers=body.officers,
            suspects_caught=body.suspects_caught,
            note=body.note,
            seizures=tuple(
                stored.NewSeizure(s.kind, s.count, s.amount_fen, s.case_id, s.note)
                for s in body.seizures
            ),
            created_by=actor.user_id,
        ),
    )
    audit(request, actor, "create", "raid", made.id)
    return raid_public(made)


@router.get("/raids/{raid_id}", response_model=RaidPublic)
def get_raid(
    raid_id: RecordId,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("raid.list"))],
    reason: ListReason = None,
) -> RaidPublic:
    """One raid of the caller's scope with its seizures."""
    found = stored.get_raid(db, raid_id, scope=district_scope(actor))
    audit(request, actor, "read", "raid", raid_id, reason=reason or "")
    return raid_public(found)


@router.get("/seizures", response_model=list[SeizurePublic])
def list_seizures(
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("raid.list"))],
    operation_id: RecordId | None = None,
    reason: ListReason = None,
) -> list[SeizurePublic]:
    """Seizures of the caller's scope (by operation), by raid."""
    raids = stored.list_raids(db, scope=district_scope(actor), operation_id=operation_id)
    audit(request, actor, "list", "seizure", operation_id or "*", reason=reason or "")
    return [item for raid in raids for item in raid_public(raid).seizures]
