"""Signals that someone is being defrauded, and the rules that turn them into warning tasks.

One open task per person (or per phone when the person is unknown): signals for the same
person in one batch become one task draft, and a signal for a person who already has an
open task becomes a *merge* draft that raises that task's priority instead of opening a
second task. The rules are the table :data:`EVENT_RULES`; pass your own to change them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from types import MappingProxyType
from typing import Any, TypeVar

from fanzha.errors import IllegalTransition, InvalidInput
from fanzha.records import normalize_phone
from fanzha.taxonomy import get_fraud_type
from fanzha.warning._priority import (
    DEFAULT_POLICY,
    PriorityBreakdown,
    PriorityPolicy,
    priority_breakdown,
    sla_due_at,
)
from fanzha.warning._state import TERMINAL_STATES, TransitionRecord, _record
from fanzha.warning._task import WarningTask, _as_json, _utc, task_key

__all__ = [
    "EVENT_KINDS",
    "EVENT_KIND_LABELS",
    "EVENT_RULES",
    "EventRule",
    "EventSignal",
    "FlagDraft",
    "IgnoredEvent",
    "TaskDraft",
    "Triage",
    "merge_draft",
    "open_task_keys",
    "task_from_draft",
    "tasks_from_events",
    "triage_events",
]

EVENT_KINDS = ("fraud_call", "flagged_transfer", "citizen_report", "screening_hit")
EVENT_KIND_LABELS = MappingProxyType(
    {
        "fraud_call": "涉诈来电/短信",
        "flagged_transfer": "向涉诈账户转账",
        "citizen_report": "群众举报",
        "screening_hit": "识诈研判",
    }
)
_SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class EventSignal:
    """One signal that a person may be being defrauded right now.

    ``kind`` is one of :data:`EVENT_KINDS`: ``fraud_call`` (the person's phone got a call
    or SMS from a flagged number), ``flagged_transfer`` (the person paid a flagged
    account), ``citizen_report`` (举报) or ``screening_hit`` (a screening verdict with
    ``risk``). The person fields describe the potential victim and are all None for a
    report of a number with nobody at risk. ``counterparty`` is the flagged number,
    account or URL; money is in 分; ``fraud_type`` is a taxonomy code.
    """

    kind: str
    occurred_at: datetime
    person_id: int | None = None
    age: int | None = None
    district: str | None = None
    phone: str | None = None
    amount_at_risk_fen: int = 0
    fraud_type: str | None = None
    risk: float | None = None
    counterparty: str | None = None
    source: str = ""
    detail: str = ""

    def __post_init__(self) -> None:
        if self.kind not in EVENT_KINDS:
            raise InvalidInput(
                f"unknown signal kind {self.kind!r}; known: {', '.join(EVENT_KINDS)}",
                field="kind",
                value=self.kind,
            )
        object.__setattr__(self, "occurred_at", _utc(self.occurred_at, "occurred_at"))
        if self.phone is not None:
            object.__setattr__(self, "phone", normalize_phone(self.phone))
        if self.age is not None and not 0 <= self.age <= 130:
            raise InvalidInput("expected an age in 0..130", field="age", value=self.age)
        if not isinstance(self.amount_at_risk_fen, int) or self.amount_at_risk_fen < 0:
            raise InvalidInput(
                "expected a whole number of 分 ≥ 0, e.g. 12000.00 yuan is 1200000",
                field="amount_at_risk_fen",
                value=self.amount_at_risk_fen,
            )
        if self.risk is not None and not 0.0 <= self.risk <= 1.0:
            raise InvalidInput("expected a risk in 0..1", field="risk", value=self.risk)
        if self.kind == "screening_hit" and self.risk is None:
            raise InvalidInput("a screening_hit needs the verdict's risk", field="risk")
        if self.fraud_type is not None and get_fraud_type(self.fraud_type) is None:
            raise InvalidInput(
                f"unknown fraud type code {self.fraud_type!r}; see fanzha taxonomy types",
                field="fraud_type",
                value=self.fraud_type,
            )


@dataclass(frozen=True, slots=True)
class EventRule:
    """When a signal of ``kind`` warrants a warning task, and the Chinese reason it gives.

    A signal needs a person or a phone to warn. It is also ignored below ``min_risk``
    (screening risk), below ``min_amount_fen``, or when its fraud type's category is not
    in ``categories`` (None: any). With ``flag_counterparty`` the counterparty is
    proposed for flagging whether or not a task is made.
    """

    kind: str
    reason: str
    min_risk: float | None = None
    min_amount_fen: int = 0
    categories: frozenset[str] | None = None
    flag_counterparty: bool = False


EVENT_RULES = (
    EventRule("fraud_call", "接到涉诈号码来电/短信"),
    EventRule("flagged_transfer", "向涉诈账户转账", min_amount_fen=1),
    EventRule("citizen_report", "群众举报疑似正在被骗", flag_counterparty=True),
    # 0.4 is screening's "medium" level: below it a verdict is not worth a call.
    EventRule("screening_hit", "识诈研判命中", min_risk=0.4, categories=frozenset({"fraud"})),
)


@dataclass(frozen=True, slots=True)
class TaskDraft:
    """A warning task to open, or (``is_merge``) new signals for an open task.

    ``priority`` and ``breakdown`` are those of the new signals (the top one plus
    ``merge_bump`` for each further signal); ``signal_at`` is the earliest signal and
    ``sla_due_at`` the earliest due time any of them sets. ``merge_into`` is the open
    task's id when the caller passed ids with the open keys.
    """

    key: str
    person_id: int | None
    phone: str | None
    district: str | None
    fraud_type: str | None
    money_at_risk_fen: int
    priority: float
    breakdown: PriorityBreakdown
    signal_at: datetime
    sla_due_at: datetime
    kinds: tuple[str, ...]
    signal_count: int
    reason: str
    event_indexes: tuple[int, ...]
    is_merge: bool = False
    merge_into: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the draft as a JSON-ready dict."""
        return _as_json(self)


