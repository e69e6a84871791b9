"""Key persons: the 两卡 ones come from the graph's five-year restriction logic, reused."""

from __future__ import annotations

from datetime import date

import pytest

from fanzha.errors import InvalidInput
from fanzha.graph import Offender, restriction_end
from fanzha.operations._keypersons import (
    KeyPerson,
    due_follow_ups,
    follow_up_schedule,
    key_person_until,
    key_persons_from_offenders,
    next_follow_up,
)

OFFENDERS = [
    Offender("450103199001011234", date(2020, 2, 29)),
    Offender("450103199001011234", date(2018, 1, 1)),
    Offender("45010319850505123X", date(2016, 3, 1)),  # expired by 2022
]


def test_two_card_key_persons_reuse_the_restriction() -> None:
    persons = key_persons_from_offenders(
        OFFENDERS, date(2022, 6, 1), names={"450103199001011234": "张三"}
    )
    assert [p.id_number for p in persons] == ["450103199001011234"]
    person = persons[0]
    # the graph's rule: 29 February ends on 28 February five years later
    assert person.until == restriction_end(date(2020, 2, 29)) == date(2025, 2, 28)
    assert person.since == date(2020, 2, 29) and person.kind == "two_card"
    assert "不得新开手机卡、银行卡" in person.note and person.name == "张三"


def test_until_per_kind() -> None:
    assert key_person_until("two_card", date(2021, 3, 5)) == date(2026, 3, 5)
    assert key_person_until("returnee", date(2022, 1, 1)) == date(2023, 1, 1)
    assert key_person_until("village_rules", date(2022, 1, 1)) is None
    with pytest.raises(InvalidInput):
        key_person_until("tourist", date(2022, 1, 1))


def _person(last: date | None = None, **kw: object) -> KeyPerson:
    args: dict[str, object] = {
        "id": 1,
        "kind": "returnee",
        "name": "李四",
        "id_number": None,
        "district": "宾阳县",
        "since": date(2022, 1, 1),
        "until": date(2022, 3, 1),
        "interval_days": 30,
        "last_follow_up": last,
    }
    args.update(kw)
    return KeyPerson(**args)  # type: ignore[arg-type]


def test_schedule_and_due_follow_ups() -> None:
    person = _person()
    assert follow_up_schedule(person) == [date(2022, 1, 31)]
    assert next_follow_up(_person(date(2022, 1, 30))) is None  # next would be after the end
    due = due_follow_ups([person, _person(date(2022, 2, 1), id=2)], date(2022, 2, 10))
    assert [(d.person.id, d.due_on, d.days_late) for d in due] == [(1, date(2022, 1, 31), 10)]
    assert due_follow_ups([person], date(2022, 3, 1)) == []  # no longer a key person
