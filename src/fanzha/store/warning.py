"""The warning tables as the core's dataclasses: tasks, their history, signals and officers.

Tasks come back as :class:`fanzha.warning.WarningTask` and go back with :func:`save_task`.
Concurrent changes of one task are caught twice: :func:`get_task` checks the caller's
``version`` against the stored one, and the UPDATE itself carries ``WHERE version = …``
(SQLAlchemy's version counter), so of two sessions saving the same version one fails.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import polars as pl
from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from fanzha.errors import NotFound, StaleVersion
from fanzha.store._frames import read_tables
from fanzha.store._models import Event, Outcome, TaskTransition, User
from fanzha.store._models import WarningTask as TaskRow
from fanzha.store._pages import fetch_page
from fanzha.warning import (
    OPEN_STATES,
    EventSignal,
    Officer,
    OutcomeRecord,
    TransitionRecord,
    WarningTask,
    task_key,
)

__all__ = [
    "OPEN_STATE_VALUES",
    "TaskHistory",
    "TaskSort",
    "add_events",
    "add_outcome",
    "add_task",
    "add_tasks",
    "add_transitions",
    "get_task",
    "list_events",
    "list_tasks",
    "new_tasks",
    "open_task_keys",
    "save_task",
    "task_history",
    "tasks_frame",
    "warning_officers",
]

OPEN_STATE_VALUES = sorted(state.value for state in OPEN_STATES)
TaskSort = Literal["priority", "sla", "created"]


@dataclass(frozen=True, slots=True)
class TaskHistory:
    """What happened to a task: state changes, contact attempts and the signals behind it."""

    transitions: list[TaskTransition]
    outcomes: list[Outcome]
    events: list[Event]


# The fields a stored task and the core's WarningTask share by name.
_SHARED = (
    "person_id",
    "district",
    "fraud_type",
    "money_at_risk_fen",
    "priority",
    "state",
    "reason",
    "signal_at",
    "sla_due_at",
    "first_contact_at",
    "closed_at",
    "contact_count",
    "no_answer_count",
    "money_saved_fen",
)


def _core(row: TaskRow) -> WarningTask:
    """The core dataclass of a stored task (officer ids as text, as the core keeps them)."""
    return WarningTask(
        id=row.id,
        phone=row.phone_number,
        created_at=row.created_at,
        assigned_to=str(row.assigned_to) if row.assigned_to is not None else None,
        version=row.version,
        **{name: getattr(row, name) for name in _SHARED},
    )


def _write(row: TaskRow, task: WarningTask) -> None:
    """Put the task's fields on the row; the version is the store's own counter."""
    for name in _SHARED:
        setattr(row, name, getattr(task, name))
    row.phone_number = task.phone
    row.assigned_to = int(task.assigned_to) if task.assigned_to is not None else None
    row.money_at_risk_fen = task.money_at_risk_fen
    row.priority = task.priority
    row.state = task.state
    row.assigned_to = int(task.assigned_to) if task.assigned_to is not None else None
    row.reason = task.reason
    row.signal_at = task.signal_at
    row.sla_due_at = task.sla_due_at
    row.first_contact_at = task.first_contact_at
    row.closed_at = task.closed_at
    row.contact_count = task.contact_count
    row.no_answer_count = task.no_answer_count
    row.money_saved_fen = task.money_saved_fen


def get_task(
    session: Session, task_id: int, *, version: int | None = None, scope: str | None = None
) -> WarningTask:
    """The stored task; raises NotFound, or StaleVersion when ``version`` is not the stored one.

    A task outside ``scope`` (a district; None: the whole city) is NotFound, as if absent.
    """
    row = session.get(TaskRow, task_id)
    if row is None or (scope is not None and row.district != scope):
        raise NotFound(f"warning task {task_id} does not exist")
    if version is not None and row.version != version:
        raise StaleVersion(
            f"任务 {task_id} 已被他人修改（当前版本 {row.version}，提交的版本 {version}），"
            "请刷新后重试 (the task changed meanwhile; reload and retry)"
        )
    return _core(row)


def save_task(session: Session, before: WarningTask, after: WarningTask) -> None:
    """Store the change of a task from ``before`` (as read) to ``after`` (as the core made it).

    Raises StaleVersion when the stored task is no longer ``before``; the flush raises
    StaleDataError when another session saved it in between.
    """
    if before.id is None or after.id != before.id:
        raise ValueError("save_task needs a stored task and its changed copy (same id)")
    row = session.get(TaskRow, before.id)
    if row is None:
        raise NotFound(f"warning task {before.id} does not exist")
    if row.version != before.version:
        raise StaleVersion(
            f"任务 {before.id} 已被他人修改（当前版本 {row.version}，读取时版本 {before.version}）"
            "，请刷新后重试 (the task changed meanwhile; reload and retry)"
        )
    _write(row, after)


def add_task(session: Session, task: WarningTask) -> int:
    """Insert a new task and return its id."""
    return add_tasks(session, [task])[0]


def add_tasks(session: Session, tasks: Sequence[WarningTask]) -> list[int]:
    """Insert new tasks with one flush (a multi-row INSERT) and return their ids, in order."""
    rows = []
    for task in tasks:
        row = TaskRow(created_at=task.created_at)
        _write(row, task)
        rows.append(row)
    session.add_all(rows)
    session.flush()
    return [row.id for row in rows]


def open_task_keys(
    session: Session,
    *,
    persons: Collection[int] | None = None,
    phones: Collection[str] | None = None,
) -> dict[str, int]:
    """What ``fanzha.warning.open_task_keys`` gives, read with one query of three columns.

    With ``persons`` / ``phones`` only the open tasks of those people or numbers are read
    (what a batch of signals can merge into), not every open task.
    """
    keys: dict[str, int] = {}
    query = (
        select(TaskRow.id, TaskRow.person_id, TaskRow.phone_number)
        .where(TaskRow.state.in_(OPEN_STATE_VALUES))
        .order_by(TaskRow.id)
    )
    if persons is not None or phones is not None:
        query = query.where(
            or_(
                TaskRow.person_id.in_(sorted(persons or ())),
                TaskRow.phone_number.in_(sorted(phones or ())),
            )
        )
    rows = session.execute(query)
    for task_id, person_id, phone in rows:
        for key in (task_key(person_id, None), task_key(None, phone)):
            if key is not None:
                keys.setdefault(key, task_id)
    return keys


def add_events(
    session: Session,
    signals: Sequence[EventSignal],
    task_ids: Sequence[int | None],
    *,
    source: str,
) -> list[int]:
    """Store the signals as events (each with its task, ``source`` when it names none)."""
    rows = [
        Event(
            kind=signal.kind,
            occurred_at=signal.occurred_at,
            person_id=signal.person_id,
            district=signal.district,
            phone_number=signal.phone,
            counterpart=signal.counterparty,
            amount_at_risk_fen=signal.amount_at_risk_fen,
            fraud_type=signal.fraud_type,
            risk=signal.risk,
            source=signal.source or source,
            detail=signal.detail,
            task_id=task_id,
        )
        for signal, task_id in zip(signals, task_ids, strict=True)
    ]
    session.add_all(rows)
    session.flush()
    return [row.id for row in rows]


def add_transitions(
    session: Session, user_id: int | None, records: Sequence[TransitionRecord]
) -> None:
    """Store the changes of tasks, and a fund hand-off event where a change made one."""
    for record in records:
        note = record.note if record.action == "transition" else f"[{record.action}] {record.note}"
        session.add(
            TaskTransition(
                task_id=record.task_id,
                from_state=record.from_state,
                to_state=record.to_state,
                user_id=user_id,
                at=record.at,
                note=note,
            )
        )
        handoff = record.handoff
        if handoff is not None:
            session.add(
                Event(
                    kind="fund_handoff",
                    occurred_at=handoff.at,
                    person_id=handoff.person_id,
                    district=handoff.district,
                    phone_number=handoff.phone,
                    amount_at_risk_fen=handoff.amount_fen,
                    fraud_type=handoff.fraud_type,
                    source="warning",
                    detail=f"{handoff.reason}；{handoff.note}".rstrip("；"),
                    task_id=handoff.task_id,
                )
            )


def add_outcome(session: Session, user_id: int | None, record: OutcomeRecord) -> None:
    """Store one contact attempt."""
    session.add(
        Outcome(
            task_id=record.task_id,
            channel=record.channel,
            result=record.result,
            note=record.note,
            money_saved_fen=record.money_saved_fen,
            user_id=user_id,
            at=record.at,
        )
    )


def list_tasks(
    session: Session,
    *,
    states: Sequence[str] = (),
    district: str | None = None,
    assigned_to: int | None = None,
    sort: TaskSort = "priority",
    page: int = 1,
    per_page: int = 50,
    scope: str | None = None,
) -> tuple[list[WarningTask], int]:
    """One page of tasks in ``states`` (any when empty), by urgency, SLA or age; and the total.

    Only tasks of ``scope`` (a district; None: the whole city) are listed.
    """
    query = select(TaskRow)
    if scope is not None:
        query = query.where(TaskRow.district == scope)
    if states:
        query = query.where(TaskRow.state.in_(states))
    if district:
        query = query.where(TaskRow.district == district)
    if assigned_to is not None:
        query = query.where(TaskRow.assigned_to == assigned_to)
    order = {
        "priority": (TaskRow.priority.desc(), TaskRow.sla_due_at, TaskRow.id),
        "sla": (TaskRow.sla_due_at, TaskRow.priority.desc(), TaskRow.id),
        "created": (TaskRow.created_at.desc(), TaskRow.id.desc()),
    }[sort]
    rows, total = fetch_page(session, query.order_by(*order), page, per_page)
    return [_core(row) for (row,) in rows], total


def new_tasks(session: Session, limit: int) -> list[WarningTask]:
    """Up to ``limit`` unassigned new tasks, most urgent first."""
    rows = session.scalars(
        select(TaskRow).where(TaskRow.state == "new").order_by(TaskRow.priority.desc()).limit(limit)
    ).all()
    return [_core(row) for row in rows]


def task_history(session: Session, task_id: int) -> TaskHistory:
    """The task's state changes, contact attempts and signals, oldest first."""
    return TaskHistory(
        transitions=list(
            session.scalars(
                select(TaskTransition)
                .where(TaskTransition.task_id == task_id)
                .order_by(TaskTransition.id)
            )
        ),
        outcomes=list(
            session.scalars(select(Outcome).where(Outcome.task_id == task_id).order_by(Outcome.id))
        ),
        events=list(
            session.scalars(select(Event).where(Event.task_id == task_id).order_by(Event.id))
        ),
    )


