"""Warning history of the demo city: legal under fanzha.warning's state machine, calibrated."""

from __future__ import annotations

from datetime import datetime

import polars as pl
import pytest

from fanzha.demo._calibration import city_map
from fanzha.demo._people import USER_ROLES
from fanzha.roles import ROLES
from fanzha.warning import (
    OPEN_STATES,
    Outcome,
    TaskState,
    WarningTask,
    record_outcome,
    sla_due_at,
    transition,
)
from tests.demo.conftest import City

# Moves an officer makes by hand; every other state change comes from an outcome.
MANUAL = {(TaskState.NEW, TaskState.ASSIGNED), (TaskState.UNREACHABLE, TaskState.VISIT)}


def _replay(
    row: dict[str, object], moves: list[dict[str, object]], contacts: list[dict[str, object]]
) -> tuple[WarningTask, list[tuple[str, str]]]:
    """Run a task's history through fanzha.warning; returns the task and the changes made."""
    task = WarningTask(
        id=row["id"],
        person_id=row["person_id"],
        phone=row["phone_number"],
        district=row["district"],
        fraud_type=row["fraud_type"],
        money_at_risk_fen=row["money_at_risk_fen"],
        priority=row["priority"],
        created_at=row["created_at"],
        signal_at=row["signal_at"],
        sla_due_at=row["sla_due_at"],
        reason=row["reason"],
    )  # type: ignore[arg-type]
    steps = [(m["at"], 0, m) for m in moves if (m["from_state"], m["to_state"]) in MANUAL]
    steps += [(c["at"], 1, c) for c in contacts]
    made: list[tuple[str, str]] = []
    for _, is_contact, step in sorted(steps, key=lambda s: (s[0], s[1])):
        if is_contact:
            saved = step["money_saved_fen"] if step["result"] == "reached_dissuaded" else None
            outcome = Outcome(
                str(step["channel"]),
                str(step["result"]),
                str(step["note"]),
                money_saved_fen=saved,  # type: ignore[arg-type]
            )
            result = record_outcome(
                task,
                outcome,
                str(step["user_id"]),
                step["at"],  # type: ignore[arg-type]
            )
            task = result.task
            made += [(r.from_state, r.to_state) for r in result.transitions]
        else:
            officer = None if step["to_state"] != "assigned" else str(row["assigned_to"])
            task, record = transition(
                task,
                str(step["to_state"]),
                str(step["user_id"] or "system"),
                step["at"],  # type: ignore[arg-type]
                str(step["note"]),
                assigned_to=officer,
            )
            made.append((record.from_state, record.to_state))
    return task, made


def test_every_history_replays_through_the_state_machine(small_city: City) -> None:
    moves = small_city["task_transitions"].sort("at", "id").partition_by("task_id", as_dict=True)
    contacts = small_city["outcomes"].sort("at", "id").partition_by("task_id", as_dict=True)
    tasks = small_city["warning_tasks"]
    assert tasks.height > 10
    for row in tasks.iter_rows(named=True):
        key = (row["id"],)
        own_moves = moves[key].to_dicts() if key in moves else []
        own_contacts = contacts[key].to_dicts() if key in contacts else []
        task, made = _replay(row, own_moves, own_contacts)
        assert made == [(m["from_state"], m["to_state"]) for m in own_moves], row["id"]
        assert task.state == row["state"]
        assert task.contact_count == row["contact_count"] == len(own_contacts)
        assert task.no_answer_count == row["no_answer_count"]
        assert task.first_contact_at == row["first_contact_at"]
        assert task.closed_at == row["closed_at"]
        assert task.money_saved_fen == row["money_saved_fen"]
        saved = sum(c["money_saved_fen"] for c in own_contacts)
        assert saved == row["money_saved_fen"]


def test_most_past_tasks_end_dissuaded_and_the_newest_are_open(city: City) -> None:
    tasks = city["warning_tasks"].sort("signal_at")
    states = dict(tasks.get_column("state").value_counts().iter_rows())
    assert set(states) <= {s.value for s in TaskState}
    closed = tasks.filter(~pl.col("state").is_in([s.value for s in OPEN_STATES]))
    assert states["dissuaded"] > 0.7 * closed.height
    assert {"already_paid", "false_alarm", "lost_contact"} <= set(states)
    opened = tasks.filter(pl.col("state").is_in([s.value for s in OPEN_STATES]))
    assert {"new", "assigned", "contacting", "unreachable", "visit"} == set(
        opened.get_column("state")
    )
    assert opened.get_column("signal_at").min() > closed.get_column("signal_at").max()  # type: ignore[operator]
    assert opened.get_column("closed_at").is_null().all()
    assert tasks.filter(pl.col("state") == "new").get_column("assigned_to").is_null().all()


