"""Suspects (犯罪嫌疑人) with roles and their legal status over time (强制措施与诉讼阶段)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fanzha.errors import NotFound, StaleVersion
from fanzha.operations import LegalStatus, change_legal_status, check_suspect_role
from fanzha.store._ops_models import Fugitive, Suspect, SuspectIdentifier, SuspectStatusChange
from fanzha.store._pages import fetch_page

__all__ = [
    "NewSuspect",
    "add_suspect",
    "change_suspect_status",
    "get_suspect",
    "list_suspects",
    "suspect_history",
    "suspect_identifiers",
]


@dataclass(frozen=True, slots=True)
class NewSuspect:
    """A suspect as recorded: who, which role, where, linked to what."""

    name: str
    role: str
    district: str | None
    id_number: str | None = None
    gender: str | None = None
    person_id: int | None = None
    gang_id: int | None = None
    operation_id: int | None = None
    clue_id: int | None = None
    note: str = ""
    identifiers: tuple[tuple[str, str], ...] = ()


def add_suspect(session: Session, suspect: NewSuspect, *, now: datetime) -> int:
    """Store a suspect in status 已查明 (identified) with their identifiers; the caller
    commits. Raises InvalidInput for an unknown role."""
    check_suspect_role(suspect.role)
    row = Suspect(
        person_id=suspect.person_id,
        name=suspect.name,
        id_number=suspect.id_number,
        gender=suspect.gender,
        district=suspect.district,
        role=suspect.role,
        gang_id=suspect.gang_id,
        operation_id=suspect.operation_id,
        clue_id=suspect.clue_id,
        legal_status="identified",
        note=suspect.note,
        created_at=now,
        version=1,
    )
    session.add(row)
    session.flush()
    session.add_all(
        SuspectIdentifier(suspect_id=row.id, kind=kind, value=value)
        for kind, value in dict.fromkeys(suspect.identifiers)
    )
    session.flush()
    return row.id


def get_suspect(session: Session, suspect_id: int, scope: str | None) -> Suspect | None:
    """The suspect if it lies in ``scope`` (None: the whole city)."""
    row = session.get(Suspect, suspect_id)
    if row is None or (scope is not None and row.district != scope):
        return None
    return row


def list_suspects(
    session: Session,
    *,
    scope: str | None,
    role: str | None = None,
    status: str | None = None,
    operation_id: int | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[Suspect], int]:
    """One page of suspects, newest first, and the total."""
    query = select(Suspect)
    if scope is not None:
        query = query.where(Suspect.district == scope)
    if role:
        query = query.where(Suspect.role == role)
    if status:
        query = query.where(Suspect.legal_status == status)
    if operation_id is not None:
        query = query.where(Suspect.operation_id == operation_id)
    rows, total = fetch_page(session, query.order_by(Suspect.id.desc()), page, per_page)
    return [row for (row,) in rows], total


def suspect_history(session: Session, suspect_id: int) -> list[SuspectStatusChange]:
    """The legal-status changes of a suspect, oldest first."""
    query = select(SuspectStatusChange).where(SuspectStatusChange.suspect_id == suspect_id)
    return list(session.scalars(query.order_by(SuspectStatusChange.id)))


def suspect_identifiers(session: Session, suspect_id: int) -> list[SuspectIdentifier]:
    """A suspect's phones, cards, IM accounts … by kind."""
    query = select(SuspectIdentifier).where(SuspectIdentifier.suspect_id == suspect_id)
    return list(session.scalars(query.order_by(SuspectIdentifier.kind, SuspectIdentifier.id)))


def change_suspect_status(
    session: Session,
    suspect_id: int,
    to_status: str,
    *,
    version: int,
    decided_on: date,
    authority: str,
    document_no: str,
    by_user: str,
    user_id: int | None,
    now: datetime,
    scope: str | None,
    note: str = "",
) -> Suspect:
    """Move a suspect to ``to_status`` through the checked state machine and record the
    change (the caller commits). Detention marks the suspect's wanted-list entries caught
    (抓获); a move back to 在逃 (脱保) lists them as wanted again.

    Raises NotFound (not in scope), StaleVersion (``version`` is not the stored one),
    IllegalTransition (409 naming both states) or InvalidInput.
    """
    row = get_suspect(session, suspect_id, scope)
    if row is None:
        raise NotFound(f"suspect {suspect_id} does not exist")
    if row.version != version:
        raise StaleVersion(
            f"suspect {suspect_id} changed meanwhile (version {row.version}, not {version}); "
            "reload it"
        )
    history = suspect_history(session, suspect_id)
    # the first decision may predate the record (a case entered after the fact)
    since = history[-1].decided_on if history else date.min
    status, change = change_legal_status(
        LegalStatus(row.legal_status, since),
        to_status,
        decided_on=decided_on,
        authority=authority,
        document_no=document_no,
        by_user=by_user,
        suspect_id=suspect_id,
        note=note,
    )
    session.add(
        SuspectStatusChange(
            suspect_id=suspect_id,
            from_status=change.from_status or "",
            to_status=change.to_status,
            decided_on=change.decided_on,
            authority=change.authority,
            document_no=change.document_no,
            user_id=user_id,
            at=now,
            note=note,
        )
    )
    row.legal_status = status.status
    if status.status == "detained" and row.caught_at is None:
        row.caught_at = now
    if status.status == "detained":
        # 抓获: the suspect's wanted-list entries close, so new records no longer hit them
        session.execute(
            update(Fugitive)
            .where(Fugitive.suspect_id == suspect_id, Fugitive.state == "wanted")
            .values(state="caught", caught_at=now)
        )
    elif status.status == "at_large":  # 脱保: wanted again
        session.execute(
            update(Fugitive)
            .where(Fugitive.suspect_id == suspect_id, Fugitive.state == "caught")
            .values(state="wanted", caught_at=None)
        )
    session.flush()
    return row
