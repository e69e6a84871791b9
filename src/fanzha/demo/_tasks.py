"""The history of each warning task: assignment, contact attempts, state changes.

Every history is one that ``fanzha.warning``'s state machine produces when the same
outcomes are recorded with ``record_outcome`` (and the two manual moves, assignment and
escalation to a visit, made with ``transition``)::

    dissuaded     new → assigned → contacting → dissuaded           (0-2 unanswered calls first)
    already_paid  new → assigned → contacting → already_paid
    false_alarm   new → assigned → contacting → false_alarm
    visited       new → assigned → contacting → unreachable (3 unanswered calls) → visit
                  → dissuaded | lost_contact (not found) | already_paid
    open          new | … → assigned | … → contacting (1-2 attempts)
                  | … → unreachable (3 unanswered calls) | … → unreachable → visit
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from fanzha.demo._sizes import allocate
from fanzha.demo._time import (
    HOUR,
    MINUTE,
    SECOND,
    BoolArray,
    FloatArray,
    IntArray,
    diurnal_times,
    to_datetimes,
)
from fanzha.warning import CHANNEL_LABELS, CHANNELS, DEFAULT_POLICY, TaskState

__all__ = []

_S = TaskState
# Closed paths first (in the order of ``warning.endings``), then the open states (in the
# order of ``warning.open_states``), whose names are the state the task is in now.
PATHS = (
    "dissuaded",
    "false_alarm",
    "already_paid",
    "visited",
    "new",
    "assigned",
    "contacting",
    "unreachable",
    "visit",
)
(
    _DISSUADED,
    _FALSE,
    _PAID,
    _VISITED,
    _NEW,
    _ASSIGNED,
    _CONTACTING,
    _OPEN_UNREACHABLE,
    _OPEN_VISIT,
) = range(len(PATHS))
# How long before the end of the period the newest tasks of each open state came in (min).
_OPEN_AGE_MINUTES = (20, 90, 240, 360, 480)
_THREE_CALLS = (_VISITED, _OPEN_UNREACHABLE, _OPEN_VISIT)
_AFTER_VISIT = (_S.DISSUADED, _S.LOST_CONTACT, _S.ALREADY_PAID)
_FINAL_STATE = {_DISSUADED: _S.DISSUADED, _FALSE: _S.FALSE_ALARM, _PAID: _S.ALREADY_PAID}
_CHANNELS = CHANNELS
_CALL, _SMS, _HOTLINE, _VISIT = (CHANNELS.index(c) for c in ("call", "sms", "call_96110", "visit"))
_RESULTS = (
    "no_answer",
    "sms_sent",
    "reached_dissuaded",
    "reached_already_paid",
    "false_alarm",
    "not_found",
)
_NOTES = (
    "无人接听",
    "已发送预警短信，提醒不要转账",
    "已接通，对方表示不再转账，劝阻成功",
    "已接通，对方已转账，移交资金查控",
    "核实为正常往来，误报",
    "上门未找到本人",
)
_NO_ANSWER, _SMS_SENT, _REACHED, _REACHED_PAID, _FALSE_ALARM, _NOT_FOUND = range(len(_RESULTS))
# The state each deciding result moves a task to.
_RESULT_STATE = {
    _REACHED: _S.DISSUADED,
    _REACHED_PAID: _S.ALREADY_PAID,
    _FALSE_ALARM: _S.FALSE_ALARM,
    _NOT_FOUND: _S.LOST_CONTACT,
}
# Order of the attempts in a history: unanswered calls 0, 1, 2 (a text at 0.5), then the
# deciding call, then the visit.
_AT_FINAL, _AT_VISIT = 10.0, 12.0
_VISIT_NOTE = "联系不上，转派出所民警上门劝阻"
_ASSIGN_NOTE = "系统按辖区自动派单"


@dataclass(frozen=True, slots=True)
class TaskPlan:
    """What happens to each task: its path (:data:`PATHS`), the state after a visit (for
    ``unreachable``), when its first signal came and whether a second signal merged in."""

    path: IntArray
    after_visit: IntArray
    signal: IntArray
    merged: BoolArray

    @property
    def final_state(self) -> list[str]:
        """The state each task is in now."""
        names = [_FINAL_STATE[p].value if p in _FINAL_STATE else PATHS[p] for p in range(_NEW)]
        states = np.array(names + list(PATHS[_NEW:]), dtype=object)[self.path]
        visited = self.path == _VISITED
        after = np.array([state.value for state in _AFTER_VISIT], dtype=object)
        states[visited] = after[self.after_visit[visited]]
        return list(states)

    @property
    def paid(self) -> BoolArray:
        """Tasks whose person had already paid when reached."""
        paid: BoolArray = (self.path == _PAID) | ((self.path == _VISITED) & (self.after_visit == 2))
        return paid

    @property
    def dissuaded(self) -> BoolArray:
        """Tasks that end dissuaded."""
        dissuaded: BoolArray = (self.path == _DISSUADED) | (
            (self.path == _VISITED) & (self.after_visit == 0)
        )
        return dissuaded


def _shuffled(
    rng: np.random.Generator, total: int, shares: Mapping[str, float], order: tuple[str, ...]
) -> IntArray:
    weights = np.array([float(shares[name]) for name in order])
    return rng.permutation(np.repeat(np.arange(len(order)), allocate(total, weights)))


def plan_tasks(
    rng: np.random.Generator, params: Mapping[str, Any], n: int, span: tuple[int, int]
) -> TaskPlan:
    """Decide the path and first-signal time of ``n`` tasks; the most recent are open."""
    start, end = span
    n_open = min(n // 2, max(5, round(float(params["open_share"]) * n)))
    closed = _shuffled(rng, n - n_open, params["endings"], PATHS[:_NEW])
    opened = _NEW + _shuffled(rng, n_open, params["open_states"], PATHS[_NEW:])
    path = np.concatenate([closed, opened])
    visit = _shuffled(
        rng, n, params["after_visit"], ("reached_dissuaded", "not_found", "reached_already_paid")
    )
    after_visit = np.where(path == _VISITED, visit, -1)
    latest = max(start + HOUR, end - 2 * 24 * HOUR)
    signal = np.concatenate(
        [
            diurnal_times(rng, n - n_open, start, latest),
            end
            - np.array(_OPEN_AGE_MINUTES)[opened - _NEW] * MINUTE * rng.uniform(0.05, 1.0, n_open),
        ]
    ).astype(np.int64)
    signal = np.maximum(signal, start)
    merged = rng.random(n) < float(params["merged_share"])
    order = np.argsort(signal, kind="stable")
    return TaskPlan(path[order], after_visit[order], signal[order], merged[order])


def sla_due(priority: FloatArray, signal: IntArray) -> IntArray:
    """The first-contact deadline of ``fanzha.warning.sla_due_at``, vectorised."""
    policy = DEFAULT_POLICY
    high, medium = policy.band_floors["high"], policy.band_floors["medium"]
    offset = policy.utc_offset_hours * HOUR
    day = 24 * HOUR
    end_of_day = ((signal + offset) // day + 1) * day - offset
    low = np.maximum(end_of_day, signal + policy.low_min_minutes * MINUTE)
    return np.where(
        priority >= high,
        signal + policy.sla_minutes["high"] * MINUTE,
        np.where(priority >= medium, signal + policy.sla_minutes["medium"] * MINUTE, low),
    ).astype(np.int64)


@dataclass(frozen=True, slots=True)
class Histories:
    """Task times and the rows of ``outcomes`` and ``task_transitions`` (positions of tasks,
    user ids already resolved). ``reached`` is when a paid task's person was reached."""

    created: IntArray
    first_contact: IntArray
    closed: IntArray
    contacts: IntArray
    no_answers: IntArray
    reached: IntArray
    outcomes: pl.DataFrame
    transitions: pl.DataFrame


