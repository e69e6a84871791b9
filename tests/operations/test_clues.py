"""The clue state machine (线索研判 → 深挖扩线 → 落地打击) and 线索不过夜."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fanzha.errors import IllegalTransition, InvalidInput
from fanzha.operations import ClueRecord, check_clue_fields, clue_due_at, move_clue
from fanzha.operations._clues import overdue_clues

AT = datetime(2022, 5, 23, 20, tzinfo=UTC)


def _clue(state: str = "pending", *, due: datetime = AT, clue_id: int = 7) -> ClueRecord:
    return ClueRecord(
        id=clue_id,
        source="graph_gang",
        source_ref="gang:3",
        title="跑分团伙",
        summary="",
        owner_level="district",
        district="兴宁区",
        state=state,
        urgent=False,
        created_at=AT - timedelta(hours=1),
        sla_due_at=due,
    )


@pytest.mark.parametrize(
    ("path", "closed"),
    [
        pytest.param(("analysing", "expanded", "landed"), True, id="expand-then-land"),
        pytest.param(("analysing", "landed"), True, id="land-directly"),
        pytest.param(("no_value",), True, id="worthless-at-once"),
        pytest.param(("analysing", "expanded"), False, id="still-open"),
    ],
)
def test_legal_paths(path: tuple[str, ...], closed: bool) -> None:
    clue = _clue()
    changes = []
    for state in path:
        clue, change = move_clue(clue, state, at=AT, note="抓获3人")
        changes.append((change.from_state, change.to_state))
    assert changes == list(zip(("pending", *path[:-1]), path, strict=True))
    assert (clue.closed_at is not None) is closed and clue.is_open is not closed


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("pending", "landed"),
        ("pending", "expanded"),
        ("landed", "analysing"),
        ("no_value", "pending"),
    ],
)
def test_illegal_moves_name_both_states(source: str, target: str) -> None:
    with pytest.raises(IllegalTransition) as raised:
        move_clue(_clue(source), target, at=AT, note="x")
    assert raised.value.status == 409
    assert source in raised.value.message and target in raised.value.message
    assert (raised.value.from_state, raised.value.to_state) == (source, target)


def test_landing_needs_a_note_saying_what_came_of_it() -> None:
    with pytest.raises(InvalidInput, match="note"):
        move_clue(_clue("analysing"), "landed", at=AT, note="  ")
    landed, _ = move_clue(_clue("analysing"), "landed", at=AT, note="打掉窝点1个")
    assert landed.outcome == "打掉窝点1个"


def test_unknown_states_are_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        move_clue(_clue(), "done", at=AT)


def test_the_sla_is_configurable_and_overdue_clues_come_most_late_first() -> None:
    assert clue_due_at(AT, hours=6) == AT + timedelta(hours=6)
    with pytest.raises(InvalidInput, match="clue_sla_hours"):
        clue_due_at(AT, hours=0)
    late = _clue(due=AT - timedelta(hours=3), clue_id=1)
    later = _clue(due=AT - timedelta(hours=5), clue_id=2)
    closed = _clue("landed", due=AT - timedelta(hours=9), clue_id=3)
    fresh = _clue(due=AT + timedelta(hours=1), clue_id=4)
    assert [c.id for c in overdue_clues([late, later, closed, fresh], AT)] == [2, 1]


@pytest.mark.parametrize(
    ("source", "level", "district", "field"),
    [
        ("sms", "city", None, "source"),
        ("manual", "team", None, "owner_level"),
        ("manual", "district", None, "district"),
    ],
)
def test_clue_fields_are_checked(source: str, level: str, district: str | None, field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        check_clue_fields(source, level, district)
    assert raised.value.field == field
