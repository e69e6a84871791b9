"""The warning workflow on the store: events in, tasks out, transitions and outcomes.

The decisions are the core package's (:mod:`fanzha.warning`); this module only moves rows
between the store and its dataclasses and writes the records the decisions produce.
Concurrent changes of one task are caught twice: the caller's ``version`` must be the stored
one, and the UPDATE itself carries ``WHERE version = …`` (SQLAlchemy's version counter).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from fanzha.api._errors import StaleVersion
from fanzha.api._views import age_of
from fanzha.errors import InvalidInput, NotFound
from fanzha.roles import Actor
from fanzha.store import BankAccount, Event, Person, Phone, TaskTransition, Url, User
from fanzha.store import Outcome as OutcomeRow
from fanzha.store import WarningTask as TaskRow
from fanzha.warning import (
    OPEN_STATES,
    EventSignal,
    Officer,
    Outcome,
    TransitionRecord,
    WarningTask,
    assign,
    merge_draft,
    record_outcome,
    task_from_draft,
    task_key,
    transition,
    triage_events,
)

__all__ = [
    "OPEN_STATE_VALUES",
    "IngestResult",
    "apply_task",
    "assign_open_tasks",
    "ingest_signals",
    "load_task",
    "record_task_outcome",
    "signal_age",
    "to_core",
    "transition_task",
]

OPEN_STATE_VALUES = sorted(state.value for state in OPEN_STATES)


@dataclass(slots=True)
class IngestResult:
    """What a batch of signals did: events stored, tasks opened and merged, flags, ignored."""

    event_ids: list[int] = field(default_factory=list)
    created_task_ids: list[int] = field(default_factory=list)
    merged_task_ids: list[int] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    ignored: list[dict[str, Any]] = field(default_factory=list)


def to_core(row: TaskRow) -> WarningTask:
    """The core dataclass of a stored task."""
    return WarningTask(
        id=row.id,
        person_id=row.person_id,
        phone=row.phone_number,
        district=row.district,
        fraud_type=row.fraud_type,
        money_at_risk_fen=row.money_at_risk_fen,
        priority=row.priority,
        created_at=row.created_at,
        signal_at=row.signal_at,
        sla_due_at=row.sla_due_at,
        reason=row.reason,
        state=row.state,
        assigned_to=str(row.assigned_to) if row.assigned_to is not None else None,
        first_contact_at=row.first_contact_at,
        closed_at=row.closed_at,
        contact_count=row.contact_count,
        no_answer_count=row.no_answer_count,
        money_saved_fen=row.money_saved_fen,
        version=row.version,
    )


def apply_task(row: TaskRow, task: WarningTask) -> None:
    """Copy what the core changed back onto the stored row (the version is the store's)."""
    row.state = task.state
    row.assigned_to = int(task.assigned_to) if task.assigned_to is not None else None
    row.priority = task.priority
    row.money_at_risk_fen = task.money_at_risk_fen
    row.sla_due_at = task.sla_due_at
    row.signal_at = task.signal_at
    row.reason = task.reason
    row.first_contact_at = task.first_contact_at
    row.closed_at = task.closed_at
    row.contact_count = task.contact_count
    row.no_answer_count = task.no_answer_count
    row.money_saved_fen = task.money_saved_fen
    row.person_id = task.person_id
    row.district = task.district
    row.fraud_type = task.fraud_type


def _write_transitions(db: Session, actor: Actor, records: Sequence[TransitionRecord]) -> None:
    for record in records:
        db.add(
            TaskTransition(
                task_id=record.task_id,
                from_state=record.from_state,
                to_state=record.to_state,
                user_id=actor.user_id,
                at=record.at,
                note=record.note
                if record.action == "transition"
                else f"[{record.action}] {record.note}",
            )
        )
        if record.handoff is not None:
            handoff = record.handoff
            db.add(
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


def load_task(db: Session, task_id: int, *, version: int | None = None) -> TaskRow:
    """The stored task, checking the caller's ``version`` when given."""
    row = db.get(TaskRow, task_id)
    if row is None:
        raise NotFound(f"warning task {task_id} does not exist")
    if version is not None and row.version != version:
        raise StaleVersion(
            f"任务 {task_id} 已被他人修改（当前版本 {row.version}，提交的版本 {version}），"
            "请刷新后重试 (the task changed meanwhile; reload and retry)"
        )
    return row


def _open_keys(db: Session) -> dict[str, int]:
    """What ``fanzha.warning.open_task_keys`` gives, read with one query of three columns."""
    keys: dict[str, int] = {}
    rows = db.execute(
        select(TaskRow.id, TaskRow.person_id, TaskRow.phone_number)
        .where(TaskRow.state.in_(OPEN_STATE_VALUES))
        .order_by(TaskRow.id)
    )
    for task_id, person_id, phone in rows:
        for key in (task_key(person_id, None), task_key(None, phone)):
            if key is not None:
                keys.setdefault(key, task_id)
    return keys


def _flag(db: Session, counterparty: str, reason: str) -> bool:
    for model, column, extra in (
        (Phone, Phone.number, {"flag_reason": reason[:128]}),
        (BankAccount, BankAccount.account_no, {}),
        (Url, Url.url, {}),
    ):
        done = db.execute(update(model).where(column == counterparty).values(flagged=True, **extra))
        if getattr(done, "rowcount", 0):
            return True
    return False


def ingest_signals(
    db: Session, actor: Actor, signals: Sequence[EventSignal], now: datetime
) -> IngestResult:
    """Store the signals as events and open or merge the warning tasks they warrant."""
    result = IngestResult()
    triage = triage_events(signals, _open_keys(db), now)
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
            source=signal.source or actor.username,
            detail=signal.detail,
        )
        for signal in signals
    ]
    db.add_all(rows)
    for draft in triage.drafts:
        if draft.is_merge and draft.merge_into is not None:
            row = load_task(db, draft.merge_into)
            merged, record = merge_draft(to_core(row), draft, now, by_user=actor.username)
            apply_task(row, merged)
            _write_transitions(db, actor, [record])
            result.merged_task_ids.append(row.id)
        else:
            task = task_from_draft(draft, created_at=now)
            row = TaskRow(
                person_id=task.person_id,
                phone_number=task.phone,
                district=task.district,
                fraud_type=task.fraud_type,
                money_at_risk_fen=task.money_at_risk_fen,
                priority=task.priority,
                state=task.state,
                reason=task.reason,
                signal_at=task.signal_at,
                created_at=task.created_at,
                sla_due_at=task.sla_due_at,
            )
            db.add(row)
            db.flush()
            result.created_task_ids.append(row.id)
        for index in draft.event_indexes:
            rows[index].task_id = row.id
    for flag in triage.flags:
        if _flag(db, flag.counterparty, flag.reason):
            result.flagged.append(flag.counterparty)
    result.ignored = [{"index": item.index, "reason": item.reason} for item in triage.ignored]
    db.commit()
    result.event_ids = [row.id for row in rows]
    return result


