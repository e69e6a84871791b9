"""The legal-status state machine of a suspect (在逃 → 刑事拘留 → 逮捕 → 起诉 → 判决 …)."""

from __future__ import annotations

from datetime import date

import pytest

from fanzha.errors import IllegalTransition, InvalidInput
from fanzha.operations._legal import (
    LEGAL_TRANSITIONS,
    LegalStatus,
    change_legal_status,
    check_suspect_role,
    legal_history,
)

AUTHORITY = {
    "at_large": "南宁市公安局青秀分局",
    "detained": "南宁市公安局青秀分局",
    "bail": "南宁市公安局青秀分局",
    "arrested": "南宁市青秀区人民检察院",
    "prosecuted": "南宁市青秀区人民检察院",
    "sentenced": "南宁市青秀区人民法院",
    "released": "南宁市第一看守所",
}


def _move(current: LegalStatus | None, to: str, day: date) -> LegalStatus:
    status, change = change_legal_status(
        current,
        to,
        decided_on=day,
        authority=AUTHORITY[to],
        document_no=f"青公(刑)字〔2022〕{day.day:03d}号",
        by_user="zhang",
        suspect_id=7,
    )
    assert change.to_status == to
    assert change.from_status == (None if current is None else current.status)
    return status


def test_the_full_path_from_wanted_to_released() -> None:
    status = None
    for day, to in enumerate(
        ["at_large", "detained", "arrested", "prosecuted", "sentenced", "released"], start=1
    ):
        status = _move(status, to, date(2022, 5, day))
    assert status == LegalStatus("released", date(2022, 5, 6))
    assert status.label == "释放"


@pytest.mark.parametrize(
    ("source", "target"),
    [
        pytest.param("at_large", "arrested", id="wanted-cannot-skip-detention"),
        pytest.param("detained", "sentenced", id="detention-to-judgment"),
        pytest.param("released", "detained", id="released-is-terminal"),
        pytest.param("sentenced", "prosecuted", id="no-going-back"),
    ],
)
def test_a_forbidden_move_is_a_409_naming_both_states(source: str, target: str) -> None:
    with pytest.raises(IllegalTransition) as raised:
        _move(LegalStatus(source, date(2022, 5, 1)), target, date(2022, 5, 2))
    error = raised.value
    assert error.status == 409
    assert (error.from_state, error.to_state) == (source, target)
    assert source in error.message and target in error.message


def test_every_allowed_move_is_accepted() -> None:
    for source, targets in LEGAL_TRANSITIONS.items():
        for target in targets:
            assert (
                _move(LegalStatus(source, date(2022, 5, 1)), target, date(2022, 5, 2)).status
                == target
            )


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        pytest.param("authority", {"authority": " "}, id="no-authority"),
        pytest.param("document_no", {"document_no": ""}, id="no-document"),
        pytest.param("authority", {"authority": "南宁市公安局"}, id="police-cannot-judge"),
        pytest.param("decided_on", {"decided_on": date(2022, 4, 30)}, id="day-before-current"),
    ],
)
def test_a_change_needs_day_authority_and_document(field: str, kwargs: dict[str, object]) -> None:
    args: dict[str, object] = {
        "decided_on": date(2022, 5, 2),
        "authority": "南宁市青秀区人民法院",
        "document_no": "(2022)桂0103刑初12号",
        "by_user": "zhang",
    }
    args.update(kwargs)
    with pytest.raises(InvalidInput) as raised:
        change_legal_status(LegalStatus("prosecuted", date(2022, 5, 1)), "sentenced", **args)  # type: ignore[arg-type]
    assert raised.value.field == field


def test_a_record_starts_wanted_detained_or_bailed() -> None:
    with pytest.raises(InvalidInput):
        _move(None, "sentenced", date(2022, 5, 1))


def test_history_replays_to_the_current_status() -> None:
    changes = []
    status = None
    for day, to in enumerate(["detained", "bail", "at_large", "detained"], start=1):
        status, change = change_legal_status(
            status,
            to,
            decided_on=date(2022, 6, day),
            authority=AUTHORITY[to],
            document_no=f"文书{day}",
            by_user="li",
        )
        changes.append(change)
    assert legal_history(changes) == LegalStatus("detained", date(2022, 6, 4))


def test_suspect_roles_are_checked() -> None:
    assert check_suspect_role("card_dealer") == "card_dealer"
    with pytest.raises(InvalidInput, match="卡头卡贩"):
        check_suspect_role("boss")
