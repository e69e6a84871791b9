"""The operations figures (issue 17 tables): clues in time, arrests by role, fugitives caught,
gangs broken, raids by den kind, seizures by kind, outlets rectified, officers deployed.

Each is a daily GROUP BY (:func:`fanzha.store._stats_sql.daily`); what each counts is written
in ``fanzha.stats._definitions``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from fanzha.stats import Period
from fanzha.store._models import Gang
from fanzha.store._ops_models import (
    Clue,
    Den,
    Fugitive,
    Operation,
    Raid,
    Rectification,
    Seizure,
    Suspect,
    Sweep,
)
from fanzha.store._outreach_models import OutreachEvent
from fanzha.store._stats_sql import daily

__all__ = [
    "OPS_NEEDED",
    "OPS_TABLES",
    "OUTREACH_TABLES",
    "RECTIFIED_STATES",
    "ops_queries",
    "outreach_queries",
]

#: Rectification states that count as an outlet rectified (复查通过 or 移交处罚).
RECTIFIED_STATES = ("passed", "penalised")
#: The table each operations figure is counted from (empty table: no records kept).
OPS_TABLES = {
    "clues_in_sla": "clues",
    "arrests": "suspects",
    "fugitives_caught": "fugitives",
    "gangs_broken": "suspects",
    "dens_raided": "raids",
    "seizures": "seizures",
    "outlets_rectified": "rectifications",
    "officers_deployed": "operations",
}

#: The table each outreach figure is counted from.
OUTREACH_TABLES = {"outreach_sites": "outreach_events", "people_reached": "outreach_events"}
#: Every table the operations queries read.
OPS_NEEDED = frozenset({*OPS_TABLES.values(), "gangs", "dens", "sweeps"})


def ops_queries(
    session: Session, periods: Sequence[Period], scope: str | None
) -> list[Select[Any]]:
    """One query per operations figure (several for officers deployed)."""
    first_catch = (
        select(Suspect.gang_id, func.min(Suspect.caught_at).label("at"))
        .where(Suspect.gang_id.is_not(None), Suspect.caught_at.is_not(None))
        .group_by(Suspect.gang_id)
        .subquery()
    )
    return [
        daily(session, "clues_in_sla", periods, at=Clue.created_at, district=Clue.district,
              scope=scope).where(Clue.closed_at.is_not(None), Clue.closed_at <= Clue.sla_due_at),
        daily(session, "arrests", periods, at=Suspect.caught_at, district=Suspect.district,
              scope=scope, kind=Suspect.role).select_from(Suspect),
        daily(session, "fugitives_caught", periods, at=Fugitive.caught_at,
              district=Fugitive.district, scope=scope, kind=Fugitive.kind).select_from(Fugitive),
        daily(session, "gangs_broken", periods, at=first_catch.c.at, district=Gang.district,
              fraud_type=Gang.fraud_type, scope=scope)
        .select_from(first_catch).join(Gang, Gang.id == first_catch.c.gang_id),
        daily(session, "dens_raided", periods, at=Raid.raided_at, district=Raid.district,
              scope=scope, kind=Den.kind).select_from(Raid).outerjoin(Den, Den.id == Raid.den_id),
        daily(session, "seizures", periods, at=Seizure.seized_at, district=Seizure.district,
              scope=scope, kind=Seizure.kind, count=func.sum(Seizure.count),
              amount=func.sum(Seizure.amount_fen)).select_from(Seizure),
        daily(session, "outlets_rectified", periods, at=Rectification.closed_at,
              district=Rectification.district, scope=scope)
        .where(Rectification.state.in_(RECTIFIED_STATES)),
        daily(session, "officers_deployed", periods, at=Operation.starts_on, district=None,
              scope=scope, count=func.sum(Operation.officers)).select_from(Operation),
        daily(session, "officers_deployed", periods, at=Raid.raided_at, district=Raid.district,
              scope=scope, count=func.sum(Raid.officers)).where(Raid.operation_id.is_(None)),
        daily(session, "officers_deployed", periods, at=Sweep.swept_on, district=Sweep.district,
              scope=scope, count=func.sum(Sweep.officers)).where(Sweep.operation_id.is_(None)),
    ]  # fmt: skip


def outreach_queries(
    session: Session, periods: Sequence[Period], scope: str | None
) -> list[Select[Any]]:
    """Outreach events (宣传防范) by the day they were held: events, and people reached."""
    at, where = OutreachEvent.held_on, OutreachEvent.district
    return [
        daily(session, "outreach_sites", periods, at=at, district=where, scope=scope,
              kind=OutreachEvent.kind).select_from(OutreachEvent),
        daily(session, "people_reached", periods, at=at, district=where, scope=scope,
              count=func.sum(OutreachEvent.people_reached)).select_from(OutreachEvent),
    ]  # fmt: skip
