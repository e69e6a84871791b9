"""`fanzha.boosting`: exported tree arrays predict exactly what scikit-learn predicts."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from fanzha.boosting import TreeEnsemble, export_hist_gradient_boosting
from fanzha.errors import InvalidInput


def _data(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(400, 6))
    y = (X[:, 0] + X[:, 1] * X[:, 2] + rng.normal(scale=0.5, size=400) > 0).astype(float)
    X[rng.random(X.shape) < 0.1] = np.nan  # missing values take the learned side
    X[:, 5] = np.round(X[:, 5])  # ties on thresholds
    return X, y


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"max_iter": 40}, id="default-depth"),
        pytest.param({"max_iter": 25, "max_depth": 2, "learning_rate": 0.3}, id="shallow"),
        pytest.param({"max_iter": 1, "max_leaf_nodes": 2}, id="one-stump"),
    ],
)
def test_numpy_predictor_equals_sklearn(params: dict[str, float]) -> None:
    X, y = _data(1)
    model = HistGradientBoostingClassifier(random_state=0, early_stopping=False, **params)
    model.fit(X, y)
    ensemble = export_hist_gradient_boosting(model)
    fresh, _ = _data(2)
    for rows in (X, fresh, np.full((3, 6), np.nan)):
        np.testing.assert_array_equal(
            ensemble.decision_function(rows), model.decision_function(rows)
        )


def test_arrays_round_trip_and_refuse_broken_children() -> None:
    X, y = _data(3)
    model = HistGradientBoostingClassifier(max_iter=10, random_state=0).fit(X, y)
    arrays = export_hist_gradient_boosting(model).to_arrays()
    again = TreeEnsemble.from_arrays(arrays)
    np.testing.assert_array_equal(again.decision_function(X), model.decision_function(X))
    inner = int(np.flatnonzero(~arrays["is_leaf"])[1])
    arrays["left"] = arrays["left"].copy()
    arrays["left"][inner] = 0  # a loop back to the first root
    with pytest.raises(InvalidInput, match="inconsistent"):
        TreeEnsemble.from_arrays(arrays)


def test_wrong_number_of_columns_is_refused() -> None:
    X, y = _data(4)
    ensemble = export_hist_gradient_boosting(HistGradientBoostingClassifier(max_iter=5).fit(X, y))
    with pytest.raises(InvalidInput, match="6 feature columns"):
        ensemble.decision_function(X[:, :4])
