"""The warning workflow's steps: read from the store, let the core decide, write back.

The decisions are the core package's (:mod:`fanzha.warning`), the SQL the store's
(:mod:`fanzha.store.warning`); each function here is one request's unit of work, flushed
but not committed: the request commits it once, together with its audit entry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from fanzha.errors import InvalidInput
from fanzha.roles import Actor, district_scope, may_hold_task
from fanzha.store import fugitives as stored_fugitives
from fanzha.store import records as stored_records
from fanzha.store import users as stored_users
from fanzha.store import warning as stored
from fanzha.warning import (
    Assignment,
    EventSignal,
    IgnoredEvent,
    Outcome,
    OutcomeResult,
    WarningTask,
    assign,
    merge_draft,
    record_outcome,
    task_from_draft,
    transition,
    triage_events,
)

__all__ = [
    "IngestResult",
    "assign_open_tasks",
    "ingest_signals",
    "record_task_outcome",
    "transition_task",
]


@dataclass(slots=True)
class IngestResult:
    """What a batch of signals did: events stored, tasks opened and merged, flags, ignored."""

    event_ids: list[int] = field(default_factory=list)
    task_ids: list[int | None] = field(default_factory=list)
    """The task of each signal, in order (None: the rules made none)."""
    created_task_ids: list[int] = field(default_factory=list)
    merged_task_ids: list[int] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    ignored: list[IgnoredEvent] = field(default_factory=list)
    #: 追逃: fugitives the new events hit, and the urgent clues the hits made or joined.
    hit_fugitive_ids: list[int] = field(default_factory=list)
    hit_clue_ids: list[int] = field(default_factory=list)


def ingest_signals(
    db: Session,
    actor: Actor,
    signals: Sequence[EventSignal],
    now: datetime,
    *,
    open_keys: Mapping[str, int] | None = None,
) -> IngestResult:
    """Store the signals as events and open or merge the warning tasks they warrant.

    ``open_keys`` are the open tasks' keys (as :func:`fanzha.store.warning.open_task_keys`
    gives them) when the caller has read them already, e.g. only those of the signals.
    """
    result = IngestResult()
    keys = stored.open_task_keys(db) if open_keys is None else open_keys
    triage = triage_events(signals, keys, now)
    task_of_event: list[int | None] = [None] * len(signals)
    opened = [d for d in triage.drafts if not (d.is_merge and d.merge_into is not None)]
    for draft in triage.drafts:
        if draft.is_merge and draft.merge_into is not None:
            task = stored.get_task(db, draft.merge_into)
            merged, record = merge_draft(task, draft, now, by_user=actor.username)
            stored.save_task(db, task, merged)
            stored.add_transitions(db, actor.user_id, [record])
            result.merged_task_ids.append(draft.merge_into)
            for index in draft.event_indexes:
                task_of_event[index] = draft.merge_into
    # new tasks in one INSERT of many rows, not one round trip each
    result.created_task_ids = stored.add_tasks(
        db, [task_from_draft(draft, created_at=now) for draft in opened]
    )
    for draft, task_id in zip(opened, result.created_task_ids, strict=True):
        for index in draft.event_indexes:
            task_of_event[index] = task_id
    result.event_ids = stored.add_events(db, signals, task_of_event, source=actor.username)
    hits = stored_fugitives.match_events(db, result.event_ids, now=now)
    result.hit_fugitive_ids = list(hits.fugitive_ids)
    result.hit_clue_ids = list(hits.clue_ids)
    result.task_ids = task_of_event
    for flag in triage.flags:
        if stored_records.flag_counterparty(db, flag.counterparty, flag.reason):
            result.flagged.append(flag.counterparty)
    result.ignored = list(triage.ignored)
    db.flush()
    return result


def transition_task(
    db: Session,
    actor: Actor,
    task_id: int,
    to_state: str,
    *,
    version: int,
    note: str = "",
    assigned_to: int | None = None,
    paid_fen: int | None = None,
) -> None:
    """Move a task of the actor's district to ``to_state`` (the state machine decides whether
    it may); ``assigned_to`` must be an officer who may work the task."""
    task = stored.get_task(db, task_id, version=version, scope=district_scope(actor))
    if assigned_to is not None:
        _check_assignee(db, assigned_to, task.district)
    moved, record = transition(
        task,
        to_state,
        actor.username,
        datetime.now(UTC),
        note,
        assigned_to=str(assigned_to) if assigned_to is not None else None,
        paid_fen=paid_fen,
    )
    stored.save_task(db, task, moved)
    stored.add_transitions(db, actor.user_id, [record])
    db.flush()


def _check_assignee(db: Session, user_id: int, task_district: str | None) -> None:
    """Raise InvalidInput unless ``user_id`` is an active officer who may hold a task of
    ``task_district`` (see :func:`fanzha.roles.may_hold_task`)."""
    user = stored_users.get_user(db, user_id)
    if user is None:
        raise InvalidInput(f"user {user_id} does not exist", field="assigned_to", value=user_id)
    if not user.active or not may_hold_task(user.role, user.district, task_district):
        raise InvalidInput(
            f"用户 {user_id} 不能承办{task_district or '本'}的预警任务 "
            "(only an active warning officer of the task's district or a city-wide officer "
            "may hold it)",
            field="assigned_to",
            value=user_id,
        )


def record_task_outcome(
    db: Session,
    actor: Actor,
    task_id: int,
    outcome: Outcome,
    *,
    version: int,
    saved_ceiling_fen: int,
) -> OutcomeResult:
    """Record one contact attempt on a task of the actor's district; the result holds the
    suggestion for the next step."""
    task = stored.get_task(db, task_id, version=version, scope=district_scope(actor))
    done = record_outcome(
        task, outcome, actor.username, datetime.now(UTC), saved_ceiling_fen=saved_ceiling_fen
    )
    stored.save_task(db, task, done.task)
    stored.add_transitions(db, actor.user_id, done.transitions)
    stored.add_outcome(db, actor.user_id, done.outcome)
    db.flush()
    return done


def assign_open_tasks(db: Session, actor: Actor, *, limit: int = 500) -> list[Assignment]:
    """Assign up to ``limit`` new tasks, most urgent first, by district and load."""
    tasks: dict[int | None, WarningTask] = {task.id: task for task in stored.new_tasks(db, limit)}
    now = datetime.now(UTC)
    done = assign(list(tasks.values()), stored.warning_officers(db), now)
    for item in done:
        if item.officer_id is None:
            continue
        task = tasks[item.task_id]
        moved, record = transition(
            task, "assigned", actor.username, now, item.reason, assigned_to=item.officer_id
        )
        stored.save_task(db, task, moved)
        stored.add_transitions(db, actor.user_id, [record])
    db.flush()
    return done
