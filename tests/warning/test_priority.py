"""Priority components, monotonicity, SLA bands and the queue order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fanzha.errors import InvalidInput
from fanzha.taxonomy import fraud_types
from fanzha.warning import (
    DEFAULT_POLICY,
    EVENT_KINDS,
    fraud_type_severity,
    priority_band,
    sla_due_at,
)
from fanzha.warning._priority import (
    COMPONENTS,
    PriorityPolicy,
    age_vulnerability,
    is_overdue,
    priority,
    priority_breakdown,
    sla_remaining,
    sort_queue,
)
from tests.warning.conftest import NOW, make_task

FRESH = NOW - timedelta(minutes=1)
money = st.integers(min_value=0, max_value=10**12)
ages = st.one_of(st.none(), st.integers(min_value=0, max_value=120))
kinds = st.sampled_from(EVENT_KINDS)
codes = st.one_of(st.none(), st.sampled_from([t.code for t in fraud_types()]))
minutes_ago = st.integers(min_value=0, max_value=3 * 24 * 60)


@settings(max_examples=300, deadline=None)
@given(money, money, codes, ages, minutes_ago, kinds)
def test_priority_is_monotonic_in_money(
    a: int, b: int, code: str | None, age: int | None, ago: int, kind: str
) -> None:
    low, high = sorted((a, b))
    signal_at = NOW - timedelta(minutes=ago)
    assert priority(low, code, age, signal_at, NOW, kind) <= priority(
        high, code, age, signal_at, NOW, kind
    )


@settings(max_examples=300, deadline=None)
@given(ages, ages, money, codes, minutes_ago, kinds)
def test_priority_is_monotonic_in_age_vulnerability(
    a: int | None, b: int | None, amount: int, code: str | None, ago: int, kind: str
) -> None:
    less, more = sorted((a, b), key=age_vulnerability)
    signal_at = NOW - timedelta(minutes=ago)
    assert priority(amount, code, less, signal_at, NOW, kind) <= priority(
        amount, code, more, signal_at, NOW, kind
    )


@settings(max_examples=200, deadline=None)
@given(money, codes, ages, minutes_ago, kinds)
def test_priority_stays_in_range_and_components_add_up(
    amount: int, code: str | None, age: int | None, ago: int, kind: str
) -> None:
    parts = priority_breakdown(amount, code, age, NOW - timedelta(minutes=ago), NOW, kind)
    assert 0.0 <= parts.total <= 100.0
    total = sum(getattr(parts, name) for name in COMPONENTS)
    assert parts.total == pytest.approx(min(100.0, total), abs=0.02)


@pytest.mark.parametrize(
    ("older", "younger"),
    [
        pytest.param(60, 45, id="elderly-over-adult"),
        pytest.param(85, 65, id="older-elderly-over-younger"),
        pytest.param(20, 35, id="student-over-adult"),
        pytest.param(15, 21, id="minor-over-student"),
    ],
)
def test_vulnerable_ages(older: int, younger: int) -> None:
    assert age_vulnerability(older) > age_vulnerability(younger)


@pytest.mark.parametrize("code", ["impersonate_authority", "fake_investment", "romance_scam"])
def test_most_severe_fraud_types(code: str) -> None:
    assert fraud_type_severity(code) == max(DEFAULT_POLICY.fraud_type_severity.values())
    assert fraud_type_severity(code) > fraud_type_severity("fake_shopping")


def test_every_fraud_type_has_a_severity_and_every_code_exists() -> None:
    known = {t.code for t in fraud_types()}
    fraud = {t.code for t in fraud_types() if t.category == "fraud"}
    assert set(DEFAULT_POLICY.fraud_type_severity) <= known
    assert fraud <= set(DEFAULT_POLICY.fraud_type_severity)


def test_every_signal_kind_has_a_weight() -> None:
    assert set(DEFAULT_POLICY.kind_factor) == set(EVENT_KINDS)


def test_fresher_signals_score_higher() -> None:
    scores = [
        priority(100_000, "fake_investment", 40, NOW - timedelta(minutes=m), NOW, "fraud_call")
        for m in (0, 2, 4, 8)
    ]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 4


def test_an_overdue_signal_gets_the_overdue_bump() -> None:
    just = priority_breakdown(
        5_000_000, "impersonate_authority", 70, NOW - timedelta(minutes=5), NOW, "fraud_call"
    )
    late = priority_breakdown(
        5_000_000, "impersonate_authority", 70, NOW - timedelta(minutes=15), NOW, "fraud_call"
    )
    assert (just.band, just.overdue, late.overdue) == ("high", 0.0, 10.0)
    assert late.total > just.total


def test_breakdown_describes_itself_in_chinese() -> None:
    parts = priority_breakdown(5_000_000, "impersonate_authority", 70, FRESH, NOW, "fraud_call")
    assert parts.describe().startswith("金额 ")
    assert "高优先级" in parts.describe()
    assert parts.to_dict()["band"] == "high"


@pytest.mark.parametrize(
    ("score", "band", "minutes"),
    [
        pytest.param(95.0, "high", 10, id="high"),
        pytest.param(60.0, "high", 10, id="high-edge"),
        pytest.param(59.9, "medium", 30, id="medium"),
        pytest.param(35.0, "medium", 30, id="medium-edge"),
    ],
)
def test_sla_minutes_by_band(score: float, band: str, minutes: int) -> None:
    assert priority_band(score) == band
    assert sla_due_at(score, NOW) == NOW + timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("start", "due"),
    [
        pytest.param(
            datetime(2024, 5, 1, 2, 0, tzinfo=UTC),  # 10:00 local
            datetime(2024, 5, 1, 16, 0, tzinfo=UTC),  # midnight local
            id="morning-due-at-local-midnight",
        ),
        pytest.param(
            datetime(2024, 5, 1, 15, 30, tzinfo=UTC),  # 23:30 local
            datetime(2024, 5, 1, 16, 30, tzinfo=UTC),  # at least an hour
            id="late-night-gets-an-hour",
        ),
        pytest.param(
            datetime(2024, 4, 30, 17, 0, tzinfo=UTC),  # 01:00 local on 1 May
            datetime(2024, 5, 1, 16, 0, tzinfo=UTC),
            id="after-utc-midnight-uses-the-local-day",
        ),
    ],
)
def test_low_band_is_due_by_the_end_of_the_local_day(start: datetime, due: datetime) -> None:
    assert sla_due_at(10.0, start) == due


def test_sla_remaining_and_overdue() -> None:
    task = make_task(sla_due_at=NOW + timedelta(minutes=3))
    assert sla_remaining(task, NOW) == timedelta(minutes=3)
    assert not is_overdue(task, NOW)
    assert is_overdue(task, NOW + timedelta(minutes=4))
    contacted = make_task(sla_due_at=NOW - timedelta(minutes=3), first_contact_at=NOW)
    assert sla_remaining(contacted, NOW) is None and not is_overdue(contacted, NOW)


def test_queue_puts_overdue_first_then_priority() -> None:
    overdue = make_task(id=3, priority=20.0, sla_due_at=NOW - timedelta(minutes=1))
    urgent = make_task(id=2, priority=90.0)
    calm = make_task(id=1, priority=40.0)
    assert [t.id for t in sort_queue([calm, urgent, overdue], NOW)] == [3, 2, 1]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        pytest.param({"money_at_risk_fen": -1}, "amount_at_risk_fen", id="negative-money"),
        pytest.param({"age": -3}, "age", id="negative-age"),
        pytest.param({"kind": "rumour"}, "kind", id="unknown-kind"),
        pytest.param({"now": NOW.replace(tzinfo=None)}, "now", id="naive-now"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict[str, object], field: str) -> None:
    arguments: dict[str, object] = {
        "money_at_risk_fen": 100,
        "fraud_type": None,
        "age": 30,
        "signal_at": FRESH,
        "now": NOW,
        "kind": "fraud_call",
    }
    arguments.update(kwargs)
    with pytest.raises(InvalidInput) as caught:
        priority(**arguments)  # type: ignore[arg-type]
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        pytest.param({"weights": {"money": 100.0}}, "weights", id="missing-components"),
        pytest.param(
            {"weights": dict.fromkeys(COMPONENTS, 10.0)}, "weights", id="not-summing-to-100"
        ),
        pytest.param({"sla_minutes": {"high": 40, "medium": 30}}, "sla_minutes", id="sla-order"),
        pytest.param({"band_floors": {"high": 30.0, "medium": 35.0}}, "band_floors", id="bands"),
    ],
)
def test_policy_validation(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        PriorityPolicy(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_a_custom_policy_changes_the_score() -> None:
    money_only = PriorityPolicy(weights={name: 0.0 for name in COMPONENTS} | {"money": 100.0})
    assert priority(10**8, None, None, FRESH, NOW, "fraud_call", policy=money_only) == 100.0


@pytest.mark.parametrize(
    ("birth", "age"),
    [("1950-06-15", 76), ("1950-06-14", 76), ("1950-06-16", 75), ("2008-02-29", 18)],
)
def test_age_in_whole_years_turns_on_the_birthday(birth: str, age: int) -> None:
    from datetime import date

    from fanzha.warning import age_of

    assert age_of(date.fromisoformat(birth), today=date(2026, 6, 15)) == age
    assert age_of(None) is None