def signal_age(db: Session, person_id: int | None) -> int | None:
    """The age of the person a signal is about, from the store."""
    if person_id is None:
        return None
    person = db.get(Person, person_id)
    return age_of(person.birth_date) if person else None


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
) -> TaskRow:
    """Move a task to ``to_state`` (the state machine decides whether it may)."""
    row = load_task(db, task_id, version=version)
    if assigned_to is not None and db.get(User, assigned_to) is None:
        raise InvalidInput(
            f"user {assigned_to} does not exist", field="assigned_to", value=assigned_to
        )
    task, record = transition(
        to_core(row),
        to_state,
        actor.username,
        datetime.now(UTC),
        note,
        assigned_to=str(assigned_to) if assigned_to is not None else None,
        paid_fen=paid_fen,
    )
    apply_task(row, task)
    _write_transitions(db, actor, [record])
    db.commit()
    return row


def record_task_outcome(
    db: Session, actor: Actor, task_id: int, outcome: Outcome, *, version: int
) -> tuple[TaskRow, dict[str, Any]]:
    """Record one contact attempt; returns the task and the suggestion for the next step."""
    row = load_task(db, task_id, version=version)
    done = record_outcome(to_core(row), outcome, actor.username, datetime.now(UTC))
    apply_task(row, done.task)
    _write_transitions(db, actor, done.transitions)
    db.add(
        OutcomeRow(
            task_id=row.id,
            channel=done.outcome.channel,
            result=done.outcome.result,
            note=done.outcome.note,
            money_saved_fen=done.outcome.money_saved_fen,
            user_id=actor.user_id,
            at=done.outcome.at,
        )
    )
    db.commit()
    return row, {"suggested_state": done.suggested_state, "suggestion": done.suggestion}


def _officers(db: Session) -> list[Officer]:
    users = db.scalars(
        select(User).where(User.role == "warning_officer", User.active.is_(True))
    ).all()
    counts: dict[int, int] = {
        user_id: int(n)
        for user_id, n in db.execute(
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


def assign_open_tasks(db: Session, actor: Actor, *, limit: int = 500) -> list[dict[str, Any]]:
    """Assign up to ``limit`` new tasks, most urgent first, by district and load."""
    rows = db.scalars(
        select(TaskRow).where(TaskRow.state == "new").order_by(TaskRow.priority.desc()).limit(limit)
    ).all()
    by_id = {row.id: row for row in rows}
    now = datetime.now(UTC)
    done = []
    for item in assign([to_core(row) for row in rows], _officers(db), now):
        if item.officer_id is None:
            done.append(item.to_dict())
            continue
        row = by_id[item.task_id]
        task, record = transition(
            to_core(row), "assigned", actor.username, now, item.reason, assigned_to=item.officer_id
        )
        apply_task(row, task)
        _write_transitions(db, actor, [record])
        done.append(item.to_dict())
    db.commit()
    return done
