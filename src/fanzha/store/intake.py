"""The stream intake's table: signal ids taken (the idempotency key), and the locks that keep
concurrent consumers from opening two tasks for one person.

A batch first *claims* its signal ids (an INSERT that skips ids already stored, so a
redelivered or re-published signal is a no-op). The claim is the batch's first write: on
SQLite it takes the one write lock for the whole batch; on PostgreSQL a second consumer
claiming the same id waits for the first one's commit and then skips it. Then
:func:`lock_task_keys` serialises the batches that touch the same person or phone
(PostgreSQL advisory locks held to the end of the transaction).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from fanzha.store._models import IntakeSignal, Person

__all__ = [
    "IntakePerson",
    "claim_signals",
    "intake_counts",
    "intake_people",
    "lock_task_keys",
    "record_intake_outcomes",
]


@dataclass(frozen=True, slots=True)
class IntakePerson:
    """What a signal about a known person is completed with."""

    id: int
    district: str | None
    phone: str | None
    birth_date: date | None


def claim_signals(session: Session, claims: Sequence[tuple[str, str]], at: datetime) -> set[str]:
    """Insert the (signal id, kind) pairs not stored yet; return the ids this call inserted.

    Ids are inserted in sorted order so two batches claiming overlapping ids cannot deadlock.
    """
    if not claims:
        return set()
    rows = [
        {"signal_id": signal_id, "kind": kind, "outcome": "skipped", "received_at": at}
        for signal_id, kind in sorted(claims)
    ]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(IntakeSignal)
        .on_conflict_do_nothing(index_elements=["signal_id"])
        .returning(IntakeSignal.signal_id)
    )
    # executemany with RETURNING: one cached statement, sent as multi-row batches
    return set(session.connection().execute(statement, rows).scalars())


def _lock_id(key: str) -> int:
    """A stable signed 64-bit number for a task key (PostgreSQL advisory locks take bigint)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), signed=True)


def lock_task_keys(session: Session, keys: Iterable[str]) -> None:
    """Hold, until commit, a lock per task key (``person:…``, ``phone:…``) on PostgreSQL.

    Locks are taken in one statement in ascending order, so batches never deadlock on them.
    SQLite needs none: the claim already holds its single write lock.
    """
    ids = sorted({_lock_id(key) for key in keys})
    if not ids or session.get_bind().dialect.name != "postgresql":
        return
    session.execute(
        text(
            "SELECT count(pg_advisory_xact_lock(k)) FROM "
            "(SELECT unnest(CAST(:ids AS bigint[])) AS k ORDER BY k) AS locks"
        ),
        {"ids": ids},
    )


def intake_people(session: Session, ids: Collection[int]) -> dict[int, IntakePerson]:
    """The people of ``ids`` that exist, by id."""
    if not ids:
        return {}
    rows = session.execute(
        select(Person.id, Person.district, Person.phone_number, Person.birth_date).where(
            Person.id.in_(sorted(ids))
        )
    )
    return {row[0]: IntakePerson(*row) for row in rows}


def record_intake_outcomes(
    session: Session, outcomes: Sequence[tuple[str, str, int | None, int | None]]
) -> None:
    """Store (signal id, outcome, event id, task id) of claimed signals."""
    if not outcomes:
        return
    session.connection().execute(
        update(IntakeSignal.__table__)  # type: ignore[arg-type]
        .where(IntakeSignal.__table__.c.signal_id == bindparam("sid"))
        .values(outcome=bindparam("o"), event_id=bindparam("e"), task_id=bindparam("t")),
        [{"sid": s, "o": o, "e": e, "t": t} for s, o, e, t in outcomes],
    )


def intake_counts(session: Session, since: datetime | None = None) -> dict[str, int]:
    """How many signals were taken per outcome (since ``since``, else ever)."""
    query = select(IntakeSignal.outcome, func.count()).group_by(IntakeSignal.outcome)
    if since is not None:
        query = query.where(IntakeSignal.received_at >= since)
    return {outcome: int(n) for outcome, n in session.execute(query)}
