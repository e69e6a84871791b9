"""线索: the loop "线索研判 → 深挖扩线 → 落地打击" as a checked state machine.

A clue comes from the graph (a node, a gang, a role), a fund trace (a cash-out account), a
fugitive hit or an officer's hand; it carries the evidence as it was when it was made. Its
states::

    state      may move to
    pending   待研判   analysing, no_value
    analysing 研判中   expanded, landed, no_value
    expanded  已扩线   landed, no_value
    landed    已落地   terminal (an arrest or a raid came of it; the note says which)
    no_value  无价值   terminal

线索不过夜: a clue is due :data:`CLUE_SLA_HOURS` hours after it is made (the setting
``clue_sla_hours`` changes it); an open clue past that is overdue and shows on the
commander's page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from fanzha.errors import InvalidInput
from fanzha.operations._checked import StateMachine

__all__ = [
    "CLUE_LABELS",
    "CLUE_SLA_HOURS",
    "CLUE_SOURCES",
    "CLUE_TRANSITIONS",
    "OPEN_CLUE_STATES",
    "OWNER_LEVELS",
    "ClueChange",
    "ClueRecord",
    "check_clue_fields",
    "clue_due_at",
    "clue_machine",
    "move_clue",
    "overdue_clues",
]

CLUE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "pending": "待研判",
        "analysing": "研判中",
        "expanded": "已扩线",
        "landed": "已落地",
        "no_value": "无价值",
    }
)
CLUE_TRANSITIONS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "pending": frozenset({"analysing", "no_value"}),
        "analysing": frozenset({"expanded", "landed", "no_value"}),
        "expanded": frozenset({"landed", "no_value"}),
        "landed": frozenset(),
        "no_value": frozenset(),
    }
)
OPEN_CLUE_STATES = frozenset({"pending", "analysing", "expanded"})
CLUE_SOURCES: Mapping[str, str] = MappingProxyType(
    {
        "graph_node": "图谱节点",
        "graph_gang": "图谱团伙",
        "graph_role": "图谱角色",
        "fund_trace": "资金追踪",
        "fugitive_hit": "追逃比中",
        "manual": "手工录入",
    }
)
OWNER_LEVELS: Mapping[str, str] = MappingProxyType(
    {"city": "市局", "district": "分局", "county": "县(市)局"}
)
#: 线索不过夜: hours from a clue's making to its due time (the default of ``clue_sla_hours``).
CLUE_SLA_HOURS = 12.0

clue_machine = StateMachine("线索 clue", CLUE_LABELS, CLUE_TRANSITIONS)


@dataclass(frozen=True, slots=True)
class ClueRecord:
    """A clue as the core sees it (the store's row without its audit columns)."""

    id: int
    source: str
    source_ref: str
    title: str
    summary: str
    owner_level: str
    district: str | None
    state: str
    urgent: bool
    created_at: datetime
    sla_due_at: datetime
    evidence: Mapping[str, Any] = field(default_factory=dict)
    operation_id: int | None = None
    gang_id: int | None = None
    closed_at: datetime | None = None
    outcome: str = ""
    version: int = 1

    @property
    def is_open(self) -> bool:
        """Whether the clue still needs work."""
        return self.state in OPEN_CLUE_STATES


@dataclass(frozen=True, slots=True)
class ClueChange:
    """One recorded state change: which clue, from, to, when, why."""

    clue_id: int
    from_state: str
    to_state: str
    at: datetime
    note: str


def clue_due_at(created_at: datetime, *, hours: float = CLUE_SLA_HOURS) -> datetime:
    """When a clue made at ``created_at`` is due; ``hours`` must be positive."""
    if not hours > 0:
        raise InvalidInput(
            f"the clue SLA must be a positive number of hours, got {hours}",
            field="clue_sla_hours",
            value=hours,
        )
    return created_at + timedelta(hours=hours)


def check_clue_fields(source: str, owner_level: str, district: str | None) -> None:
    """Raise :class:`InvalidInput` for an unknown source or level, or a district-level clue
    without its district."""
    if source not in CLUE_SOURCES:
        raise InvalidInput(
            f"unknown clue source {source!r}; known: {', '.join(CLUE_SOURCES)}",
            field="source",
            value=source,
        )
    if owner_level not in OWNER_LEVELS:
        raise InvalidInput(
            f"unknown owner level {owner_level!r}; known: {', '.join(OWNER_LEVELS)}",
            field="owner_level",
            value=owner_level,
        )
    if owner_level != "city" and not district:
        raise InvalidInput(
            "区/县级线索必须注明所属辖区 (a district or county clue needs its district)",
            field="district",
        )


def move_clue(
    clue: ClueRecord, to_state: str, *, at: datetime, note: str = ""
) -> tuple[ClueRecord, ClueChange]:
    """The clue moved to ``to_state`` and the change to record.

    Raises :class:`~fanzha.errors.IllegalTransition` (409, naming both states) for a move the
    table forbids, and :class:`InvalidInput` when a clue is marked 已落地 or 无价值 without a
    note saying what came of it (the arrest or raid) or why it is worthless.
    """
    clue_machine.check_move(clue.state, to_state, ref=clue.id)
    text = note.strip()
    if clue_machine.is_terminal(to_state) and not text:
        raise InvalidInput(
            f"线索标记为{CLUE_LABELS[to_state]}时须填写说明（抓获/打击情况或无价值原因）"
            f" (closing clue {clue.id} as {to_state} needs a note)",
            field="note",
        )
    closed = at if clue_machine.is_terminal(to_state) else None
    moved = replace(
        clue,
        state=to_state,
        closed_at=closed,
        outcome=text if to_state == "landed" else clue.outcome,
    )
    return moved, ClueChange(clue.id, clue.state, to_state, at, text)


def overdue_clues(clues: Sequence[ClueRecord], now: datetime) -> list[ClueRecord]:
    """The open clues past their due time at ``now``, most overdue first."""
    late = [clue for clue in clues if clue.is_open and clue.sla_due_at < now]
    return sorted(late, key=lambda clue: (clue.sla_due_at, clue.id))