@dataclass(frozen=True, slots=True)
class FlagDraft:
    """A number, account or URL a signal proposes to flag (e.g. a citizen's report)."""

    counterparty: str
    kind: str
    occurred_at: datetime
    reason: str
    index: int
    source: str = ""


@dataclass(frozen=True, slots=True)
class IgnoredEvent:
    """A signal that made no task, with the Chinese reason."""

    index: int
    kind: str
    reason: str


@dataclass(frozen=True, slots=True)
class Triage:
    """What a batch of signals gives: task drafts, flags and the signals left aside."""

    drafts: tuple[TaskDraft, ...]
    flags: tuple[FlagDraft, ...]
    ignored: tuple[IgnoredEvent, ...]


@dataclass(frozen=True, slots=True)
class _Accepted:
    index: int
    event: EventSignal
    reason: str


def _type_name(code: str | None) -> str | None:
    found = None if code is None else get_fraud_type(code)
    return None if found is None else found.name


def _why_not(event: EventSignal, rule: EventRule) -> str | None:
    """Return why ``event`` warrants no task under ``rule``, or None if it does."""
    if event.person_id is None and not event.phone:
        return "未指明可劝阻的人（无人员编号、无手机号），不生成预警任务"
    risk = event.risk or 0.0
    if rule.min_risk is not None and risk < rule.min_risk:
        return f"风险 {risk:.2f} 低于门槛 {rule.min_risk:.2f}，不生成预警任务"
    if event.amount_at_risk_fen < rule.min_amount_fen:
        return f"金额 {event.amount_at_risk_fen / 100:.2f} 元低于门槛，不生成预警任务"
    if rule.categories is not None and event.fraud_type is not None:
        found = get_fraud_type(event.fraud_type)
        if found is not None and found.category not in rule.categories:
            return f"类型「{found.name}」不属于诈骗，不生成劝阻任务"
    return None


def _reason(event: EventSignal, rule: EventRule) -> str:
    text = rule.reason
    name = _type_name(event.fraud_type)
    if name:
        text += f"（{name}）"
    if event.kind == "screening_hit" and event.risk is not None:
        text += f"，风险 {event.risk:.2f}"
    if event.amount_at_risk_fen:
        text += f"，涉及金额 {event.amount_at_risk_fen / 100:.2f} 元"
    if event.counterparty:
        text += f"，对方 {event.counterparty}"
    return text


_T = TypeVar("_T")


def _first(values: Iterable[_T | None]) -> _T | None:
    return next((value for value in values if value is not None), None)


