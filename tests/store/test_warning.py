"""The warning tables through fanzha.store.warning: tasks in and out as the core's dataclass."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fanzha.errors import NotFound, StaleVersion
from fanzha.store import Person
from fanzha.store.warning import (
    add_task,
    get_task,
    list_tasks,
    open_task_keys,
    save_task,
)
from fanzha.warning import WarningTask

NOW = datetime(2026, 9, 1, 10, tzinfo=UTC)


def _task(person_id: int | None, phone: str | None, priority: float) -> WarningTask:
    return WarningTask(
        id=None,
        person_id=person_id,
        phone=phone,
        district="青秀区",
        fraud_type="impersonate_authority",
        money_at_risk_fen=100_000,
        priority=priority,
        created_at=NOW,
        signal_at=NOW,
        sla_due_at=NOW,
        reason="冒充公检法来电",
    )


def test_a_task_round_trips_and_a_stale_save_is_refused(engine: Engine) -> None:
    with Session(engine) as session:
        session.add(Person(id=1, name="王秀兰"))
        session.flush()
        first = add_task(session, _task(1, None, 80.0))
        add_task(session, _task(None, "139-0000-2222", 40.0))
        session.commit()
    with Session(engine) as session:
        stored = get_task(session, first)
        assert stored == replace(_task(1, None, 80.0), id=first)
        assert open_task_keys(session) == {"person:1": first, "phone:13900002222": first + 1}
        tasks, total = list_tasks(session, sort="priority", per_page=1)
        assert total == 2 and [t.id for t in tasks] == [first]
        save_task(session, stored, replace(stored, state="assigned"))
        session.commit()
        assert get_task(session, first).version == 2
        with pytest.raises(StaleVersion):
            save_task(session, stored, replace(stored, state="false_alarm"))
        with pytest.raises(StaleVersion):
            get_task(session, first, version=1)
        with pytest.raises(NotFound):
            get_task(session, 999)
