"""重点整治 and 行业治理: key areas, key persons and their follow-ups, sweeps (清查), and
rectification cases (整改) of the outlets the 断卡 ranking puts first.

District-scoped; every read of a key person audited with a reason; names and ID numbers
masked for roles without ``pii.view``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from fanzha.api._deps import DbSession, audit, no_store, page_size, permit
from fanzha.api._graph_service import loaded_graph
from fanzha.api._reasons import ListReason, Reason
from fanzha.api.routes.suspects import PerPage, check_district
from fanzha.api.schemas.common import PageNumber, RecordId
from fanzha.api.schemas.keyareas import (
    FollowUpCreate,
    FollowUpPublic,
    KeyAreaCreate,
    KeyAreaListPublic,
    KeyAreaPublic,
    KeyPersonCreate,
    KeyPersonDetailPublic,
    KeyPersonListPublic,
    KeyPersonPublic,
    RectificationChange,
    RectificationListPublic,
    RectificationOpen,
    RectificationOpenedPublic,
    RectificationPublic,
    SweepCreate,
    SweepListPublic,
    SweepPublic,
    TwoCardRequest,
)
from fanzha.errors import NotFound
from fanzha.graph import Offender, rank_outlets
from fanzha.operations import Rectification, days_overdue
from fanzha.records import local_date
from fanzha.roles import Actor, district_scope, is_allowed
from fanzha.store import keyareas as stored
from fanzha.store import rectifications as stored_rect
from fanzha.store._ops_models import KeyPerson

__all__ = ["router"]

router = APIRouter(tags=["operations"])
AreaWriter = Annotated[Actor, Depends(permit("keyarea.write"))]
AreaReader = Annotated[Actor, Depends(permit("keyarea.read"))]


@router.get("/key-areas", response_model=KeyAreaListPublic)
def list_key_areas(request: Request, db: DbSession, actor: AreaReader) -> KeyAreaListPublic:
    """Key towns and villages in the caller's scope, with their number of key persons."""
    rows = stored.list_key_areas(db, scope=district_scope(actor))
    audit(request, actor, "list", "key_area", "-")
    return KeyAreaListPublic(count=len(rows), data=[KeyAreaPublic.of(a, n) for a, n in rows])


@router.post("/key-areas", status_code=201, response_model=KeyAreaPublic)
def create_key_area(
    body: KeyAreaCreate, request: Request, db: DbSession, actor: AreaWriter
) -> KeyAreaPublic:
    """List a town or village as a key area (重点整治)."""
    check_district(actor, body.district)
    area_id = stored.add_key_area(db, **body.model_dump(), now=datetime.now(UTC))
    audit(request, actor, "create", "key_area", area_id)
    found = [(a, n) for a, n in stored.list_key_areas(db, scope=None) if a.id == area_id]
    return KeyAreaPublic.of(*found[0])


def _person_detail(db: DbSession, row: KeyPerson, *, visible: bool) -> KeyPersonDetailPublic:
    return KeyPersonDetailPublic(
        **KeyPersonPublic.of(row, visible=visible).model_dump(),
        follow_ups=[FollowUpPublic.of(f) for f in stored.key_person_follow_ups(db, row.id)],
    )


@router.get("/key-persons", response_model=KeyPersonListPublic)
def list_key_persons(
    request: Request,
    db: DbSession,
    actor: AreaReader,
    kind: str | None = Query(default=None, max_length=24),
    key_area_id: RecordId | None = None,
    due: bool = False,
    page: PageNumber = 1,
    per_page: PerPage = 50,
    reason: ListReason = None,
) -> KeyPersonListPublic:
    """Active key persons in scope; ``due=true``: those whose follow-up is due today or late,
    most overdue first."""
    per_page = page_size(request, per_page)
    rows, count = stored.list_key_persons(
        db,
        scope=district_scope(actor),
        kind=kind,
        key_area_id=key_area_id,
        due_on=local_date(datetime.now(UTC)) if due else None,
        page=page,
        per_page=per_page,
    )
    audit(request, actor, "list", "key_person", "-", reason=reason or "", detail=f"due={due}")
    visible = is_allowed(actor.role, "pii.view")
    return KeyPersonListPublic(
        data=[KeyPersonPublic.of(r, visible=visible) for r in rows],
        count=count,
        page=page,
        per_page=per_page,
    )