def test_visits_follow_three_unanswered_calls(city: City) -> None:
    moves = city["task_transitions"]
    visited = moves.filter(pl.col("to_state") == "visit").get_column("task_id")
    unreachable = moves.filter(pl.col("to_state") == "unreachable").get_column("task_id")
    assert visited.len() > 0 and set(visited) <= set(unreachable)
    tries = city["outcomes"].filter(pl.col("task_id").is_in(visited.implode()))
    unanswered = tries.filter(pl.col("result") == "no_answer").group_by("task_id").len()
    assert (unanswered.get_column("len") == 3).all()
    assert set(tries.filter(pl.col("channel") == "visit").get_column("result")) <= {
        "reached_dissuaded",
        "not_found",
        "reached_already_paid",
    }


def test_sla_is_the_warning_modules(city: City) -> None:
    for row in city["warning_tasks"].head(200).iter_rows(named=True):
        assert row["sla_due_at"] == sla_due_at(row["priority"], row["signal_at"])
        assert 0 <= row["priority"] <= 100


def test_already_paid_tasks_have_a_case_reported_after_the_call(city: City) -> None:
    paid = city["warning_tasks"].filter(pl.col("state") == "already_paid")
    cases = paid.join(city["cases"], left_on="person_id", right_on="victim_id")
    assert cases.height == paid.height > 0
    assert (cases.get_column("occurred_at") >= cases.get_column("signal_at")).all()
    assert (cases.get_column("reported_at") >= cases.get_column("closed_at")).all()


def test_each_task_has_its_signals(city: City) -> None:
    events = city["events"]
    linked = events.filter(pl.col("task_id").is_not_null())
    first = linked.group_by("task_id").agg(pl.col("occurred_at").min())
    tasks = city["warning_tasks"].join(first, left_on="id", right_on="task_id")
    assert tasks.height == city["warning_tasks"].height
    assert (tasks.get_column("occurred_at") == tasks.get_column("signal_at")).all()
    assert set(events.get_column("kind")) == {
        "fraud_call",
        "flagged_transfer",
        "citizen_report",
        "screening_hit",
    }
    kinds = dict(events.group_by("kind").agg(pl.col("counterpart_kind").unique()).iter_rows())
    assert set(kinds["flagged_transfer"]) == {"bank_account"}
    assert set(kinds["fraud_call"]) == {"phone"}
    assert set(kinds["citizen_report"]) == {"phone", "im", "url"}
    ignored = events.filter(pl.col("task_id").is_null())
    assert ignored.height > 0 and (ignored.get_column("risk") < 0.4).all()


def test_officers_have_every_role_and_work_their_district(city: City) -> None:
    users = city["users"]
    assert set(users.get_column("role")) == set(USER_ROLES)
    assert set(USER_ROLES) == set(ROLES)  # every role of the permissions table has a demo user
    officers = users.filter(pl.col("role") == "warning_officer")
    per_district = officers.group_by("district").len()
    assert per_district.height == len(city_map().districts)
    assert (per_district.get_column("len") >= 2).all()
    assert officers.get_column("username").str.contains(r"^warn_[a-z]+_\d+$").all()
    assert "warn_qingxiu_1" in set(officers.get_column("username"))
    tasks = city["warning_tasks"].join(
        officers.select(assigned_to="id", officer_district="district"), on="assigned_to"
    )
    assert (tasks.get_column("district") == tasks.get_column("officer_district")).all()


@pytest.mark.parametrize("column", ["signal_at", "created_at", "sla_due_at"])
def test_task_times_are_aware(city: City, column: str) -> None:
    value = city["warning_tasks"].get_column(column)[0]
    assert isinstance(value, datetime) and value.tzinfo is not None


def test_open_tasks_carry_money_at_risk_and_saved_stays_what_victims_were_to_pay(
    city: City,
) -> None:
    tasks = city["warning_tasks"]
    open_tasks = tasks.filter(pl.col("closed_at").is_null())
    assert open_tasks.height > 0
    assert (open_tasks.get_column("money_at_risk_fen") >= 5_000).all()
    assert (tasks.get_column("money_saved_fen") <= tasks.get_column("money_at_risk_fen")).all()
