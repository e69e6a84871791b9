"""The task dataclass: phone numbers, dedup keys, validation and its JSON shape."""

from __future__ import annotations

import json

import pytest

from fanzha.errors import InvalidInput
from fanzha.records import normalize_phone
from fanzha.warning import task_key
from tests.warning.conftest import NOW, make_task


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        pytest.param("13800138000", "13800138000", id="plain"),
        pytest.param("+86 138-0013-8000", "13800138000", id="plus-86-dashes"),
        pytest.param("0086 13800138000", "13800138000", id="0086"),
        pytest.param("8613800138000", "13800138000", id="86-prefix"),
        pytest.param("(0771) 5551234", "07715551234", id="landline"),
        pytest.param("+44 20 7946 0000", "+442079460000", id="foreign"),
    ],
)
def test_normalize_phone(raw: str, clean: str) -> None:
    assert normalize_phone(raw) == clean


@pytest.mark.parametrize("raw", ["", "call me", "12"])
def test_not_a_phone(raw: str) -> None:
    with pytest.raises(InvalidInput, match="not a phone number"):
        normalize_phone(raw)


@pytest.mark.parametrize(
    ("person_id", "phone", "key"),
    [
        pytest.param(7, "13800138000", "person:7", id="person-wins"),
        pytest.param(None, "+86 13800138000", "phone:13800138000", id="phone"),
        pytest.param(None, None, None, id="nobody"),
    ],
)
def test_task_key(person_id: int | None, phone: str | None, key: str | None) -> None:
    assert task_key(person_id, phone) == key


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        pytest.param({"created_at": NOW.replace(tzinfo=None)}, "created_at", id="naive"),
        pytest.param({"money_at_risk_fen": -1}, "money_at_risk_fen", id="negative-money"),
        pytest.param({"contact_count": 1.5}, "contact_count", id="fractional-count"),
        pytest.param({"priority": 101.0}, "priority", id="priority-range"),
    ],
)
def test_bad_tasks_are_refused(fields: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        make_task(**fields)
    assert caught.value.field == field


def test_to_dict_is_json_ready() -> None:
    data = make_task().to_dict()
    assert json.loads(json.dumps(data))["created_at"] == "2024-05-01T01:56:00+00:00"
    assert data["first_contact_at"] is None and data["state"] == "new"