@router.post("/key-persons", status_code=201, response_model=KeyPersonDetailPublic)
def create_key_person(
    body: KeyPersonCreate, request: Request, db: DbSession, actor: AreaWriter
) -> KeyPersonDetailPublic:
    """Add a key person; a 两卡 offender is followed up until their card restriction ends."""
    check_district(actor, body.district)
    new = stored.NewKeyPerson(**body.model_dump())
    key_person_id = stored.add_key_person(db, new, now=datetime.now(UTC))
    audit(request, actor, "create", "key_person", key_person_id)
    row = stored.get_key_person(db, key_person_id, None)
    assert row is not None
    return _person_detail(db, row, visible=is_allowed(actor.role, "pii.view"))


@router.post("/key-persons/two-card", status_code=201, response_model=KeyPersonListPublic)
def create_two_card_key_persons(
    body: TwoCardRequest, request: Request, db: DbSession, actor: AreaWriter
) -> KeyPersonListPublic:
    """两卡 punishments in; everyone still under the five-year restriction (the 断卡 rule of
    ``fanzha.graph``) and not yet listed becomes a key person."""
    for offender in body.offenders:
        check_district(actor, offender.district)
    offenders = [Offender(o.id_number.upper(), o.punished_at) for o in body.offenders]
    ids = stored.add_two_card_key_persons(
        db,
        offenders,
        names={o.id_number.upper(): o.name for o in body.offenders},
        districts={o.id_number.upper(): o.district for o in body.offenders if o.district},
        now=datetime.now(UTC),
    )
    audit(request, actor, "create", "key_person", "-", detail=f"two-card added={len(ids)}")
    visible = is_allowed(actor.role, "pii.view")
    rows = [stored.get_key_person(db, i, None) for i in ids]
    return KeyPersonListPublic(
        data=[KeyPersonPublic.of(r, visible=visible) for r in rows if r is not None],
        count=len(ids),
        page=1,
        per_page=max(1, len(ids)),
    )


@router.get(
    "/key-persons/{key_person_id}",
    dependencies=[Depends(no_store)],
    response_model=KeyPersonDetailPublic,
)
def get_key_person(
    key_person_id: RecordId,
    request: Request,
    db: DbSession,
    reason: Reason,
    actor: AreaReader,
) -> KeyPersonDetailPublic:
    """A key person with their follow-ups."""
    row = stored.get_key_person(db, key_person_id, district_scope(actor))
    if row is None:
        raise NotFound(f"key person {key_person_id} does not exist")
    audit(request, actor, "read", "key_person", key_person_id, reason=reason)
    return _person_detail(db, row, visible=is_allowed(actor.role, "pii.view"))


@router.post("/key-persons/{key_person_id}/follow-ups", response_model=KeyPersonDetailPublic)
def follow_up(
    key_person_id: RecordId,
    body: FollowUpCreate,
    request: Request,
    db: DbSession,
    actor: AreaWriter,
) -> KeyPersonDetailPublic:
    """Record a follow-up visit done now; the next one is planned from today."""
    row = stored.record_follow_up(
        db,
        key_person_id,
        finding=body.finding,
        user_id=actor.user_id,
        now=datetime.now(UTC),
        scope=district_scope(actor),
    )
    audit(request, actor, "update", "key_person", key_person_id, detail="follow-up")
    return _person_detail(db, row, visible=is_allowed(actor.role, "pii.view"))


