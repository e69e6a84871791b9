"""Money saved above the money at risk needs a confirmation and a reason, and is flagged."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fanzha.errors import InvalidInput
from fanzha.warning import (
    SAVED_CEILING_FEN,
    Outcome,
    WarningTask,
    record_outcome,
    warning_kpis,
)
from fanzha.warning._kpi import tasks_frame
from tests.warning.conftest import NOW, make_task

LATER = NOW + timedelta(minutes=2)


def _assigned(**fields: object) -> WarningTask:
    return make_task(state="assigned", assigned_to="officer-1", **fields)


def _dissuaded(saved: int, **fields: object) -> Outcome:
    return Outcome("call", "reached_dissuaded", money_saved_fen=saved, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("at_risk", "saved"),
    [(0, 2_000_000 + SAVED_CEILING_FEN), (100_000, 100_001), (5_000_000, 2_000_000_000)],
)
def test_saved_above_the_risk_without_confirmation_is_refused(at_risk: int, saved: int) -> None:
    task = _assigned(money_at_risk_fen=at_risk)
    with pytest.raises(InvalidInput) as refused:
        record_outcome(task, _dissuaded(saved), "officer-1", LATER)
    assert refused.value.field == "money_saved_fen"
    assert "理由" in str(refused.value)


@pytest.mark.parametrize("reason", ["", "   ", "好\u200b的", "\u3000\u3000ok"])
def test_a_blank_or_short_reason_is_refused(reason: str) -> None:
    task = _assigned(money_at_risk_fen=100_000)
    outcome = _dissuaded(200_000, confirm_saved=True, saved_reason=reason)
    with pytest.raises(InvalidInput):
        record_outcome(task, outcome, "officer-1", LATER)


def test_confirmed_saved_amount_is_recorded_with_its_reason_in_the_note() -> None:
    task = _assigned(money_at_risk_fen=100_000)
    outcome = _dissuaded(
        2_000_000, confirm_saved=True, saved_reason="当事人已取现两万元准备转账，经核实"
    )
    done = record_outcome(task, outcome, "officer-1", LATER)
    assert done.task.money_saved_fen == 2_000_000
    assert "当事人已取现两万元准备转账" in done.outcome.note
    assert done.task.state == "dissuaded"


@pytest.mark.parametrize(("at_risk", "saved"), [(100_000, 100_000), (0, SAVED_CEILING_FEN)])
def test_saved_within_the_risk_or_ceiling_needs_no_confirmation(at_risk: int, saved: int) -> None:
    done = record_outcome(
        _assigned(money_at_risk_fen=at_risk), _dissuaded(saved), "officer-1", LATER
    )
    assert done.task.money_saved_fen == saved
    assert "理由" not in done.outcome.note


def test_the_ceiling_is_configurable() -> None:
    task = _assigned(money_at_risk_fen=0)
    with pytest.raises(InvalidInput):
        record_outcome(task, _dissuaded(10_001), "officer-1", LATER, saved_ceiling_fen=10_000)


def test_kpis_flag_tasks_saved_above_their_risk() -> None:
    tasks = [
        make_task(id=1, money_at_risk_fen=100_000, money_saved_fen=2_000_000, state="dissuaded"),
        make_task(id=2, money_at_risk_fen=100_000, money_saved_fen=100_000, state="dissuaded"),
        make_task(id=3, money_at_risk_fen=0, money_saved_fen=SAVED_CEILING_FEN + 1),
        make_task(id=4, money_at_risk_fen=0, money_saved_fen=SAVED_CEILING_FEN),
    ]
    overall = warning_kpis(tasks_frame(tasks), NOW).to_dicts()[0]
    assert overall["saved_above_risk"] == 2
    assert overall["saved_above_risk_fen"] == 2_000_000 + SAVED_CEILING_FEN + 1
    assert overall["money_saved_fen"] == 2_000_000 + 100_000 + 2 * SAVED_CEILING_FEN + 1
