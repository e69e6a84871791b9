"""Gradient-boosted trees shared by the models: hyper-parameters and the booster, and the
trees exported to plain arrays with a numpy predictor (no pickle)."""

from __future__ import annotations

from fanzha.boosting._params import BoostingParams
from fanzha.boosting._trees import TreeEnsemble, export_hist_gradient_boosting

__all__ = ["BoostingParams", "TreeEnsemble", "export_hist_gradient_boosting"]
