"""Assignment by district, then load, with the city-level pool as the fallback."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fanzha.errors import InvalidInput
from fanzha.warning import Officer, assign
from tests.warning.conftest import NOW, make_task


def _officers() -> list[Officer]:
    return [
        Officer("d-qx-2", ("青秀区",), open_load=3),
        Officer("d-qx-1", ("青秀区",), open_load=3),
        Officer("d-jn-1", ("江南区", "良庆区"), open_load=0),
        Officer("d-xn-1", ("兴宁区",), active=False),
        Officer("c-2", role="city", open_load=1),
        Officer("c-1", role="city", open_load=4),
    ]


def _pairs(tasks: list, officers: list[Officer]) -> list[tuple[int, str | None]]:
    return [(a.task_id, a.officer_id) for a in assign(tasks, officers, NOW)]


def test_district_first_then_lowest_load_ties_by_id() -> None:
    tasks = [make_task(id=i, district="青秀区", priority=90.0 - i) for i in (1, 2, 3)]
    assert _pairs(tasks, _officers()) == [(1, "d-qx-1"), (2, "d-qx-2"), (3, "d-qx-1")]


def test_an_officer_covering_several_districts() -> None:
    tasks = [make_task(id=1, district="良庆区")]
    assert _pairs(tasks, _officers()) == [(1, "d-jn-1")]


@pytest.mark.parametrize(
    ("district", "words"),
    [
        pytest.param("兴宁区", "无在岗预警员", id="only-inactive-officer"),
        pytest.param("马山县", "无在岗预警员", id="no-officer"),
        pytest.param(None, "无辖区", id="no-district"),
    ],
)
def test_uncovered_tasks_go_to_the_least_loaded_city_officer(
    district: str | None, words: str
) -> None:
    (assignment,) = assign([make_task(id=1, district=district)], _officers(), NOW)
    assert assignment.officer_id == "c-2"
    assert words in assignment.reason and "市级值班" in assignment.reason
    assert assignment.load_after == 2


def test_full_district_officers_overflow_to_the_city_pool() -> None:
    officers = [Officer("d-1", ("青秀区",), open_load=2, capacity=2), Officer("c-1", role="city")]
    (assignment,) = assign([make_task(id=1)], officers, NOW)
    assert assignment.officer_id == "c-1" and "满负荷" in assignment.reason


def test_nobody_available_leaves_the_task_unassigned() -> None:
    (assignment,) = assign([make_task(id=1, district="马山县")], _officers()[:3], NOW)
    assert assignment.officer_id is None and "暂不分派" in assignment.reason


def test_most_urgent_task_is_served_first() -> None:
    officers = [Officer("d-1", ("青秀区",), capacity=1), Officer("c-1", role="city")]
    calm = make_task(id=1, priority=30.0)
    overdue = make_task(id=2, priority=30.0, sla_due_at=NOW - timedelta(minutes=1))
    urgent = make_task(id=3, priority=95.0)
    assert _pairs([calm, overdue, urgent], officers) == [(2, "d-1"), (3, "c-1"), (1, "c-1")]


def test_only_new_tasks_are_assigned() -> None:
    tasks = [make_task(id=1), make_task(id=2, state="contacting", assigned_to="x")]
    assert [a.task_id for a in assign(tasks, _officers(), NOW)] == [1]


def test_assignment_is_deterministic() -> None:
    tasks = [make_task(id=i, district=d) for i, d in enumerate(["青秀区", "江南区", None] * 4)]
    first = assign(tasks, _officers(), NOW)
    assert first == assign(list(reversed(tasks)), list(reversed(_officers())), NOW)
    assert first[0].to_dict()["reason"]


@pytest.mark.parametrize(
    ("build", "field"),
    [
        pytest.param(lambda: Officer("x", role="boss"), "role", id="unknown-role"),
        pytest.param(lambda: Officer(""), "id", id="no-id"),
        pytest.param(lambda: Officer("x", open_load=-1), "open_load", id="negative-load"),
    ],
)
def test_bad_officers_are_refused(build: object, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        build()  # type: ignore[operator]
    assert caught.value.field == field


def test_unstored_tasks_and_duplicate_officers_are_refused() -> None:
    with pytest.raises(InvalidInput, match="id"):
        assign([make_task(id=None)], _officers(), NOW)
    with pytest.raises(InvalidInput, match="share an id"):
        assign([make_task(id=1)], [Officer("a"), Officer("a")], NOW)
