"""Two officers saving the same task at once: one wins, the other gets a conflict, nothing lost."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from fanzha.api._warning_service import ingest_signals
from fanzha.roles import Actor
from fanzha.store import WarningTask as TaskRow
from fanzha.store.warning import get_task, save_task
from fanzha.warning import EventSignal, Outcome, record_outcome, transition
from tests.api.conftest import seed_users


def test_interleaved_saves_of_one_task_never_lose_an_update(engine: Engine) -> None:
    ids = seed_users(engine)
    actor = Actor(ids["warning_officer"], "warning_officer", "warning_officer", "青秀区")
    now = datetime.now(UTC)
    with Session(engine) as session:
        made = ingest_signals(session, actor, [EventSignal("fraud_call", now, person_id=1)], now)
        session.commit()
    task_id = made.created_task_ids[0]
    with Session(engine) as session:
        stored = get_task(session, task_id)
        task, _ = transition(stored, "assigned", "cmd", now, assigned_to=str(actor.user_id))
        save_task(session, stored, task)
        session.commit()
    first, second = Session(engine), Session(engine)
    try:
        read = [(s, get_task(s, task_id)) for s in (first, second)]
        for session, task in read:
            done = record_outcome(task, Outcome("call", "no_answer"), "officer", now)
            save_task(session, task, done.task)
        first.commit()
        with pytest.raises(StaleDataError):
            second.commit()
    finally:
        first.close()
        second.close()
    with Session(engine) as session:
        stored = session.scalars(select(TaskRow).where(TaskRow.id == task_id)).one()
        assert stored.contact_count == 1
        assert stored.version == 3
