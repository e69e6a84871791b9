"""Clues (线索) in the store: add, read in a district's scope, move with its recorded change,
list (by state, operation, overdue).

A clue outside the caller's scope (a district; None: the whole city) is NotFound, as if
absent. A move is saved only from the version that was read (``StaleVersion`` otherwise),
and SQLAlchemy's version counter guards the UPDATE itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from fanzha.errors import NotFound, StaleVersion
from fanzha.operations import OPEN_CLUE_STATES, ClueChange, ClueRecord
from fanzha.store._ops_models import Clue, ClueTransition
from fanzha.store._pages import fetch_page

__all__ = [
    "ClueTransitionRow",
    "NewClue",
    "add_clue",
    "clue_transitions",
    "get_clue",
    "list_clues",
    "save_clue_move",
]


@dataclass(frozen=True, slots=True)
class NewClue:
    """What a new clue needs; ``evidence`` is the snapshot stored as JSON."""

    source: str
    title: str
    owner_level: str
    district: str | None
    created_at: datetime
    sla_due_at: datetime
    source_ref: str = ""
    summary: str = ""
    evidence: dict[str, Any] | None = None
    urgent: bool = False
    operation_id: int | None = None
    gang_id: int | None = None
    created_by: int | None = None


@dataclass(frozen=True, slots=True)
class ClueTransitionRow:
    """A recorded clue state change, with who made it."""

    from_state: str
    to_state: str
    at: datetime
    user_id: int | None
    note: str


def _record(row: Clue) -> ClueRecord:
    evidence = json.loads(row.evidence or "{}")
    return ClueRecord(
        id=row.id,
        source=row.source,
        source_ref=row.source_ref,
        title=row.title,
        summary=row.summary,
        owner_level=row.owner_level,
        district=row.district,
        state=row.state,
        urgent=row.urgent,
        created_at=row.created_at,
        sla_due_at=row.sla_due_at,
        evidence=evidence if isinstance(evidence, dict) else {"value": evidence},
        operation_id=row.operation_id,
        gang_id=row.gang_id,
        closed_at=row.closed_at,
        outcome=row.outcome,
        version=row.version,
    )


def add_clue(session: Session, clue: NewClue) -> ClueRecord:
    """Insert a clue in state 待研判 and return it."""
    row = Clue(
        source=clue.source,
        source_ref=clue.source_ref,
        title=clue.title,
        summary=clue.summary,
        evidence=json.dumps(clue.evidence or {}, ensure_ascii=False, default=str),
        owner_level=clue.owner_level,
        district=clue.district,
        state="pending",
        urgent=clue.urgent,
        operation_id=clue.operation_id,
        gang_id=clue.gang_id,
        created_by=clue.created_by,
        created_at=clue.created_at,
        sla_due_at=clue.sla_due_at,
        outcome="",
    )
    session.add(row)
    session.flush()
    return _record(row)


def _row(session: Session, clue_id: int, scope: str | None) -> Clue:
    row = session.get(Clue, clue_id)
    if row is None or (scope is not None and row.district != scope):
        raise NotFound(f"clue {clue_id} does not exist")
    return row


def _stale(clue_id: int, stored: int, given: int) -> StaleVersion:
    return StaleVersion(
        f"线索 {clue_id} 已被他人修改（当前版本 {stored}，提交的版本 {given}），"
        "请刷新后重试 (the clue changed meanwhile; reload and retry)"
    )


def get_clue(
    session: Session, clue_id: int, *, scope: str | None = None, version: int | None = None
) -> ClueRecord:
    """The stored clue; raises NotFound (also outside ``scope``), or StaleVersion when
    ``version`` is not the stored one."""
    row = _row(session, clue_id, scope)
    if version is not None and row.version != version:
        raise _stale(clue_id, row.version, version)
    return _record(row)


def save_clue_move(
    session: Session, before: ClueRecord, after: ClueRecord, change: ClueChange, user_id: int | None
) -> ClueRecord:
    """Store a clue's move (from ``before`` as read to ``after``) and its recorded change."""
    row = _row(session, before.id, None)
    if row.version != before.version:
        raise _stale(before.id, row.version, before.version)
    row.state = after.state
    row.closed_at = after.closed_at
    row.outcome = after.outcome
    session.add(
        ClueTransition(
            clue_id=change.clue_id,
            from_state=change.from_state,
            to_state=change.to_state,
            user_id=user_id,
            at=change.at,
            note=change.note,
        )
    )
    session.flush()
    return _record(row)


def _listing(
    scope: str | None,
    state: str | None,
    operation_id: int | None,
    overdue_at: datetime | None,
    source: str | None,
) -> Select[Any]:
    query = select(Clue)
    if scope is not None:
        query = query.where(Clue.district == scope)
    if state is not None:
        query = query.where(Clue.state == state)
    if operation_id is not None:
        query = query.where(Clue.operation_id == operation_id)
    if source is not None:
        query = query.where(Clue.source == source)
    if overdue_at is not None:
        query = query.where(Clue.state.in_(sorted(OPEN_CLUE_STATES)), Clue.sla_due_at < overdue_at)
        return query.order_by(Clue.sla_due_at, Clue.id)
    return query.order_by(Clue.urgent.desc(), Clue.sla_due_at, Clue.id)


def list_clues(
    session: Session,
    *,
    scope: str | None = None,
    state: str | None = None,
    operation_id: int | None = None,
    overdue_at: datetime | None = None,
    source: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[ClueRecord], int]:
    """One page of clues in ``scope`` and their total: by state, operation or source, or
    (``overdue_at``) the open ones past their SLA at that time, most overdue first."""
    rows, total = fetch_page(
        session, _listing(scope, state, operation_id, overdue_at, source), page, per_page
    )
    return [_record(row) for (row,) in rows], total


def clue_transitions(session: Session, clue_id: int) -> list[ClueTransitionRow]:
    """The recorded state changes of a clue, oldest first."""
    rows = session.scalars(
        select(ClueTransition)
        .where(ClueTransition.clue_id == clue_id)
        .order_by(ClueTransition.at, ClueTransition.id)
    )
    return [
        ClueTransitionRow(row.from_state, row.to_state, row.at, row.user_id, row.note)
        for row in rows
    ]
