"""行业治理: rectification cases (整改) of outlets, opened from the 断卡 ranking."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from fanzha.errors import NotFound, StaleVersion
from fanzha.operations import (
    OPEN_RECTIFICATION_STATES,
    Rectification,
    change_rectification,
    rectification_candidates,
    rectification_from_rank,
)
from fanzha.store._models import Outlet
from fanzha.store._ops_models import Rectification as RectificationRow
from fanzha.store._ops_models import RectificationTransition
from fanzha.store._pages import fetch_page

__all__ = [
    "change_rectification_state",
    "get_rectification",
    "list_rectifications",
    "open_from_ranking",
    "outlet_names",
    "rectification_history",
]


def _core(row: RectificationRow, name: str = "") -> Rectification:
    return Rectification(
        id=row.id,
        outlet_id=row.outlet_id,
        outlet_name=name,
        district=row.district,
        state=row.state,
        deadline=row.deadline,
        measures=tuple(json.loads(row.measures or "[]")),
        reason=row.reason,
        opened_on=row.opened_on,
        operation_id=row.operation_id,
        recheck_on=row.rechecked_on,
        recheck_result=row.recheck_result,
        version=row.version,
    )


def outlet_names(session: Session, outlet_ids: Sequence[int]) -> dict[int, str]:
    """Outlet id → name."""
    if not outlet_ids:
        return {}
    rows = session.execute(select(Outlet.id, Outlet.name).where(Outlet.id.in_(set(outlet_ids))))
    return {i: n for i, n in rows.all()}


def open_from_ranking(
    session: Session,
    ranked: pl.DataFrame,
    *,
    opened_on: date,
    deadline: date,
    measures: Sequence[str],
    now: datetime,
    user_id: int | None,
    min_score: float = 0.05,
    min_case_cards: int = 2,
    top: int | None = None,
    operation_id: int | None = None,
) -> list[int]:
    """Open a case for each outlet of :func:`fanzha.graph.rank_outlets`' ``ranked`` frame
    above the thresholds that has no open case yet; the new ids (the caller commits)."""
    open_outlets = session.scalars(
        select(RectificationRow.outlet_id).where(
            RectificationRow.state.in_(OPEN_RECTIFICATION_STATES)
        )
    ).all()
    picked = rectification_candidates(
        ranked,
        min_score=min_score,
        min_case_cards=min_case_cards,
        top=top,
        exclude=list(open_outlets),
    )
    rows = []
    for row in picked.iter_rows(named=True):
        case = rectification_from_rank(
            row,
            opened_on=opened_on,
            deadline=deadline,
            measures=measures,
            operation_id=operation_id,
        )
        rows.append(
            RectificationRow(
                outlet_id=case.outlet_id,
                operation_id=case.operation_id,
                district=case.district,
                reason=case.reason,
                measures=json.dumps(list(case.measures), ensure_ascii=False),
                opened_on=opened_on,
                deadline=case.deadline,
                state=case.state,
                recheck_result="",
                created_by=user_id,
                created_at=now,
                version=1,
            )
        )
    session.add_all(rows)
    session.flush()
    return [r.id for r in rows]


def get_rectification(
    session: Session, rectification_id: int, scope: str | None
) -> Rectification | None:
    """The case if it lies in ``scope``, with its outlet's name."""
    row = session.get(RectificationRow, rectification_id)
    if row is None or (scope is not None and row.district != scope):
        return None
    return _core(row, outlet_names(session, [row.outlet_id]).get(row.outlet_id, ""))


def list_rectifications(
    session: Session,
    *,
    scope: str | None,
    state: str | None = None,
    overdue_on: date | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[Rectification], int]:
    """One page of cases (with ``overdue_on``: open ones past their deadline on that day,
    longest overdue first; else newest first) and the total."""
    query = select(RectificationRow)
    if scope is not None:
        query = query.where(RectificationRow.district == scope)
    if state:
        query = query.where(RectificationRow.state == state)
    if overdue_on is not None:
        query = query.where(
            RectificationRow.state.in_(OPEN_RECTIFICATION_STATES),
            RectificationRow.deadline < overdue_on,
        ).order_by(RectificationRow.deadline, RectificationRow.id)
    else:
        query = query.order_by(RectificationRow.id.desc())
    rows, total = fetch_page(session, query, page, per_page)
    found = [row for (row,) in rows]
    names = outlet_names(session, [r.outlet_id for r in found])
    return [_core(r, names.get(r.outlet_id, "")) for r in found], total


def rectification_history(session: Session, rectification_id: int) -> list[RectificationTransition]:
    """The state changes of a case, oldest first."""
    query = select(RectificationTransition).where(
        RectificationTransition.rectification_id == rectification_id
    )
    return list(session.scalars(query.order_by(RectificationTransition.id)))


def change_rectification_state(
    session: Session,
    rectification_id: int,
    to_state: str,
    *,
    version: int,
    by_user: str,
    user_id: int | None,
    now: datetime,
    scope: str | None,
    note: str = "",
    deadline: date | None = None,
    measures: Sequence[str] | None = None,
    recheck_result: str | None = None,
) -> Rectification:
    """Move a case through the checked state machine and record the change (the caller
    commits). Raises NotFound, StaleVersion, IllegalTransition (409) or InvalidInput."""
    row = session.get(RectificationRow, rectification_id)
    if row is None or (scope is not None and row.district != scope):
        raise NotFound(f"rectification {rectification_id} does not exist")
    if row.version != version:
        raise StaleVersion(
            f"rectification {rectification_id} changed meanwhile (version {row.version}, "
            f"not {version}); reload it"
        )
    case, record = change_rectification(
        _core(row),
        to_state,
        by_user=by_user,
        at=now,
        note=note,
        deadline=deadline,
        measures=measures,
        recheck_result=recheck_result,
    )
    row.state = case.state
    row.deadline = case.deadline
    row.measures = json.dumps(list(case.measures), ensure_ascii=False)
    row.rechecked_on = case.recheck_on
    row.recheck_result = case.recheck_result
    if case.state not in OPEN_RECTIFICATION_STATES:
        row.closed_at = now
    session.add(
        RectificationTransition(
            rectification_id=rectification_id,
            from_state=record.from_state,
            to_state=record.to_state,
            user_id=user_id,
            at=now,
            note=note,
        )
    )
    session.flush()
    return _core(row, outlet_names(session, [row.outlet_id]).get(row.outlet_id, ""))
