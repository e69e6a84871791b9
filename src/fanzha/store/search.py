"""Search by clue: a case by its number, a person by ID number or name, a phone number, a
bank account, an IM account, a URL or domain; and the city's districts for choice lists.

Every look-up is an indexed equality or prefix match (``LIKE 'x%'`` bounded by a range so
that the B-tree index serves it on SQLite and PostgreSQL alike) and returns at most
``limit`` rows, so a one-character name or a short case-number prefix costs no more than a
precise query. ``scope`` is the district the caller is kept to (None: the whole city), as in
:mod:`fanzha.store.records`: records of another district are left out; phone numbers,
accounts and IM accounts belong to their owner's district, those without an owner and URLs
to none.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select, union
from sqlalchemy.orm import Session

from fanzha.store._models import (
    BankAccount,
    Case,
    IMAccount,
    Person,
    Phone,
    Url,
    User,
    WarningTask,
)

__all__ = [
    "SEARCH_LIMIT",
    "accounts_by_number",
    "cases_by_number",
    "districts",
    "im_accounts_by_handle",
    "persons_by_id_number",
    "persons_by_name",
    "persons_by_phone",
    "phones_by_number",
    "urls_by_address",
]

#: The most rows one kind of result holds.
SEARCH_LIMIT = 20
# Above every character a name or case number holds: ``x`` ≤ value < ``x + _TOP`` bounds the
# values that start with ``x``.
_TOP = "\U0010ffff"


def _starting_with(column: Any, prefix: str) -> Any:
    """``column`` starts with ``prefix``: a range the index serves, and LIKE (escaped) to be
    exact whatever the collation."""
    return (
        (column >= prefix) & (column < prefix + _TOP) & column.startswith(prefix, autoescape=True)
    )


def _owned_in(owner: Any, scope: str | None) -> Any:
    """The owner column ``owner`` is empty or a person of ``scope``."""
    inside = select(Person.id).where(Person.id == owner, Person.district == scope).exists()
    return owner.is_(None) | inside


def cases_by_number(
    session: Session, prefix: str, scope: str | None = None, limit: int = SEARCH_LIMIT
) -> list[Case]:
    """Cases whose number starts with ``prefix`` (the exact number first), in ``scope``."""
    query = select(Case).where(_starting_with(Case.case_no, prefix))
    if scope is not None:
        query = query.where(Case.district == scope)
    return list(session.scalars(query.order_by(Case.case_no).limit(limit)))


def persons_by_id_number(
    session: Session, id_number: str, scope: str | None = None, limit: int = SEARCH_LIMIT
) -> list[Person]:
    """Persons with the (clean, upper-case) ID number ``id_number``, in ``scope``."""
    query = select(Person).where(Person.id_number == id_number)
    if scope is not None:
        query = query.where(Person.district == scope)
    return list(session.scalars(query.order_by(Person.id).limit(limit)))


def persons_by_name(
    session: Session, prefix: str, scope: str | None = None, limit: int = SEARCH_LIMIT
) -> list[Person]:
    """Persons whose name starts with ``prefix`` (exact names first), in ``scope``."""
    query = select(Person).where(_starting_with(Person.name, prefix))
    if scope is not None:
        query = query.where(Person.district == scope)
    return list(
        session.scalars(query.order_by(Person.name != prefix, Person.name, Person.id).limit(limit))
    )


def persons_by_phone(
    session: Session, number: str, scope: str | None = None, limit: int = SEARCH_LIMIT
) -> list[Person]:
    """Persons whose contact phone is ``number`` (national form), in ``scope``."""
    query = select(Person).where(Person.phone_number == number)
    if scope is not None:
        query = query.where(Person.district == scope)
    return list(session.scalars(query.order_by(Person.id).limit(limit)))


def phones_by_number(
    session: Session, number: str, scope: str | None = None, limit: int = SEARCH_LIMIT
) -> list[Phone]:
    """The phone number ``number`` (national form) as stored, if its owner is in ``scope``."""
    query = select(Phone).where(Phone.number == number)
    if scope is not None:
        query = query.where(_owned_in(Phone.owner_id, scope))
    return list(session.scalars(query.limit(limit)))


def accounts_by_number(
    session: Session, account_no: str, scope: str | None = None, limit: int = SEARCH_LIMIT
) -> list[BankAccount]:
    """The bank account ``account_no`` (digits) as stored, if its holder is in ``scope``."""
    query = select(BankAccount).where(BankAccount.account_no == account_no)
    if scope is not None:
        query = query.where(_owned_in(BankAccount.holder_id, scope))
    return list(session.scalars(query.limit(limit)))


def im_accounts_by_handle(
    session: Session,
    handle: str,
    platform: str | None = None,
    scope: str | None = None,
    limit: int = SEARCH_LIMIT,
) -> list[IMAccount]:
    """IM accounts with the handle ``handle`` (as written or lower-cased), on ``platform`` if
    given, whose owner is in ``scope``."""
    handles = sorted({handle, handle.lower()})
    query = select(IMAccount).where(IMAccount.handle.in_(handles))
    if platform is not None:
        query = query.where(IMAccount.platform == platform)
    if scope is not None:
        query = query.where(_owned_in(IMAccount.owner_id, scope))
    return list(session.scalars(query.order_by(IMAccount.id).limit(limit)))


def urls_by_address(
    session: Session, url: str | None, domain: str | None, limit: int = SEARCH_LIMIT
) -> list[Url]:
    """URLs stored as ``url`` or on the host ``domain`` (URLs belong to no district)."""
    conditions = [
        condition
        for condition in (
            Url.url == url if url else None,
            Url.domain == domain if domain else None,
        )
        if condition is not None
    ]
    if not conditions:
        return []
    query = select(Url).where(or_(*conditions))
    return list(session.scalars(query.order_by(Url.url != (url or ""), Url.id).limit(limit)))


def districts(session: Session, scope: str | None = None) -> list[str]:
    """The districts the store knows (of persons, cases, warning tasks and officers), sorted;
    only ``scope`` when the caller is kept to one."""
    if scope is not None:
        return [scope]
    named = union(
        *(
            select(column.label("district")).where(column.is_not(None), column != "").distinct()
            for column in (Person.district, Case.district, WarningTask.district, User.district)
        )
    ).subquery()
    return sorted(session.scalars(select(named.c.district)))
