"""Look-ups of the records: cases, persons, phone numbers, bank accounts, devices, flags.

Records come back as the store's rows (read them, do not change them outside the store);
what is joined or counted over them as named result rows (``row.field``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeAlias

from sqlalchemy import Row, func, select, update
from sqlalchemy.orm import Session, aliased

from fanzha.store._models import (
    BankAccount,
    Case,
    Device,
    DeviceSighting,
    Person,
    Phone,
    Transfer,
    Url,
    WarningTask,
)
from fanzha.store._pages import fetch_page

__all__ = [
    "CaseFilter",
    "CaseTransfer",
    "DeviceSeen",
    "TransferTotals",
    "account_by_number",
    "account_transfer_totals",
    "accounts_of",
    "case_transfers",
    "cases_of_victim",
    "devices_seen",
    "flag_counterparty",
    "get_case",
    "get_person",
    "list_cases",
    "phone_by_number",
    "phones_of",
    "victim_tasks",
]

DEVICES_SHOWN = 50
CASE_TRANSFERS_SHOWN = 200


CaseTransfer: TypeAlias = Row[Any]
"""A transfer of a case: ``txn_id``, ``src_account``/``dst_account`` (numbers) and their ids,
``amount_fen``, ``at``, ``channel``."""
DeviceSeen: TypeAlias = Row[Any]
"""A device a SIM was logged in: ``device_id``, ``imei``, ``kind``, ``sightings``,
``first_seen``, ``last_seen``."""
TransferTotals: TypeAlias = Row[Any]
"""How many transfers (``count``) and how much money (``amount_fen``)."""


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """Which cases to list: by fraud type, district, status and report time [since, until)."""

    fraud_type: str | None = None
    district: str | None = None
    status: str | None = None
    since: datetime | None = None
    until: datetime | None = None


# Every look-up takes ``scope``: the district the caller is kept to (None: the whole city).
# Records of another district are left out of lists and read as None, as if absent. Phone
# numbers and accounts belong to the district of their owner; those without one (fraud
# numbers, mule cards nobody registered to a citizen) belong to no district.


def _owned_in(owner: Any, scope: str | None) -> Any:
    """The condition that the owner column ``owner`` is empty or a person of ``scope``."""
    inside = select(Person.id).where(Person.id == owner, Person.district == scope).exists()
    return owner.is_(None) | inside


def get_person(session: Session, person_id: int, scope: str | None = None) -> Person | None:
    """The person with id ``person_id`` in ``scope``, or None."""
    query = select(Person).where(Person.id == person_id)
    if scope is not None:
        query = query.where(Person.district == scope)
    return session.scalars(query).first()


def get_case(session: Session, case_id: int, scope: str | None = None) -> Case | None:
    """The case with id ``case_id`` in ``scope``, or None."""
    query = select(Case).where(Case.id == case_id)
    if scope is not None:
        query = query.where(Case.district == scope)
    return session.scalars(query).first()


def list_cases(
    session: Session,
    which: CaseFilter,
    page: int = 1,
    per_page: int = 50,
    scope: str | None = None,
) -> tuple[list[tuple[Case, Person | None]], int]:
    """One page of the cases of ``scope`` that ``which`` names with their victims, newest
    report first; and the total."""
    query = select(Case, Person).outerjoin(Person, Person.id == Case.victim_id)
    if scope is not None:
        query = query.where(Case.district == scope)
    for column, value in (
        (Case.fraud_type, which.fraud_type),
        (Case.district, which.district),
        (Case.status, which.status),
    ):
        if value:
            query = query.where(column == value)
    if which.since:
        query = query.where(Case.reported_at >= which.since)
    if which.until:
        query = query.where(Case.reported_at < which.until)
    rows, total = fetch_page(
        session, query.order_by(Case.reported_at.desc(), Case.id.desc()), page, per_page
    )
    return [(case, victim) for case, victim in rows], total


def case_transfers(session: Session, case_id: int) -> list[CaseTransfer]:
    """The case's transfers in time order (at most ``CASE_TRANSFERS_SHOWN``)."""
    src, dst = aliased(BankAccount), aliased(BankAccount)
    query = (
        select(
            Transfer.txn_id,
            src.account_no.label("src_account"),
            dst.account_no.label("dst_account"),
            Transfer.src_account_id,
            Transfer.dst_account_id,
            Transfer.amount_fen,
            Transfer.at,
            Transfer.channel,
        )
        .join(src, src.id == Transfer.src_account_id)
        .join(dst, dst.id == Transfer.dst_account_id)
        .where(Transfer.case_id == case_id)
        .order_by(Transfer.at)
        .limit(CASE_TRANSFERS_SHOWN)
    )
    return list(session.execute(query).all())


