"""Citizen reports (举报) waiting for review, and the officers' decisions on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from fanzha.store._models import CitizenReport
from fanzha.store._pages import fetch_page

__all__ = [
    "NewReport",
    "add_report",
    "decide_report",
    "get_report",
    "list_reports",
    "set_report_event",
]


@dataclass(frozen=True, slots=True)
class NewReport:
    """What a citizen sent and how screening judged it (``verdicts``: JSON text)."""

    received_at: datetime
    district: str | None
    number: str | None
    account: str | None
    url: str | None
    text: str | None
    reporter_phone: str | None
    amount_fen: int
    being_defrauded: bool
    risk: float | None
    fraud_type: str | None
    verdicts: str


def add_report(session: Session, report: NewReport) -> int:
    """Store a pending report (the caller commits) and return its id."""
    row = CitizenReport(
        state="pending",
        review_note="",
        **{name: getattr(report, name) for name in NewReport.__dataclass_fields__},
    )
    session.add(row)
    session.flush()
    return row.id


def get_report(session: Session, report_id: int) -> CitizenReport | None:
    """The report ``report_id``, or None."""
    return session.get(CitizenReport, report_id)


def list_reports(
    session: Session,
    *,
    state: str | None = None,
    district: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[CitizenReport], int]:
    """One page of reports, oldest first, and the total; ``district``: that district's
    reports and those that name none."""
    query = select(CitizenReport)
    if state:
        query = query.where(CitizenReport.state == state)
    if district is not None:
        query = query.where(
            or_(CitizenReport.district == district, CitizenReport.district.is_(None))
        )
    rows, total = fetch_page(
        session, query.order_by(CitizenReport.received_at, CitizenReport.id), page, per_page
    )
    return [row for (row,) in rows], total


def decide_report(
    session: Session, report_id: int, *, state: str, user_id: int | None, note: str, at: datetime
) -> bool:
    """Move a pending report to ``state`` (the caller commits); False if it was not pending.

    The update is conditional on ``pending``, so of two officers deciding at once one wins.
    """
    done = session.execute(
        update(CitizenReport)
        .where(CitizenReport.id == report_id, CitizenReport.state == "pending")
        .values(state=state, reviewed_by=user_id, reviewed_at=at, review_note=note)
    )
    return bool(getattr(done, "rowcount", 0))


def set_report_event(session: Session, report_id: int, event_id: int) -> None:
    """Link an accepted report to the event it became (the caller commits)."""
    session.execute(
        update(CitizenReport).where(CitizenReport.id == report_id).values(event_id=event_id)
    )
