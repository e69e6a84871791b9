"""The synthetic generators used by tests and benchmarks."""

from __future__ import annotations

import numpy as np
import pytest

from fanzha.demo import generate_aml, generate_mule_network
from fanzha.demo._aml import TYPOLOGIES
from fanzha.errors import InvalidInput


@pytest.mark.parametrize("typology", TYPOLOGIES)
def test_every_typology_makes_laundering_accounts(typology: str) -> None:
    sim = generate_aml(n_accounts=2000, patterns={typology: 10}, seed=0)
    kinds = set(sim.accounts["typology"].to_list())
    assert typology in kinds
    fraud = sim.accounts.filter(sim.accounts["is_fraud"] == 1)
    assert set(fraud["typology"].to_list()) <= {typology, f"{typology}_dormant", ""}
    assert sim.transactions["amount"].min() > 0  # type: ignore[operator]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        pytest.param({"patterns": {"smurfing": 3}}, "patterns", id="unknown-typology"),
        pytest.param({"laundering": "huge"}, "laundering", id="mode"),
        pytest.param({"n_accounts": 100, "patterns": {"cycle": 50}}, "n_accounts", id="too-small"),
    ],
)
def test_bad_generator_options(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        generate_aml(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_small_laundering_amounts_stand_out_only_when_asked() -> None:
    small = generate_aml(n_accounts=2000, patterns={"cycle": 10}, laundering="small", seed=0)
    blend = generate_aml(n_accounts=2000, patterns={"cycle": 10}, laundering="blend", seed=0)
    assert small.transactions["amount"].min() < 10 <= blend.transactions["amount"].min()  # type: ignore[operator]


def test_mule_network_shape() -> None:
    net = generate_mule_network(n_transfers=20_000, n_victims=50, seed=0)
    assert abs(net.src.shape[0] - 20_000) < 200
    assert not np.isin(net.victims, net.dst).any()
    assert np.isin(net.exits, net.dst).any()
    assert (net.amount > 0).all() and (net.src != net.dst).all()
