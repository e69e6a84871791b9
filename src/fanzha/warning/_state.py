"""The state machine of a warning task; every change returns a record of who and when.

::

    state               may move to
    new                 assigned, false_alarm
    assigned            new (back to the queue), contacting, visit, false_alarm
    contacting          dissuaded, already_paid, unreachable, visit, false_alarm
    unreachable         contacting (reached later), visit, false_alarm
    visit (派出所上门)  dissuaded, already_paid, false_alarm, lost_contact
    dissuaded, already_paid (→ hand-off to fund control), false_alarm, lost_contact:
                        terminal, never left; a new signal opens a new task

State values are at most 16 characters (the store's column width).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from fanzha.errors import IllegalTransition, InvalidInput
from fanzha.warning._task import WarningTask, _as_json, _utc

__all__ = [
    "OPEN_STATES",
    "STATE_LABELS",
    "TERMINAL_STATES",
    "TRANSITIONS",
    "FundHandoff",
    "TaskState",
    "TransitionRecord",
    "allowed_transitions",
    "is_terminal",
    "reassign",
    "transition",
]


class TaskState(StrEnum):
    """The states of a warning task (values are the stored strings)."""

    NEW = "new"
    ASSIGNED = "assigned"
    CONTACTING = "contacting"
    DISSUADED = "dissuaded"
    ALREADY_PAID = "already_paid"
    UNREACHABLE = "unreachable"
    VISIT = "visit"
    FALSE_ALARM = "false_alarm"
    LOST_CONTACT = "lost_contact"


_S = TaskState
# Keyed by the stored strings (a TaskState is one), so a state read from the store looks up.
STATE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        _S.NEW: "待分派",
        _S.ASSIGNED: "已分派",
        _S.CONTACTING: "劝阻中",
        _S.DISSUADED: "已劝阻",
        _S.ALREADY_PAID: "已被骗/已转账",
        _S.UNREACHABLE: "联系不上",
        _S.VISIT: "上门劝阻",
        _S.FALSE_ALARM: "误报",
        _S.LOST_CONTACT: "失联结案",
    }
)
TRANSITIONS: Mapping[str, frozenset[TaskState]] = MappingProxyType(
    {
        _S.NEW: frozenset({_S.ASSIGNED, _S.FALSE_ALARM}),
        _S.ASSIGNED: frozenset({_S.NEW, _S.CONTACTING, _S.VISIT, _S.FALSE_ALARM}),
        _S.CONTACTING: frozenset(
            {_S.DISSUADED, _S.ALREADY_PAID, _S.UNREACHABLE, _S.VISIT, _S.FALSE_ALARM}
        ),
        _S.UNREACHABLE: frozenset({_S.CONTACTING, _S.VISIT, _S.FALSE_ALARM}),
        _S.VISIT: frozenset({_S.DISSUADED, _S.ALREADY_PAID, _S.FALSE_ALARM, _S.LOST_CONTACT}),
        _S.DISSUADED: frozenset(),
        _S.ALREADY_PAID: frozenset(),
        _S.FALSE_ALARM: frozenset(),
        _S.LOST_CONTACT: frozenset(),
    }
)
TERMINAL_STATES = frozenset(TaskState(state) for state, to in TRANSITIONS.items() if not to)
OPEN_STATES = frozenset(TaskState) - TERMINAL_STATES
# Who holds the task may change in these states (in ``new`` the task is assigned instead).
_REASSIGNABLE = frozenset({_S.ASSIGNED, _S.CONTACTING, _S.UNREACHABLE, _S.VISIT})
_HANDOFF_REASON = "受害人已转账，移交资金查控（止付、冻结）"


@dataclass(frozen=True, slots=True)
class FundHandoff:
    """A task handed to fund control (资金查控) because the victim has already paid."""

    task_id: int | None
    person_id: int | None
    phone: str | None
    district: str | None
    fraud_type: str | None
    amount_fen: int
    at: datetime
    by_user: str
    note: str
    reason: str = _HANDOFF_REASON

    def to_dict(self) -> dict[str, Any]:
        """Return the hand-off as a JSON-ready dict."""
        return _as_json(self)


@dataclass(frozen=True, slots=True)
class TransitionRecord:
    """One recorded change of a task: a state change, a reassignment or a merged signal.

    ``version`` is the task's version after the change; ``handoff`` is set when the task
    moved to ``already_paid``.
    """

    task_id: int | None
    action: str
    from_state: str
    to_state: str
    by_user: str
    at: datetime
    note: str
    assigned_to: str | None
    version: int
    handoff: FundHandoff | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the record as a JSON-ready dict."""
        return _as_json(self)


def _state(value: str, field: str) -> TaskState:
    try:
        return TaskState(value)
    except ValueError:
        known = ", ".join(TaskState)
        raise InvalidInput(
            f"unknown task state {value!r}; known: {known}", field=field, value=value
        ) from None


def allowed_transitions(state: str) -> frozenset[TaskState]:
    """Return the states a task in ``state`` may move to (empty for a terminal state)."""
    return TRANSITIONS[_state(state, "state")]


def is_terminal(state: str) -> bool:
    """Return True if ``state`` is terminal (the task is closed)."""
    return _state(state, "state") in TERMINAL_STATES


