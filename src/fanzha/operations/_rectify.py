"""行业治理: outlets ranked by the 断卡 analytics become rectification cases (整改).

The ranking is :func:`fanzha.graph.rank_outlets` (the Wilson lower bound of the share of an
outlet's cards that turned up in cases); :func:`rectification_candidates` picks the outlets
above a score that have no open case yet. A case is a checked state machine::

    state          may move to
    open       待整改     rectifying, cancelled
    rectifying 整改中     rechecking
    rechecking 待复查     passed, failed
    failed     复查未通过 rectifying (a new deadline), penalised
    passed     复查通过   terminal
    penalised  移交处罚   terminal
    cancelled  撤销       terminal

A case past its deadline and not closed is overdue (逾期); the commander's page lists them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from types import MappingProxyType

import polars as pl

from fanzha.errors import InvalidInput
from fanzha.operations._checked import StateMachine

__all__ = [
    "OPEN_RECTIFICATION_STATES",
    "RECTIFICATION_LABELS",
    "RECTIFICATION_TRANSITIONS",
    "Rectification",
    "RectificationChange",
    "change_rectification",
    "days_overdue",
    "overdue_rectifications",
    "rectification_candidates",
    "rectification_from_rank",
    "rectification_machine",
]

RECTIFICATION_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "open": "待整改",
        "rectifying": "整改中",
        "rechecking": "待复查",
        "failed": "复查未通过",
        "passed": "复查通过",
        "penalised": "移交处罚",
        "cancelled": "撤销",
    }
)
RECTIFICATION_TRANSITIONS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "open": frozenset({"rectifying", "cancelled"}),
        "rectifying": frozenset({"rechecking"}),
        "rechecking": frozenset({"passed", "failed"}),
        "failed": frozenset({"rectifying", "penalised"}),
        "passed": frozenset(),
        "penalised": frozenset(),
        "cancelled": frozenset(),
    }
)
OPEN_RECTIFICATION_STATES = frozenset(s for s, to in RECTIFICATION_TRANSITIONS.items() if to)
rectification_machine = StateMachine(
    "整改 rectification", RECTIFICATION_LABELS, RECTIFICATION_TRANSITIONS
)


@dataclass(frozen=True, slots=True)
class Rectification:
    """One outlet's rectification case: why (its 断卡 rank figures), until when, what to do,
    and the re-check's result."""

    id: int | None
    outlet_id: int
    outlet_name: str
    district: str | None
    state: str
    deadline: date
    measures: tuple[str, ...]
    reason: str = ""
    opened_on: date | None = None
    operation_id: int | None = None
    recheck_on: date | None = None
    recheck_result: str = ""
    version: int = 1


@dataclass(frozen=True, slots=True)
class RectificationChange:
    """One recorded change of a case."""

    rectification_id: int | None
    from_state: str
    to_state: str
    by_user: str
    at: datetime
    note: str


def rectification_candidates(
    ranked: pl.DataFrame,
    *,
    min_score: float = 0.05,
    min_case_cards: int = 2,
    top: int | None = None,
    exclude: Sequence[int] = (),
) -> pl.DataFrame:
    """Outlets of a :func:`fanzha.graph.rank_outlets` frame that should be rectified.

    Keeps rows with ``score >= min_score`` and ``case_cards >= min_case_cards`` whose store id
    (``outlet_id``, or the number after ``outlet:`` in ``id``) is not in ``exclude`` (outlets
    with an open case), worst first, at most ``top``.
    """
    frame = ranked
    if "outlet_id" not in frame.columns:
        frame = frame.with_columns(
            outlet_id=pl.col("id").str.extract(r"(\d+)$").cast(pl.Int64, strict=False)
        )
    frame = frame.filter(
        (pl.col("score") >= min_score)
        & (pl.col("case_cards") >= min_case_cards)
        & pl.col("outlet_id").is_not_null()
        & ~pl.col("outlet_id").is_in(list(exclude))
    ).sort(["score", "outlet_id"], descending=[True, False])
    return frame.head(top) if top is not None else frame