def victim_tasks(session: Session, person_id: int, scope: str | None = None) -> list[WarningTask]:
    """The warning tasks of a person in ``scope``."""
    query = select(WarningTask).where(WarningTask.person_id == person_id)
    if scope is not None:
        query = query.where(WarningTask.district == scope)
    return list(session.scalars(query))


def phones_of(session: Session, person_id: int) -> list[Phone]:
    """The phone numbers registered to a person."""
    return list(session.scalars(select(Phone).where(Phone.owner_id == person_id)))


def accounts_of(session: Session, person_id: int) -> list[BankAccount]:
    """The bank accounts held by a person."""
    return list(session.scalars(select(BankAccount).where(BankAccount.holder_id == person_id)))


def cases_of_victim(session: Session, person_id: int, scope: str | None = None) -> list[Case]:
    """The cases in ``scope`` in which a person is the victim."""
    query = select(Case).where(Case.victim_id == person_id)
    if scope is not None:
        query = query.where(Case.district == scope)
    return list(session.scalars(query))


def phone_by_number(session: Session, number: str, scope: str | None = None) -> Phone | None:
    """The phone number as stored, or None (also when its owner is outside ``scope``)."""
    query = select(Phone).where(Phone.number == number)
    if scope is not None:
        query = query.where(_owned_in(Phone.owner_id, scope))
    return session.scalars(query).first()


def account_by_number(
    session: Session, account_no: str, scope: str | None = None
) -> BankAccount | None:
    """The bank account as stored, or None (also when its holder is outside ``scope``)."""
    query = select(BankAccount).where(BankAccount.account_no == account_no)
    if scope is not None:
        query = query.where(_owned_in(BankAccount.holder_id, scope))
    return session.scalars(query).first()


def devices_seen(session: Session, phone_id: int) -> list[DeviceSeen]:
    """The devices a SIM was logged in (一卡多机), latest first (at most ``DEVICES_SHOWN``)."""
    last_seen = func.max(DeviceSighting.seen_at)
    rows = session.execute(
        select(
            Device.id.label("device_id"),
            Device.imei,
            Device.kind,
            func.count().label("sightings"),
            func.min(DeviceSighting.seen_at).label("first_seen"),
            last_seen.label("last_seen"),
        )
        .join(Device, Device.id == DeviceSighting.device_id)
        .where(DeviceSighting.phone_id == phone_id)
        .group_by(Device.id, Device.imei, Device.kind)
        .order_by(last_seen.desc(), Device.id)
        .limit(DEVICES_SHOWN)
    ).all()
    return list(rows)


def account_transfer_totals(session: Session, account_id: int) -> dict[str, TransferTotals]:
    """Transfers into (``in``) and out of (``out``) an account: count and amount."""
    return {
        side: session.execute(
            select(
                func.count().label("count"),
                func.coalesce(func.sum(Transfer.amount_fen), 0).label("amount_fen"),
            ).where(column == account_id)
        ).one()
        for side, column in (("in", Transfer.dst_account_id), ("out", Transfer.src_account_id))
    }


def flag_counterparty(session: Session, counterparty: str, reason: str) -> bool:
    """Flag the phone number, else the account, else the URL ``counterparty``; whether found."""
    for model, column, extra in (
        (Phone, Phone.number, {"flag_reason": reason[:128]}),
        (BankAccount, BankAccount.account_no, {}),
        (Url, Url.url, {}),
    ):
        done = session.execute(
            update(model).where(column == counterparty).values(flagged=True, **extra)
        )
        if getattr(done, "rowcount", 0):
            return True
    return False