def _group(accepted: list[_Accepted]) -> list[list[_Accepted]]:
    """Group accepted signals by person, folding phone-only signals into that phone's person."""
    groups: dict[str, list[_Accepted]] = {}
    for item in accepted:
        key = task_key(item.event.person_id, item.event.phone)
        assert key is not None  # _why_not refused signals with neither
        groups.setdefault(key, []).append(item)
    person_of_phone: dict[str, str] = {}
    for key in sorted(groups):
        if key.startswith("person:"):
            for item in groups[key]:
                if item.event.phone:
                    person_of_phone.setdefault(item.event.phone, key)
    for key in sorted(groups):
        if key.startswith("phone:") and key[len("phone:") :] in person_of_phone:
            groups[person_of_phone[key[len("phone:") :]]].extend(groups.pop(key))
    return [
        sorted(items, key=lambda a: (a.event.occurred_at, a.index)) for items in groups.values()
    ]


def _match(
    items: list[_Accepted], existing: Mapping[str, int] | Collection[str]
) -> tuple[str, bool, int | None]:
    first = items[0].event
    own_key = task_key(_first(a.event.person_id for a in items), first.phone)
    keys = [own_key] + [f"phone:{a.event.phone}" for a in items if a.event.phone]
    for key in keys:
        if key is not None and key in existing:
            merge_into = existing[key] if isinstance(existing, Mapping) else None
            return key, True, merge_into
    assert own_key is not None
    return own_key, False, None


def _draft(
    items: list[_Accepted],
    existing: Mapping[str, int] | Collection[str],
    now: datetime,
    policy: PriorityPolicy,
) -> TaskDraft:
    """One draft for the signals of one person; each signal is scored with the person's
    age and fraud type when it does not carry them itself."""
    events = [a.event for a in items]
    age, fraud_type = _first(e.age for e in events), _first(e.fraud_type for e in events)
    scored = [
        priority_breakdown(
            e.amount_at_risk_fen,
            e.fraud_type or fraud_type,
            age if e.age is None else e.age,
            e.occurred_at,
            now,
            e.kind,
            policy=policy,
        )
        for e in events
    ]
    top = max(range(len(items)), key=lambda i: (scored[i].total, -items[i].index))
    person_id = _first(e.person_id for e in events)
    phone = _first(e.phone for e in events if e.person_id == person_id) or _first(
        e.phone for e in events
    )
    key, is_merge, merge_into = _match(items, existing)
    score = min(100.0, scored[top].total + policy.merge_bump * (len(items) - 1))
    return TaskDraft(
        key=key,
        person_id=person_id,
        phone=phone,
        district=_first(e.district for e in events),
        fraud_type=events[top].fraud_type or fraud_type,
        money_at_risk_fen=max(e.amount_at_risk_fen for e in events),
        priority=round(score, 2),
        breakdown=scored[top],
        signal_at=min(e.occurred_at for e in events),
        sla_due_at=min(
            sla_due_at(b.total, e.occurred_at, policy=policy)
            for b, e in zip(scored, events, strict=True)
        ),
        kinds=tuple(sorted({e.kind for e in events})),
        signal_count=len(items),
        reason="；".join(dict.fromkeys(a.reason for a in items)),
        event_indexes=tuple(a.index for a in items),
        is_merge=is_merge,
        merge_into=merge_into,
    )


def triage_events(
    events: Sequence[EventSignal],
    existing_open_keys: Mapping[str, int] | Collection[str],
    now: datetime,
    *,
    rules: Sequence[EventRule] = EVENT_RULES,
    policy: PriorityPolicy = DEFAULT_POLICY,
) -> Triage:
    """Sort a batch of signals into task drafts, flags and ignored signals.

    ``existing_open_keys`` holds the keys of the open tasks (see :func:`open_task_keys`;
    a mapping key → task id also fills ``merge_into``). Drafts come most urgent first.
    """
    now = _utc(now, "now")
    by_kind = {rule.kind: rule for rule in rules}
    accepted: list[_Accepted] = []
    flags: list[FlagDraft] = []
    ignored: list[IgnoredEvent] = []
    for index, event in enumerate(events):
        rule = by_kind.get(event.kind)
        if rule is None:
            ignored.append(IgnoredEvent(index, event.kind, f"没有处理「{event.kind}」的规则"))
            continue
        if rule.flag_counterparty and event.counterparty:
            label = EVENT_KIND_LABELS[event.kind]
            flag_reason = f"{label}涉及号码/账户 {event.counterparty}，建议核查后标记为涉诈"
            flags.append(
                FlagDraft(
                    event.counterparty,
                    event.kind,
                    event.occurred_at,
                    flag_reason,
                    index,
                    event.source,
                )
            )
        why_not = _why_not(event, rule)
        if why_not is not None:
            ignored.append(IgnoredEvent(index, event.kind, why_not))
            continue
        accepted.append(_Accepted(index, event, _reason(event, rule)))
    drafts = [_draft(items, existing_open_keys, now, policy) for items in _group(accepted)]
    drafts.sort(key=lambda d: (-d.priority, d.sla_due_at, d.key))
    return Triage(tuple(drafts), tuple(flags), tuple(ignored))


