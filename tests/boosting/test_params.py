"""Hyper-parameters shared by the boosted models: defaults per model, one set of checks."""

from __future__ import annotations

import pytest

from fanzha.boosting import BoostingParams
from fanzha.errors import InvalidInput
from fanzha.funds import MuleModel
from fanzha.phonerisk import PhoneRiskModel


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (MuleModel(), (100, 7, 40)),
        (PhoneRiskModel(), (300, 15, 20)),
        (MuleModel(max_iter=3, seed=4), (3, 7, 40)),
    ],
)
def test_each_model_keeps_its_defaults(model: BoostingParams, expected: tuple[int, ...]) -> None:
    params = model.get_params()
    assert (params["max_iter"], params["max_leaf_nodes"], params["min_samples_leaf"]) == expected
    assert list(params) == [
        "max_iter",
        "learning_rate",
        "max_leaf_nodes",
        "min_samples_leaf",
        "l2_regularization",
        "folds",
        "seed",
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"max_iter": 0}, "max_iter"),
        ({"learning_rate": 0.0}, "learning_rate"),
        ({"learning_rate": float("nan")}, "learning_rate"),
        ({"max_leaf_nodes": 1}, "max_leaf_nodes"),
        ({"min_samples_leaf": 2.5}, "min_samples_leaf"),
        ({"l2_regularization": -1.0}, "l2_regularization"),
        ({"folds": 1}, "folds"),
        ({"seed": "x"}, "seed"),
    ],
)
def test_bad_values_name_their_field(params: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        BoostingParams(**params)._validate_params()  # type: ignore[arg-type]
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("model", "params", "ok"),
    [
        (MuleModel, {"learning_rate": 1.5}, False),
        (PhoneRiskModel, {"learning_rate": 1.5}, True),
        (MuleModel, {"folds": 25}, False),
        (PhoneRiskModel, {"folds": 25}, True),
        (MuleModel, {"learning_rate": 1.0, "folds": 20}, True),
    ],
)
def test_upper_limits_are_per_model(
    model: type[BoostingParams], params: dict[str, float], ok: bool
) -> None:
    try:
        model(**params)._validate_params()  # type: ignore[arg-type]
    except InvalidInput:
        assert not ok
    else:
        assert ok


def test_booster_gets_the_hyperparameters() -> None:
    booster = PhoneRiskModel(max_iter=7, learning_rate=0.2, seed=3)._booster()
    assert (booster.max_iter, booster.learning_rate, booster.random_state) == (7, 0.2, 3)
    assert booster.early_stopping is False
