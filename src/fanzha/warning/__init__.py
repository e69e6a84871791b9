"""预警劝阻 warning and dissuasion: signals → tasks → assignment → outcomes → KPIs.

Pure logic over plain data: the store persists the dataclasses and the API calls the
functions. Every function that depends on the time takes ``now`` / ``at``.
"""

from __future__ import annotations

from fanzha.warning._assign import Assignment, Officer, assign
from fanzha.warning._events import (
    EVENT_KINDS,
    EVENT_RULES,
    EventSignal,
    IgnoredEvent,
    merge_draft,
    task_from_draft,
    triage_events,
)
from fanzha.warning._kpi import tasks_by_state, warning_kpis
from fanzha.warning._outcome import (
    CHANNEL_LABELS,
    CHANNEL_RESULTS,
    CHANNELS,
    RESULT_LABELS,
    SAVED_CEILING_FEN,
    Outcome,
    OutcomeRecord,
    OutcomeResult,
    record_outcome,
)
from fanzha.warning._priority import (
    BAND_LABELS,
    DEFAULT_POLICY,
    age_of,
    fraud_type_severity,
    priority_band,
    sla_due_at,
)
from fanzha.warning._state import (
    OPEN_STATES,
    STATE_LABELS,
    TRANSITIONS,
    TaskState,
    TransitionRecord,
    allowed_transitions,
    transition,
)
from fanzha.warning._task import WarningTask, task_key

__all__ = [
    "BAND_LABELS",
    "CHANNELS",
    "CHANNEL_LABELS",
    "CHANNEL_RESULTS",
    "DEFAULT_POLICY",
    "EVENT_KINDS",
    "EVENT_RULES",
    "OPEN_STATES",
    "RESULT_LABELS",
    "SAVED_CEILING_FEN",
    "STATE_LABELS",
    "TRANSITIONS",
    "Assignment",
    "EventSignal",
    "IgnoredEvent",
    "Officer",
    "Outcome",
    "OutcomeRecord",
    "OutcomeResult",
    "TaskState",
    "TransitionRecord",
    "WarningTask",
    "age_of",
    "allowed_transitions",
    "assign",
    "fraud_type_severity",
    "merge_draft",
    "priority_band",
    "record_outcome",
    "sla_due_at",
    "task_from_draft",
    "task_key",
    "tasks_by_state",
    "transition",
    "triage_events",
    "warning_kpis",
]
