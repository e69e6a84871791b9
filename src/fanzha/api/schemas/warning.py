"""Bodies of the 预警劝阻 endpoints: events, reports, tasks, outcomes, assignment, KPIs."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field

from fanzha.api.schemas.common import (
    STRICT,
    ApiTime,
    PagePublic,
    RecordId,
    Version,
    fraud_type_name,
    public_of,
)
from fanzha.api.schemas.records import PersonPublic
from fanzha.store import Event, Outcome, TaskTransition
from fanzha.warning import (
    BAND_LABELS,
    CHANNEL_LABELS,
    CHANNEL_RESULTS,
    RESULT_LABELS,
    STATE_LABELS,
    TaskState,
    WarningTask,
    allowed_transitions,
    priority_band,
)

__all__ = [
    "AssignmentListPublic",
    "AssignmentPublic",
    "ChannelResultsPublic",
    "DistrictKpiPublic",
    "EventCreate",
    "EventCreatedPublic",
    "EventListPublic",
    "EventPublic",
    "IgnoredEventPublic",
    "KpiPublic",
    "KpiReportPublic",
    "LabelledResultPublic",
    "LabelledStatePublic",
    "OfficerKpiPublic",
    "OutcomeRecordedPublic",
    "OutcomeRequest",
    "StateCountPublic",
    "TaskDetailPublic",
    "TaskEventPublic",
    "TaskListPublic",
    "TaskOutcomePublic",
    "TaskPublic",
    "TaskTransitionPublic",
    "TransitionRequest",
]


class EventCreate(BaseModel):
    """A signal: someone may be being defrauded now."""

    model_config = STRICT
    kind: Literal["fraud_call", "flagged_transfer", "citizen_report", "screening_hit"]
    occurred_at: ApiTime | None = None
    person_id: RecordId | None = None
    phone: str | None = Field(default=None, max_length=40)
    district: str | None = Field(default=None, max_length=32)
    amount_at_risk_fen: int = Field(default=0, ge=0, le=10**13)
    fraud_type: str | None = Field(default=None, max_length=32)
    risk: float | None = Field(default=None, ge=0, le=1)
    counterparty: str | None = Field(default=None, max_length=512)
    detail: str = Field(default="", max_length=4000)


class TransitionRequest(BaseModel):
    model_config = STRICT
    to_state: TaskState
    version: Version
    note: str = Field(default="", max_length=4000)
    assigned_to: RecordId | None = None
    paid_fen: int | None = Field(default=None, ge=0, le=10**13)


class OutcomeRequest(BaseModel):
    model_config = STRICT
    channel: str = Field(min_length=1, max_length=16)
    result: str = Field(min_length=1, max_length=32)
    version: Version
    note: str = Field(default="", max_length=4000)
    money_saved_fen: int | None = Field(default=None, ge=0, le=10**13)
    paid_fen: int | None = Field(default=None, ge=0, le=10**13)
    confirm_saved: bool = False
    """Confirms a money saved above the task's money at risk (then ``saved_reason`` needed)."""
    saved_reason: str = Field(default="", max_length=500)


class IgnoredEventPublic(BaseModel):
    """A signal that made no task (its index in the request) and why."""

    index: int
    reason: str


class EventCreatedPublic(BaseModel):
    """The stored event and what the warning rules did with it."""

    event_id: int
    created_task_ids: list[int]
    merged_task_ids: list[int]
    flagged: list[str]
    ignored: list[IgnoredEventPublic]


class EventPublic(BaseModel):
    """A stored signal; the phone number masked unless visible."""

    id: int
    kind: str
    occurred_at: datetime
    person_id: int | None
    district: str | None
    phone_number: str | None
    counterpart: str | None
    amount_at_risk_fen: int
    fraud_type: str | None
    risk: float | None
    task_id: int | None
    source: str

    @classmethod
    def of(cls, event: Event, *, visible: bool) -> Self:
        """The event, the phone number masked unless ``visible``."""
        return public_of(cls, event, visible=visible, masked={"phone_number": "phone"})


class EventListPublic(PagePublic):
    data: list[EventPublic]


class TaskPublic(BaseModel):
    """A warning task as the queue shows it; the phone number masked unless visible."""

    id: int
    person_id: int | None
    phone_number: str | None
    district: str | None
    fraud_type: str | None
    fraud_type_name: str
    money_at_risk_fen: int
    priority: float
    band: str
    band_label: str
    state: str
    state_label: str
    assigned_to: int | None
    assignee_name: str | None
    reason: str
    signal_at: datetime
    created_at: datetime
    sla_due_at: datetime
    first_contact_at: datetime | None
    closed_at: datetime | None
    contact_count: int
    money_saved_fen: int
    version: int

    @classmethod
    def of(cls, task: WarningTask, *, visible: bool, names: dict[int, str]) -> Self:
        """The task; ``names`` gives the assignee's display name by user id."""
        band = priority_band(task.priority)
        assigned_to = int(task.assigned_to) if task.assigned_to is not None else None
        return public_of(
            cls,
            task,
            visible=visible,
            masked={"phone_number": "phone"},
            phone_number=task.phone,
            fraud_type_name=fraud_type_name(task.fraud_type),
            priority=round(task.priority, 1),
            band=band,
            band_label=BAND_LABELS[band],
            state_label=STATE_LABELS.get(task.state, task.state),
            assigned_to=assigned_to,
            assignee_name=names.get(assigned_to) if assigned_to is not None else None,
        )


