"""Record the outcome of one contact attempt (call, SMS, 96110 call, visit) on a task.

Each outcome counts as a contact, starts ``first_contact_at`` (which stops the SLA
clock) and moves the task through the state machine when the result decides it:
reached and dissuaded → ``dissuaded``; already paid → ``already_paid`` (hand-off to fund
control); a wrong number, or ``max_no_answer`` unanswered calls in a row →
``unreachable`` with a visit suggested; not found at the door → ``lost_contact``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from types import MappingProxyType
from typing import Any

from fanzha.errors import IllegalTransition, InvalidInput
from fanzha.reasons import is_real_reason
from fanzha.warning._state import (
    STATE_LABELS,
    TERMINAL_STATES,
    FundHandoff,
    TaskState,
    TransitionRecord,
    _check_change,
    _state,
    transition,
)
from fanzha.warning._task import WarningTask, _as_json

__all__ = [
    "CHANNELS",
    "CHANNEL_LABELS",
    "CHANNEL_RESULTS",
    "RESULT_LABELS",
    "SAVED_CEILING_FEN",
    "Outcome",
    "OutcomeRecord",
    "OutcomeResult",
    "record_outcome",
    "saved_needs_confirmation",
]

SAVED_CEILING_FEN = 5_000_000
"""Largest money saved (5 万元) recorded without a confirmation on a task whose money at
risk is unknown (0)."""

CHANNELS = ("call", "sms", "call_96110", "visit")
CHANNEL_LABELS = MappingProxyType(
    {"call": "电话", "sms": "短信", "call_96110": "96110专线", "visit": "上门"}
)
RESULT_LABELS = MappingProxyType(
    {
        "reached_dissuaded": "已接通，劝阻成功",
        "reached_already_paid": "已接通，已被骗转账",
        "reached_refused": "已接通，不听劝阻",
        "no_answer": "无人接听",
        "wrong_number": "空号/号码错误",
        "sms_sent": "预警短信已发送",
        "false_alarm": "核实为误报",
        "not_found": "上门未找到本人",
    }
)
_VOICE = (
    "reached_dissuaded",
    "reached_already_paid",
    "reached_refused",
    "no_answer",
    "wrong_number",
    "false_alarm",
)
CHANNEL_RESULTS = MappingProxyType(
    {
        "call": frozenset(_VOICE),
        "call_96110": frozenset(_VOICE),
        "sms": frozenset({"sms_sent", "wrong_number"}),
        "visit": frozenset(
            {
                "reached_dissuaded",
                "reached_already_paid",
                "reached_refused",
                "false_alarm",
                "not_found",
            }
        ),
    }
)
_S = TaskState
# The state a result moves the task to, when it decides the task.
_RESULT_STATE = MappingProxyType(
    {
        "reached_dissuaded": _S.DISSUADED,
        "reached_already_paid": _S.ALREADY_PAID,
        "false_alarm": _S.FALSE_ALARM,
        "not_found": _S.LOST_CONTACT,
    }
)
_REACHED = frozenset({"reached_dissuaded", "reached_already_paid", "reached_refused"})


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one contact attempt gave: ``channel`` (:data:`CHANNELS`) and ``result``.

    ``money_saved_fen`` (only for ``reached_dissuaded``; default: the money at risk) and
    ``paid_fen`` (only for ``reached_already_paid``; default: the money at risk) are in 分.
    A saved amount above the money at risk (see :func:`saved_needs_confirmation`) needs
    ``confirm_saved`` and a ``saved_reason`` of at least four letters or digits.
    """

    channel: str
    result: str
    note: str = ""
    money_saved_fen: int | None = None
    paid_fen: int | None = None
    confirm_saved: bool = False
    saved_reason: str = ""

    def __post_init__(self) -> None:
        if self.channel not in CHANNELS:
            raise InvalidInput(
                f"unknown channel {self.channel!r}; known: {', '.join(CHANNELS)}",
                field="channel",
                value=self.channel,
            )
        allowed = CHANNEL_RESULTS[self.channel]
        if self.result not in allowed:
            raise InvalidInput(
                f"result {self.result!r} does not fit channel {self.channel!r}; "
                f"allowed: {', '.join(sorted(allowed))}",
                field="result",
                value=self.result,
            )
        for name, result in (
            ("money_saved_fen", "reached_dissuaded"),
            ("paid_fen", "reached_already_paid"),
        ):
            value = getattr(self, name)
            if value is not None and (self.result != result or value < 0):
                raise InvalidInput(
                    f"only a {result} outcome takes {name}, in 分 ≥ 0", field=name, value=value
                )


