"""Recording contact outcomes: counts, first contact, state moves and suggestions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fanzha.errors import IllegalTransition, InvalidInput
from fanzha.warning import (
    CHANNEL_RESULTS,
    CHANNELS,
    RESULT_LABELS,
    Outcome,
    WarningTask,
    record_outcome,
)
from tests.warning.conftest import NOW, make_task

LATER = NOW + timedelta(minutes=2)


def _assigned(**fields: object) -> WarningTask:
    return make_task(state="assigned", assigned_to="officer-1", **fields)


@pytest.mark.parametrize(
    ("state", "outcome", "final", "path"),
    [
        pytest.param(
            "assigned",
            Outcome("call", "reached_dissuaded"),
            "dissuaded",
            ["contacting", "dissuaded"],
            id="call-dissuaded",
        ),
        pytest.param(
            "assigned",
            Outcome("call_96110", "reached_already_paid"),
            "already_paid",
            ["contacting", "already_paid"],
            id="96110-already-paid",
        ),
        pytest.param(
            "assigned", Outcome("sms", "sms_sent"), "contacting", ["contacting"], id="sms"
        ),
        pytest.param(
            "contacting",
            Outcome("call", "wrong_number"),
            "unreachable",
            ["unreachable"],
            id="wrong-number",
        ),
        pytest.param(
            "contacting",
            Outcome("call", "false_alarm"),
            "false_alarm",
            ["false_alarm"],
            id="false-alarm",
        ),
        pytest.param(
            "unreachable",
            Outcome("call", "reached_dissuaded"),
            "dissuaded",
            ["contacting", "dissuaded"],
            id="reached-later",
        ),
        pytest.param(
            "unreachable",
            Outcome("visit", "reached_dissuaded"),
            "dissuaded",
            ["visit", "dissuaded"],
            id="visit-after-unreachable",
        ),
        pytest.param(
            "visit", Outcome("visit", "not_found"), "lost_contact", ["lost_contact"], id="not-found"
        ),
        pytest.param(
            "visit",
            Outcome("call", "reached_dissuaded"),
            "dissuaded",
            ["dissuaded"],
            id="call-during-visit",
        ),
        pytest.param(
            "contacting", Outcome("call", "reached_refused"), "contacting", [], id="refused"
        ),
    ],
)
def test_results_move_the_task(state: str, outcome: Outcome, final: str, path: list[str]) -> None:
    task = make_task(state=state, assigned_to="officer-1")
    done = record_outcome(task, outcome, "officer-1", LATER)
    assert done.task.state == final
    assert [r.to_state for r in done.transitions] == path
    assert all(r.by_user == "officer-1" and r.at == LATER for r in done.transitions)
    assert done.outcome.state_after == final
    assert done.task.version == task.version + len(path) + 1


def test_a_contact_counts_and_starts_the_first_contact_once() -> None:
    first = record_outcome(_assigned(), Outcome("sms", "sms_sent"), "officer-1", LATER)
    second = record_outcome(
        first.task, Outcome("call", "no_answer"), "officer-1", LATER + timedelta(minutes=1)
    )
    assert (second.task.contact_count, second.outcome.attempt) == (2, 2)
    assert second.task.first_contact_at == LATER


def test_three_unanswered_calls_make_the_task_unreachable_and_suggest_a_visit() -> None:
    task = _assigned()
    results = []
    for minute in range(3):
        done = record_outcome(
            task, Outcome("call", "no_answer"), "officer-1", LATER + timedelta(minutes=minute)
        )
        task = done.task
        results.append((task.state, done.suggested_state))
    assert results == [("contacting", None), ("contacting", None), ("unreachable", "visit")]
    assert done.suggestion is not None and "上门" in done.suggestion
    assert task.no_answer_count == 3


def test_reaching_the_person_resets_the_unanswered_count() -> None:
    task = _assigned()
    for result in ("no_answer", "no_answer", "reached_refused", "no_answer", "no_answer"):
        task = record_outcome(task, Outcome("call", result), "officer-1", LATER).task
    assert (task.state, task.no_answer_count) == ("contacting", 2)


def test_refusal_suggests_a_visit() -> None:
    done = record_outcome(_assigned(), Outcome("call", "reached_refused"), "officer-1", LATER)
    assert done.suggested_state == "visit"
    assert done.suggestion is not None and "不听劝" in done.suggestion


def test_already_paid_hands_off_the_amount_paid() -> None:
    outcome = Outcome("call", "reached_already_paid", "已转账两笔", paid_fen=300_000)
    done = record_outcome(_assigned(), outcome, "officer-1", LATER)
    assert done.handoff is not None
    assert (done.handoff.amount_fen, done.handoff.note) == (300_000, "已转账两笔")
    assert done.suggestion is not None and "资金查控" in done.suggestion


@pytest.mark.parametrize(
    ("saved", "expected"),
    [
        pytest.param(None, 5_000_000, id="default-money-at-risk"),
        pytest.param(12_345, 12_345, id="given"),
    ],
)
def test_money_saved_on_dissuasion(saved: int | None, expected: int) -> None:
    outcome = Outcome("call", "reached_dissuaded", money_saved_fen=saved)
    done = record_outcome(_assigned(), outcome, "officer-1", LATER)
    assert done.task.money_saved_fen == done.outcome.money_saved_fen == expected
    assert done.task.closed_at == LATER


@pytest.mark.parametrize("state", ["new", "dissuaded", "lost_contact"])
def test_outcomes_on_new_or_closed_tasks_are_refused(state: str) -> None:
    with pytest.raises(IllegalTransition):
        record_outcome(make_task(state=state), Outcome("call", "no_answer"), "officer-1", LATER)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        pytest.param({"channel": "fax", "result": "no_answer"}, "channel", id="unknown-channel"),
        pytest.param({"channel": "sms", "result": "reached_dissuaded"}, "result", id="sms-reached"),
        pytest.param({"channel": "visit", "result": "no_answer"}, "result", id="visit-no-answer"),
        pytest.param(
            {"channel": "call", "result": "no_answer", "money_saved_fen": 10},
            "money_saved_fen",
            id="saved-without-dissuasion",
        ),
        pytest.param(
            {"channel": "call", "result": "reached_already_paid", "paid_fen": -1},
            "paid_fen",
            id="negative-paid",
        ),
    ],
)
def test_bad_outcomes_name_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        Outcome(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_every_channel_result_has_a_label() -> None:
    assert set(CHANNEL_RESULTS) == set(CHANNELS)
    assert set().union(*CHANNEL_RESULTS.values()) == set(RESULT_LABELS)


def test_outcome_needs_a_user() -> None:
    with pytest.raises(InvalidInput, match="by_user"):
        record_outcome(_assigned(), Outcome("sms", "sms_sent"), " ", LATER)
