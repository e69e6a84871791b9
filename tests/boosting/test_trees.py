"""Exported trees predict exactly like scikit-learn, with numpy only."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from fanzha.boosting import TreeEnsemble, export_hist_gradient_boosting
from fanzha.errors import InvalidInput


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
    trees = export_hist_gradient_boosting(model)
    np.testing.assert_allclose(trees.proba(X), model.predict_proba(X)[:, 1], rtol=0, atol=1e-12)


def test_contributions_add_up_to_the_score(
    fitted: tuple[HistGradientBoostingClassifier, np.ndarray],
) -> None:
    model, X = fitted
    trees = export_hist_gradient_boosting(model)
    contributions = trees.contributions(X[:50])
    np.testing.assert_allclose(
        contributions.sum(axis=1), trees.decision_function(X[:50]) - trees.bias(), atol=1e-9
    )
    assert np.abs(contributions[:, 0]).mean() > np.abs(contributions[:, 4]).mean()


def test_arrays_round_trip(fitted: tuple[HistGradientBoostingClassifier, np.ndarray]) -> None:
    model, X = fitted
    trees = export_hist_gradient_boosting(model)
    again = TreeEnsemble.from_arrays(trees.to_arrays("t_"), "t_")
    assert np.array_equal(again.decision_function(X), trees.decision_function(X))


def test_wrong_width_is_a_clear_error(
    fitted: tuple[HistGradientBoostingClassifier, np.ndarray],
) -> None:
    model, X = fitted
    trees = export_hist_gradient_boosting(model)
    with pytest.raises(InvalidInput, match="5 feature columns"):
        trees.decision_function(X[:, :3])


def test_reads_the_layout_funds_saved_before_the_trees_were_shared(
    fitted: tuple[HistGradientBoostingClassifier, np.ndarray],
) -> None:
    model, X = fitted
    trees = export_hist_gradient_boosting(model)
    arrays = trees.to_arrays("s1_")
    arrays["s1_leaf"] = arrays.pop("s1_is_leaf")
    arrays["s1_baseline"] = np.array([trees.baseline, float(arrays.pop("s1_n_features")[0])])
    again = TreeEnsemble.from_arrays(arrays, "s1_")
    assert np.array_equal(again.decision_function(X), trees.decision_function(X))
    assert np.array_equal(again.contributions(X[:20]), trees.contributions(X[:20]))


@pytest.mark.parametrize(
    ("name", "edit"),
    [
        pytest.param("s_right", lambda a: a.__setitem__(0, 0), id="loop"),
        pytest.param("s_feature", lambda a: a.__setitem__(0, 99), id="feature"),
        pytest.param("s_value", lambda a: a.__setitem__(0, np.nan), id="nan"),
    ],
)
def test_broken_arrays_are_refused(
    fitted: tuple[HistGradientBoostingClassifier, np.ndarray], name: str, edit: Any
) -> None:
    model, _ = fitted
    arrays = export_hist_gradient_boosting(model).to_arrays("s_")
    arrays[name] = arrays[name].copy()
    edit(arrays[name])
    with pytest.raises(InvalidInput, match="inconsistent"):
        TreeEnsemble.from_arrays(arrays, "s_")


def test_missing_arrays_are_a_clear_error() -> None:
    with pytest.raises(InvalidInput, match="missing or malformed"):
        TreeEnsemble.from_arrays({}, "s_")