def saved_needs_confirmation(
    money_at_risk_fen: int, saved_fen: int, *, ceiling_fen: int = SAVED_CEILING_FEN
) -> bool:
    """Whether recording ``saved_fen`` as saved needs a confirmation and a reason: it is above
    the task's money at risk, or above ``ceiling_fen`` when the money at risk is unknown (0)."""
    if money_at_risk_fen > 0:
        return saved_fen > money_at_risk_fen
    return saved_fen > ceiling_fen


def _saved_note(task: WarningTask, outcome: Outcome, ceiling_fen: int) -> str:
    """The outcome's note, with the reason for a saved amount that needed confirming; raises
    ``InvalidInput`` (field ``money_saved_fen``) when the confirmation or reason is missing."""
    saved = outcome.money_saved_fen
    if saved is None or not saved_needs_confirmation(
        task.money_at_risk_fen, saved, ceiling_fen=ceiling_fen
    ):
        return outcome.note
    reason = " ".join(outcome.saved_reason.split())
    if not outcome.confirm_saved or not is_real_reason(reason):
        limit = task.money_at_risk_fen or ceiling_fen
        what = "涉险金额" if task.money_at_risk_fen else "未知涉险金额时的上限"
        raise InvalidInput(
            f"挽回金额 {saved / 100:,.2f} 元超过{what} {limit / 100:,.2f} 元，"
            "请确认并填写理由（至少 4 个字）",
            field="money_saved_fen",
            value=saved,
        )
    confirmation = f"挽回金额超过涉险金额，确认理由：{reason}"
    return f"{outcome.note}\n{confirmation}" if outcome.note else confirmation


@dataclass(frozen=True, slots=True)
class OutcomeRecord:
    """One recorded contact attempt; ``attempt`` is the task's contact count after it."""

    task_id: int | None
    channel: str
    result: str
    note: str
    money_saved_fen: int
    by_user: str
    at: datetime
    attempt: int
    state_after: str

    def to_dict(self) -> dict[str, Any]:
        """Return the record as a JSON-ready dict."""
        return _as_json(self)


@dataclass(frozen=True, slots=True)
class OutcomeResult:
    """The task after an outcome, the outcome record, the state changes it caused and advice.

    ``suggested_state`` (e.g. ``visit``) and ``suggestion`` (Chinese) name the next step
    a person should take; nothing is escalated automatically.
    """

    task: WarningTask
    outcome: OutcomeRecord
    transitions: tuple[TransitionRecord, ...]
    suggested_state: str | None = None
    suggestion: str | None = None

    @property
    def handoff(self) -> FundHandoff | None:
        """The hand-off to fund control, when the victim had already paid."""
        return next((r.handoff for r in self.transitions if r.handoff is not None), None)


def _entry_path(state: TaskState, outcome: Outcome) -> tuple[TaskState, ...]:
    """The states the task passes through before the result applies."""
    if outcome.channel == "visit":
        return () if state is _S.VISIT else (_S.VISIT,)
    if state is _S.ASSIGNED:
        return (_S.CONTACTING,)
    if state is _S.UNREACHABLE and outcome.result in _REACHED:
        return (_S.CONTACTING,)
    return ()


