"""The 预警劝阻 workflow over HTTP: events and reports in, the queue, outcomes, KPIs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import polars as pl
from fastapi import APIRouter, Depends, Query, Request
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy import Engine, select

from fanzha.api._deps import DbSession, audit, permit
from fanzha.api._views import fraud_type_name, person_view
from fanzha.api._warning_service import (
    OPEN_STATE_VALUES,
    assign_open_tasks,
    ingest_signals,
    load_task,
    record_task_outcome,
    signal_age,
    transition_task,
)
from fanzha.api.routes.records import paginate
from fanzha.api.routes.screening import screener_of
from fanzha.api.schemas.warning import CitizenReport
from fanzha.errors import InvalidInput
from fanzha.masking import mask_value
from fanzha.roles import Actor, is_allowed
from fanzha.store import Event, Person, TaskTransition, User, read_tables
from fanzha.store import Outcome as OutcomeRow
from fanzha.store import WarningTask as TaskRow
from fanzha.warning import (
    BAND_LABELS,
    CHANNEL_LABELS,
    CHANNEL_RESULTS,
    RESULT_LABELS,
    STATE_LABELS,
    EventSignal,
    Outcome,
    allowed_transitions,
    priority_band,
    tasks_by_state,
    warning_kpis,
)

__all__ = ["router", "task_view"]

router = APIRouter(tags=["warning"])
_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)


class EventCreate(BaseModel):
    """A signal: someone may be being defrauded now."""

    model_config = _STRICT
    kind: Literal["fraud_call", "flagged_transfer", "citizen_report", "screening_hit"]
    occurred_at: AwareDatetime | None = None
    person_id: int | None = None
    phone: str | None = Field(default=None, max_length=40)
    district: str | None = Field(default=None, max_length=32)
    amount_at_risk_fen: int = Field(default=0, ge=0, le=10**13)
    fraud_type: str | None = Field(default=None, max_length=32)
    risk: float | None = Field(default=None, ge=0, le=1)
    counterparty: str | None = Field(default=None, max_length=512)
    detail: str = Field(default="", max_length=4000)


class TransitionRequest(BaseModel):
    model_config = _STRICT
    to_state: str = Field(min_length=1, max_length=32)
    version: int = Field(ge=1)
    note: str = Field(default="", max_length=4000)
    assigned_to: int | None = None
    paid_fen: int | None = Field(default=None, ge=0, le=10**13)


class OutcomeRequest(BaseModel):
    model_config = _STRICT
    channel: str = Field(min_length=1, max_length=16)
    result: str = Field(min_length=1, max_length=32)
    version: int = Field(ge=1)
    note: str = Field(default="", max_length=4000)
    money_saved_fen: int | None = Field(default=None, ge=0, le=10**13)
    paid_fen: int | None = Field(default=None, ge=0, le=10**13)


def task_view(row: TaskRow, *, visible: bool, assignee: str | None = None) -> dict[str, Any]:
    """A task as the API and the UI show it."""
    band = priority_band(row.priority)
    return {
        "id": row.id,
        "person_id": row.person_id,
        "phone_number": mask_value("phone", row.phone_number, visible=visible),
        "district": row.district,
        "fraud_type": row.fraud_type,
        "fraud_type_name": fraud_type_name(row.fraud_type),
        "money_at_risk_fen": row.money_at_risk_fen,
        "priority": round(row.priority, 1),
        "band": band,
        "band_label": BAND_LABELS[band],
        "state": row.state,
        "state_label": STATE_LABELS.get(row.state, row.state),
        "assigned_to": row.assigned_to,
        "assignee_name": assignee,
        "reason": row.reason,
        "signal_at": row.signal_at,
        "created_at": row.created_at,
        "sla_due_at": row.sla_due_at,
        "first_contact_at": row.first_contact_at,
        "closed_at": row.closed_at,
        "contact_count": row.contact_count,
        "money_saved_fen": row.money_saved_fen,
        "version": row.version,
    }


def _signal(db: DbSession, body: EventCreate) -> EventSignal:
    district = body.district
    phone = body.phone
    if body.person_id is not None:
        person = db.get(Person, body.person_id)
        if person is None:
            raise InvalidInput(f"person {body.person_id} does not exist", field="person_id")
        district = district or person.district
        phone = phone or person.phone_number
    return EventSignal(
        kind=body.kind,
        occurred_at=body.occurred_at or datetime.now(UTC),
        person_id=body.person_id,
        age=signal_age(db, body.person_id),
        district=district,
        phone=phone,
        amount_at_risk_fen=body.amount_at_risk_fen,
        fraud_type=body.fraud_type,
        risk=body.risk,
        counterparty=body.counterparty,
        detail=body.detail,
    )


@router.post("/events", status_code=201)
def create_event(
    body: EventCreate,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("event.create"))],
) -> dict[str, Any]:
    """Store a signal; the warning rules open a task from it or merge it into an open one."""
    result = ingest_signals(db, actor, [_signal(db, body)], datetime.now(UTC))
    audit(request, actor, "create", "event", result.event_ids[0])
    return {
        "event_id": result.event_ids[0],
        "created_task_ids": result.created_task_ids,
        "merged_task_ids": result.merged_task_ids,
        "flagged": result.flagged,
        "ignored": result.ignored,
    }


@router.get("/events")
def list_events(
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("event.list"))],
    kind: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> dict[str, Any]:
    """Signals, newest first."""
    query = select(Event)
    if kind:
        query = query.where(Event.kind == kind)
    rows, meta = paginate(
        request, db, query.order_by(Event.occurred_at.desc(), Event.id.desc()), page, per_page
    )
    visible = is_allowed(actor.role, "pii.view")
    data = [
        {
            "id": e.id,
            "kind": e.kind,
            "occurred_at": e.occurred_at,
            "person_id": e.person_id,
            "district": e.district,
            "phone_number": mask_value("phone", e.phone_number, visible=visible),
            "counterpart": e.counterpart,
            "amount_at_risk_fen": e.amount_at_risk_fen,
            "fraud_type": e.fraud_type,
            "risk": e.risk,
            "task_id": e.task_id,
            "source": e.source,
        }
        for (e,) in rows
    ]
    return {"data": data, **meta}


@router.post("/reports", status_code=201)
def citizen_report(
    body: CitizenReport,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("report.create"))],
) -> dict[str, Any]:
    """举报: a citizen reports a number, account, link or message; screened, stored as an event."""
    values = [
        (kind, value)
        for kind, value in (("phone", body.number), ("url", body.url), ("text", body.text))
        if value
    ]
    if not values and not body.account:
        raise InvalidInput("give at least one of number, account, url or text", field="body")
    screener = screener_of(request)
    verdicts = [screener.screen(value, kind=kind) for kind, value in values]
    top = max(verdicts, key=lambda v: v.risk, default=None)
    fraud_type = (
        top.fraud_type.code if top is not None and top.fraud_type.category == "fraud" else None
    )
    counterparty = body.number or body.account or body.url
    signal = EventSignal(
        kind="citizen_report",
        occurred_at=datetime.now(UTC),
        district=body.district,
        phone=body.reporter_phone if body.being_defrauded else None,
        amount_at_risk_fen=body.amount_fen,
        fraud_type=fraud_type,
        risk=top.risk if top is not None else None,
        counterparty=counterparty,
        source="citizen",
        detail=(body.text or "")[:4000],
    )
    result = ingest_signals(db, actor, [signal], datetime.now(UTC))
    audit(request, actor, "create", "report", result.event_ids[0])
    return {
        "event_id": result.event_ids[0],
        "task_ids": result.created_task_ids + result.merged_task_ids,
        "flagged": result.flagged,
        "verdicts": [v.to_dict() for v in verdicts],
        "message": "举报已受理，感谢您的支持。如正在被骗，请立即拨打 110 或 96110。",
    }


def _names(db: DbSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())  # type: ignore[arg-type]


@router.get("/tasks")
def list_tasks(
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("task.list"))],
    state: Annotated[list[str] | None, Query()] = None,
    district: str | None = None,
    assigned_to: int | None = None,
    mine: bool = False,
    open_only: bool = False,
    sort: Literal["priority", "sla", "created"] = "priority",
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> dict[str, Any]:
    """The warning queue: filtered, most urgent first (or by SLA due time, or newest)."""
    query = select(TaskRow)
    if state:
        query = query.where(TaskRow.state.in_(state))
    elif open_only:
        query = query.where(TaskRow.state.in_(OPEN_STATE_VALUES))
    if district:
        query = query.where(TaskRow.district == district)
    if mine:
        assigned_to = actor.user_id
    if assigned_to is not None:
        query = query.where(TaskRow.assigned_to == assigned_to)
    order = {
        "priority": (TaskRow.priority.desc(), TaskRow.sla_due_at, TaskRow.id),
        "sla": (TaskRow.sla_due_at, TaskRow.priority.desc(), TaskRow.id),
        "created": (TaskRow.created_at.desc(), TaskRow.id.desc()),
    }[sort]
    rows, meta = paginate(request, db, query.order_by(*order), page, per_page)
    tasks = [row for (row,) in rows]
    names = _names(db, {t.assigned_to for t in tasks if t.assigned_to is not None})
    visible = is_allowed(actor.role, "pii.view")
    data = [task_view(t, visible=visible, assignee=names.get(t.assigned_to or -1)) for t in tasks]
    return {"data": data, **meta}


def _detail(db: DbSession, row: TaskRow, actor: Actor) -> dict[str, Any]:
    visible = is_allowed(actor.role, "pii.view")
    transitions = db.scalars(
        select(TaskTransition).where(TaskTransition.task_id == row.id).order_by(TaskTransition.id)
    ).all()
    outcomes = db.scalars(
        select(OutcomeRow).where(OutcomeRow.task_id == row.id).order_by(OutcomeRow.id)
    ).all()
    names = _names(
        db,
        {
            u
            for u in [
                row.assigned_to,
                *(t.user_id for t in transitions),
                *(o.user_id for o in outcomes),
            ]
            if u
        },
    )
    view = task_view(row, visible=visible, assignee=names.get(row.assigned_to or -1))
    person = db.get(Person, row.person_id) if row.person_id else None
    view["person"] = person_view(person, visible=visible) if person else None
    view["transitions"] = [
        {
            "from_state": t.from_state,
            "to_state": t.to_state,
            "from_label": STATE_LABELS.get(t.from_state, t.from_state),
            "to_label": STATE_LABELS.get(t.to_state, t.to_state),
            "user": names.get(t.user_id or -1),
            "at": t.at,
            "note": t.note,
        }
        for t in transitions
    ]
    view["outcomes"] = [
        {
            "channel": o.channel,
            "channel_label": CHANNEL_LABELS.get(o.channel, o.channel),
            "result": o.result,
            "result_label": RESULT_LABELS.get(o.result, o.result),
            "note": o.note,
            "money_saved_fen": o.money_saved_fen,
            "user": names.get(o.user_id or -1),
            "at": o.at,
        }
        for o in outcomes
    ]
    view["events"] = [
        {
            "id": e.id,
            "kind": e.kind,
            "occurred_at": e.occurred_at,
            "counterpart": e.counterpart,
            "amount_at_risk_fen": e.amount_at_risk_fen,
            "risk": e.risk,
        }
        for e in db.scalars(select(Event).where(Event.task_id == row.id).order_by(Event.id))
    ]
    view["allowed_transitions"] = [
        {"state": s.value, "label": STATE_LABELS[s]}
        for s in sorted(allowed_transitions(row.state), key=list(STATE_LABELS).index)
    ]
    view["channel_results"] = {
        channel: {
            "label": CHANNEL_LABELS[channel],
            "results": [{"result": r, "label": RESULT_LABELS[r]} for r in sorted(results)],
        }
        for channel, results in CHANNEL_RESULTS.items()
    }
    return view


@router.get("/tasks/{task_id}")
def get_task(
    task_id: int,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("task.read"))],
    reason: Annotated[str, Query(max_length=500)] = "预警劝阻处置",
) -> dict[str, Any]:
    """One task with the person, its signals, contact history and the moves allowed now."""
    row = load_task(db, task_id)
    audit(request, actor, "read", "warning_task", task_id, reason=reason)
    if row.person_id:
        audit(
            request, actor, "read", "person", row.person_id, reason=f"预警任务 {task_id}: {reason}"
        )
    return _detail(db, row, actor)


@router.post("/tasks/{task_id}/transition")
def move_task(
    task_id: int,
    body: TransitionRequest,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("task.update"))],
) -> dict[str, Any]:
    """Move a task to another state; illegal moves get 409 naming both states."""
    row = transition_task(
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
    return _detail(db, row, actor)


@router.post("/tasks/{task_id}/outcomes", status_code=201)
def add_outcome(
    task_id: int,
    body: OutcomeRequest,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("task.update"))],
) -> dict[str, Any]:
    """Record one contact attempt (call, SMS, 96110 call, visit) and its result."""
    outcome = Outcome(
        channel=body.channel,
        result=body.result,
        note=body.note,
        money_saved_fen=body.money_saved_fen,
        paid_fen=body.paid_fen,
    )
    row, suggestion = record_task_outcome(db, actor, task_id, outcome, version=body.version)
    audit(
        request,
        actor,
        "update",
        "warning_task",
        task_id,
        detail=f"outcome {body.channel}/{body.result}",
    )
    return {**_detail(db, row, actor), **suggestion}


@router.post("/tasks/assign")
def assign_tasks(
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("task.assign"))],
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> dict[str, Any]:
    """Assign new tasks to warning officers by district and load, most urgent first."""
    done = assign_open_tasks(db, actor, limit=limit)
    audit(request, actor, "update", "warning_task", "assign", detail=f"{len(done)} tasks")
    return {"data": done, "count": len(done)}


def _tasks_frame(
    engine: Engine, since: datetime | None, until: datetime | None, district: str | None
) -> pl.DataFrame:
    """The tasks as the frame the KPI functions take (officer ids as strings)."""
    frame = read_tables(engine, ["warning_tasks"])["warning_tasks"]
    if since:
        frame = frame.filter(pl.col("created_at") >= since)
    if until:
        frame = frame.filter(pl.col("created_at") < until)
    if district:
        frame = frame.filter(pl.col("district") == district)
    return frame.with_columns(pl.col("assigned_to").cast(pl.Utf8))


@router.get("/kpis")
def kpis(
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("kpi.read"))],
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
    district: str | None = None,
) -> dict[str, Any]:
    """Tasks by state, time to first contact, dissuasion rate, money saved; by district, officer."""
    frame = _tasks_frame(request.app.state.engine, since, until, district)
    now = datetime.now(UTC)
    by_officer = warning_kpis(frame, now, by="assigned_to").to_dicts()
    names = _names(db, {int(r["assigned_to"]) for r in by_officer if r["assigned_to"]})
    for item in by_officer:
        item["officer_name"] = (
            names.get(int(item["assigned_to"])) if item["assigned_to"] else "未分派"
        )
    return {
        "overall": warning_kpis(frame, now).to_dicts()[0],
        "by_state": tasks_by_state(frame).to_dicts(),
        "by_district": warning_kpis(frame, now, by="district").to_dicts(),
        "by_officer": by_officer,
    }