def _steps(
    rng: np.random.Generator, plan: TaskPlan
) -> tuple[IntArray, FloatArray, IntArray, IntArray]:
    """Contact attempts as (task, position, channel, result), unsorted."""
    n = plan.path.size
    tasks = np.arange(n)
    path = plan.path
    lead = np.select(
        [np.isin(path, _THREE_CALLS), path == _FALSE, path == _CONTACTING, path >= _NEW],
        [
            np.full(n, 3),
            rng.choice(2, n, p=[0.8, 0.2]),
            1 + (rng.random(n) < 0.4),
            np.zeros(n, np.int64),
        ],
        rng.choice(3, n, p=[0.7, 0.2, 0.1]),
    )
    task = [np.repeat(tasks, lead)]
    pos = [np.arange(task[0].size) - np.repeat(np.cumsum(lead) - lead, lead)]
    # The third unanswered call of an unreachable person goes through the 96110 line.
    channel = [np.where((pos[0] == 2) & np.isin(path[task[0]], _THREE_CALLS), _HOTLINE, _CALL)]
    result = [np.full(task[0].size, _NO_ANSWER)]
    sms = tasks[(lead >= 1) & (rng.random(n) < 0.4)]
    task.append(sms)
    pos.append(np.full(sms.size, 0.5))
    channel.append(np.full(sms.size, _SMS))
    result.append(np.full(sms.size, _SMS_SENT))
    final = tasks[path < _VISITED]
    task.append(final)
    pos.append(np.full(final.size, _AT_FINAL))
    channel.append(np.where(rng.random(final.size) < 0.15, _HOTLINE, _CALL))
    result.append(np.array([_REACHED, _FALSE_ALARM, _REACHED_PAID])[path[final]])
    visit = tasks[path == _VISITED]
    task.append(visit)
    pos.append(np.full(visit.size, _AT_VISIT))
    channel.append(np.full(visit.size, _VISIT))
    result.append(np.array([_REACHED, _NOT_FOUND, _REACHED_PAID])[plan.after_visit[visit]])
    return (
        np.concatenate(task),
        np.concatenate(pos).astype(np.float64),
        np.concatenate(channel),
        np.concatenate(result),
    )


