"""重点整治: key villages/towns, key persons with their follow-ups, and sweeps (清查)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fanzha.errors import InvalidInput, NotFound
from fanzha.graph import Offender
from fanzha.operations import (
    FOLLOW_UP_DAYS,
    KeyPerson,
    check_key_person_kind,
    key_person_until,
    key_persons_from_offenders,
    next_follow_up,
)
from fanzha.records import local_date
from fanzha.store._ops_models import KeyArea, KeyPersonFollowUp, Sweep
from fanzha.store._ops_models import KeyPerson as KeyPersonRow
from fanzha.store._pages import fetch_page

__all__ = [
    "NewKeyPerson",
    "NewSweep",
    "add_key_area",
    "add_key_person",
    "add_sweep",
    "add_two_card_key_persons",
    "core_key_person",
    "get_key_person",
    "key_person_follow_ups",
    "list_key_areas",
    "list_key_persons",
    "list_sweeps",
    "record_follow_up",
]


@dataclass(frozen=True, slots=True)
class NewKeyPerson:
    """A key person as entered: ``since`` is the day of the punishment (两卡), the return,
    the release or the village decision."""

    name: str
    kind: str
    district: str | None
    since: date
    id_number: str | None = None
    person_id: int | None = None
    key_area_id: int | None = None
    follow_up_days: int | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class NewSweep:
    """One sweep (清查) of a key area or a district."""

    swept_on: date
    district: str | None
    teams: tuple[str, ...]
    places: tuple[str, ...]
    officers: int
    persons_checked: int
    findings: str
    key_area_id: int | None = None
    operation_id: int | None = None


def add_key_area(
    session: Session,
    *,
    name: str,
    kind: str,
    district: str | None,
    town: str | None,
    village: str | None,
    reason: str,
    listed_on: date | None,
    now: datetime,
) -> int:
    """Store a key town or village (the caller commits)."""
    row = KeyArea(
        name=name,
        kind=kind,
        district=district,
        town=town,
        village=village,
        reason=reason,
        listed_on=listed_on,
        state="active",
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row.id


def list_key_areas(session: Session, *, scope: str | None) -> list[tuple[KeyArea, int]]:
    """Key areas in scope with how many key persons each has, by district and name."""
    counts = (
        select(KeyPersonRow.key_area_id, func.count().label("n"))
        .group_by(KeyPersonRow.key_area_id)
        .subquery()
    )
    query = select(KeyArea, func.coalesce(counts.c.n, 0)).outerjoin(
        counts, counts.c.key_area_id == KeyArea.id
    )
    if scope is not None:
        query = query.where(KeyArea.district == scope)
    rows = session.execute(query.order_by(KeyArea.district, KeyArea.name, KeyArea.id)).all()
    return [(area, int(n)) for area, n in rows]


def _since(row: KeyPersonRow) -> date:
    return row.punished_at or local_date(row.created_at)


def core_key_person(row: KeyPersonRow, last: date | None = None) -> KeyPerson:
    """The core record of a stored key person (``last``: the last follow-up day)."""
    since = _since(row)
    return KeyPerson(
        id=row.id,
        kind=row.category,
        name=row.name,
        id_number=row.id_number,
        district=row.district,
        since=since,
        until=key_person_until(row.category, since),
        interval_days=row.follow_up_days,
        person_id=row.person_id,
        area_id=row.key_area_id,
        last_follow_up=last,
        note=row.note,
    )


def add_key_person(session: Session, person: NewKeyPerson, *, now: datetime) -> int:
    """Store a key person with their first follow-up day (the caller commits). A 两卡
    offender's period is their card restriction (:func:`fanzha.graph.restriction_end`);
    one whose restriction has already ended is refused."""
    check_key_person_kind(person.kind)
    interval = person.follow_up_days or FOLLOW_UP_DAYS[person.kind]
    if interval < 1:
        raise InvalidInput("must be at least 1 day", field="follow_up_days", value=interval)
    until = key_person_until(person.kind, person.since)
    today = local_date(now)
    if until is not None and until <= today:
        raise InvalidInput(
            f"the period of this key person ended on {until.isoformat()}; nothing to follow up",
            field="since",
            value=person.since.isoformat(),
        )
    core = KeyPerson(
        id=None,
        kind=person.kind,
        name=person.name,
        id_number=person.id_number,
        district=person.district,
        since=person.since,
        until=until,
        interval_days=interval,
    )
    row = KeyPersonRow(
        person_id=person.person_id,
        name=person.name,
        id_number=person.id_number,
        category=person.kind,
        district=person.district,
        key_area_id=person.key_area_id,
        punished_at=person.since,
        punishment_kind="两卡" if person.kind == "two_card" else None,
        follow_up_days=interval,
        next_follow_up_on=next_follow_up(core),
        state="active",
        note=person.note,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row.id


def add_two_card_key_persons(
    session: Session,
    offenders: Sequence[Offender],
    *,
    names: dict[str, str],
    districts: dict[str, str],
    now: datetime,
) -> list[int]:
    """Add every offender still under the five-year 两卡 restriction (the graph's rule) as a
    key person, unless already one; the new ids (the caller commits)."""
    known = set(
        session.scalars(
            select(KeyPersonRow.id_number).where(KeyPersonRow.category == "two_card")
        ).all()
    )
    ids = []
    for person in key_persons_from_offenders(
        offenders, local_date(now), names=names, districts=districts
    ):
        if person.id_number in known:
            continue
        ids.append(
            add_key_person(
                session,
                NewKeyPerson(
                    name=person.name or "",
                    kind="two_card",
                    district=person.district,
                    since=person.since,
                    id_number=person.id_number,
                    note=person.note,
                ),
                now=now,
            )
        )
    return ids


def get_key_person(session: Session, key_person_id: int, scope: str | None) -> KeyPersonRow | None:
    """The key person if in ``scope``."""
    row = session.get(KeyPersonRow, key_person_id)
    if row is None or (scope is not None and row.district != scope):
        return None
    return row


def list_key_persons(
    session: Session,
    *,
    scope: str | None,
    kind: str | None = None,
    key_area_id: int | None = None,
    due_on: date | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[KeyPersonRow], int]:
    """One page of active key persons (with ``due_on``: those whose next follow-up is due
    by that day, most overdue first) and the total."""
    query = select(KeyPersonRow).where(KeyPersonRow.state == "active")
    if scope is not None:
        query = query.where(KeyPersonRow.district == scope)
    if kind:
        query = query.where(KeyPersonRow.category == kind)
    if key_area_id is not None:
        query = query.where(KeyPersonRow.key_area_id == key_area_id)
    if due_on is not None:
        query = query.where(KeyPersonRow.next_follow_up_on <= due_on).order_by(
            KeyPersonRow.next_follow_up_on, KeyPersonRow.id
        )
    else:
        query = query.order_by(KeyPersonRow.id.desc())
    rows, total = fetch_page(session, query, page, per_page)
    return [row for (row,) in rows], total


def key_person_follow_ups(session: Session, key_person_id: int) -> list[KeyPersonFollowUp]:
    """A key person's follow-ups, newest first."""
    query = select(KeyPersonFollowUp).where(KeyPersonFollowUp.key_person_id == key_person_id)
    return list(session.scalars(query.order_by(KeyPersonFollowUp.id.desc())))


def record_follow_up(
    session: Session,
    key_person_id: int,
    *,
    finding: str,
    user_id: int | None,
    now: datetime,
    scope: str | None,
) -> KeyPersonRow:
    """Record a follow-up visit done ``now`` and plan the next one (none once the person's
    period is over: they leave the list). Raises NotFound out of scope."""
    row = get_key_person(session, key_person_id, scope)
    if row is None:
        raise NotFound(f"key person {key_person_id} does not exist")
    session.add(
        KeyPersonFollowUp(
            key_person_id=row.id,
            due_on=row.next_follow_up_on or local_date(now),
            done_at=now,
            user_id=user_id,
            finding=finding,
        )
    )
    following = next_follow_up(core_key_person(row, local_date(now)))
    row.next_follow_up_on = following
    if following is None:
        row.state = "ended"
    session.flush()
    return row


def add_sweep(session: Session, sweep: NewSweep, *, now: datetime | None = None) -> int:
    """Store a sweep (the caller commits)."""
    row = Sweep(
        swept_on=sweep.swept_on,
        district=sweep.district,
        operation_id=sweep.operation_id,
        key_area_id=sweep.key_area_id,
        teams=json.dumps(list(sweep.teams), ensure_ascii=False),
        places=json.dumps(list(sweep.places), ensure_ascii=False),
        officers=sweep.officers,
        persons_checked=sweep.persons_checked,
        findings=sweep.findings,
        created_at=now or datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    return row.id


def list_sweeps(session: Session, *, scope: str | None, limit: int = 200) -> list[Sweep]:
    """The latest sweeps in scope, newest first."""
    query = select(Sweep)
    if scope is not None:
        query = query.where(Sweep.district == scope)
    return list(
        session.scalars(query.order_by(Sweep.swept_on.desc(), Sweep.id.desc()).limit(limit))
    )