def _describe(state: TaskState) -> str:
    return f"{STATE_LABELS[state]}({state.value})"


def _illegal(task: WarningTask, source: TaskState, target: TaskState) -> IllegalTransition:
    allowed = sorted(TRANSITIONS[source])
    options = ", ".join(allowed) if allowed else f"none, {source.value} is terminal"
    return IllegalTransition(
        f"非法状态变更：任务 {task.id} 不能从 {_describe(source)} 变为 {_describe(target)}。"
        f" Illegal transition of task {task.id}: {source.value} → {target.value}; "
        f"allowed from {source.value}: {options}",
        from_state=source.value,
        to_state=target.value,
    )


def _check_change(task: WarningTask, by_user: str, at: datetime) -> datetime:
    if not isinstance(by_user, str) or not by_user.strip():
        raise InvalidInput(
            "missing; name the user making the change", field="by_user", value=by_user
        )
    at = _utc(at, "at")
    if at < task.created_at:
        raise InvalidInput(
            f"{at.isoformat()} is before the task was created ({task.created_at.isoformat()})",
            field="at",
            value=at,
        )
    return at


def _record(
    before: WarningTask,
    after: WarningTask,
    action: str,
    by_user: str,
    at: datetime,
    note: str,
    handoff: FundHandoff | None = None,
) -> TransitionRecord:
    """The record of the change from ``before`` to ``after``."""
    return TransitionRecord(
        task_id=before.id,
        action=action,
        from_state=before.state,
        to_state=after.state,
        by_user=by_user,
        at=at,
        note=note,
        assigned_to=after.assigned_to,
        version=after.version,
        handoff=handoff,
    )


def transition(
    task: WarningTask,
    to_state: str,
    by_user: str,
    at: datetime,
    note: str = "",
    *,
    assigned_to: str | None = None,
    paid_fen: int | None = None,
) -> tuple[WarningTask, TransitionRecord]:
    """Move ``task`` to ``to_state`` and return the new task and the record of the change.

    ``assigned_to`` is required when assigning and may name who visits when escalating
    to ``visit``; ``paid_fen`` is the amount already paid when moving to
    ``already_paid`` (default: the money at risk), which goes into the record's
    :class:`FundHandoff`. Moving back to ``new`` clears the assignee; a terminal state
    sets ``closed_at``.

    Raises ``IllegalTransition`` for a move the state machine forbids and
    ``InvalidInput`` for an unknown state, a missing user or assignee, or a naive time.
    """
    source, target = _state(task.state, "state"), _state(to_state, "to_state")
    at = _check_change(task, by_user, at)
    if target not in TRANSITIONS[source]:
        raise _illegal(task, source, target)
    if assigned_to is not None and target not in (_S.ASSIGNED, _S.VISIT):
        raise InvalidInput(
            "only a move to assigned or visit names an assignee", field="assigned_to"
        )
    if target is _S.ASSIGNED and not (assigned_to and assigned_to.strip()):
        raise InvalidInput("missing; name the officer to assign", field="assigned_to")
    if paid_fen is not None and (target is not _S.ALREADY_PAID or paid_fen < 0):
        raise InvalidInput(
            "only a move to already_paid takes an amount paid, in 分 ≥ 0",
            field="paid_fen",
            value=paid_fen,
        )
    assignee = None if target is _S.NEW else (assigned_to or task.assigned_to)
    new_task = replace(
        task,
        state=target.value,
        assigned_to=assignee,
        closed_at=at if target in TERMINAL_STATES else None,
        version=task.version + 1,
    )
    handoff = None
    if target is _S.ALREADY_PAID:
        handoff = FundHandoff(
            task_id=task.id,
            person_id=task.person_id,
            phone=task.phone,
            district=task.district,
            fraud_type=task.fraud_type,
            amount_fen=task.money_at_risk_fen if paid_fen is None else paid_fen,
            at=at,
            by_user=by_user,
            note=note,
        )
    return new_task, _record(task, new_task, "transition", by_user, at, note, handoff)


def reassign(
    task: WarningTask, officer_id: str, by_user: str, at: datetime, note: str = ""
) -> tuple[WarningTask, TransitionRecord]:
    """Give an open, already assigned task to another officer; the state does not change.

    Raises ``IllegalTransition`` for a new or closed task and ``InvalidInput`` when the
    task already belongs to ``officer_id``.
    """
    state = _state(task.state, "state")
    at = _check_change(task, by_user, at)
    if state not in _REASSIGNABLE:
        raise IllegalTransition(
            f"任务 {task.id} 处于 {_describe(state)}，不能改派。 Task {task.id} cannot be "
            f"reassigned in state {state.value}; assign a new task with transition(..., "
            "'assigned'), a closed task stays closed",
            from_state=state.value,
            to_state=state.value,
        )
    if not officer_id or officer_id == task.assigned_to:
        raise InvalidInput(
            f"task {task.id} is already assigned to {officer_id!r}; name another officer",
            field="officer_id",
            value=officer_id,
        )
    new_task = replace(task, assigned_to=officer_id, version=task.version + 1)
    return new_task, _record(task, new_task, "reassign", by_user, at, note)
