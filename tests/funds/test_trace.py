"""Tracing: time order, FIFO/LIFO/pro-rata attribution, stops, conservation, reverse tracing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fanzha.errors import InvalidInput
from fanzha.funds import (
    METHODS,
    Freeze,
    Seed,
    trace_funds,
    victim_seeds,
)
from tests.funds.conftest import Row, held, make_transfers

MIXING: list[Row] = [
    ("X", "M", 50.0, 1),
    ("V", "M", 100.0, 2),
    ("M", "N", 60.0, 3),
    ("M", "P", 90.0, 4),
]


@pytest.mark.parametrize(
    ("method", "in_n", "in_p"),
    [
        pytest.param("fifo", 1_000, 9_000, id="fifo-other-money-leaves-first"),
        pytest.param("lifo", 6_000, 4_000, id="lifo-newest-leaves-first"),
        pytest.param("pro_rata", 4_000, 6_000, id="pro-rata-share-of-balance"),
    ],
)
def test_mixed_account_passes_on_a_share(method: str, in_n: int, in_p: int) -> None:
    transfers = make_transfers(MIXING)
    result = trace_funds(transfers, victim_seeds(transfers, "V"), method=method, min_fen=1)
    assert (held(result, "N"), held(result, "P")) == (in_n, in_p)
    assert result.node("M") is not None and result.node("M").status == "passing"  # type: ignore[union-attr]


def test_money_cannot_leave_before_it_arrived() -> None:
    transfers = make_transfers(
        [("X", "M", 30.0, 0), ("M", "Q", 30.0, 1), ("V", "M", 100.0, 2), ("M", "R", 100.0, 3)]
    )
    result = trace_funds(transfers, victim_seeds(transfers, "V"))
    assert result.node("Q") is None
    assert held(result, "R") == 10_000


@pytest.mark.parametrize(
    ("rows", "reaches"),
    [
        pytest.param([("V", "M", 10.0, 5), ("M", "S", 10.0, 5)], True, id="arrival-listed-first"),
        pytest.param([("M", "S", 10.0, 5), ("V", "M", 10.0, 5)], False, id="payment-listed-first"),
    ],
)
def test_same_time_follows_input_order(rows: list[Row], reaches: bool) -> None:
    transfers = make_transfers(rows)
    result = trace_funds(transfers, victim_seeds(transfers, "V"))
    assert (held(result, "S") == 1_000) is reaches


CHAIN: list[Row] = [
    ("V", "A", 100.0, 1),
    ("A", "B", 100.0, 2),
    ("B", "C", 100.0, 3),
    ("C", "D", 100.0, 4),
]


def test_depth_limit_stops_and_keeps_the_money_at_the_leaf() -> None:
    transfers = make_transfers(CHAIN)
    result = trace_funds(transfers, victim_seeds(transfers, "V"), max_depth=2)
    leaf = result.node("C")
    assert leaf is not None and leaf.status == "depth_limit" and leaf.held_fen == 10_000
    assert result.node("D") is None
    assert [p.account for p in result.priorities] == ["C"]


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        pytest.param({"exits": ["B"]}, "exit", id="named-exit"),
        # B is frozen after the money arrived (time 2) and before it would leave (time 3).
        pytest.param({"freezes": [Freeze("B", at=3)]}, "frozen", id="frozen-account"),
    ],
)
def test_money_stops_at_exits_and_frozen_accounts(kwargs: dict[str, object], status: str) -> None:
    transfers = make_transfers(CHAIN)
    result = trace_funds(transfers, victim_seeds(transfers, "V"), **kwargs)  # type: ignore[arg-type]
    node = result.node("B")
    assert node is not None and node.status == status
    assert result.node("C") is None
    assert result.priorities == ()


def test_cash_channel_is_an_exit() -> None:
    transfers = make_transfers(CHAIN, channel=["transfer", "transfer", "cash", "transfer"])
    result = trace_funds(transfers, victim_seeds(transfers, "V"))
    node = result.node("C")
    assert node is not None and node.status == "exit" and node.exited_fen == 10_000


def test_small_amounts_into_fresh_accounts_are_not_followed() -> None:
    transfers = make_transfers([("V", "A", 100.0, 1), ("A", "B", 0.5, 2), ("B", "C", 0.5, 3)])
    result = trace_funds(transfers, victim_seeds(transfers, "V"), min_fen=100)
    node = result.node("B")
    assert node is not None and node.status == "small"
    assert result.node("C") is None


def test_victim_seeds_respect_since() -> None:
    transfers = make_transfers([("V", "A", 1.0, 1), ("V", "B", 2.0, 5)])
    assert [s.transfer for s in victim_seeds(transfers, "V", since=3)] == [1]
    with pytest.raises(InvalidInput, match="sent no transfer"):
        victim_seeds(transfers, "V", since=9)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        pytest.param({"method": "newest"}, "method", id="method"),
        pytest.param({"max_depth": 0}, "depth", id="depth"),
        pytest.param({"min_fen": 0}, "min_fen", id="min"),
    ],
)
def test_bad_trace_options(kwargs: dict[str, object], field: str) -> None:
    transfers = make_transfers(CHAIN)
    with pytest.raises(InvalidInput) as caught:
        trace_funds(transfers, victim_seeds(transfers, "V"), **kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


def _random_rows(draw: st.DrawFn) -> list[Row]:
    accounts = ["V", "A", "B", "C", "D", "E"]
    n = draw(st.integers(3, 25))
    rows: list[Row] = []
    for _ in range(n):
        a = draw(st.sampled_from(accounts))
        b = draw(st.sampled_from([x for x in accounts if x != a]))
        rows.append((a, b, draw(st.integers(1, 100_000)) / 100, draw(st.integers(0, 30))))
    if not any(r[0] == "V" for r in rows):
        rows.append(("V", "A", 10.0, 0))
    return rows


@settings(max_examples=60, deadline=None)
@given(rows=st.composite(_random_rows)(), method=st.sampled_from(METHODS), depth=st.integers(1, 4))
def test_victim_money_is_conserved_and_time_ordered(
    rows: list[Row], method: str, depth: int
) -> None:
    transfers = make_transfers(rows)
    result = trace_funds(
        transfers, victim_seeds(transfers, "V"), method=method, max_depth=depth, min_fen=1
    )
    assert sum(n.held_fen + n.exited_fen for n in result.nodes) == result.total_fen
    first = {n.account: n.first_time for n in result.nodes}
    for edge in result.edges:
        assert edge.first_time >= first[edge.src]
        assert edge.amount_fen > 0
    for node in result.nodes:
        if node.status in ("passing", "holding"):
            assert node.held_fen == node.received_fen - node.sent_fen >= 0


def test_seed_out_of_range_is_invalid() -> None:
    transfers = make_transfers(CHAIN)
    with pytest.raises(InvalidInput, match="no transfer 9"):
        trace_funds(transfers, [Seed(9, "V")])
