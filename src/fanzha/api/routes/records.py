"""Cases and look-ups of persons, phone numbers and accounts; every read is audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from fanzha.api._deps import DbSession, audit, no_store, page_size, permit
from fanzha.api._reasons import ListReason, Reason
from fanzha.api.schemas.common import ApiTime, PageNumber, RecordId
from fanzha.api.schemas.records import (
    AccountDetailPublic,
    AccountPublic,
    AccountTransfersPublic,
    CaseDetailPublic,
    CaseListPublic,
    CasePublic,
    CaseTaskPublic,
    CaseTransferPublic,
    DeviceSeenPublic,
    PersonDetailPublic,
    PersonPublic,
    PhoneDetailPublic,
    PhonePublic,
)
from fanzha.errors import NotFound
from fanzha.roles import Actor, district_scope, is_allowed
from fanzha.store import records as stored

__all__ = ["router"]

router = APIRouter(tags=["records"])


@router.get("/cases", response_model=CaseListPublic)
def list_cases(
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("case.list"))],
    fraud_type: str | None = None,
    district: str | None = None,
    status: str | None = None,
    since: ApiTime | None = None,
    until: ApiTime | None = None,
    page: PageNumber = 1,
    per_page: Annotated[int, Query(ge=1, le=1000)] = 50,
    reason: ListReason = None,
) -> CaseListPublic:
    """Cases, newest report first, filtered by type, district, status and report time."""
    per_page = page_size(request, per_page)
    which = stored.CaseFilter(fraud_type, district, status, since, until)
    rows, count = stored.list_cases(db, which, page, per_page, scope=district_scope(actor))
    visible = is_allowed(actor.role, "pii.view")
    audit(
        request,
        actor,
        "list",
        "case",
        "*",
        reason=reason or "",
        detail=f"page={page} fraud_type={fraud_type} district={district}",
    )
    return CaseListPublic(
        data=[CasePublic.of(case, victim, visible=visible) for case, victim in rows],
        count=count,
        page=page,
        per_page=per_page,
    )


@router.get("/cases/{case_id}", response_model=CaseDetailPublic)
def get_case(
    case_id: RecordId,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("case.read"))],
    reason: Reason,
) -> CaseDetailPublic:
    """One case with its victim, its transfers and the warning tasks of its victim."""
    scope = district_scope(actor)
    found = stored.get_case(db, case_id, scope)
    if found is None:
        raise NotFound(f"case {case_id} does not exist")
    audit(request, actor, "read", "case", case_id, reason=reason)
    visible = is_allowed(actor.role, "pii.view")
    victim = stored.get_person(db, found.victim_id, scope) if found.victim_id else None
    tasks = stored.victim_tasks(db, found.victim_id, scope) if found.victim_id else []
    return CaseDetailPublic(
        **CasePublic.of(found, victim, visible=visible).model_dump(),
        victim=PersonPublic.of(victim, visible=visible) if victim else None,
        transfers=[
            CaseTransferPublic.of(t, visible=visible) for t in stored.case_transfers(db, case_id)
        ],
        tasks=[CaseTaskPublic.model_validate(task) for task in tasks],
    )


@router.get(
    "/persons/{person_id}", dependencies=[Depends(no_store)], response_model=PersonDetailPublic
)
def get_person(
    person_id: RecordId,
    request: Request,
    db: DbSession,
    reason: Reason,
    actor: Annotated[Actor, Depends(permit("person.read"))],
) -> PersonDetailPublic:
    """A person with their phones, accounts and cases."""
    scope = district_scope(actor)
    found = stored.get_person(db, person_id, scope)
    if found is None:
        raise NotFound(f"person {person_id} does not exist")
    audit(request, actor, "read", "person", person_id, reason=reason)
    visible = is_allowed(actor.role, "pii.view")
    return PersonDetailPublic(
        **PersonPublic.of(found, visible=visible).model_dump(),
        phones=[PhonePublic.of(p, visible=visible) for p in stored.phones_of(db, person_id)],
        accounts=[AccountPublic.of(a, visible=visible) for a in stored.accounts_of(db, person_id)],
        cases=[
            CasePublic.of(c, found, visible=visible)
            for c in stored.cases_of_victim(db, person_id, scope)
        ],
    )


@router.get("/phones/{number}", dependencies=[Depends(no_store)], response_model=PhoneDetailPublic)
def get_phone(
    number: str,
    request: Request,
    db: DbSession,
    reason: Reason,
    actor: Annotated[Actor, Depends(permit("phone.read"))],
) -> PhoneDetailPublic:
    """A phone number: registration, owner, device, the devices its SIM was seen in and
    whether it is flagged."""
    scope = district_scope(actor)
    found = stored.phone_by_number(db, number, scope)
    audit(
        request,
        actor,
        "read",
        "phone",
        found.id if found else number,
        reason=reason,
        detail="found" if found else "not found",
    )
    if found is None:
        raise NotFound(f"phone number {number!r} is not in the store")
    visible = is_allowed(actor.role, "pii.view")
    owner = stored.get_person(db, found.owner_id, scope) if found.owner_id else None
    return PhoneDetailPublic(
        **PhonePublic.of(found, visible=visible).model_dump(),
        owner=PersonPublic.of(owner, visible=visible) if owner else None,
        devices=[
            DeviceSeenPublic.of(seen, visible=visible) for seen in stored.devices_seen(db, found.id)
        ],
    )


@router.get(
    "/accounts/{account_no}", dependencies=[Depends(no_store)], response_model=AccountDetailPublic
)
def get_account(
    account_no: str,
    request: Request,
    db: DbSession,
    reason: Reason,
    actor: Annotated[Actor, Depends(permit("account.read"))],
) -> AccountDetailPublic:
    """A bank account: holder, status and its transfer totals."""
    scope = district_scope(actor)
    found = stored.account_by_number(db, account_no, scope)
    audit(
        request,
        actor,
        "read",
        "account",
        found.id if found else account_no,
        reason=reason,
        detail="found" if found else "not found",
    )
    if found is None:
        raise NotFound(f"account {account_no!r} is not in the store")
    visible = is_allowed(actor.role, "pii.view")
    holder = stored.get_person(db, found.holder_id, scope) if found.holder_id else None
    return AccountDetailPublic(
        **AccountPublic.of(found, visible=visible).model_dump(),
        holder=PersonPublic.of(holder, visible=visible) if holder else None,
        transfers=AccountTransfersPublic.of(stored.account_transfer_totals(db, found.id)),
    )
