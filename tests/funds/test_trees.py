"""Exported trees predict exactly like scikit-learn, with numpy only."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from fanzha.errors import InvalidInput
from fanzha.funds import TreeEnsemble


@pytest.fixture(scope="module")
def fitted() -> tuple[HistGradientBoostingClassifier, np.ndarray]:
    rng = np.random.default_rng(3)
    X = rng.normal(size=(600, 5))
    X[rng.random(X.shape) < 0.05] = np.nan
    y = np.nan_to_num(X[:, 0]) + 0.5 * np.nan_to_num(X[:, 1]) + rng.normal(0, 0.5, 600) > 0
    model = HistGradientBoostingClassifier(max_iter=25, max_leaf_nodes=7, random_state=0)
    with threadpool_limits(limits=1):
        return model.fit(X, y.astype(int)), X


def test_numpy_prediction_equals_sklearn(
    fitted: tuple[HistGradientBoostingClassifier, np.ndarray],
) -> None:
    model, X = fitted
    trees = TreeEnsemble.from_sklearn(model, X.shape[1])
    np.testing.assert_allclose(trees.proba(X), model.predict_proba(X)[:, 1], rtol=0, atol=1e-12)


def test_contributions_add_up_to_the_score(
    fitted: tuple[HistGradientBoostingClassifier, np.ndarray],
) -> None:
    model, X = fitted
    trees = TreeEnsemble.from_sklearn(model, X.shape[1])
    contributions = trees.contributions(X[:50])
    np.testing.assert_allclose(
        contributions.sum(axis=1), trees.raw(X[:50]) - trees.bias(), atol=1e-9
    )
    assert np.abs(contributions[:, 0]).mean() > np.abs(contributions[:, 4]).mean()


def test_arrays_round_trip(fitted: tuple[HistGradientBoostingClassifier, np.ndarray]) -> None:
    model, X = fitted
    trees = TreeEnsemble.from_sklearn(model, X.shape[1])
    again = TreeEnsemble.from_arrays(trees.to_arrays("t_"), "t_")
    assert np.array_equal(again.raw(X), trees.raw(X))


def test_wrong_width_is_a_clear_error(
    fitted: tuple[HistGradientBoostingClassifier, np.ndarray],
) -> None:
    model, X = fitted
    trees = TreeEnsemble.from_sklearn(model, X.shape[1])
    with pytest.raises(InvalidInput, match="5 feature columns"):
        trees.raw(X[:, :3])