@router.get("/sweeps", response_model=SweepListPublic)
def list_sweeps(request: Request, db: DbSession, actor: AreaReader) -> SweepListPublic:
    """The latest sweeps (清查) in scope."""
    rows = stored.list_sweeps(db, scope=district_scope(actor))
    audit(request, actor, "list", "sweep", "-")
    return SweepListPublic(count=len(rows), data=[SweepPublic.of(r) for r in rows])


@router.post("/sweeps", status_code=201, response_model=SweepPublic)
def create_sweep(
    body: SweepCreate, request: Request, db: DbSession, actor: AreaWriter
) -> SweepPublic:
    """Record a sweep: day, teams, places, officers, persons checked, findings."""
    check_district(actor, body.district)
    new = stored.NewSweep(
        **body.model_dump(exclude={"teams", "places"}),
        teams=tuple(body.teams),
        places=tuple(body.places),
    )
    sweep_id = stored.add_sweep(db, new, now=datetime.now(UTC))
    audit(request, actor, "create", "sweep", sweep_id)
    return SweepPublic.of(next(s for s in stored.list_sweeps(db, scope=None) if s.id == sweep_id))


def _rect_public(case: Rectification) -> RectificationPublic:
    return RectificationPublic.of(
        case, overdue_days=days_overdue(case, local_date(datetime.now(UTC)))
    )


@router.get("/rectifications", response_model=RectificationListPublic)
def list_rectifications(
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("rectification.read"))],
    state: str | None = Query(default=None, max_length=16),
    overdue: bool = False,
    page: PageNumber = 1,
    per_page: PerPage = 50,
) -> RectificationListPublic:
    """Rectification cases in scope; ``overdue=true``: open ones past their deadline (the
    commander's list), longest overdue first."""
    per_page = page_size(request, per_page)
    rows, count = stored_rect.list_rectifications(
        db,
        scope=district_scope(actor),
        state=state,
        overdue_on=local_date(datetime.now(UTC)) if overdue else None,
        page=page,
        per_page=per_page,
    )
    audit(request, actor, "list", "rectification", "-", detail=f"overdue={overdue}")
    return RectificationListPublic(
        data=[_rect_public(c) for c in rows], count=count, page=page, per_page=per_page
    )


@router.post("/rectifications", status_code=201, response_model=RectificationOpenedPublic)
def open_rectifications(
    body: RectificationOpen,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("rectification.write"))],
) -> RectificationOpenedPublic:
    """Open cases for the outlets the 断卡 ranking puts first (share of their cards that
    turned up in cases, Wilson lower bound) that have no open case yet."""
    now = datetime.now(UTC)
    ranked = rank_outlets(loaded_graph(request, db).graph)
    ids = stored_rect.open_from_ranking(
        db,
        ranked,
        opened_on=local_date(now),
        deadline=body.deadline,
        measures=body.measures,
        now=now,
        user_id=actor.user_id,
        min_score=body.min_score,
        min_case_cards=body.min_case_cards,
        top=body.top,
        operation_id=body.operation_id,
    )
    audit(request, actor, "create", "rectification", "-", detail=f"opened={len(ids)}")
    cases = [stored_rect.get_rectification(db, i, None) for i in ids]
    data = [_rect_public(c) for c in cases if c is not None]
    return RectificationOpenedPublic(count=len(data), data=data)


@router.post("/rectifications/{rectification_id}/transition", response_model=RectificationPublic)
def change_rectification(
    rectification_id: RecordId,
    body: RectificationChange,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("rectification.write"))],
) -> RectificationPublic:
    """Move a case (整改中 → 待复查 → 复查通过 / 复查未通过 …); a move the state machine
    forbids is 409 naming both states."""
    case = stored_rect.change_rectification_state(
        db,
        rectification_id,
        body.to_state,
        version=body.version,
        by_user=actor.username,
        user_id=actor.user_id,
        now=datetime.now(UTC),
        scope=district_scope(actor),
        note=body.note,
        deadline=body.deadline,
        measures=body.measures,
        recheck_result=body.recheck_result,
    )
    audit(request, actor, "update", "rectification", rectification_id, detail=body.to_state)
    return _rect_public(case)