def rectification_from_rank(
    row: Mapping[str, object],
    *,
    opened_on: date,
    deadline: date,
    measures: Sequence[str],
    operation_id: int | None = None,
) -> Rectification:
    """A new case (``open``) for one row of :func:`rectification_candidates`; its reason
    states the outlet's rank figures in Chinese."""
    outlet_id = row.get("outlet_id")
    if not isinstance(outlet_id, int):
        raise InvalidInput("the row names no outlet id", field="outlet_id", value=outlet_id)
    if deadline <= opened_on:
        raise InvalidInput(
            f"the deadline must be after {opened_on.isoformat()}",
            field="deadline",
            value=deadline.isoformat(),
        )
    score = row.get("score")
    reason = (
        f"断卡排名第{row.get('rank')}：开卡{row.get('cards')}张，其中涉案{row.get('case_cards')}张"
        f"（风险评分{score:.3f}）"
        if isinstance(score, float)
        else "人工列入整改"
    )
    district = row.get("district")
    return Rectification(
        id=None,
        outlet_id=outlet_id,
        outlet_name=str(row.get("name") or ""),
        district=None if district is None else str(district),
        state="open",
        deadline=deadline,
        measures=_measures(measures),
        reason=reason,
        opened_on=opened_on,
        operation_id=operation_id,
    )


def change_rectification(
    case: Rectification,
    to_state: str,
    *,
    by_user: str,
    at: datetime,
    note: str = "",
    deadline: date | None = None,
    measures: Sequence[str] | None = None,
    recheck_result: str | None = None,
) -> tuple[Rectification, RectificationChange]:
    """Move ``case`` to ``to_state``; returns the new case and the change to record.

    A move to ``passed`` or ``failed`` needs ``recheck_result`` (what the re-check found) and
    sets ``recheck_on``; a move from ``failed`` back to ``rectifying`` needs a new
    ``deadline`` after the old one; ``measures`` may be revised on any move.

    Raises:
        IllegalTransition: the state machine forbids the move (409, names both states).
        InvalidInput: a missing user, re-check result or new deadline.
    """
    rectification_machine.check_move(case.state, to_state, ref=case.id)
    if not by_user or not by_user.strip():
        raise InvalidInput("missing; name the user making the change", field="by_user")
    if at.tzinfo is None:
        raise InvalidInput("a timezone-aware time is required", field="at", value=at)
    changes: dict[str, object] = {"state": to_state, "version": case.version + 1}
    if to_state in ("passed", "failed"):
        if not recheck_result or not recheck_result.strip():
            raise InvalidInput(
                "missing; say what the re-check (复查) found", field="recheck_result"
            )
        changes["recheck_result"] = recheck_result.strip()
        changes["recheck_on"] = at.date()
    if case.state == "failed" and to_state == "rectifying":
        if deadline is None or deadline <= case.deadline:
            raise InvalidInput(
                f"a second round needs a new deadline after {case.deadline.isoformat()}",
                field="deadline",
                value=None if deadline is None else deadline.isoformat(),
            )
    if deadline is not None:
        changes["deadline"] = deadline
    if measures is not None:
        changes["measures"] = _measures(measures)
    new_case = replace(case, **changes)  # type: ignore[arg-type]
    record = RectificationChange(case.id, case.state, to_state, by_user.strip(), at, note)
    return new_case, record


def _measures(measures: Sequence[str]) -> tuple[str, ...]:
    out = tuple(m.strip() for m in measures if isinstance(m, str) and m.strip())
    if not out:
        raise InvalidInput("name at least one measure (整改措施)", field="measures")
    return out


def days_overdue(case: Rectification, today: date) -> int:
    """Days past the deadline of an open case (0 when closed or not yet due)."""
    if case.state not in OPEN_RECTIFICATION_STATES or today <= case.deadline:
        return 0
    return (today - case.deadline).days


def overdue_rectifications(cases: Sequence[Rectification], today: date) -> list[Rectification]:
    """Open cases past their deadline, longest overdue first."""
    late = [c for c in cases if days_overdue(c, today) > 0]
    return sorted(late, key=lambda c: (c.deadline, c.id or 0))