class TaskListPublic(PagePublic):
    data: list[TaskPublic]


class TaskTransitionPublic(BaseModel):
    """One change of the task's state, by whom and when."""

    from_state: str
    to_state: str
    from_label: str
    to_label: str
    user: str | None
    at: datetime
    note: str

    @classmethod
    def of(cls, row: TaskTransition, names: dict[int, str]) -> Self:
        """The change with the states' labels and the officer's name."""
        return public_of(
            cls,
            row,
            from_label=STATE_LABELS.get(row.from_state, row.from_state),
            to_label=STATE_LABELS.get(row.to_state, row.to_state),
            user=names.get(row.user_id or -1),
        )


class TaskOutcomePublic(BaseModel):
    """One contact attempt and its result."""

    channel: str
    channel_label: str
    result: str
    result_label: str
    note: str
    money_saved_fen: int
    user: str | None
    at: datetime

    @classmethod
    def of(cls, row: Outcome, names: dict[int, str]) -> Self:
        """The attempt with the channel's and result's labels and the officer's name."""
        return public_of(
            cls,
            row,
            channel_label=CHANNEL_LABELS.get(row.channel, row.channel),
            result_label=RESULT_LABELS.get(row.result, row.result),
            user=names.get(row.user_id or -1),
        )


class TaskEventPublic(BaseModel):
    """A signal behind the task, in brief."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    kind: str
    occurred_at: datetime
    counterpart: str | None
    amount_at_risk_fen: int
    risk: float | None


class LabelledStatePublic(BaseModel):
    state: str
    label: str


class LabelledResultPublic(BaseModel):
    result: str
    label: str


class ChannelResultsPublic(BaseModel):
    """A contact channel's label and the results it can have."""

    label: str
    results: list[LabelledResultPublic]


def _moves(state: str) -> list[LabelledStatePublic]:
    order = list(STATE_LABELS)
    return [
        LabelledStatePublic(state=s.value, label=STATE_LABELS[s])
        for s in sorted(allowed_transitions(state), key=order.index)
    ]


def _channel_results() -> dict[str, ChannelResultsPublic]:
    return {
        channel: ChannelResultsPublic(
            label=CHANNEL_LABELS[channel],
            results=[
                LabelledResultPublic(result=r, label=RESULT_LABELS[r]) for r in sorted(results)
            ],
        )
        for channel, results in CHANNEL_RESULTS.items()
    }


class TaskDetailPublic(TaskPublic):
    """A task with its person, history, signals and the moves allowed now."""

    person: PersonPublic | None
    transitions: list[TaskTransitionPublic]
    outcomes: list[TaskOutcomePublic]
    events: list[TaskEventPublic]
    allowed_transitions: list[LabelledStatePublic]
    channel_results: dict[str, ChannelResultsPublic]

    @classmethod
    def with_history(
        cls,
        task: TaskPublic,
        *,
        person: PersonPublic | None,
        transitions: list[TaskTransitionPublic],
        outcomes: list[TaskOutcomePublic],
        events: list[TaskEventPublic],
    ) -> Self:
        """The task's body with its history and the moves and contact results open to it."""
        return cls(
            **task.model_dump(),
            person=person,
            transitions=transitions,
            outcomes=outcomes,
            events=events,
            allowed_transitions=_moves(task.state),
            channel_results=_channel_results(),
        )


class OutcomeRecordedPublic(TaskDetailPublic):
    """The task after a contact attempt, and the suggested next step (nothing automatic)."""

    suggested_state: str | None
    suggestion: str | None


class AssignmentPublic(BaseModel):
    """One task's assignment: the officer (None when nobody is available) and why."""

    task_id: int
    officer_id: str | None
    district: str | None
    reason: str
    load_after: int | None


class AssignmentListPublic(BaseModel):
    data: list[AssignmentPublic]
    count: int


class KpiPublic(BaseModel):
    """The warning KPIs of a set of tasks (see :func:`fanzha.warning.warning_kpis`)."""

    tasks: int
    open: int
    dissuaded: int
    already_paid: int
    lost_contact: int
    false_alarm: int
    dissuasion_rate: float | None
    median_first_contact_min: float | None
    money_saved_fen: int
    contacts: int
    repeat_contacted: int
    overdue: int
    sla_missed: int
    saved_above_risk: int
    """Tasks whose money saved is above their money at risk (or above the ceiling when that
    is unknown): recorded with a confirmation and a reason, to be reviewed."""
    saved_above_risk_fen: int


class DistrictKpiPublic(KpiPublic):
    district: str | None


class OfficerKpiPublic(KpiPublic):
    assigned_to: str | None
    officer_name: str | None


class StateCountPublic(BaseModel):
    state: str
    label: str
    count: int


class KpiReportPublic(BaseModel):
    """KPIs overall, tasks by state, and KPIs by district and by officer."""

    overall: KpiPublic
    by_state: list[StateCountPublic]
    by_district: list[DistrictKpiPublic]
    by_officer: list[OfficerKpiPublic]
