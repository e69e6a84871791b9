"""Reverse tracing agrees with forward tracing and names every origin of the money."""

from __future__ import annotations

import pytest

from fanzha.funds import METHODS, index_transfers, trace_back, trace_funds, victim_seeds
from tests.funds.conftest import Row, make_transfers

TWO_VICTIMS: list[Row] = [
    ("V1", "M", 100.0, 1),
    ("O", "M", 40.0, 2),
    ("V2", "M", 60.0, 3),
    ("M", "N", 150.0, 4),
    ("N", "Z", 20.0, 5),
]


@pytest.mark.parametrize("method", METHODS)
def test_trace_back_matches_forward_tracing(method: str) -> None:
    transfers = make_transfers(TWO_VICTIMS)
    index = index_transfers(transfers)
    back = trace_back(transfers, "N", victims=["V1", "V2"], index=index, method=method)
    forward = trace_funds(
        transfers,
        [*victim_seeds(transfers, "V1"), *victim_seeds(transfers, "V2")],
        index=index,
        method=method,
        min_fen=1,
        max_depth=1,
    )
    into_n = dict(next(e for e in forward.edges if e.dst == "N").by_victim)
    assert {v.victim: v.amount_fen for v in back.victims} == into_n


def test_trace_back_without_victims_names_every_origin() -> None:
    transfers = make_transfers(TWO_VICTIMS)
    back = trace_back(transfers, "N")
    assert {v.victim: v.amount_fen for v in back.victims} == {"V1": 10_000, "O": 4_000, "V2": 1_000}
    assert {v.victim: v.depth for v in back.victims} == {"V1": 2, "O": 2, "V2": 2}