def list_events(
    session: Session,
    *,
    kind: str | None = None,
    page: int = 1,
    per_page: int = 50,
    scope: str | None = None,
) -> tuple[list[Event], int]:
    """One page of signals of ``scope`` (a district; None: the whole city), newest first, and
    the total."""
    query = select(Event)
    if scope is not None:
        query = query.where(Event.district == scope)
    if kind:
        query = query.where(Event.kind == kind)
    rows, total = fetch_page(
        session, query.order_by(Event.occurred_at.desc(), Event.id.desc()), page, per_page
    )
    return [row for (row,) in rows], total


def warning_officers(session: Session) -> list[Officer]:
    """The active warning officers with their districts and open tasks, for assignment."""
    users = session.scalars(
        select(User).where(User.role == "warning_officer", User.active.is_(True))
    ).all()
    counts: dict[int, int] = {
        user_id: int(n)
        for user_id, n in session.execute(
            select(TaskRow.assigned_to, func.count())
            .where(TaskRow.state.in_(OPEN_STATE_VALUES), TaskRow.assigned_to.is_not(None))
            .group_by(TaskRow.assigned_to)
        )
    }
    return [
        Officer(
            id=str(user.id),
            districts=(user.district,) if user.district else (),
            role="district" if user.district else "city",
            open_load=counts.get(user.id, 0),
        )
        for user in users
    ]


def tasks_frame(
    engine: Engine,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    district: str | None = None,
    scope: str | None = None,
) -> pl.DataFrame:
    """The tasks of ``scope`` (a district; None: the whole city) created in [since, until) as
    the frame the KPI functions take (officer ids as text)."""
    frame = read_tables(engine, ["warning_tasks"])["warning_tasks"]
    if scope is not None:
        frame = frame.filter(pl.col("district") == scope)
    if since:
        frame = frame.filter(pl.col("created_at") >= since)
    if until:
        frame = frame.filter(pl.col("created_at") < until)
    if district:
        frame = frame.filter(pl.col("district") == district)
    return frame.with_columns(pl.col("assigned_to").cast(pl.Utf8))