def histories(
    rng: np.random.Generator,
    plan: TaskPlan,
    sla: IntArray,
    money_at_risk: IntArray,
    officer: IntArray,
    span: tuple[int, int],
    base: Mapping[str, int],
) -> Histories:
    """Build every task's contact attempts and state changes, in time order.

    ``officer`` is the user id of each task's assignee (-1: not assigned yet).
    """
    end = span[1]
    n = plan.path.size
    created = plan.signal + rng.integers(5 * SECOND, 60 * SECOND, n)
    assigned = created + rng.integers(10 * SECOND, 4 * MINUTE, n)
    window = np.maximum(sla - created, MINUTE)
    late = rng.random(n) < 0.12
    delay = np.where(
        late,
        window + rng.integers(MINUTE, HOUR, n),
        np.minimum(window, 3 * HOUR) * rng.uniform(0.05, 0.9, n),
    )
    first = np.maximum(created + delay.astype(np.int64), assigned + 30 * SECOND)
    task, pos, channel, result = _steps(rng, plan)
    order = np.lexsort((pos, task))
    task, pos, channel, result = task[order], pos[order], channel[order], result[order]
    gap = np.where(
        pos >= _AT_VISIT,
        rng.integers(HOUR, 8 * HOUR, task.size),
        rng.integers(3 * MINUTE, 25 * MINUTE, task.size),
    )
    is_first = np.r_[True, task[1:] != task[:-1]]
    gap[is_first] = 0
    cum = np.cumsum(gap)
    at = first[task] + cum - np.maximum.accumulate(np.where(is_first, cum, 0))
    at = np.minimum(at, end - SECOND)
    contacts = np.bincount(task, minlength=n)
    # Unanswered calls since the person was last reached (reaching them ends these paths).
    reached_any = np.bincount(task, np.isin(result, [_REACHED, _REACHED_PAID]), minlength=n) > 0
    no_answers = np.where(reached_any, 0, np.bincount(task, result == _NO_ANSWER, minlength=n))
    first_contact = np.where(contacts > 0, first, -1)
    last = np.full(n, -1, dtype=np.int64)
    last[task] = at  # sorted by time within a task, so the last write is the last attempt
    closed = np.where(plan.path < _NEW, last, -1)
    # Escalation to a visit: between the third unanswered call and the visit, or (a visit
    # still to come) a little after the third call.
    third = np.full(n, -1, dtype=np.int64)
    third[task[(pos == 2) & np.isin(plan.path[task], _THREE_CALLS)]] = at[
        (pos == 2) & np.isin(plan.path[task], _THREE_CALLS)
    ]
    escalate = np.where(
        plan.path == _VISITED,
        third + (last - third) // 3,
        np.minimum(third + rng.integers(5 * MINUTE, 40 * MINUTE, n), end - SECOND),
    )
    escalate = np.where(np.isin(plan.path, (_VISITED, _OPEN_VISIT)), escalate, -1)
    saved = np.where(result == _REACHED, money_at_risk[task], 0)
    user = officer[task]
    outcomes = pl.DataFrame(
        {
            "id": np.arange(task.size) + base["outcomes"],
            "task_id": task + base["warning_tasks"],
            "channel": pl.Series(_CHANNELS).gather(channel),
            "result": pl.Series(_RESULTS).gather(result),
            "note": pl.Series(_NOTES).gather(result),
            "money_saved_fen": saved.astype(np.int64),
            "user_id": user,
            "at": to_datetimes(at, "at"),
        }
    ).with_columns(pl.when(pl.col("user_id") >= 0).then(pl.col("user_id")).alias("user_id"))
    transitions = _transitions(
        plan, task, pos, channel, result, at, assigned, escalate, officer, base
    )
    reached = np.where(plan.paid, last, -1)
    return Histories(
        created,
        first_contact,
        closed,
        contacts,
        no_answers.astype(np.int64),
        reached,
        outcomes,
        transitions,
    )