def tasks_from_events(
    events: Sequence[EventSignal],
    existing_open_keys: Mapping[str, int] | Collection[str],
    now: datetime,
    *,
    rules: Sequence[EventRule] = EVENT_RULES,
    policy: PriorityPolicy = DEFAULT_POLICY,
) -> list[TaskDraft]:
    """Return the task drafts (new tasks and merges) the signals warrant; see ``triage_events``."""
    return list(triage_events(events, existing_open_keys, now, rules=rules, policy=policy).drafts)


def open_task_keys(tasks: Iterable[WarningTask]) -> dict[str, int]:
    """Return dedup key → task id for the open tasks: each task's person key and phone key.

    A phone shared by several open tasks maps to the lowest id.
    """
    keys: dict[str, int] = {}
    for task in sorted(tasks, key=lambda t: t.id or 0):
        if task.id is None or task.state in TERMINAL_STATES:
            continue
        for key in (task.key, task_key(None, task.phone)):
            if key is not None:
                keys.setdefault(key, task.id)
    return keys


def task_from_draft(
    draft: TaskDraft, *, created_at: datetime, task_id: int | None = None
) -> WarningTask:
    """Return the new task a draft opens; a merge draft goes to :func:`merge_draft` instead."""
    if draft.is_merge:
        raise InvalidInput(
            f"draft {draft.key} belongs to open task {draft.merge_into}; merge it with "
            "merge_draft(task, draft, ...)",
            field="is_merge",
            value=draft.key,
        )
    return WarningTask(
        id=task_id,
        person_id=draft.person_id,
        phone=draft.phone,
        district=draft.district,
        fraud_type=draft.fraud_type,
        money_at_risk_fen=draft.money_at_risk_fen,
        priority=draft.priority,
        created_at=created_at,
        signal_at=draft.signal_at,
        sla_due_at=draft.sla_due_at,
        reason=draft.reason,
    )


def merge_draft(
    task: WarningTask,
    draft: TaskDraft,
    at: datetime,
    *,
    by_user: str = _SYSTEM,
    policy: PriorityPolicy = DEFAULT_POLICY,
) -> tuple[WarningTask, TransitionRecord]:
    """Merge new signals into an open task: its priority rises and its SLA can only tighten.

    The new priority is the higher of the task's and the best new signal's, plus
    ``merge_bump`` per new signal (at most 100); money at risk is the larger; missing
    person fields are filled in.
    Raises ``IllegalTransition`` if the task has closed meanwhile (open a new task instead).
    """
    at = _utc(at, "at")
    if task.state in TERMINAL_STATES:
        raise IllegalTransition(
            f"任务 {task.id} 已结案（{task.state}），新线索应新建任务。 Task {task.id} is "
            f"closed ({task.state}); open a new task with task_from_draft",
            from_state=task.state,
            to_state=task.state,
        )
    # The open task counts as one signal: the stronger of it and the best new signal,
    # plus a bump for every new signal (as signals in one batch are combined).
    score = max(task.priority, draft.breakdown.total) + policy.merge_bump * draft.signal_count
    reasons = dict.fromkeys([*task.reason.split("；"), *draft.reason.split("；")])
    merged = replace(
        task,
        person_id=task.person_id if task.person_id is not None else draft.person_id,
        phone=task.phone or draft.phone,
        district=task.district or draft.district,
        fraud_type=task.fraud_type or draft.fraud_type,
        money_at_risk_fen=max(task.money_at_risk_fen, draft.money_at_risk_fen),
        priority=round(min(100.0, score), 2),
        signal_at=min(task.signal_at, draft.signal_at),
        sla_due_at=min(task.sla_due_at, draft.sla_due_at),
        reason="；".join(reason for reason in reasons if reason),
        version=task.version + 1,
    )
    note = f"合并 {draft.signal_count} 条新线索：{draft.reason}"
    return merged, _record(task, merged, "merge", by_user, at, note)
