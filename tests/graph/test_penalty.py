"""两卡 penalties: five years from the punishment, the latest record wins."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from fanzha.errors import InvalidInput
from fanzha.graph._penalty import (
    Offender,
    may_open_card,
    offenders_from_records,
    restricted_at,
    restriction_end,
)

OFFENDERS = [
    Offender("450102199001011234", date(2021, 3, 5)),
    Offender("450102199001011234", date(2023, 6, 1), note="再犯"),
    Offender("45010219850202567X", date(2020, 2, 29)),
    Offender("450102197703034321", date(2018, 1, 1)),
]


@pytest.mark.parametrize(
    ("punished", "end"),
    [
        pytest.param(date(2021, 3, 5), date(2026, 3, 5), id="same-day-five-years-on"),
        pytest.param(date(2020, 2, 29), date(2025, 2, 28), id="leap-day"),
        pytest.param(datetime(2021, 3, 5, 10, tzinfo=UTC), date(2026, 3, 5), id="datetime"),
        # 23:00 UTC is 07:00 the next morning in Beijing: the punishment's day is 3月6日
        pytest.param(
            datetime(2021, 3, 5, 23, tzinfo=UTC), date(2026, 3, 6), id="utc-evening-beijing-day"
        ),
        pytest.param("2021年3月5日", date(2026, 3, 5), id="chinese-date"),
        pytest.param("2021/3/5 10:00", date(2026, 3, 5), id="slashes-with-time"),
        pytest.param("20210305", date(2026, 3, 5), id="compact"),
    ],
)
def test_restriction_end(punished: object, end: date) -> None:
    assert restriction_end(punished) == end  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("person", "day", "allowed"),
    [
        pytest.param("450102199001011234", date(2026, 3, 5), False, id="second-record-still-runs"),
        pytest.param("450102199001011234", date(2028, 6, 1), True, id="expired-on-the-day"),
        pytest.param("450102199001011234", date(2028, 5, 31), False, id="last-day-barred"),
        pytest.param("45010219850202567x", date(2025, 2, 27), False, id="id-case-insensitive"),
        pytest.param("45010219850202567X", date(2025, 2, 28), True, id="leap-day-expiry"),
        pytest.param("450102197703034321", date(2026, 1, 1), True, id="long-expired"),
        pytest.param("450102200001010000", date(2026, 1, 1), True, id="no-record"),
        pytest.param("450102199001011234", date(2020, 1, 1), True, id="before-punishment"),
    ],
)
def test_may_open_card(person: str, day: date, allowed: bool) -> None:
    decision = may_open_card(person, OFFENDERS, day)
    assert decision.allowed is allowed
    assert decision.reason
    if not allowed:
        assert decision.until is not None and decision.until > day
        assert "不得新开" in decision.reason


def test_restricted_at_lists_each_person_once_with_the_latest_end() -> None:
    barred = restricted_at(OFFENDERS, date(2024, 1, 1))
    assert [(r.person, r.until) for r in barred] == [
        ("45010219850202567X", date(2025, 2, 28)),
        ("450102199001011234", date(2028, 6, 1)),
    ]


def test_records_in_mixed_formats() -> None:
    rows = [
        {"id_number": "450102199001011234", "punished_at": "2021-03-05"},
        {"person": "person:12", "punished_at": date(2022, 1, 1), "kind": "两卡-银行卡"},
    ]
    offenders = offenders_from_records(rows)
    assert [o.punished_at for o in offenders] == [date(2021, 3, 5), date(2022, 1, 1)]
    assert offenders[1].person == "PERSON:12"


@pytest.mark.parametrize(
    ("row", "field"),
    [
        pytest.param({"person": "x", "punished_at": "last spring"}, "punished_at", id="bad-date"),
        pytest.param({"person": "x", "punished_at": "2021-02-30"}, "punished_at", id="no-such-day"),
        pytest.param({"punished_at": "2021-01-01"}, "person", id="no-person"),
    ],
)
def test_bad_records_name_the_line(row: dict[str, object], field: str) -> None:
    good = {"person": "y", "punished_at": "2021-01-01"}
    with pytest.raises(InvalidInput, match=rf"line 2, {field}"):
        offenders_from_records([good, row])