def _transitions(
    plan: TaskPlan,
    task: IntArray,
    pos: FloatArray,
    channel: IntArray,
    result: IntArray,
    at: IntArray,
    assigned: IntArray,
    escalate: IntArray,
    officer: IntArray,
    base: Mapping[str, int],
) -> pl.DataFrame:
    """The state changes: assignment, the first attempt, the third unanswered call, the
    escalation to a visit, and the deciding result."""
    rows: list[tuple[IntArray, str, str, IntArray, IntArray, str | pl.Series]] = []
    with_assign = np.flatnonzero(plan.path != _NEW)
    rows.append(
        (
            with_assign,
            _S.NEW.value,
            _S.ASSIGNED.value,
            assigned[with_assign],
            np.full(with_assign.size, -1),
            _ASSIGN_NOTE,
        )
    )
    is_first = np.r_[True, task[1:] != task[:-1]]
    first_rows = np.flatnonzero(is_first)
    labels = pl.Series([f"{CHANNEL_LABELS[c]}联系" for c in _CHANNELS])
    rows.append(
        (
            task[first_rows],
            _S.ASSIGNED.value,
            _S.CONTACTING.value,
            at[first_rows],
            officer[task[first_rows]],
            labels.gather(channel[first_rows]),
        )
    )
    third = np.flatnonzero((pos == 2) & np.isin(plan.path[task], _THREE_CALLS))
    rows.append(
        (
            task[third],
            _S.CONTACTING.value,
            _S.UNREACHABLE.value,
            at[third],
            officer[task[third]],
            _NOTES[_NO_ANSWER],
        )
    )
    visits = np.flatnonzero(escalate >= 0)
    rows.append(
        (
            visits,
            _S.UNREACHABLE.value,
            _S.VISIT.value,
            escalate[visits],
            officer[visits],
            _VISIT_NOTE,
        )
    )
    for code, state in _RESULT_STATE.items():
        for source, where in ((_S.CONTACTING, pos == _AT_FINAL), (_S.VISIT, pos >= _AT_VISIT)):
            hit = np.flatnonzero(where & (result == code))
            rows.append(
                (task[hit], source.value, state.value, at[hit], officer[task[hit]], _NOTES[code])
            )
    frames = []
    for tasks, src, dst, when, user, note in rows:
        frames.append(
            pl.DataFrame(
                {
                    "task_id": tasks + base["warning_tasks"],
                    "from_state": pl.Series([src] * tasks.size, dtype=pl.String),
                    "to_state": pl.Series([dst] * tasks.size, dtype=pl.String),
                    "user_id": user.astype(np.int64),
                    "at": to_datetimes(when.astype(np.int64), "at"),
                    "note": note
                    if isinstance(note, pl.Series)
                    else pl.Series([note] * tasks.size, dtype=pl.String),
                }
            )
        )
    frame = pl.concat(frames).sort("at", "task_id", maintain_order=True)
    return (
        frame.with_columns(pl.when(pl.col("user_id") >= 0).then(pl.col("user_id")).alias("user_id"))
        .with_row_index("id", offset=base["task_transitions"])
        .with_columns(pl.col("id").cast(pl.Int64))
    )
