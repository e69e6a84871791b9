"""One batch of stream signals into the store, in one transaction.

The steps, each a store or core function: claim the signal ids (duplicates drop out
here), complete the signals with their people, lock their task keys, then the same
warning rules as ``POST /api/v1/events`` (:func:`ingest_signals`: dedup and merge into
open tasks, priority, SLA) and the outcome of every signal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from fanzha.api._warning_service import ingest_signals
from fanzha.errors import FanzhaError
from fanzha.intake._schema import _SignalV1
from fanzha.roles import Actor
from fanzha.store import intake as stored
from fanzha.store import warning as stored_warning
from fanzha.warning import EventSignal, age_of, task_key

__all__ = ["INTAKE_ACTOR", "BatchResult", "apply_batch"]

INTAKE_ACTOR = Actor(user_id=None, username="intake", role="admin")
"""Who the intake acts as: no officer; the source of its events is ``intake``."""

Screen = Callable[[str], tuple[float, str | None]]
"""Text → (risk, fraud type code or None), for screening hits sent as text."""


@dataclass(slots=True)
class BatchResult:
    """What a batch did, per signal outcome, and the tasks it touched."""

    taken: int = 0
    merged: int = 0
    skipped: int = 0
    dead: list[tuple[int, str]] = field(default_factory=list)
    """(index in the batch, reason) of the signals refused here (e.g. an unknown person)."""
    created_task_ids: list[int] = field(default_factory=list)
    merged_task_ids: list[int] = field(default_factory=list)


def _event_signal(
    signal: _SignalV1,
    person: stored.IntakePerson | None,
    now: datetime,
    screen: Screen | None,
) -> EventSignal:
    """The core signal, completed with its person's district, phone and age (as the HTTP
    path does) and, for a screening hit sent as text, with the screening verdict."""
    risk, fraud_type = signal.risk, signal.fraud_type
    text = getattr(signal, "text", None)
    if risk is None and text and screen is not None:
        risk, screened_type = screen(text)
        fraud_type = fraud_type or screened_type
    age = signal.age
    district, phone = signal.district, signal.phone
    if person is not None:
        district = district or person.district
        phone = phone or person.phone
        age = age_of(person.birth_date) if person.birth_date is not None else age
    return EventSignal(
        kind=signal.kind,
        occurred_at=signal.occurred_at or now,
        person_id=signal.person_id,
        age=age,
        district=district,
        phone=phone,
        amount_at_risk_fen=signal.amount_at_risk_fen,
        fraud_type=fraud_type,
        risk=risk,
        counterparty=signal.counterparty,
        source="intake",
        detail=signal.detail or (text or ""),
    )


def apply_batch(
    session: Session,
    signals: Sequence[_SignalV1],
    now: datetime,
    *,
    screen: Screen | None = None,
) -> BatchResult:
    """Take a batch of valid signals; flushed, not committed (the caller commits, then acks).

    A signal id seen before (in this batch or stored) is skipped; a signal naming an unknown
    person or failing the core's checks is listed in ``dead`` with the reason.
    """
    result = BatchResult()
    first: dict[str, int] = {}
    for index, signal in enumerate(signals):
        first.setdefault(signal.id, index)
    claimed = stored.claim_signals(session, [(s.id, s.kind) for s in signals], now)
    fresh = [i for i in sorted(first.values()) if signals[i].id in claimed]
    result.skipped = len(signals) - len(fresh)
    people = stored.intake_people(
        session, {p for i in fresh if (p := signals[i].person_id) is not None}
    )
    good: list[int] = []
    events: list[EventSignal] = []
    outcomes: list[tuple[str, str, int | None, int | None]] = []
    for i in fresh:
        signal = signals[i]
        if signal.person_id is not None and signal.person_id not in people:
            reason = f"person_id: person {signal.person_id} does not exist"
        else:
            try:
                events.append(
                    _event_signal(signal, people.get(signal.person_id or -1), now, screen)
                )
                good.append(i)
                continue
            except FanzhaError as error:
                reason = str(error)
        result.dead.append((i, reason))
        outcomes.append((signal.id, "dead_letter", None, None))
    persons = {e.person_id for e in events if e.person_id is not None}
    phones = {e.phone for e in events if e.phone}
    stored.lock_task_keys(
        session,
        [k for e in events for k in (task_key(e.person_id, None), task_key(None, e.phone)) if k],
    )
    open_keys = stored_warning.open_task_keys(session, persons=persons, phones=phones)
    done = ingest_signals(session, INTAKE_ACTOR, events, now, open_keys=open_keys)
    merged_into = set(done.merged_task_ids)
    seen: set[int] = set()
    for i, event_id, task_id in zip(good, done.event_ids, done.task_ids, strict=True):
        if task_id is None:
            outcome = "skipped"
            result.skipped += 1
        elif task_id in merged_into or task_id in seen:
            outcome = "merged"
            result.merged += 1
        else:
            outcome = "taken"
            result.taken += 1
        if task_id is not None:
            seen.add(task_id)
        outcomes.append((signals[i].id, outcome, event_id, task_id))
    stored.record_intake_outcomes(session, outcomes)
    result.created_task_ids = done.created_task_ids
    result.merged_task_ids = done.merged_task_ids
    session.flush()
    return result
