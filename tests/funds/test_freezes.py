"""Freezes and stop-pays in the trace: a time and an amount, money that left before still traced."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fanzha.errors import InvalidInput
from fanzha.funds import (
    METHODS,
    Freeze,
    LedgerEntry,
    TraceResult,
    ledger_freezes,
    trace_funds,
    victim_seeds,
)
from tests.funds.conftest import Row, held, make_transfers

# V pays mule M 1,000 元; M passes 600 to N (time 3) and 400 to cash-out X (time 5);
# N passes it all to exit Y (time 7).
LAYERS: list[Row] = [
    ("V", "M", 1_000.0, 1),
    ("M", "N", 600.0, 3),
    ("M", "X", 400.0, 5),
    ("N", "Y", 600.0, 7),
]
EXITS = ("X", "Y")


def _trace(rows: list[Row], *freezes: Freeze, method: str = "fifo", **kw: object) -> TraceResult:
    transfers = make_transfers(rows)
    return trace_funds(
        transfers,
        victim_seeds(transfers, "V"),
        method=method,
        min_fen=1,
        exits=EXITS,
        freezes=freezes,
        **kw,  # type: ignore[arg-type]
    )


def _exited(result: TraceResult) -> dict[str, int]:
    return {n.account: n.exited_fen for n in result.nodes if n.exited_fen}


def _frozen(result: TraceResult) -> dict[str, int]:
    return {n.account: n.frozen_fen for n in result.nodes if n.frozen_fen}


def test_a_freeze_after_the_money_left_removes_nothing() -> None:
    """The reported bug: a small freeze on a mule, placed now, collapsed the layers below."""
    plain = _trace(LAYERS)
    for freeze in (Freeze("M", amount_fen=2_725), Freeze("M", at=9, amount_fen=2_725)):
        frozen = _trace(LAYERS, freeze)
        assert _exited(frozen) == _exited(plain) == {"X": 40_000, "Y": 60_000}
        assert len(frozen.nodes) == len(plain.nodes) == 5
        assert frozen.edges == plain.edges
        # Nothing of the victim's is left on M to hold.
        assert _frozen(frozen) == {} and frozen.node("M").status == "passing"  # type: ignore[union-attr]


def test_only_the_balance_at_the_freeze_time_is_held_capped_at_the_amount() -> None:
    # Frozen at time 4 for 300 元: the 600 sent at time 3 still happened; of the 400 left,
    # 300 stay; the 400 sent at time 5 can carry only the other 100 of victim money.
    result = _trace(LAYERS, Freeze("M", at=4, amount_fen=30_000))
    node = result.node("M")
    assert node is not None and node.status == "frozen"
    assert (node.frozen_fen, node.held_fen, node.sent_fen) == (30_000, 30_000, 70_000)
    assert _exited(result) == {"X": 10_000, "Y": 60_000}
    assert sum(n.held_fen + n.exited_fen for n in result.nodes) == result.total_fen
    # No amount: the whole balance then (400 元).
    whole = _trace(LAYERS, Freeze("M", at=4))
    assert _frozen(whole) == {"M": 40_000} and _exited(whole) == {"Y": 60_000}


def test_money_moves_again_after_the_freeze_lapses_or_is_released() -> None:
    rows = [*LAYERS[:2], ("M", "X", 400.0, 9), LAYERS[3]]
    held_on = _trace(rows, Freeze("M", at=4, until=20))
    assert _frozen(held_on) == {"M": 40_000} and "X" not in _exited(held_on)
    released = _trace(rows, Freeze("M", at=4, until=8))
    assert _frozen(released) == {} and _exited(released)["X"] == 40_000
    # Lapsed by the moment described, with nothing sent since: held, but no longer frozen.
    lapsed = _trace(LAYERS[:2], Freeze("M", at=4, until=6), as_of=10)
    node = lapsed.node("M")
    assert node is not None and (node.status, node.held_fen, node.frozen_fen) == (
        "holding",
        40_000,
        0,
    )
    assert "M" in [p.account for p in lapsed.priorities]


def test_a_freeze_before_the_victim_money_arrived_holds_the_money_then() -> None:
    # M had 500 元 of its own, frozen whole at time 1 (before the transfers at 1); the
    # victim's 1,000 arrive then and are what moves on.
    rows = [("W", "M", 500.0, 0), ("V", "M", 1_000.0, 1), ("M", "N", 1_000.0, 3)]
    result = _trace(rows, Freeze("M", at=1))
    assert held(result, "N") == 100_000 and _frozen(result) == {}
    unfrozen = _trace(rows)  # FIFO: M's own money would leave first
    assert held(unfrozen, "N") == 50_000


@pytest.mark.parametrize(
    ("method", "frozen_of"),
    [
        pytest.param("fifo", {"V": 30_000}, id="fifo-holds-the-newest"),
        pytest.param("lifo", {"W": 30_000}, id="lifo-holds-the-oldest"),
        pytest.param("pro_rata", {"V": 15_000, "W": 15_000}, id="pro-rata-a-share"),
    ],
)
def test_the_freeze_holds_what_the_method_spends_last(
    method: str, frozen_of: dict[str, int]
) -> None:
    rows = [("W", "M", 300.0, 1), ("V", "M", 300.0, 2), ("M", "N", 100.0, 5)]
    transfers = make_transfers(rows)
    seeds = [*victim_seeds(transfers, "W", label="W"), *victim_seeds(transfers, "V", label="V")]
    result = trace_funds(
        transfers, seeds, method=method, min_fen=1, freezes=[Freeze("M", at=4, amount_fen=30_000)]
    )
    node = result.node("M")
    assert node is not None and dict(node.frozen_by) == frozen_of


@pytest.mark.parametrize(
    ("freeze", "match"),
    [
        pytest.param(Freeze("M", at=4, amount_fen=0), "more than 0 fen", id="no-amount"),
        pytest.param(Freeze("M", at=4, until=4), "end after it starts", id="ends-first"),
    ],
)
def test_bad_freezes(freeze: Freeze, match: str) -> None:
    with pytest.raises(InvalidInput, match=match):
        _trace(LAYERS, freeze)


ACCOUNTS = ["V", "A", "B", "C", "D", "X"]


@st.composite
def _history(draw: st.DrawFn) -> tuple[list[Row], list[Freeze]]:
    rows: list[Row] = []
    for _ in range(draw(st.integers(3, 25))):
        a = draw(st.sampled_from(ACCOUNTS))
        b = draw(st.sampled_from([x for x in ACCOUNTS if x != a]))
        rows.append((a, b, draw(st.integers(1, 100_000)) / 100, draw(st.integers(0, 30))))
    if not any(r[0] == "V" for r in rows):
        rows.append(("V", "A", 10.0, 0))
    freezes = []
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.one_of(st.none(), st.integers(0, 32)))
        until = draw(st.one_of(st.none(), st.integers(1, 40)))
        if at is not None and until is not None and until <= at:
            until = None
        freezes.append(
            Freeze(
                draw(st.sampled_from(ACCOUNTS)),
                at=at,
                amount_fen=draw(st.one_of(st.none(), st.integers(1, 200_000))),
                until=until,
                kind=draw(st.sampled_from(["freeze", "stop_pay"])),
            )
        )
    return rows, freezes


def _totals(result: TraceResult) -> tuple[int, int, int]:
    frozen = sum(n.frozen_fen for n in result.nodes)
    exited = sum(n.exited_fen for n in result.nodes)
    leaves = sum(n.held_fen for n in result.nodes) - frozen
    return frozen, exited, leaves


@settings(max_examples=150, deadline=None)
@given(history=_history(), method=st.sampled_from(METHODS), depth=st.integers(1, 4))
def test_freezes_conserve_victim_money_to_the_fen(
    history: tuple[list[Row], list[Freeze]], method: str, depth: int
) -> None:
    rows, freezes = history
    transfers = make_transfers(rows)
    result = trace_funds(
        transfers,
        victim_seeds(transfers, "V"),
        method=method,
        max_depth=depth,
        min_fen=1,
        exits=["X"],
        freezes=freezes,
    )
    assert sum(_totals(result)) == result.total_fen
    for node in result.nodes:
        assert 0 <= node.frozen_fen <= node.held_fen
        assert sum(part for _, part in node.frozen_by) == node.frozen_fen
        if node.status in ("passing", "holding", "frozen"):
            assert node.held_fen == node.received_fen - node.sent_fen
        assert (node.status == "frozen") == (node.frozen_fen > 0)


@settings(max_examples=150, deadline=None)
@given(
    history=_history(),
    method=st.sampled_from(METHODS),
    account=st.sampled_from(ACCOUNTS),
    after=st.integers(1, 5),
    amount=st.one_of(st.none(), st.integers(1, 200_000)),
)
def test_a_freeze_never_removes_money_that_left_before_it(
    history: tuple[list[Row], list[Freeze]],
    method: str,
    account: str,
    after: int,
    amount: int | None,
) -> None:
    """A freeze placed after the account's last transfer out changes no move of money."""
    rows, _ = history
    last_out = max((r[3] for r in rows if r[0] == account), default=-1)
    transfers = make_transfers(rows)
    seeds = victim_seeds(transfers, "V")
    options = {"method": method, "min_fen": 1, "exits": ["X"]}
    plain = trace_funds(transfers, seeds, **options)  # type: ignore[arg-type]
    for at in (last_out + after, None):
        frozen = trace_funds(
            transfers,
            seeds,
            freezes=[Freeze(account, at=at, amount_fen=amount)],
            **options,  # type: ignore[arg-type]
        )
        assert frozen.edges == plain.edges
        assert _exited(frozen) == _exited(plain)
        assert {n.account: n.held_fen for n in frozen.nodes} == {
            n.account: n.held_fen for n in plain.nodes
        }
        node = frozen.node(account)
        cap = (node.held_fen if node else 0) if amount is None else amount
        assert sum(_frozen(frozen).values()) <= cap


