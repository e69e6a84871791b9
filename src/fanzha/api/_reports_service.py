"""Citizen reports: screen and store what a citizen sent; apply an officer's decision.

A report itself changes nothing in the record. Only :func:`decide_report` with ``accept``
turns it into a signal for the warning rules (:mod:`fanzha.warning`), which may then open or
merge a task and flag the reported number, as any other signal does.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from fanzha.api._warning_service import IngestResult, ingest_signals
from fanzha.api.schemas.reports import CitizenReportRequest
from fanzha.api.schemas.screening import VerdictPublic
from fanzha.errors import FanzhaError, InvalidInput, NotFound
from fanzha.roles import Actor, district_scope
from fanzha.screening import Screener
from fanzha.store import CitizenReport
from fanzha.store import reports as stored
from fanzha.warning import EventSignal

__all__ = ["ReportDecided", "decide_report", "report_in_scope", "screen_report"]


class ReportDecided(FanzhaError):
    """The report was decided already (by this or another officer)."""

    code = "conflict"
    status = 409


def screen_report(
    screener: Screener, body: CitizenReportRequest, now: datetime
) -> tuple[stored.NewReport, list[VerdictPublic]]:
    """The report to store and the verdicts on what it holds (number, link, text)."""
    values = [
        (kind, value)
        for kind, value in (("phone", body.number), ("url", body.url), ("text", body.text))
        if value
    ]
    if not values and not body.account:
        raise InvalidInput("give at least one of number, account, url or text", field="body")
    verdicts = [screener.screen(value, kind=kind) for kind, value in values]
    top = max(verdicts, key=lambda v: v.risk, default=None)
    fraud_type = (
        top.fraud_type.code if top is not None and top.fraud_type.category == "fraud" else None
    )
    shown = [VerdictPublic.of(v) for v in verdicts]
    report = stored.NewReport(
        received_at=now,
        district=body.district,
        number=body.number,
        account=body.account,
        url=body.url,
        text=body.text,
        reporter_phone=body.reporter_phone,
        amount_fen=body.amount_fen,
        being_defrauded=body.being_defrauded,
        risk=top.risk if top is not None else None,
        fraud_type=fraud_type,
        verdicts=json.dumps([v.model_dump(mode="json") for v in shown], ensure_ascii=False),
    )
    return report, shown


def report_in_scope(actor: Actor, report: CitizenReport) -> bool:
    """Whether ``actor`` may review ``report``: city-wide officers (and the city-level pool)
    every report, a district officer their district's and those that name no district."""
    scope = district_scope(actor)
    return scope is None or report.district in (None, scope)


def _signal(report: CitizenReport) -> EventSignal:
    """The signal an accepted report gives the warning rules."""
    return EventSignal(
        kind="citizen_report",
        occurred_at=report.received_at,
        district=report.district,
        phone=report.reporter_phone if report.being_defrauded else None,
        amount_at_risk_fen=report.amount_fen,
        fraud_type=report.fraud_type,
        risk=report.risk,
        counterparty=report.number or report.account or report.url,
        source="citizen",
        detail=(report.text or "")[:4000],
    )


def decide_report(
    db: Session, actor: Actor, report_id: int, *, accept: bool, note: str
) -> IngestResult:
    """Accept or reject a pending report; an accepted one goes through the warning rules.

    Nothing is committed here: the request commits the decision, what the rules made of it
    and its audit entry together (a refused decision rolls back)."""
    report = stored.get_report(db, report_id)
    if report is None or not report_in_scope(actor, report):
        raise NotFound(f"report {report_id} does not exist")
    now = datetime.now(UTC)
    state = "accepted" if accept else "rejected"
    if not stored.decide_report(
        db, report_id, state=state, user_id=actor.user_id, note=note, at=now
    ):
        raise ReportDecided(f"举报 {report_id} 已被处理 (report {report_id} was decided already)")
    if not accept:
        return IngestResult()
    result = ingest_signals(db, actor, [_signal(report)], now)
    stored.set_report_event(db, report_id, result.event_ids[0])
    return result
