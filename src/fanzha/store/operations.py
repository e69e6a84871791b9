"""Operations (专项行动), dens, raids and seizures in the store, and the live roll-up.

:func:`operation_rollups` adds an operation's figures up in SQL, one GROUP BY per kind of
record (arrests, raids, seizures by kind, rectifications, sweeps, clues), so the figures
are always those of the records. In a district's scope only the records of that district
count. A seizure belongs to its own operation, else to its raid's.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, distinct, func, select
from sqlalchemy.orm import Session

from fanzha.errors import InvalidInput, NotFound
from fanzha.operations import (
    DenRecord,
    OperationRecord,
    OperationRollup,
    RaidRecord,
    SeizureRecord,
)
from fanzha.store._ops_models import (
    Clue,
    Den,
    Operation,
    Raid,
    Rectification,
    Seizure,
    Suspect,
    Sweep,
)

__all__ = [
    "NewDen",
    "NewOperation",
    "NewRaid",
    "NewSeizure",
    "add_den",
    "add_operation",
    "add_raid",
    "get_den",
    "get_operation",
    "get_raid",
    "list_dens",
    "list_operations",
    "list_raids",
    "operation_rollups",
]


@dataclass(frozen=True, slots=True)
class NewOperation:
    """A new operation (``districts`` empty: the whole city)."""

    name: str
    starts_on: date
    ends_on: date
    districts: tuple[str, ...] = ()
    lead_unit: str = ""
    officers: int = 0
    outreach_sites: int = 0
    description: str = ""
    created_by: int | None = None


@dataclass(frozen=True, slots=True)
class NewDen:
    """A new den (suspected from the graph, reported or entered by hand)."""

    name: str
    kind: str
    district: str | None
    town: str | None = None
    village: str | None = None
    address: str = ""
    source: str = "manual"
    source_ref: str = ""
    evidence: dict[str, Any] | None = None
    gang_id: int | None = None
    operation_id: int | None = None
    clue_id: int | None = None
    note: str = ""
    created_by: int | None = None


@dataclass(frozen=True, slots=True)
class NewSeizure:
    """Seized items of one kind (cash in fen)."""

    kind: str
    count: int = 0
    amount_fen: int = 0
    case_id: int | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class NewRaid:
    """A raid with what it seized."""

    raided_at: datetime
    district: str | None
    den_id: int | None = None
    operation_id: int | None = None
    clue_id: int | None = None
    officers: int = 0
    suspects_caught: int = 0
    note: str = ""
    seizures: tuple[NewSeizure, ...] = ()
    created_by: int | None = None


def _operation(row: Operation) -> OperationRecord:
    return OperationRecord(
        id=row.id,
        name=row.name,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        districts=tuple(json.loads(row.districts or "[]")),
        lead_unit=row.lead_unit,
        officers=row.officers,
        outreach_sites=row.outreach_sites,
        description=row.description,
        created_at=row.created_at,
    )


def _covers(operation: OperationRecord, scope: str | None) -> bool:
    return scope is None or not operation.districts or scope in operation.districts


def add_operation(session: Session, new: NewOperation) -> OperationRecord:
    """Insert an operation and return it."""
    row = Operation(
        name=new.name.strip(),
        starts_on=new.starts_on,
        ends_on=new.ends_on,
        districts=json.dumps(list(new.districts), ensure_ascii=False),
        lead_unit=new.lead_unit,
        officers=new.officers,
        outreach_sites=new.outreach_sites,
        description=new.description,
        created_by=new.created_by,
    )
    session.add(row)
    session.flush()
    return _operation(row)


def get_operation(
    session: Session, operation_id: int, *, scope: str | None = None
) -> OperationRecord:
    """The operation; NotFound when absent or when it does not cover ``scope``."""
    row = session.get(Operation, operation_id)
    record = _operation(row) if row is not None else None
    if record is None or not _covers(record, scope):
        raise NotFound(f"operation {operation_id} does not exist")
    return record


def list_operations(session: Session, *, scope: str | None = None) -> list[OperationRecord]:
    """The operations covering ``scope`` (a city-wide one covers every district), newest
    first. Operations are few, so the JSON scope is read in Python."""
    rows = session.scalars(select(Operation).order_by(Operation.starts_on.desc(), Operation.id))
    return [record for record in map(_operation, rows) if _covers(record, scope)]


def _scoped(query: Select[Any], column: Any, scope: str | None) -> Select[Any]:
    return query if scope is None else query.where(column == scope)


def _counts(session: Session, query: Select[Any]) -> dict[int, tuple[Any, ...]]:
    return {row[0]: tuple(row[1:]) for row in session.execute(query)}


def operation_rollups(
    session: Session, operation_ids: list[int], *, scope: str | None = None
) -> dict[int, OperationRollup]:
    """The live figures of each operation in ``operation_ids`` (records of ``scope`` only)."""
    if not operation_ids:
        return {}
    ids = sorted(set(operation_ids))
    arrests = _counts(
        session,
        _scoped(
            select(Suspect.operation_id, func.count())
            .where(Suspect.operation_id.in_(ids), Suspect.caught_at.is_not(None))
            .group_by(Suspect.operation_id),
            Suspect.district,
            scope,
        ),
    )
    raids = _counts(
        session,
        _scoped(
            select(
                Raid.operation_id,
                func.count(),
                func.coalesce(func.sum(Raid.suspects_caught), 0),
                func.count(distinct(Raid.den_id)),
            )
            .where(Raid.operation_id.in_(ids))
            .group_by(Raid.operation_id),
            Raid.district,
            scope,
        ),
    )
    owner = func.coalesce(Seizure.operation_id, Raid.operation_id)
    seized = _scoped(
        select(
            owner,
            Seizure.kind,
            func.coalesce(func.sum(Seizure.count), 0),
            func.coalesce(func.sum(Seizure.amount_fen), 0),
        )
        .select_from(Seizure)
        .outerjoin(Raid, Seizure.raid_id == Raid.id)
        .where(owner.in_(ids))
        .group_by(owner, Seizure.kind),
        func.coalesce(Seizure.district, Raid.district),
        scope,
    )
    seizures: dict[int, dict[str, int]] = defaultdict(dict)
    cash: dict[int, int] = defaultdict(int)
    for operation_id, kind, count, amount in session.execute(seized):
        seizures[operation_id][kind] = int(count)
        cash[operation_id] += int(amount)
    rectifications = _counts(
        session,
        _scoped(
            select(Rectification.operation_id, func.count())
            .where(Rectification.operation_id.in_(ids))
            .group_by(Rectification.operation_id),
            Rectification.district,
            scope,
        ),
    )
    sweeps = _counts(
        session,
        _scoped(
            select(Sweep.operation_id, func.count())
            .where(Sweep.operation_id.in_(ids))
            .group_by(Sweep.operation_id),
            Sweep.district,
            scope,
        ),
    )
    clues = _counts(
        session,
        _scoped(
            select(
                Clue.operation_id,
                func.count(),
                func.count(Clue.id).filter(Clue.state == "landed"),
            )
            .where(Clue.operation_id.in_(ids))
            .group_by(Clue.operation_id),
            Clue.district,
            scope,
        ),
    )
    heads = {
        row.id: (row.officers, row.outreach_sites)
        for row in session.execute(
            select(Operation.id, Operation.officers, Operation.outreach_sites).where(
                Operation.id.in_(ids)
            )
        )
    }
    out = {}
    for operation_id in ids:
        officers, sites = heads.get(operation_id, (0, 0))
        raid = raids.get(operation_id, (0, 0, 0))
        clue = clues.get(operation_id, (0, 0))
        out[operation_id] = OperationRollup(
            operation_id=operation_id,
            officers=int(officers),
            arrests=int(arrests.get(operation_id, (0,))[0]),
            caught_in_raids=int(raid[1]),
            raids=int(raid[0]),
            dens_raided=int(raid[2]),
            rectifications=int(rectifications.get(operation_id, (0,))[0]),
            outreach_sites=int(sites),
            sweeps=int(sweeps.get(operation_id, (0,))[0]),
            clues=int(clue[0]),
            clues_landed=int(clue[1]),
            cash_fen=cash.get(operation_id, 0),
            seizures=dict(seizures.get(operation_id, {})),
        )
    return out


def _den(row: Den, raids: int = 0) -> DenRecord:
    return DenRecord(
        id=row.id,
        name=row.name,
        kind=row.kind,
        district=row.district,
        town=row.town,
        village=row.village,
        address=row.address,
        state=row.state,
        source=row.source,
        operation_id=row.operation_id,
        gang_id=row.gang_id,
        clue_id=row.clue_id,
        raids=raids,
    )


def add_den(session: Session, new: NewDen) -> DenRecord:
    """Insert a den (state 疑似) and return it."""
    row = Den(
        name=new.name.strip(),
        kind=new.kind,
        district=new.district,
        town=new.town,
        village=new.village,
        address=new.address,
        source=new.source,
        source_ref=new.source_ref,
        evidence=json.dumps(new.evidence or {}, ensure_ascii=False, default=str),
        gang_id=new.gang_id,
        operation_id=new.operation_id,
        clue_id=new.clue_id,
        note=new.note,
        created_by=new.created_by,
    )
    session.add(row)
    session.flush()
    return _den(row)


def _den_row(session: Session, den_id: int, scope: str | None) -> Den:
    row = session.get(Den, den_id)
    if row is None or (scope is not None and row.district != scope):
        raise NotFound(f"den {den_id} does not exist")
    return row


def get_den(session: Session, den_id: int, *, scope: str | None = None) -> DenRecord:
    """The den and how many raids it had; NotFound outside ``scope``."""
    row = _den_row(session, den_id, scope)
    raids = session.scalar(select(func.count()).where(Raid.den_id == den_id)) or 0
    return _den(row, int(raids))


def list_dens(
    session: Session,
    *,
    scope: str | None = None,
    operation_id: int | None = None,
    kind: str | None = None,
) -> list[DenRecord]:
    """The dens of ``scope`` (by operation or kind), with their raid counts."""
    raids = (
        select(Raid.den_id, func.count().label("n"))
        .where(Raid.den_id.is_not(None))
        .group_by(Raid.den_id)
        .subquery()
    )
    query = select(Den, func.coalesce(raids.c.n, 0)).outerjoin(raids, raids.c.den_id == Den.id)
    query = _scoped(query, Den.district, scope)
    if operation_id is not None:
        query = query.where(Den.operation_id == operation_id)
    if kind is not None:
        query = query.where(Den.kind == kind)
    return [_den(row, int(n)) for row, n in session.execute(query.order_by(Den.id))]


def _seizure(row: Seizure) -> SeizureRecord:
    return SeizureRecord(
        id=row.id,
        raid_id=row.raid_id,
        operation_id=row.operation_id,
        kind=row.kind,
        count=row.count,
        amount_fen=row.amount_fen,
        case_id=row.case_id,
        note=row.note,
    )


def add_raid(session: Session, new: NewRaid) -> RaidRecord:
    """Insert a raid and its seizures; its den (if any, and in the raid's district) becomes
    已打掉. Raises InvalidInput for a den of another district."""
    if new.den_id is not None:
        den = session.get(Den, new.den_id)
        if den is None or (new.district is not None and den.district != new.district):
            raise InvalidInput(f"den {new.den_id} is not a den of {new.district}", field="den_id")
        den.state = "raided"
    row = Raid(
        raided_at=new.raided_at,
        district=new.district,
        den_id=new.den_id,
        operation_id=new.operation_id,
        clue_id=new.clue_id,
        officers=new.officers,
        suspects_caught=new.suspects_caught,
        note=new.note,
        created_by=new.created_by,
    )
    session.add(row)
    session.flush()
    for item in new.seizures:
        session.add(
            Seizure(
                raid_id=row.id,
                operation_id=new.operation_id,
                case_id=item.case_id,
                district=new.district,
                kind=item.kind,
                count=item.count,
                amount_fen=item.amount_fen,
                note=item.note,
                seized_at=new.raided_at,
            )
        )
    session.flush()
    return get_raid(session, row.id)


def _raids(session: Session, query: Select[Any]) -> list[RaidRecord]:
    rows = list(session.scalars(query))
    ids = [row.id for row in rows]
    items: dict[int, list[SeizureRecord]] = defaultdict(list)
    if ids:
        for seizure in session.scalars(
            select(Seizure).where(Seizure.raid_id.in_(ids)).order_by(Seizure.id)
        ):
            items[seizure.raid_id or 0].append(_seizure(seizure))
    return [
        RaidRecord(
            id=row.id,
            raided_at=row.raided_at,
            district=row.district,
            den_id=row.den_id,
            operation_id=row.operation_id,
            clue_id=row.clue_id,
            officers=row.officers,
            suspects_caught=row.suspects_caught,
            note=row.note,
            seizures=tuple(items.get(row.id, ())),
        )
        for row in rows
    ]


def get_raid(session: Session, raid_id: int, *, scope: str | None = None) -> RaidRecord:
    """The raid with its seizures; NotFound outside ``scope``."""
    query = _scoped(select(Raid).where(Raid.id == raid_id), Raid.district, scope)
    found = _raids(session, query)
    if not found:
        raise NotFound(f"raid {raid_id} does not exist")
    return found[0]


def list_raids(
    session: Session,
    *,
    scope: str | None = None,
    operation_id: int | None = None,
    den_id: int | None = None,
) -> list[RaidRecord]:
    """The raids of ``scope`` (by operation or den) with their seizures, newest first."""
    query = _scoped(select(Raid), Raid.district, scope)
    conditions = []
    if operation_id is not None:
        conditions.append(Raid.operation_id == operation_id)
    if den_id is not None:
        conditions.append(Raid.den_id == den_id)
    if conditions:
        query = query.where(and_(*conditions))
    return _raids(session, query.order_by(Raid.raided_at.desc(), Raid.id))
