"""Outlet rectification (整改): candidates from the 断卡 ranking, the state machine, overdue."""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl
import pytest

from fanzha.errors import IllegalTransition, InvalidInput
from fanzha.operations._rectify import (
    Rectification,
    change_rectification,
    days_overdue,
    overdue_rectifications,
    rectification_candidates,
    rectification_from_rank,
)

AT = datetime(2022, 6, 1, 9, tzinfo=UTC)


def _case(state: str = "open", deadline: date = date(2022, 6, 30), id_: int = 1) -> Rectification:
    return Rectification(id_, 5, "某营业厅", "青秀区", state, deadline, ("实名制核验",))


def test_candidates_take_high_scores_and_skip_open_cases() -> None:
    ranked = pl.DataFrame(
        {
            "id": ["outlet:1", "outlet:2", "outlet:3", "outlet:4"],
            "name": ["甲", "乙", "丙", "丁"],
            "district": ["青秀区"] * 4,
            "cards": [400, 3, 100, 50],
            "case_cards": [300, 3, 1, 20],
            "score": [0.70, 0.44, 0.001, 0.27],
            "rank": [1, 2, 4, 3],
        }
    )
    picked = rectification_candidates(ranked, min_score=0.05, min_case_cards=2, exclude=[4])
    assert picked.get_column("outlet_id").to_list() == [1, 2]
    case = rectification_from_rank(
        picked.row(0, named=True),
        opened_on=date(2022, 6, 1),
        deadline=date(2022, 7, 1),
        measures=["停止异常开户", " "],
    )
    assert (case.state, case.outlet_id, case.measures) == ("open", 1, ("停止异常开户",))
    assert case.reason == "断卡排名第1：开卡400张，其中涉案300张（风险评分0.700）"


def test_a_case_goes_through_recheck_and_a_second_round() -> None:
    case, record = change_rectification(_case(), "rectifying", by_user="wang", at=AT)
    assert (record.from_state, record.to_state, case.version) == ("open", "rectifying", 2)
    case, _ = change_rectification(case, "rechecking", by_user="wang", at=AT)
    case, _ = change_rectification(
        case, "failed", by_user="wang", at=AT, recheck_result="仍有一人办多卡"
    )
    assert case.recheck_on == AT.date() and case.recheck_result == "仍有一人办多卡"
    with pytest.raises(InvalidInput) as raised:
        change_rectification(case, "rectifying", by_user="wang", at=AT)
    assert raised.value.field == "deadline"
    case, _ = change_rectification(
        case, "rectifying", by_user="wang", at=AT, deadline=date(2022, 7, 31)
    )
    assert case.deadline == date(2022, 7, 31)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        pytest.param("open", "passed", id="no-pass-without-recheck"),
        pytest.param("passed", "rectifying", id="passed-is-terminal"),
        pytest.param("rectifying", "open", id="no-going-back"),
    ],
)
def test_a_forbidden_move_is_a_409_naming_both_states(source: str, target: str) -> None:
    with pytest.raises(IllegalTransition) as raised:
        change_rectification(_case(source), target, by_user="wang", at=AT, recheck_result="x")
    assert raised.value.status == 409
    assert (raised.value.from_state, raised.value.to_state) == (source, target)
    assert source in raised.value.message and target in raised.value.message


def test_a_recheck_needs_a_result() -> None:
    with pytest.raises(InvalidInput) as raised:
        change_rectification(_case("rechecking"), "passed", by_user="wang", at=AT)
    assert raised.value.field == "recheck_result"


def test_overdue_lists_open_cases_past_their_deadline() -> None:
    cases = [
        _case("rectifying", date(2022, 5, 1), 1),
        _case("passed", date(2022, 4, 1), 2),
        _case("open", date(2022, 4, 15), 3),
        _case("open", date(2022, 7, 1), 4),
    ]
    today = date(2022, 6, 1)
    assert [c.id for c in overdue_rectifications(cases, today)] == [3, 1]
    assert days_overdue(cases[0], today) == 31
    assert days_overdue(cases[1], today) == 0