T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def _entry(kind: str, amount: int, hours: float, **kw: object) -> LedgerEntry:
    return LedgerEntry(
        entry_id=f"{kind}{hours}",
        kind=kind,
        case_no="A001",
        account="M",
        bank="工商银行",
        amount_fen=amount,
        at=T0 + timedelta(hours=hours),
        officer="fund_officer",
        legal_basis="南公（反诈）冻字〔2026〕001号",
        **kw,  # type: ignore[arg-type]
    )


def _s(hours: float) -> int:
    return int((T0 + timedelta(hours=hours)).timestamp())


def test_ledger_entries_become_holds_with_their_times_and_amounts() -> None:
    holds = ledger_freezes(
        [
            _entry("stop_pay", 5_000, 0),
            _entry("freeze", 3_000, 1, from_stop=True),
            _entry("release_stop", 2_000, 2),
            _entry("freeze", 1_000, 3, expires_at=T0 + timedelta(days=1)),
            _entry("unfreeze", 500, 4),
            _entry("return", 1_000, 5, payee="V", payee_account="6217"),
        ]
    )
    six_months = _s(1 + 180 * 24)
    assert sorted(holds, key=lambda f: (f.at or 0, f.amount_fen or 0, f.until or 0)) == [
        # 1,000 were returned (500 of each freeze): held for good, they never move on.
        Freeze("M", at=_s(0), amount_fen=500, until=None, kind="freeze"),
        # The released stop-pay ends at the release; the stop-paid money converted to a
        # freeze keeps its start and holds until the freeze lapses.
        Freeze("M", at=_s(0), amount_fen=2_000, until=_s(2), kind="stop_pay"),
        Freeze("M", at=_s(0), amount_fen=2_500, until=six_months, kind="freeze"),
        Freeze("M", at=_s(3), amount_fen=500, until=None, kind="freeze"),
        Freeze("M", at=_s(3), amount_fen=500, until=_s(4), kind="freeze"),
    ]


def test_a_stop_pay_lapses_after_48_hours_and_a_renewal_extends_a_freeze() -> None:
    holds = ledger_freezes(
        [
            _entry("stop_pay", 5_000, 0),
            _entry("freeze", 1_000, 1, expires_at=T0 + timedelta(days=2)),
            _entry("renew_freeze", 1_000, 40, expires_at=T0 + timedelta(days=30)),
        ]
    )
    assert [(f.kind, f.until) for f in holds] == [
        ("stop_pay", _s(48)),
        ("freeze", _s(30 * 24)),
    ]
