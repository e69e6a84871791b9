"""The task state machine: every legal move, every illegal one, and random walks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fanzha.errors import IllegalTransition, InvalidInput
from fanzha.warning import (
    OPEN_STATES,
    STATE_LABELS,
    TRANSITIONS,
    TaskState,
    TransitionRecord,
    WarningTask,
    allowed_transitions,
    transition,
)
from fanzha.warning._state import TERMINAL_STATES, is_terminal, reassign
from tests.warning.conftest import NOW, make_task

LEGAL = [(source, target) for source, targets in TRANSITIONS.items() for target in sorted(targets)]
ILLEGAL = [
    (source, target)
    for source in TaskState
    for target in TaskState
    if target not in TRANSITIONS[source]
]


def _in_state(state: TaskState) -> WarningTask:
    assignee = None if state is TaskState.NEW else "officer-1"
    return make_task(state=state.value, assigned_to=assignee)


def _move(task: WarningTask, target: str) -> tuple[WarningTask, TransitionRecord]:
    assignee = "officer-2" if target == TaskState.ASSIGNED else None
    return transition(task, target, "duty-1", NOW, "测试", assigned_to=assignee)


@pytest.mark.parametrize(
    ("source", "target"), [pytest.param(*m, id=f"{m[0]}->{m[1]}") for m in LEGAL]
)
def test_every_legal_move_is_accepted_and_recorded(source: TaskState, target: TaskState) -> None:
    task = _in_state(source)
    moved, record = _move(task, target)
    assert moved.state == target
    assert moved.version == task.version + 1
    assert (record.from_state, record.to_state, record.by_user, record.at) == (
        source.value,
        target.value,
        "duty-1",
        NOW,
    )
    assert record.version == moved.version
    assert (moved.closed_at is not None) == (target in TERMINAL_STATES)


@pytest.mark.parametrize(
    ("source", "target"), [pytest.param(*m, id=f"{m[0]}->{m[1]}") for m in ILLEGAL]
)
def test_every_illegal_move_is_refused_naming_both_states(
    source: TaskState, target: TaskState
) -> None:
    with pytest.raises(IllegalTransition) as caught:
        _move(_in_state(source), target)
    error = caught.value
    assert (error.from_state, error.to_state) == (source.value, target.value)
    assert STATE_LABELS[source] in error.message and STATE_LABELS[target] in error.message
    assert f"{source.value} → {target.value}" in error.message
    assert error.status == 409


def test_the_table_has_the_designed_shape() -> None:
    assert TERMINAL_STATES == {
        TaskState.DISSUADED,
        TaskState.ALREADY_PAID,
        TaskState.FALSE_ALARM,
        TaskState.LOST_CONTACT,
    }
    assert OPEN_STATES | TERMINAL_STATES == set(TaskState)
    assert set(STATE_LABELS) == set(TaskState)
    assert all(len(state.value) <= 16 for state in TaskState)  # the store's column width


@pytest.mark.parametrize(
    ("state", "terminal"),
    [pytest.param("dissuaded", True, id="dissuaded"), pytest.param("visit", False, id="visit")],
)
def test_is_terminal(state: str, terminal: bool) -> None:
    assert is_terminal(state) is terminal
    assert (not allowed_transitions(state)) is terminal


def test_already_paid_hands_off_to_fund_control() -> None:
    task = _in_state(TaskState.CONTACTING)
    _, record = transition(task, "already_paid", "duty-1", NOW, "已转账两笔", paid_fen=120_000)
    assert record.handoff is not None
    assert (record.handoff.task_id, record.handoff.amount_fen) == (task.id, 120_000)
    assert record.handoff.note == "已转账两笔"
    assert record.to_dict()["handoff"]["amount_fen"] == 120_000
    _, default = transition(task, "already_paid", "duty-1", NOW)
    assert default.handoff is not None and default.handoff.amount_fen == task.money_at_risk_fen


def test_other_moves_make_no_handoff() -> None:
    _, record = transition(_in_state(TaskState.CONTACTING), "dissuaded", "duty-1", NOW)
    assert record.handoff is None


def test_assigning_needs_an_officer_and_going_back_to_new_clears_it() -> None:
    with pytest.raises(InvalidInput, match="assigned_to"):
        transition(_in_state(TaskState.NEW), "assigned", "duty-1", NOW)
    assigned, _ = transition(_in_state(TaskState.NEW), "assigned", "duty-1", NOW, assigned_to="7")
    assert assigned.assigned_to == "7"
    back, record = transition(assigned, "new", "duty-1", NOW, "民警休假")
    assert back.assigned_to is None and record.assigned_to is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        pytest.param({"by_user": ""}, "by_user", id="no-user"),
        pytest.param({"at": NOW.replace(tzinfo=None)}, "at", id="naive-time"),
        pytest.param({"at": NOW - timedelta(days=1)}, "at", id="before-creation"),
        pytest.param({"to_state": "closed"}, "to_state", id="unknown-state"),
        pytest.param({"assigned_to": "7"}, "assigned_to", id="assignee-on-a-call"),
        pytest.param({"paid_fen": 100}, "paid_fen", id="paid-on-dissuaded"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict[str, object], field: str) -> None:
    arguments: dict[str, object] = {"to_state": "dissuaded", "by_user": "duty-1", "at": NOW}
    arguments.update(kwargs)
    with pytest.raises(InvalidInput) as caught:
        transition(_in_state(TaskState.CONTACTING), **arguments)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_unknown_current_state_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="unknown task state"):
        transition(make_task(state="paused"), "assigned", "duty-1", NOW, assigned_to="7")


def test_reassign_keeps_the_state_and_is_recorded() -> None:
    task = _in_state(TaskState.CONTACTING)
    moved, record = reassign(task, "officer-9", "leader-1", NOW, "换班")
    assert (moved.state, moved.assigned_to, moved.version) == ("contacting", "officer-9", 2)
    assert (record.action, record.from_state, record.to_state) == (
        "reassign",
        "contacting",
        "contacting",
    )


@pytest.mark.parametrize(
    ("state", "error"),
    [
        pytest.param(TaskState.NEW, IllegalTransition, id="new"),
        pytest.param(TaskState.DISSUADED, IllegalTransition, id="closed"),
    ],
)
def test_reassign_refuses_new_and_closed_tasks(state: TaskState, error: type[Exception]) -> None:
    with pytest.raises(error):
        reassign(_in_state(state), "officer-9", "leader-1", NOW)


def test_reassign_to_the_same_officer_is_refused() -> None:
    with pytest.raises(InvalidInput, match="already assigned"):
        reassign(_in_state(TaskState.ASSIGNED), "officer-1", "leader-1", NOW)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list(TaskState)), max_size=25))
def test_random_walks_stay_in_the_machine_and_never_reopen(targets: list[TaskState]) -> None:
    task = _in_state(TaskState.NEW)
    closed_at = None
    for target in targets:
        before = task.state
        try:
            task, record = _move(task, target)
        except IllegalTransition:
            assert target not in TRANSITIONS[TaskState(before)]
            continue
        assert before not in TERMINAL_STATES, "a terminal state was left"
        assert record.from_state == before and task.state in set(TaskState)
        if task.state in TERMINAL_STATES:
            closed_at = task.closed_at
    if task.state in TERMINAL_STATES:
        assert task.closed_at == closed_at
