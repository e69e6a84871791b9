"""Account features on tiny hand-made transfer sets."""

from __future__ import annotations

import math

import numpy as np
import pytest

from fanzha.funds._features import (
    LOCAL_FEATURES,
    account_features,
    counterparty_matrix,
    neighbour_features,
)
from tests.funds.conftest import Row, make_transfers


def feature(rows: list[Row], account: str, name: str, unit: str = "s") -> float:
    transfers = make_transfers(rows, unit=unit)
    matrix = account_features(transfers)
    return float(matrix[transfers.code_of(account), LOCAL_FEATURES.index(name)])


BACKGROUND: list[Row] = [("Y", "Z", 10.0, 0), ("Z", "Y", 10.0, 100)]


@pytest.mark.parametrize(
    ("rows", "account", "name", "expected"),
    [
        pytest.param(
            [("X", "A", 100.0, 0), ("A", "B", 100.0, 1)],
            "A",
            "pass_through",
            1.0,
            id="pass-through",
        ),
        pytest.param([("X", "A", 100.0, 0)], "A", "pass_through", 0.0, id="only-receives"),
        pytest.param(
            [("A", "B", 5.0, 3), ("A", "B", 5.0, 3)], "B", "burst", 1.0, id="burst-same-bucket"
        ),
        pytest.param(
            [("A", "B", 5.0, 0), ("A", "B", 5.0, 7200)], "B", "burst", 0.0, id="hours-apart"
        ),
        pytest.param(
            [("A", "B", 5.0, 0), ("B", "A", 5.0, 1), ("A", "C", 1.0, 2)],
            "A",
            "reciprocity",
            0.5,
            id="one-of-two-mutual",
        ),
        pytest.param(
            [("A", "B", 1.0, 0), ("B", "C", 1.0, 1), ("C", "A", 1.0, 2)],
            "B",
            "cycles3",
            math.log(2),
            id="triangle",
        ),
        pytest.param(
            [("A", "B", 1.0, 0), ("B", "C", 1.0, 1), ("A", "C", 1.0, 2)],
            "B",
            "cycles3",
            0.0,
            id="no-cycle",
        ),
        pytest.param(
            [("X", "A", 1.0, 0), ("A", "B", 1.0, 50), ("Y", "Z", 1.0, 100)],
            "A",
            "dwell",
            0.5,
            id="half-the-span",
        ),
        pytest.param(
            [("A", "B", 100.0, 0), ("A", "C", 100.0, 1), ("A", "D", 100.0, 2), ("A", "E", 50.0, 3)],
            "A",
            "own_deviation",
            0.25,
            id="one-odd-amount",
        ),
        pytest.param(
            [("A", "B", 9_900.0, 0), ("A", "C", 4_990.0, 1)],
            "A",
            "structuring",
            1.0,
            id="below-10k-5k",
        ),
        pytest.param([("A", "B", 10_000.0, 0)], "A", "structuring", 0.0, id="round-is-not-below"),
    ],
)
def test_local_features(rows: list[Row], account: str, name: str, expected: float) -> None:
    assert feature(rows + BACKGROUND, account, name) == pytest.approx(expected)


def test_rare_amounts_score_higher() -> None:
    rows = [("A", "B", 300.0, i) for i in range(50)] + [("C", "D", 3.0, 60)]
    transfers = make_transfers(rows)
    rarity = account_features(transfers)[:, LOCAL_FEATURES.index("amount_rarity_max")]
    assert rarity[transfers.code_of("C")] > rarity[transfers.code_of("A")]


def test_neighbour_mean_and_max() -> None:
    transfers = make_transfers([("A", "B", 1.0, 0), ("A", "C", 1.0, 1), ("C", "A", 1.0, 2)])
    values = np.zeros(transfers.n_accounts)
    values[transfers.code_of("B")] = 1.0
    values[transfers.code_of("C")] = 0.5
    nb = neighbour_features(counterparty_matrix(transfers), values)
    assert nb[transfers.code_of("A")].tolist() == pytest.approx([0.75, 1.0])
    assert nb[transfers.code_of("B")].tolist() == pytest.approx([0.0, 0.0])


def test_self_transfers_are_ignored() -> None:
    with_self = make_transfers([("A", "B", 1.0, 0), ("A", "A", 5.0, 1)])
    without = make_transfers([("A", "B", 1.0, 0), ("A", "C", 5.0, 1)])
    a = account_features(with_self)[with_self.code_of("A")]
    assert a[LOCAL_FEATURES.index("log_tx")] == pytest.approx(math.log(2))
    assert account_features(without)[without.code_of("A")][0] == pytest.approx(math.log(3))