def _next_step(
    state: TaskState, outcome: Outcome, no_answers: int, max_no_answer: int
) -> tuple[TaskState | None, str | None, str | None]:
    """Return (state to move to, suggested state, suggestion) for the result."""
    result = outcome.result
    if result in _RESULT_STATE:
        target = _RESULT_STATE[result]
        if target is _S.ALREADY_PAID:
            return target, None, "受害人已转账，已移交资金查控，请尽快止付、冻结"
        return target, None, None
    if result == "wrong_number" and state is _S.CONTACTING:
        return _S.UNREACHABLE, _S.VISIT.value, "号码无效，联系不上，建议转派出所上门劝阻"
    if result == "no_answer" and state is _S.CONTACTING and no_answers >= max_no_answer:
        return (
            _S.UNREACHABLE,
            _S.VISIT.value,
            f"连续 {no_answers} 次未接通，联系不上，建议转派出所上门劝阻",
        )
    if result == "reached_refused":
        if state is _S.VISIT:
            return None, None, "受害人仍不听劝，建议联系家属、社区共同劝阻并继续跟进"
        return None, _S.VISIT.value, "受害人不听劝，建议派出所民警上门劝阻"
    return None, None, None


def record_outcome(
    task: WarningTask,
    outcome: Outcome,
    by_user: str,
    at: datetime,
    *,
    max_no_answer: int = 3,
    saved_ceiling_fen: int = SAVED_CEILING_FEN,
) -> OutcomeResult:
    """Record one contact attempt on ``task`` and move it through the state machine.

    The contact count grows by one, ``first_contact_at`` is set on the first attempt,
    unanswered calls are counted until the person is reached. Returns the updated task,
    the outcome record and every state change made, each a :class:`TransitionRecord`.

    Raises ``IllegalTransition`` for a task that is closed or not yet assigned and
    ``InvalidInput`` for a naive time, a missing user, or a saved amount above the money at
    risk (or above ``saved_ceiling_fen`` when that is unknown) without confirmation and reason.
    """
    state = _state(task.state, "state")
    at = _check_change(task, by_user, at)
    if max_no_answer < 1:
        raise InvalidInput("expected at least 1", field="max_no_answer", value=max_no_answer)
    if state in TERMINAL_STATES or state is _S.NEW:
        raise IllegalTransition(
            f"任务 {task.id} 处于「{STATE_LABELS[state]}」，不能记录联系结果。 Cannot record "
            f"an outcome on task {task.id} in state {state.value}: a new task must be assigned "
            "first and a closed task stays closed",
            from_state=state.value,
            to_state=state.value,
        )
    note = _saved_note(task, outcome, saved_ceiling_fen)
    records: list[TransitionRecord] = []
    for step in _entry_path(state, outcome):
        task, record = transition(task, step, by_user, at, f"{CHANNEL_LABELS[outcome.channel]}联系")
        records.append(record)
        state = step
    no_answers = task.no_answer_count
    if outcome.result == "no_answer":
        no_answers += 1
    elif outcome.result in _REACHED:
        no_answers = 0
    saved = 0
    if outcome.result == "reached_dissuaded":
        saved = (
            task.money_at_risk_fen if outcome.money_saved_fen is None else outcome.money_saved_fen
        )
    task = replace(
        task,
        contact_count=task.contact_count + 1,
        no_answer_count=no_answers,
        first_contact_at=task.first_contact_at or at,
        money_saved_fen=max(task.money_saved_fen, saved),
        version=task.version + 1,
    )
    target, suggested_state, suggestion = _next_step(state, outcome, no_answers, max_no_answer)
    if target is not None:
        task, record = transition(task, target, by_user, at, note, paid_fen=outcome.paid_fen)
        records.append(record)
    outcome_record = OutcomeRecord(
        task_id=task.id,
        channel=outcome.channel,
        result=outcome.result,
        note=note,
        money_saved_fen=saved,
        by_user=by_user,
        at=at,
        attempt=task.contact_count,
        state_after=task.state,
    )
    return OutcomeResult(task, outcome_record, tuple(records), suggested_state, suggestion)
