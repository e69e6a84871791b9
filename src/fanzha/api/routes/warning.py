"""The 预警劝阻 workflow over HTTP: events in, the queue, outcomes, KPIs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from fanzha.api._deps import DbSession, audit, page_size, permit, settings_of
from fanzha.api._reasons import ListReason, Reason
from fanzha.api._warning_service import (
    assign_open_tasks,
    ingest_signals,
    record_task_outcome,
    transition_task,
)
from fanzha.api.schemas.common import ApiTime, PageNumber, RecordId
from fanzha.api.schemas.records import PersonPublic
from fanzha.api.schemas.warning import (
    AssignmentListPublic,
    AssignmentPublic,
    EventCreate,
    EventCreatedPublic,
    EventListPublic,
    EventPublic,
    IgnoredEventPublic,
    KpiReportPublic,
    OutcomeRecordedPublic,
    OutcomeRequest,
    TaskDetailPublic,
    TaskEventPublic,
    TaskListPublic,
    TaskOutcomePublic,
    TaskPublic,
    TaskTransitionPublic,
    TransitionRequest,
)
from fanzha.errors import InvalidInput
from fanzha.roles import Actor, district_scope, in_scope, is_allowed
from fanzha.store import records as stored_records
from fanzha.store import users as stored_users
from fanzha.store import warning as stored
from fanzha.warning import (
    EventSignal,
    Outcome,
    TaskState,
    WarningTask,
    age_of,
    tasks_by_state,
    warning_kpis,
)

__all__ = ["router"]

router = APIRouter(tags=["warning"])


def _signal(db: Session, body: EventCreate, scope: str | None) -> EventSignal:
    """The signal of an event, completed with the district, phone and age of its person.

    A district officer (``scope``) records signals of the own district only: a person of
    another district does not exist for them, another district is refused.
    """
    if not in_scope(scope, body.district or scope):
        raise InvalidInput(
            f"不能登记{body.district}的预警信号 (not your district)", field="district"
        )
    district = body.district or scope
    phone = body.phone
    age = None
    if body.person_id is not None:
        person = stored_records.get_person(db, body.person_id, scope)
        if person is None:
            raise InvalidInput(f"person {body.person_id} does not exist", field="person_id")
        district = body.district or person.district
        phone = phone or person.phone_number
        age = age_of(person.birth_date)
    return EventSignal(
        kind=body.kind,
        occurred_at=body.occurred_at or datetime.now(UTC),
        person_id=body.person_id,
        age=age,
        district=district,
        phone=phone,
        amount_at_risk_fen=body.amount_at_risk_fen,
        fraud_type=body.fraud_type,
        risk=body.risk,
        counterparty=body.counterparty,
        detail=body.detail,
    )


@router.post("/events", status_code=201, response_model=EventCreatedPublic)
def create_event(
    body: EventCreate,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("event.create"))],
) -> EventCreatedPublic:
    """Store a signal; the warning rules open a task from it or merge it into an open one."""
    result = ingest_signals(
        db, actor, [_signal(db, body, district_scope(actor))], datetime.now(UTC)
    )
    audit(request, actor, "create", "event", result.event_ids[0])
    for fugitive_id, clue_id in zip(result.hit_fugitive_ids, result.hit_clue_ids, strict=True):
        audit(
            request,
            actor,
            "hit",
            "fugitive",
            fugitive_id,
            reason="在逃人员比对 (new event)",
            detail=f"clue {clue_id}, event {result.event_ids[0]}",
        )
    return EventCreatedPublic(
        event_id=result.event_ids[0],
        created_task_ids=result.created_task_ids,
        merged_task_ids=result.merged_task_ids,
        flagged=result.flagged,
        ignored=[IgnoredEventPublic(index=i.index, reason=i.reason) for i in result.ignored],
    )


@router.get("/events", response_model=EventListPublic)
def list_events(
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("event.list"))],
    kind: str | None = None,
    page: PageNumber = 1,
    per_page: Annotated[int, Query(ge=1, le=1000)] = 50,
    reason: ListReason = None,
) -> EventListPublic:
    """Signals, newest first; the read is audited."""
    per_page = page_size(request, per_page)
    events, count = stored.list_events(
        db, kind=kind, page=page, per_page=per_page, scope=district_scope(actor)
    )
    audit(
        request,
        actor,
        "list",
        "event",
        "*",
        reason=reason or "",
        detail=f"page={page} per_page={per_page} kind={kind} shown={len(events)}",
    )
    visible = is_allowed(actor.role, "pii.view")
    return EventListPublic(
        data=[EventPublic.of(event, visible=visible) for event in events],
        count=count,
        page=page,
        per_page=per_page,
    )


@router.get("/tasks", response_model=TaskListPublic)
def list_tasks(
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("task.list"))],
    state: Annotated[list[TaskState] | None, Query()] = None,
    district: str | None = None,
    assigned_to: RecordId | None = None,
    mine: bool = False,
    open_only: bool = False,
    sort: Literal["priority", "sla", "created"] = "priority",
    page: PageNumber = 1,
    per_page: Annotated[int, Query(ge=1, le=1000)] = 50,
    reason: ListReason = None,
) -> TaskListPublic:
    """The warning queue: filtered, most urgent first (or by SLA due time, or newest); the read
    is audited."""
    per_page = page_size(request, per_page)
    states = state or (stored.OPEN_STATE_VALUES if open_only else [])
    tasks, count = stored.list_tasks(
        db,
        states=states,
        district=district,
        assigned_to=actor.user_id if mine else assigned_to,
        sort=sort,
        page=page,
        per_page=per_page,
        scope=district_scope(actor),
    )
    audit(
        request,
        actor,
        "list",
        "warning_task",
        "*",
        reason=reason or "",
        detail=(
            f"page={page} per_page={per_page} state={','.join(states)} district={district} "
            f"assigned_to={assigned_to} mine={mine} shown={len(tasks)}"
        ),
    )
    names = stored_users.user_names(db, (int(t.assigned_to) for t in tasks if t.assigned_to))
    visible = is_allowed(actor.role, "pii.view")
    return TaskListPublic(
        data=[TaskPublic.of(t, visible=visible, names=names) for t in tasks],
        count=count,
        page=page,
        per_page=per_page,
    )


def _detail(
    db: Session, task_id: int, actor: Actor, task: WarningTask | None = None
) -> TaskDetailPublic:
    """The stored task with its person, history, signals and the moves open to it (``task``:
    the task already read in this request, not read again)."""
    scope = district_scope(actor)
    if task is None:
        task = stored.get_task(db, task_id, scope=scope)
    history = stored.task_history(db, task_id)
    names = stored_users.user_names(
        db,
        {
            int(user)
            for user in [
                task.assigned_to,
                *(t.user_id for t in history.transitions),
                *(o.user_id for o in history.outcomes),
            ]
            if user
        },
    )
    visible = is_allowed(actor.role, "pii.view")
    person = stored_records.get_person(db, task.person_id, scope) if task.person_id else None
    return TaskDetailPublic.with_history(
        TaskPublic.of(task, visible=visible, names=names),
        person=PersonPublic.of(person, visible=visible) if person else None,
        transitions=[TaskTransitionPublic.of(t, names) for t in history.transitions],
        outcomes=[TaskOutcomePublic.of(o, names) for o in history.outcomes],
        events=[TaskEventPublic.model_validate(e) for e in history.events],
    )


@router.get("/tasks/{task_id}", response_model=TaskDetailPublic)
def get_task(
    task_id: RecordId,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("task.read"))],
    reason: Reason,
) -> TaskDetailPublic:
    """One task with the person, its signals, contact history and the moves allowed now."""
    task = stored.get_task(db, task_id, scope=district_scope(actor))
    audit(request, actor, "read", "warning_task", task_id, reason=reason)
    if task.person_id:
        audit(
            request, actor, "read", "person", task.person_id, reason=f"预警任务 {task_id}: {reason}"
        )
    return _detail(db, task_id, actor, task)


@router.post("/tasks/{task_id}/transition", response_model=TaskDetailPublic)
def move_task(
    task_id: RecordId,
    body: TransitionRequest,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("task.update"))],
) -> TaskDetailPublic:
    """Move a task to another state; illegal moves get 409 naming both states."""
    transition_task(
        db,
        actor,
        task_id,
        body.to_state,
        version=body.version,
        note=body.note,
        assigned_to=body.assigned_to,
        paid_fen=body.paid_fen,
    )
    audit(request, actor, "update", "warning_task", task_id, detail=f"state→{body.to_state}")
    return _detail(db, task_id, actor)


@router.post("/tasks/{task_id}/outcomes", status_code=201, response_model=OutcomeRecordedPublic)
def add_outcome(
    task_id: RecordId,
    body: OutcomeRequest,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("task.update"))],
) -> OutcomeRecordedPublic:
    """Record one contact attempt (call, SMS, 96110 call, visit) and its result."""
    outcome = Outcome(
        channel=body.channel,
        result=body.result,
        note=body.note,
        money_saved_fen=body.money_saved_fen,
        paid_fen=body.paid_fen,
        confirm_saved=body.confirm_saved,
        saved_reason=body.saved_reason,
    )
    ceiling = settings_of(request).saved_ceiling_fen
    done = record_task_outcome(
        db, actor, task_id, outcome, version=body.version, saved_ceiling_fen=ceiling
    )
    audit(
        request,
        actor,
        "update",
        "warning_task",
        task_id,
        detail=f"outcome {body.channel}/{body.result}",
    )
    return OutcomeRecordedPublic(
        **_detail(db, task_id, actor).model_dump(),
        suggested_state=done.suggested_state,
        suggestion=done.suggestion,
    )


@router.post("/tasks/assign", response_model=AssignmentListPublic)
def assign_tasks(
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("task.assign"))],
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> AssignmentListPublic:
    """Assign new tasks to warning officers by district and load, most urgent first."""
    done = assign_open_tasks(db, actor, limit=limit)
    audit(request, actor, "update", "warning_task", "assign", detail=f"{len(done)} tasks")
    return AssignmentListPublic(
        data=[AssignmentPublic.model_validate(item.to_dict()) for item in done], count=len(done)
    )


@router.get("/kpis", response_model=KpiReportPublic)
def kpis(
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("kpi.read"))],
    since: ApiTime | None = None,
    until: ApiTime | None = None,
    district: str | None = None,
) -> KpiReportPublic:
    """Tasks by state, time to first contact, dissuasion rate, money saved; by district, officer."""
    frame = stored.tasks_frame(
        request.app.state.engine,
        since=since,
        until=until,
        district=district,
        scope=district_scope(actor),
    )
    now = datetime.now(UTC)
    ceiling = settings_of(request).saved_ceiling_fen
    by_officer = warning_kpis(frame, now, by="assigned_to", saved_ceiling_fen=ceiling).to_dicts()
    names = stored_users.user_names(
        db, (int(r["assigned_to"]) for r in by_officer if r["assigned_to"])
    )
    for item in by_officer:
        item["officer_name"] = (
            names.get(int(item["assigned_to"])) if item["assigned_to"] else "未分派"
        )
    return KpiReportPublic.model_validate(
        {
            "overall": warning_kpis(frame, now, saved_ceiling_fen=ceiling).to_dicts()[0],
            "by_state": tasks_by_state(frame).to_dicts(),
            "by_district": warning_kpis(
                frame, now, by="district", saved_ceiling_fen=ceiling
            ).to_dicts(),
            "by_officer": by_officer,
        }
    )
