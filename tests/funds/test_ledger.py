"""The stop-pay / freeze / return ledger: named cases and a property over any entry sequence."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fanzha.errors import FanzhaError, InvalidInput, LedgerConflict
from fanzha.funds import (
    ENTRY_KINDS,
    LedgerEntry,
    apply_entry,
    ledger_totals,
    replay_ledger,
    validate_entry,
)
from fanzha.funds._ledger import empty_ledger

BEIJING = timezone(timedelta(hours=8))
T0 = datetime(2024, 3, 1, 10, 0, tzinfo=BEIJING)


def entry(kind: str, amount: int, *, hours: float = 0, n: int = 0, **extra: object) -> LedgerEntry:
    """An entry on account 6222001 in case C1, ``hours`` after T0."""
    fields: dict[str, object] = {
        "entry_id": f"{kind}-{n}-{hours}",
        "kind": kind,
        "case_no": "C1",
        "account": "6222001",
        "bank": "工商银行南宁分行",
        "amount_fen": amount,
        "at": T0 + timedelta(hours=hours),
        "officer": "警号 012345",
        "legal_basis": "协助冻结财产通知书 南公反诈冻字〔2024〕1号",
    }
    if kind == "return":
        fields |= {"payee": "V1", "payee_account": "6217009"}
    fields |= extra
    return LedgerEntry(**fields)  # type: ignore[arg-type]


def test_stop_pay_freeze_and_return() -> None:
    state = replay_ledger(
        [
            entry("stop_pay", 10_000, hours=0),
            entry("freeze", 8_000, hours=1, from_stop=True),
            entry("release_stop", 2_000, hours=2),
            entry("return", 5_000, hours=3),
            entry("unfreeze", 1_000, hours=4),
        ]
    )
    holding = state.holding("C1", "6222001")
    assert (holding.stopped_fen, holding.frozen_fen, holding.returned_fen) == (0, 2_000, 5_000)
    assert holding.returned_to == (("V1", 5_000),)
    assert holding.reconciles()
    assert ledger_totals(state)["frozen_fen"] == 2_000


@pytest.mark.parametrize(
    ("entries", "match"),
    [
        pytest.param([entry("return", 1)], "only 0 fen are frozen", id="return-nothing-frozen"),
        pytest.param(
            [entry("freeze", 100), entry("return", 101, hours=1)],
            "only 100 fen are frozen",
            id="return-more-than-frozen",
        ),
        pytest.param(
            [entry("freeze", 100), entry("unfreeze", 200, hours=1)],
            "only 100 fen are frozen",
            id="unfreeze-more",
        ),
        pytest.param(
            [entry("stop_pay", 100), entry("freeze", 150, hours=1, from_stop=True)],
            "only 100 fen are stop-paid",
            id="convert-more-than-stopped",
        ),
        pytest.param(
            [entry("stop_pay", 100, hours=5), entry("release_stop", 50, hours=1)],
            "dated before",
            id="back-dated",
        ),
        pytest.param(
            [entry("stop_pay", 100), entry("stop_pay", 100)],
            "already in the ledger",
            id="repeated-id",
        ),
        pytest.param(
            [entry("stop_pay", 100), entry("freeze", 100, hours=49, from_stop=True)],
            "only 0 fen are stop-paid",
            id="stop-pay-lapsed-after-48h",
        ),
        pytest.param(
            [entry("freeze", 100), entry("return", 100, hours=24 * 181)],
            "only 0 fen are frozen",
            id="freeze-lapsed-after-6-months",
        ),
        pytest.param(
            [entry("freeze", 100), entry("renew_freeze", 50, hours=1)],
            "whole frozen 100 fen",
            id="renewal-must-cover-all",
        ),
    ],
)
def test_conflicts_are_refused(entries: list[LedgerEntry], match: str) -> None:
    with pytest.raises(LedgerConflict, match=match):
        replay_ledger(entries)


def test_renewal_keeps_money_frozen_past_six_months() -> None:
    state = replay_ledger(
        [
            entry("freeze", 100),
            entry("renew_freeze", 100, hours=24 * 170),
            entry("return", 100, hours=24 * 200),
        ]
    )
    assert state.holding("C1", "6222001").returned_fen == 100


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"amount_fen": 0}, "amount_fen", id="zero"),
        pytest.param({"amount_fen": -5}, "amount_fen", id="negative"),
        pytest.param({"amount_fen": 1.5}, "amount_fen", id="not-whole-fen"),
        pytest.param({"officer": " "}, "officer", id="no-officer"),
        pytest.param({"legal_basis": ""}, "legal_basis", id="no-legal-basis"),
        pytest.param({"kind": "seize"}, "kind", id="unknown-kind"),
        pytest.param({"at": datetime(2024, 3, 1)}, "at", id="naive-time"),
        pytest.param(
            {"from_stop": True, "kind": "unfreeze"}, "from_stop", id="convert-on-unfreeze"
        ),
    ],
)
def test_malformed_entries_name_the_field(change: dict[str, object], field: str) -> None:
    bad = replace(entry("freeze", 100), **change)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as caught:
        validate_entry(empty_ledger(), bad)
    assert caught.value.field == field


def test_return_needs_a_payee() -> None:
    with pytest.raises(InvalidInput, match="payee"):
        validate_entry(empty_ledger(), entry("return", 1, payee=None))


def test_applying_leaves_the_old_state_alone() -> None:
    before = empty_ledger()
    after = apply_entry(before, entry("freeze", 100))
    assert before.holding("C1", "6222001").frozen_fen == 0
    assert after.holding("C1", "6222001").frozen_fen == 100


@st.composite
def entry_sequences(draw: st.DrawFn) -> list[LedgerEntry]:
    hours = 0.0
    out = []
    for n in range(draw(st.integers(1, 30))):
        hours += draw(st.sampled_from([0.0, 1.0, 30.0, 24.0 * 100]))
        kind = draw(st.sampled_from(ENTRY_KINDS))
        amount = draw(st.integers(-5, 5_000))
        account = draw(st.sampled_from(["6222001", "6222002"]))
        extra = {"account": account, "from_stop": kind == "freeze" and draw(st.booleans())}
        if kind == "return":
            extra["payee"] = draw(st.sampled_from(["V1", "V2"]))
        out.append(entry(kind, amount, hours=hours, n=n, **extra))
    return out


@settings(max_examples=100, deadline=None)
@given(entries=entry_sequences())
def test_no_sequence_breaks_the_balances(entries: list[LedgerEntry]) -> None:
    state = empty_ledger()
    for item in entries:
        try:
            state = apply_entry(state, item)
        except FanzhaError:
            continue
        for holding in state.holdings.values():
            assert holding.stopped_fen >= 0
            assert holding.frozen_fen >= 0
            assert holding.returned_fen <= holding.frozen_in_fen
            assert holding.reconciles()
    totals = ledger_totals(state, at=T0 + timedelta(days=10_000))
    assert totals["frozen_fen"] == totals["stopped_fen"] == 0
