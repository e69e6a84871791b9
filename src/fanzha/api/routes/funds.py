"""资金查控 over HTTP: trace a case's money, trace back from a mule, the ledger, return plans."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from fanzha.api._deps import DbSession, audit, permit
from fanzha.api._funds_service import (
    LoadedTransfers,
    TransferCache,
    case_ledger,
    plan_return,
    record_ledger_entry,
)
from fanzha.api._reasons import Reason
from fanzha.api.schemas.common import RecordId
from fanzha.api.schemas.funds import (
    BackTracePublic,
    LedgerEntryCreate,
    LedgerPublic,
    ReturnPlanPublic,
    TracePublic,
)
from fanzha.funds import case_seeds, trace_back, trace_funds
from fanzha.roles import Actor
from fanzha.store.funds import read_fund_case

__all__ = ["router", "transfers_of"]

router = APIRouter(tags=["funds"])


def transfers_of(request: Request, db: Session) -> LoadedTransfers:
    """The app's cached transfers, brought up to date with the store."""
    state = request.app.state
    if getattr(state, "transfer_cache", None) is None:
        state.transfer_cache = TransferCache()
    cache: TransferCache = state.transfer_cache
    return cache.get(db)


@router.get("/cases/{case_id}/trace")
def trace_case(
    case_id: RecordId,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("funds.trace"))],
    reason: Reason,
    method: Literal["fifo", "lifo", "pro_rata"] = "fifo",
    depth: Annotated[int, Query(ge=1, le=12)] = 6,
) -> TracePublic:
    """Follow the victim's money forward through the mule layers (time-ordered, conserving)."""
    loaded = transfers_of(request, db)
    case = read_fund_case(db, case_id)
    seeds = case_seeds(loaded.stored, case)
    audit(
        request,
        actor,
        "read",
        "case",
        case_id,
        reason=reason,
        detail=f"trace {method} depth {depth}",
    )
    result = trace_funds(
        loaded.stored.transfers,
        seeds,
        index=loaded.index,
        method=method,
        max_depth=depth,
        exits=loaded.exits,
        freezes=loaded.freezes,
        as_of=int(datetime.now(UTC).timestamp()),
    )
    return TracePublic.model_validate(
        {"case_id": case.case_id, "case_no": case.case_no, **result.to_dict()}
    )


@router.get("/accounts/{account_no}/trace-back")
def trace_account_back(
    account_no: str,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("funds.trace"))],
    reason: Reason,
    depth: Annotated[int, Query(ge=1, le=12)] = 6,
) -> BackTracePublic:
    """From a mule account back to the origins (victims) whose money reached it."""
    loaded = transfers_of(request, db)
    audit(request, actor, "read", "account", account_no, reason=reason)
    back = trace_back(loaded.stored.transfers, account_no, index=loaded.index, max_depth=depth)
    return BackTracePublic.model_validate(back.to_dict())


@router.get("/cases/{case_id}/ledger")
def get_ledger(
    case_id: RecordId,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("funds.ledger.read"))],
) -> LedgerPublic:
    """The case's stop-pay / freeze / return entries and the balances they leave."""
    audit(request, actor, "read", "ledger", case_id)
    return case_ledger(db, case_id)


@router.post("/ledger", status_code=201)
def add_ledger_entry(
    body: LedgerEntryCreate,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("funds.ledger.write"))],
) -> LedgerPublic:
    """Record 止付 / 解除止付 / 冻结 / 续冻 / 解冻 / 返还; refused (409) if balances would break."""
    entry = record_ledger_entry(
        db,
        actor,
        case_id=body.case_id,
        account_no=body.account_no,
        kind=body.kind,
        amount_fen=body.amount_fen,
        legal_basis=body.legal_basis,
        bank=body.bank,
        at=body.at,
        payee=body.payee,
        payee_account=body.payee_account,
        from_stop=body.from_stop,
        expires_at=body.expires_at,
        note=body.note,
    )
    audit(
        request,
        actor,
        "create",
        "ledger",
        entry.entry_id,
        detail=f"{body.kind} {body.amount_fen} fen",
    )
    return case_ledger(db, body.case_id)


@router.get("/cases/{case_id}/return-plan")
def get_return_plan(
    case_id: RecordId,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("funds.ledger.read"))],
    account: Annotated[str, Query(min_length=4, max_length=40)],
    reason: Reason,
    authority: str = "南宁市公安局反诈中心",
    contact: str = "0771-96110",
) -> ReturnPlanPublic:
    """The return plan (返还方案) for money frozen on ``account`` and, when pro rata, the notice."""
    loaded = transfers_of(request, db)
    audit(request, actor, "read", "ledger", case_id, reason=reason, detail=account)
    return plan_return(db, loaded, case_id, account, authority=authority, contact=contact)
