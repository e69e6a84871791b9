"""Hyper-parameters of fanzha's gradient-boosted models, checked and turned into a booster."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any, ClassVar

from fanzha.errors import InvalidInput

__all__ = ["BoostingParams"]


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(kw_only=True, eq=False)
class BoostingParams:
    """Base of a model over ``HistGradientBoostingClassifier``; subclasses set the defaults.

    Parameters:
        max_iter: boosting rounds.
        learning_rate: shrinkage of each tree, above 0 (and at most ``MAX_LEARNING_RATE``).
        max_leaf_nodes: leaves per tree.
        min_samples_leaf: fewest training rows in a leaf.
        l2_regularization: L2 penalty on leaf values.
        folds: folds for out-of-fold scores, from 2 to ``MAX_FOLDS``.
        seed: seeds the folds and the trees.
    """

    MAX_LEARNING_RATE: ClassVar[float] = math.inf
    MAX_FOLDS: ClassVar[int | float] = math.inf

    max_iter: int = 100
    learning_rate: float = 0.05
    max_leaf_nodes: int = 31
    min_samples_leaf: int = 20
    l2_regularization: float = 1.0
    folds: int = 5
    seed: int = 0

    def get_params(self) -> dict[str, Any]:
        """The hyperparameters as a dict, as given."""
        return {field.name: getattr(self, field.name) for field in fields(BoostingParams)}

    def _validate_params(self) -> None:
        """Raise InvalidInput naming the first hyperparameter out of range."""
        rate_limit = self.MAX_LEARNING_RATE
        checks = (
            ("max_iter", _is_int(self.max_iter) and self.max_iter >= 1, "an integer >= 1"),
            (
                "learning_rate",
                _is_number(self.learning_rate) and 0 < self.learning_rate <= rate_limit,
                "a number above 0" + ("" if math.isinf(rate_limit) else f" and <= {rate_limit}"),
            ),
            (
                "max_leaf_nodes",
                _is_int(self.max_leaf_nodes) and self.max_leaf_nodes >= 2,
                "an integer >= 2",
            ),
            (
                "min_samples_leaf",
                _is_int(self.min_samples_leaf) and self.min_samples_leaf >= 1,
                "an integer >= 1",
            ),
            (
                "l2_regularization",
                _is_number(self.l2_regularization) and self.l2_regularization >= 0,
                "a number >= 0",
            ),
            (
                "folds",
                _is_int(self.folds) and 2 <= self.folds <= self.MAX_FOLDS,
                "an integer >= 2"
                + ("" if math.isinf(self.MAX_FOLDS) else f" and <= {self.MAX_FOLDS}"),
            ),
            ("seed", _is_int(self.seed), "an integer"),
        )
        for name, ok, expected in checks:
            if not ok:
                value = getattr(self, name)
                raise InvalidInput(f"got {value!r}; expected {expected}", field=name, value=value)

    def _booster(self) -> Any:
        """An unfitted ``HistGradientBoostingClassifier`` with these hyperparameters."""
        from sklearn.ensemble import HistGradientBoostingClassifier

        return HistGradientBoostingClassifier(
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes,
            min_samples_leaf=self.min_samples_leaf,
            l2_regularization=self.l2_regularization,
            early_stopping=False,
            random_state=self.seed,
        )
