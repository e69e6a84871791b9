"""Signals → task drafts: which signals make a task, dedup per person, merges and flags."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from fanzha.errors import IllegalTransition, InvalidInput
from fanzha.warning import (
    EVENT_KINDS,
    EVENT_RULES,
    EventSignal,
    merge_draft,
    task_from_draft,
    triage_events,
)
from fanzha.warning._events import EventRule, open_task_keys, tasks_from_events
from tests.warning.conftest import NOW, make_task

FRESH = NOW - timedelta(minutes=2)


def _signal(kind: str = "fraud_call", **fields: Any) -> EventSignal:
    base: dict[str, Any] = {"occurred_at": FRESH, "person_id": 7, "phone": "13800138000"}
    if kind == "screening_hit":
        base["risk"] = 0.8
    base.update(fields)
    return EventSignal(kind, **base)


@pytest.mark.parametrize(
    "signal",
    [
        pytest.param(_signal("fraud_call"), id="fraud-call"),
        pytest.param(_signal("flagged_transfer", amount_at_risk_fen=500_00), id="transfer"),
        pytest.param(_signal("citizen_report", person_id=None), id="report-naming-a-phone"),
        pytest.param(_signal("screening_hit", risk=0.4), id="screening-at-medium"),
        pytest.param(
            _signal("screening_hit", fraud_type="brushing_rebate"), id="screening-fraud-type"
        ),
    ],
)
def test_signals_that_make_a_task(signal: EventSignal) -> None:
    drafts = tasks_from_events([signal], set(), NOW)
    assert len(drafts) == 1 and not drafts[0].is_merge
    assert drafts[0].reason


@pytest.mark.parametrize(
    ("signal", "words"),
    [
        pytest.param(
            _signal("citizen_report", person_id=None, phone=None, counterparty="17012345678"),
            "未指明",
            id="report-of-a-number-only",
        ),
        pytest.param(_signal("screening_hit", risk=0.39), "低于门槛", id="screening-below-medium"),
        pytest.param(
            _signal("screening_hit", fraud_type="gambling"), "不属于诈骗", id="screening-illegal"
        ),
        pytest.param(_signal("flagged_transfer"), "金额", id="transfer-of-nothing"),
    ],
)
def test_signals_that_make_no_task(signal: EventSignal, words: str) -> None:
    triage = triage_events([signal], set(), NOW)
    assert triage.drafts == ()
    assert len(triage.ignored) == 1 and words in triage.ignored[0].reason


def test_a_report_of_a_number_is_proposed_for_flagging() -> None:
    report = _signal("citizen_report", person_id=None, phone=None, counterparty="17012345678")
    triage = triage_events([report], set(), NOW)
    assert [f.counterparty for f in triage.flags] == ["17012345678"]
    assert triage.flags[0].index == 0 and "群众举报" in triage.flags[0].reason


def test_rules_are_data_a_caller_can_replace() -> None:
    strict = (EventRule("fraud_call", "高额来电", min_amount_fen=100_000, min_risk=0.5),)
    calls = [_signal(amount_at_risk_fen=200_000, risk=0.9), _signal(person_id=8, risk=0.9)]
    reports = [_signal("citizen_report")]
    triage = triage_events([*calls, *reports], set(), NOW, rules=strict)
    assert [d.event_indexes for d in triage.drafts] == [(0,)]
    assert triage.drafts[0].reason.startswith("高额来电")
    assert [(i.index, "门槛" in i.reason) for i in triage.ignored] == [(1, True), (2, False)]
    no_risk = triage_events([_signal()], set(), NOW, rules=strict)
    assert "风险 0.00" in no_risk.ignored[0].reason


def test_every_kind_has_a_rule() -> None:
    assert sorted(rule.kind for rule in EVENT_RULES) == sorted(EVENT_KINDS)


def test_signals_for_one_person_become_one_task_with_a_higher_priority() -> None:
    call = _signal(fraud_type="impersonate_authority", age=72, amount_at_risk_fen=5_000_000)
    transfer = _signal("flagged_transfer", amount_at_risk_fen=2_000_000, occurred_at=NOW)
    alone = tasks_from_events([call], set(), NOW)[0]
    (draft,) = tasks_from_events([call, transfer], set(), NOW)
    assert draft.signal_count == 2 and draft.event_indexes == (0, 1)
    assert draft.priority > alone.priority
    assert draft.money_at_risk_fen == 5_000_000
    assert draft.fraud_type == "impersonate_authority"
    assert draft.signal_at == FRESH
    assert draft.kinds == ("flagged_transfer", "fraud_call")
    assert "；" in draft.reason


def test_a_signal_without_age_is_scored_with_the_persons_age() -> None:
    elderly = _signal(age=80)
    bare = _signal("flagged_transfer", amount_at_risk_fen=10**9)
    (draft,) = tasks_from_events([elderly, bare], set(), NOW)
    assert draft.breakdown.kind == 10.0  # the transfer is the top signal
    assert draft.breakdown.age == 15.0  # scored as an 80-year-old


def test_a_phone_only_signal_joins_the_person_with_that_phone() -> None:
    person = _signal(person_id=7, phone="13800138000")
    phone_only = _signal(person_id=None, phone="+86 138-0013-8000")
    other = _signal(person_id=None, phone="13900139000")
    drafts = tasks_from_events([person, phone_only, other], set(), NOW)
    assert sorted(d.key for d in drafts) == ["person:7", "phone:13900139000"]


def test_a_signal_for_an_open_task_is_a_merge_draft() -> None:
    open_task = make_task(id=42, person_id=7, phone="13800138000")
    keys = open_task_keys([open_task, make_task(id=43, person_id=8, state="dissuaded")])
    assert keys == {"person:7": 42, "phone:13800138000": 42}
    (by_person,) = tasks_from_events([_signal()], keys, NOW)
    (by_phone,) = tasks_from_events([_signal(person_id=None)], keys, NOW)
    (by_key_set,) = tasks_from_events([_signal()], set(keys), NOW)
    assert (by_person.is_merge, by_person.merge_into) == (True, 42)
    assert (by_phone.is_merge, by_phone.merge_into) == (True, 42)
    assert (by_key_set.is_merge, by_key_set.merge_into) == (True, None)
    (closed_person,) = tasks_from_events([_signal(person_id=8, phone=None)], keys, NOW)
    assert not closed_person.is_merge


def test_merging_raises_priority_tightens_sla_and_is_recorded() -> None:
    task = make_task(id=42, person_id=7, priority=40.0, sla_due_at=NOW + timedelta(hours=5))
    (draft,) = tasks_from_events(
        [_signal("flagged_transfer", amount_at_risk_fen=9_000_000, fraud_type="fake_investment")],
        {"person:7": 42},
        NOW,
    )
    merged, record = merge_draft(task, draft, NOW)
    assert merged.priority == pytest.approx(min(100.0, max(40.0, draft.breakdown.total) + 5.0))
    assert merged.priority > task.priority
    assert merged.sla_due_at == draft.sla_due_at < task.sla_due_at
    assert merged.money_at_risk_fen == 9_000_000
    assert merged.fraud_type == task.fraud_type  # a known type is kept
    assert merged.version == task.version + 1
    assert (record.action, record.from_state, record.to_state) == ("merge", "new", "new")
    assert draft.reason in merged.reason


def test_merging_never_lowers_priority() -> None:
    task = make_task(id=42, person_id=7, priority=99.0)
    (draft,) = tasks_from_events([_signal("screening_hit", risk=0.5)], {"person:7": 42}, NOW)
    merged, _ = merge_draft(task, draft, NOW)
    assert merged.priority == 100.0


def test_merging_into_a_closed_task_is_refused() -> None:
    (draft,) = tasks_from_events([_signal()], {"person:7": 42}, NOW)
    with pytest.raises(IllegalTransition, match="closed"):
        merge_draft(make_task(id=42, state="dissuaded", closed_at=NOW), draft, NOW)


def test_task_from_draft_opens_a_new_task() -> None:
    (draft,) = tasks_from_events([_signal(district="江南区")], set(), NOW)
    task = task_from_draft(draft, created_at=NOW, task_id=5)
    assert (task.id, task.state, task.version, task.district) == (5, "new", 1, "江南区")
    assert (task.priority, task.sla_due_at, task.reason) == (
        draft.priority,
        draft.sla_due_at,
        draft.reason,
    )


def test_task_from_draft_refuses_a_merge_draft() -> None:
    (draft,) = tasks_from_events([_signal()], {"person:7": 42}, NOW)
    with pytest.raises(InvalidInput, match="merge_draft"):
        task_from_draft(draft, created_at=NOW)


def test_drafts_come_most_urgent_first() -> None:
    calm = _signal(person_id=1, phone=None, amount_at_risk_fen=100)
    urgent = _signal(person_id=2, phone=None, amount_at_risk_fen=10**8, age=75)
    drafts = tasks_from_events([calm, urgent], set(), NOW)
    assert [d.person_id for d in drafts] == [2, 1]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        pytest.param({"kind": "rumour"}, "kind", id="unknown-kind"),
        pytest.param({"occurred_at": FRESH.replace(tzinfo=None)}, "occurred_at", id="naive"),
        pytest.param({"age": 200}, "age", id="age"),
        pytest.param({"amount_at_risk_fen": -5}, "amount_at_risk_fen", id="negative-money"),
        pytest.param({"amount_at_risk_fen": 12.5}, "amount_at_risk_fen", id="fractional-fen"),
        pytest.param({"risk": 1.5}, "risk", id="risk-range"),
        pytest.param({"kind": "screening_hit", "risk": None}, "risk", id="hit-without-risk"),
        pytest.param({"fraud_type": "ponzi"}, "fraud_type", id="unknown-type"),
        pytest.param({"phone": "call me"}, "phone", id="bad-phone"),
    ],
)
def test_bad_signals_are_refused_naming_the_field(fields: dict[str, Any], field: str) -> None:
    arguments: dict[str, Any] = {"kind": "fraud_call", "occurred_at": FRESH, "person_id": 7}
    arguments.update(fields)
    with pytest.raises(InvalidInput) as caught:
        EventSignal(**arguments)
    assert caught.value.field == field
