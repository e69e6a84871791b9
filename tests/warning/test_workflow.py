"""One pass through the whole workflow: signals → tasks → assignment → outcomes → KPIs."""

from __future__ import annotations

from datetime import timedelta

from fanzha.warning import (
    EventSignal,
    Officer,
    Outcome,
    assign,
    record_outcome,
    task_from_draft,
    transition,
    warning_kpis,
)
from fanzha.warning._events import tasks_from_events
from tests.warning.conftest import NOW


def test_signals_to_kpis() -> None:
    signals = [
        EventSignal(
            "fraud_call",
            NOW - timedelta(minutes=3),
            person_id=1,
            age=70,
            district="青秀区",
            phone="13800138000",
            amount_at_risk_fen=3_000_000,
            fraud_type="impersonate_authority",
        ),
        EventSignal(
            "flagged_transfer",
            NOW - timedelta(minutes=1),
            person_id=2,
            age=30,
            district="江南区",
            phone="13900139000",
            amount_at_risk_fen=800_000,
        ),
    ]
    drafts = tasks_from_events(signals, set(), NOW)
    tasks = {i: task_from_draft(d, created_at=NOW, task_id=i) for i, d in enumerate(drafts, 1)}
    officers = [Officer("qx", ("青秀区",)), Officer("city", role="city")]
    for item in assign(tasks.values(), officers, NOW):
        assert item.officer_id is not None
        tasks[item.task_id], _ = transition(
            tasks[item.task_id],
            "assigned",
            "system",
            NOW,
            item.reason,
            assigned_to=item.officer_id,
        )
    later = NOW + timedelta(minutes=4)
    first = next(i for i, t in tasks.items() if t.person_id == 1)
    second = next(i for i, t in tasks.items() if t.person_id == 2)
    tasks[first] = record_outcome(
        tasks[first], Outcome("call", "reached_dissuaded"), "qx", later
    ).task
    done = record_outcome(tasks[second], Outcome("call", "reached_already_paid"), "city", later)
    tasks[second] = done.task
    assert done.handoff is not None and done.handoff.amount_fen == 800_000
    (row,) = warning_kpis(tasks.values(), later).to_dicts()
    assert (row["dissuaded"], row["already_paid"], row["dissuasion_rate"]) == (1, 1, 0.5)
    assert (row["money_saved_fen"], row["median_first_contact_min"], row["overdue"]) == (
        3_000_000,
        4.0,
        0,
    )
