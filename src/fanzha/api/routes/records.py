"""Cases and look-ups of persons, phone numbers and accounts; every read is audited."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import AwareDatetime
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from fanzha.api._deps import DbSession, audit, permit, settings_of
from fanzha.api._views import account_view, case_view, person_view, phone_view
from fanzha.errors import NotFound
from fanzha.masking import mask_value
from fanzha.roles import Actor, is_allowed
from fanzha.store import (
    BankAccount,
    Case,
    Device,
    DeviceSighting,
    Person,
    Phone,
    Transfer,
    WarningTask,
)

__all__ = ["paginate", "router"]

router = APIRouter(tags=["records"])
Reason = Annotated[
    str, Query(min_length=2, max_length=500, description="为什么查询 (why: required)")
]


def paginate(
    request: Request, db: Session, query: Select[Any], page: int, per_page: int
) -> tuple[list[Any], dict[str, int]]:
    """One page of ``query`` (at most ``page_size_max`` rows) and its ``count``/``page``/
    ``per_page``, the fields every list returns beside ``data``."""
    per_page = min(per_page, settings_of(request).page_size_max)
    total = db.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = list(db.execute(query.limit(per_page).offset((page - 1) * per_page)).all())
    return rows, {"count": int(total), "page": page, "per_page": per_page}


@router.get("/cases")
def list_cases(
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("case.list"))],
    fraud_type: str | None = None,
    district: str | None = None,
    status: str | None = None,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> dict[str, Any]:
    """Cases, newest report first, filtered by type, district, status and report time."""
    query = select(Case, Person).outerjoin(Person, Person.id == Case.victim_id)
    for column, value in (
        (Case.fraud_type, fraud_type),
        (Case.district, district),
        (Case.status, status),
    ):
        if value:
            query = query.where(column == value)
    if since:
        query = query.where(Case.reported_at >= since)
    if until:
        query = query.where(Case.reported_at < until)
    rows, meta = paginate(
        request, db, query.order_by(Case.reported_at.desc(), Case.id.desc()), page, per_page
    )
    visible = is_allowed(actor.role, "pii.view")
    audit(
        request,
        actor,
        "list",
        "case",
        "*",
        detail=f"page={page} fraud_type={fraud_type} district={district}",
    )
    return {
        "data": [case_view(case, victim, visible=visible) for case, victim in rows],
        **meta,
    }


@router.get("/cases/{case_id}")
def get_case(
    case_id: int,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("case.read"))],
    reason: Annotated[str, Query(max_length=500)] = "查看案件详情",
) -> dict[str, Any]:
    """One case with its victim, its transfers and the warning tasks of its victim."""
    case = db.get(Case, case_id)
    if case is None:
        raise NotFound(f"case {case_id} does not exist")
    audit(request, actor, "read", "case", case_id, reason=reason)
    visible = is_allowed(actor.role, "pii.view")
    victim = db.get(Person, case.victim_id) if case.victim_id else None
    view = case_view(case, victim, visible=visible)
    view["victim"] = person_view(victim, visible=visible) if victim else None
    src, dst = aliased(BankAccount), aliased(BankAccount)
    transfers = db.execute(
        select(Transfer, src.account_no, dst.account_no)
        .join(src, src.id == Transfer.src_account_id)
        .join(dst, dst.id == Transfer.dst_account_id)
        .where(Transfer.case_id == case_id)
        .order_by(Transfer.at)
        .limit(200)
    ).all()
    view["transfers"] = [
        {
            "txn_id": t.txn_id,
            "src_account": mask_value("account", src_no, visible=visible),
            "dst_account": mask_value("account", dst_no, visible=visible),
            "src_account_id": t.src_account_id,
            "dst_account_id": t.dst_account_id,
            "amount_fen": t.amount_fen,
            "at": t.at,
            "channel": t.channel,
        }
        for t, src_no, dst_no in transfers
    ]
    if case.victim_id:
        tasks = db.scalars(select(WarningTask).where(WarningTask.person_id == case.victim_id))
        view["tasks"] = [{"id": t.id, "state": t.state, "created_at": t.created_at} for t in tasks]
    return view


@router.get("/persons/{person_id}")
def get_person(
    person_id: int,
    request: Request,
    db: DbSession,
    reason: Reason,
    actor: Annotated[Actor, Depends(permit("person.read"))],
) -> dict[str, Any]:
    """A person with their phones, accounts and cases."""
    person = db.get(Person, person_id)
    if person is None:
        raise NotFound(f"person {person_id} does not exist")
    audit(request, actor, "read", "person", person_id, reason=reason)
    visible = is_allowed(actor.role, "pii.view")
    view = person_view(person, visible=visible)
    view["phones"] = [
        phone_view(p, visible=visible)
        for p in db.scalars(select(Phone).where(Phone.owner_id == person_id))
    ]
    view["accounts"] = [
        account_view(a, visible=visible)
        for a in db.scalars(select(BankAccount).where(BankAccount.holder_id == person_id))
    ]
    view["cases"] = [
        case_view(c, person, visible=visible)
        for c in db.scalars(select(Case).where(Case.victim_id == person_id))
    ]
    return view


@router.get("/phones/{number}")
def get_phone(
    number: str,
    request: Request,
    db: DbSession,
    reason: Reason,
    actor: Annotated[Actor, Depends(permit("phone.read"))],
) -> dict[str, Any]:
    """A phone number: registration, owner, device, the devices its SIM was seen in and
    whether it is flagged."""
    phone = db.scalars(select(Phone).where(Phone.number == number)).first()
    audit(
        request,
        actor,
        "read",
        "phone",
        number,
        reason=reason,
        detail="found" if phone else "not found",
    )
    if phone is None:
        raise NotFound(f"phone number {number!r} is not in the store")
    visible = is_allowed(actor.role, "pii.view")
    view = phone_view(phone, visible=visible)
    owner = db.get(Person, phone.owner_id) if phone.owner_id else None
    view["owner"] = person_view(owner, visible=visible) if owner else None
    view["devices"] = _devices_seen(db, phone.id, visible=visible)
    return view


_DEVICES_SHOWN = 50


def _devices_seen(db: Session, phone_id: int, *, visible: bool) -> list[dict[str, Any]]:
    """The devices a SIM was logged in (一卡多机), latest first: IMEI (masked unless
    ``visible``), kind, how often and when first and last seen."""
    last_seen = func.max(DeviceSighting.seen_at)
    rows = db.execute(
        select(
            Device.id,
            Device.imei,
            Device.kind,
            func.count(),
            func.min(DeviceSighting.seen_at),
            last_seen,
        )
        .join(Device, Device.id == DeviceSighting.device_id)
        .where(DeviceSighting.phone_id == phone_id)
        .group_by(Device.id, Device.imei, Device.kind)
        .order_by(last_seen.desc(), Device.id)
        .limit(_DEVICES_SHOWN)
    ).all()
    return [
        {
            "device_id": device_id,
            "imei": mask_value("imei", imei, visible=visible),
            "kind": kind,
            "sightings": count,
            "first_seen": first,
            "last_seen": last,
        }
        for device_id, imei, kind, count, first, last in rows
    ]


@router.get("/accounts/{account_no}")
def get_account(
    account_no: str,
    request: Request,
    db: DbSession,
    reason: Reason,
    actor: Annotated[Actor, Depends(permit("account.read"))],
) -> dict[str, Any]:
    """A bank account: holder, status and its transfer totals."""
    account = db.scalars(select(BankAccount).where(BankAccount.account_no == account_no)).first()
    audit(
        request,
        actor,
        "read",
        "account",
        account_no,
        reason=reason,
        detail="found" if account else "not found",
    )
    if account is None:
        raise NotFound(f"account {account_no!r} is not in the store")
    visible = is_allowed(actor.role, "pii.view")
    view = account_view(account, visible=visible)
    holder = db.get(Person, account.holder_id) if account.holder_id else None
    view["holder"] = person_view(holder, visible=visible) if holder else None
    totals = {}
    for side, column in (("in", Transfer.dst_account_id), ("out", Transfer.src_account_id)):
        count, amount = db.execute(
            select(func.count(), func.coalesce(func.sum(Transfer.amount_fen), 0)).where(
                column == account.id
            )
        ).one()
        totals[side] = {"count": int(count), "amount_fen": int(amount)}
    view["transfers"] = totals
    return view
