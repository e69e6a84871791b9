"""资金查控 over HTTP: trace a case's money, trace back from a mule, the ledger, return plans."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from fanzha.api._audit import Actor
from fanzha.api._deps import DbSession, audit, permit
from fanzha.api._funds_service import (
    TransferCache,
    case_ledger,
    case_return_plan,
    case_seeds,
    record_ledger_entry,
)
from fanzha.funds import ENTRY_KINDS, trace_back, trace_funds

__all__ = ["router"]

router = APIRouter(tags=["funds"])


class LedgerEntryCreate(BaseModel):
    """One act of fund control on an account for a case."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    case_id: int
    account_no: str = Field(min_length=4, max_length=40)
    kind: str = Field(description=f"one of {', '.join(ENTRY_KINDS)}")
    amount_fen: int = Field(gt=0, le=10**13)
    legal_basis: str = Field(min_length=2, max_length=255, description="法律文书编号/依据")
    bank: str | None = Field(default=None, max_length=64)
    at: AwareDatetime | None = None
    payee: str | None = Field(default=None, max_length=64)
    payee_account: str | None = Field(default=None, max_length=40)
    from_stop: bool = False
    expires_at: AwareDatetime | None = None
    note: str = Field(default="", max_length=4000)


def _cache(request: Request) -> TransferCache:
    state = request.app.state
    if getattr(state, "transfer_cache", None) is None:
        state.transfer_cache = TransferCache()
    cache: TransferCache = state.transfer_cache
    return cache


@router.get("/cases/{case_id}/trace")
def trace_case(
    case_id: int,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("funds.trace"))],
    method: Literal["fifo", "lifo", "pro_rata"] = "fifo",
    depth: Annotated[int, Query(ge=1, le=12)] = 6,
) -> dict[str, Any]:
    """Follow the victim's money forward through the mule layers (time-ordered, conserving)."""
    loaded = _cache(request).get(request.app.state.engine)
    case, seeds = case_seeds(db, loaded, case_id)
    audit(
        request,
        actor,
        "read",
        "case",
        case_id,
        reason="资金追踪",
        detail=f"trace {method} depth {depth}",
    )
    result = trace_funds(
        loaded.transfers,
        seeds,
        index=loaded.index,
        method=method,
        max_depth=depth,
        exits=loaded.exits,
        frozen=loaded.frozen,
    )
    return {"case_id": case.id, "case_no": case.case_no, **result.to_dict()}


@router.get("/accounts/{account_no}/trace-back")
def trace_account_back(
    account_no: str,
    request: Request,
    actor: Annotated[Actor, Depends(permit("funds.trace"))],
    depth: Annotated[int, Query(ge=1, le=12)] = 6,
) -> dict[str, Any]:
    """From a mule account back to the origins (victims) whose money reached it."""
    loaded = _cache(request).get(request.app.state.engine)
    audit(request, actor, "read", "account", account_no, reason="资金反查")
    return trace_back(loaded.transfers, account_no, index=loaded.index, max_depth=depth).to_dict()


@router.get("/cases/{case_id}/ledger")
def get_ledger(
    case_id: int,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("funds.ledger.read"))],
) -> dict[str, Any]:
    """The case's stop-pay / freeze / return entries and the balances they leave."""
    audit(request, actor, "read", "ledger", case_id)
    return case_ledger(db, case_id)


@router.post("/ledger", status_code=201)
def add_ledger_entry(
    body: LedgerEntryCreate,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("funds.ledger.write"))],
) -> dict[str, Any]:
    """Record 止付 / 解除止付 / 冻结 / 续冻 / 解冻 / 返还; refused (409) if balances would break."""
    row = record_ledger_entry(
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
        row.entry_id,
        detail=f"{body.kind} {body.amount_fen} fen",
    )
    return case_ledger(db, body.case_id)


@router.get("/cases/{case_id}/return-plan")
def get_return_plan(
    case_id: int,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("funds.ledger.read"))],
    account: Annotated[str, Query(min_length=4, max_length=40)],
    authority: str = "南宁市公安局反诈中心",
    contact: str = "0771-96110",
) -> dict[str, Any]:
    """The return plan (返还方案) for money frozen on ``account`` and, when pro rata, the notice."""
    loaded = _cache(request).get(request.app.state.engine)
    audit(request, actor, "read", "ledger", case_id, reason="返还方案", detail=account)
    return case_return_plan(db, loaded, case_id, account, authority=authority, contact=contact)
