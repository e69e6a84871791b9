"""KPIs on a small hand-made set of tasks whose answers are worked out by hand."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import polars as pl
import pytest

from fanzha.errors import InvalidInput
from fanzha.warning import OutcomeRecord, WarningTask, tasks_by_state, warning_kpis
from fanzha.warning._kpi import contacts_by_channel, outcomes_frame, tasks_frame
from tests.warning.conftest import NOW, make_task

CREATED = NOW - timedelta(hours=1)


def _task(
    task_id: int,
    officer: str | None,
    district: str,
    state: str,
    contact_after: int | None,
    due_after: int,
    contacts: int = 1,
    saved: int = 0,
) -> WarningTask:
    """A task created an hour before NOW, first contacted ``contact_after`` minutes later."""
    first = None if contact_after is None else CREATED + timedelta(minutes=contact_after)
    closed = state in {"dissuaded", "already_paid", "lost_contact", "false_alarm"}
    return make_task(
        id=task_id,
        assigned_to=officer,
        district=district,
        state=state,
        created_at=CREATED,
        signal_at=CREATED,
        sla_due_at=CREATED + timedelta(minutes=due_after),
        first_contact_at=first,
        closed_at=NOW if closed else None,
        contact_count=contacts if first else 0,
        money_saved_fen=saved,
    )


TASKS = [
    _task(1, "A", "青秀区", "dissuaded", 4, 10, saved=50_000),
    _task(2, "A", "青秀区", "already_paid", 6, 5, contacts=2),  # contacted late
    _task(3, "A", "江南区", "lost_contact", 10, 30, contacts=4),
    _task(4, "B", "江南区", "dissuaded", 20, 30, saved=100_000),
    _task(5, "B", "江南区", "false_alarm", 2, 30),
    _task(6, None, "良庆区", "new", None, 50),  # due 10 minutes ago: overdue
    _task(7, "B", "江南区", "assigned", None, 70),
    _task(8, "B", "青秀区", "contacting", 8, 10, contacts=3),
]


def _rows(frame: pl.DataFrame, key: str) -> dict[Any, dict[str, Any]]:
    return {row[key]: row for row in frame.to_dicts()}


def test_overall_kpis() -> None:
    (row,) = warning_kpis(TASKS, NOW).to_dicts()
    assert row == {
        "tasks": 8,
        "open": 3,
        "dissuaded": 2,
        "already_paid": 1,
        "lost_contact": 1,
        "false_alarm": 1,
        "dissuasion_rate": 0.5,
        "median_first_contact_min": 7.0,
        "money_saved_fen": 150_000,
        "contacts": 12,
        "repeat_contacted": 3,
        "overdue": 1,
        "sla_missed": 2,
        "saved_above_risk": 0,
        "saved_above_risk_fen": 0,
    }


@pytest.mark.parametrize(
    ("group", "column", "expected"),
    [
        pytest.param("A", "dissuasion_rate", pytest.approx(1 / 3), id="A-rate"),
        pytest.param("A", "median_first_contact_min", 6.0, id="A-median"),
        pytest.param("A", "sla_missed", 1, id="A-missed"),
        pytest.param("B", "dissuasion_rate", 1.0, id="B-rate"),
        pytest.param("B", "median_first_contact_min", 8.0, id="B-median"),
        pytest.param("B", "money_saved_fen", 100_000, id="B-saved"),
        pytest.param("B", "open", 2, id="B-open"),
        pytest.param(None, "dissuasion_rate", None, id="unassigned-nothing-decided"),
        pytest.param(None, "median_first_contact_min", None, id="unassigned-no-contact"),
        pytest.param(None, "overdue", 1, id="unassigned-overdue"),
    ],
)
def test_kpis_per_officer(group: str | None, column: str, expected: object) -> None:
    rows = _rows(warning_kpis(TASKS, NOW, by="assigned_to"), "assigned_to")
    assert list(rows) == ["A", "B", None]
    assert rows[group][column] == expected


@pytest.mark.parametrize(
    ("district", "tasks", "rate"),
    [
        pytest.param("青秀区", 3, 0.5, id="qingxiu"),
        pytest.param("江南区", 4, 0.5, id="jiangnan"),
        pytest.param("良庆区", 1, None, id="liangqing"),
    ],
)
def test_kpis_per_district(district: str, tasks: int, rate: float | None) -> None:
    rows = _rows(warning_kpis(tasks_frame(TASKS), NOW, by="district"), "district")
    assert (rows[district]["tasks"], rows[district]["dissuasion_rate"]) == (tasks, rate)


def test_tasks_by_state_lists_every_state() -> None:
    table = tasks_by_state(TASKS)
    counts = dict(zip(table["state"], table["count"], strict=True))
    assert counts == {
        "new": 1,
        "assigned": 1,
        "contacting": 1,
        "dissuaded": 2,
        "already_paid": 1,
        "unreachable": 0,
        "visit": 0,
        "false_alarm": 1,
        "lost_contact": 1,
    }
    assert table.filter(pl.col("state") == "visit")["label"].item() == "上门劝阻"


def test_tasks_by_state_per_district() -> None:
    table = tasks_by_state(TASKS, by="district")
    assert table.height == 3 * 9
    jiangnan = table.filter((pl.col("district") == "江南区") & (pl.col("count") > 0))
    assert dict(zip(jiangnan["state"], jiangnan["count"], strict=True)) == {
        "assigned": 1,
        "dissuaded": 1,
        "false_alarm": 1,
        "lost_contact": 1,
    }


def test_empty_input_gives_zeros() -> None:
    (row,) = warning_kpis([], NOW).to_dicts()
    assert (row["tasks"], row["dissuasion_rate"], row["median_first_contact_min"]) == (
        0,
        None,
        None,
    )
    assert tasks_by_state([])["count"].sum() == 0


def test_contacts_by_channel() -> None:
    records = [
        OutcomeRecord(1, "call", "no_answer", "", 0, "A", NOW, 1, "contacting"),
        OutcomeRecord(1, "call", "no_answer", "", 0, "A", NOW, 2, "contacting"),
        OutcomeRecord(1, "call", "reached_dissuaded", "", 10, "A", NOW, 3, "dissuaded"),
        OutcomeRecord(2, "sms", "sms_sent", "", 0, "B", NOW, 1, "contacting"),
    ]
    table = contacts_by_channel(outcomes_frame(records), by="by_user")
    assert table.to_dicts()[0] == {
        "by_user": "A",
        "channel": "call",
        "channel_label": "电话",
        "result": "no_answer",
        "result_label": "无人接听",
        "count": 2,
    }
    assert contacts_by_channel(records)["count"].to_list() == [2, 1, 1]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        pytest.param(lambda: warning_kpis(TASKS, NOW, by="fraud_type"), "by", id="bad-group"),
        pytest.param(
            lambda: warning_kpis(tasks_frame(TASKS).drop("state"), NOW), "columns", id="no-state"
        ),
        pytest.param(
            lambda: tasks_by_state(tasks_frame(TASKS).with_columns(state=pl.lit("paused"))),
            "state",
            id="unknown-state",
        ),
    ],
)
def test_bad_frames_are_refused(call: object, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        call()  # type: ignore[operator]
    assert caught.value.field == field
