"""The phone-risk model: is this number used for fraud, from its usage and its call graph.

Two layers, both kept as plain arrays (``model.npz`` + ``model.json``, never pickle):

1. Gradient-boosted trees (scikit-learn's ``HistGradientBoostingClassifier``, exported
   to arrays by ``fanzha.boosting``) turn a number's own aggregated call/SMS/app features
   into log-odds of fraud.
2. A logistic layer combines those log-odds with the call graph: the smoothed share of
   fraud among the number's labelled contacts (``_features``). It is fitted on
   out-of-fold values for the training rows (trees trained without the row's fold,
   shares computed without the row's fold), so it sees what a new number would show.
   Without a call graph the layer only calibrates the trees.

The score is that layer's probability, so 0.5 is the natural threshold. Measured on the
Sichuan set (README): the graph adds about 0.001 AUC over the trees alone; neighbour
degrees and neighbours' mean features fed to the trees did not help and were left out.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from fanzha.boosting import BoostingParams, TreeEnsemble, export_hist_gradient_boosting
from fanzha.errors import InvalidInput, NotFitted, NotFound
from fanzha.phonerisk._features import assign_folds, neighbour_fraud_share
from fanzha.phonerisk._table import PhoneTable, symmetric_adjacency

__all__ = ["PhoneRiskModel"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Adjacency: TypeAlias = "sp.spmatrix | sp.sparray"

_NPZ = "model.npz"
_JSON = "model.json"
_FORMAT = "fanzha-phone-risk"
_VERSION = 1
# Below this many labelled rows the trees are grown on one thread: OpenMP start-up and
# spin-waiting cost more than the work, and far more on a busy machine.
_THREADED_ROWS = 20_000


@dataclass(kw_only=True, eq=False)
class PhoneRiskModel(BoostingParams):
    """Fraud risk of phone numbers from per-number features and the call graph.

    Parameters
    ----------
    max_iter, learning_rate, max_leaf_nodes, min_samples_leaf, l2_regularization:
        passed to ``HistGradientBoostingClassifier``.
    folds:
        folds for the out-of-fold values the logistic layer is fitted on (>= 2).
    seed:
        seeds the folds and the trees.

    Attributes
    ----------
    columns_: the per-number feature columns, in order.
    uses_graph_: whether the model was trained with a call graph.
    trees_: the boosted trees as arrays.
    coef_, intercept_: the logistic layer over (tree log-odds[, logit of neighbour fraud share]).
    train_ids_, train_labels_, train_folds_: the labelled training numbers (for the shares).
    prior_: share of fraud among training labels.
    """

    max_iter: int = 300
    max_leaf_nodes: int = 15
    min_samples_leaf: int = 20

    # ---- training ------------------------------------------------------------

    def fit(
        self,
        table: PhoneTable,
        adjacency: Adjacency | None = None,
        *,
        progress: Callable[[int], None] | None = None,
    ) -> PhoneRiskModel:
        """Learn from the labelled rows of ``table``; unlabelled rows still shape the graph.

        Calls ``progress(1)`` after each of the ``folds + 1`` tree fits. Returns self.
        Raises InvalidInput for missing labels, too few of a class or a mismatched graph.
        """
        from sklearn.linear_model import LogisticRegression

        self._validate_params()
        if table.labels is None:
            raise InvalidInput("no label column; training needs 0/1 labels", source=table.source)
        labels = table.labels
        for value, name in ((1.0, "fraud (1)"), (0.0, "normal (0)")):
            count = int((labels == value).sum())
            if count < self.folds:
                raise InvalidInput(
                    f"{count} {name} labels; training needs at least {self.folds} of each class",
                    field="label",
                    source=table.source,
                )
        graph = _graph(adjacency, table)
        known = ~np.isnan(labels)
        folds = assign_folds(labels, self.folds, seed=self.seed)
        X, y, train_folds = table.values[known], labels[known], folds[known]
        advance = progress or (lambda _n: None)
        oof = np.empty(y.shape[0])
        with threadpool_limits(limits=1 if y.size < _THREADED_ROWS else None, user_api="openmp"):
            for fold in range(self.folds):
                held = train_folds == fold
                oof[held] = self._booster().fit(X[~held], y[~held]).decision_function(X[held])
                advance(1)
            self.trees_ = export_hist_gradient_boosting(self._booster().fit(X, y))
            advance(1)
        self.columns_ = table.columns
        self.uses_graph_ = graph is not None
        self.prior_ = float(y.mean())
        self.train_ids_ = table.ids[known]
        self.train_labels_ = y.astype(np.int8)
        self.train_folds_ = train_folds.astype(np.int8)
        inputs = oof[:, None]
        if graph is not None:
            share = neighbour_fraud_share(
                graph, labels, folds, n_folds=self.folds, prior=self.prior_
            )
            inputs = np.column_stack([oof, _logit(share[known])])
        layer = LogisticRegression(C=1.0).fit(inputs, y)
        self.coef_ = layer.coef_.ravel().astype(np.float64)
        self.intercept_ = float(layer.intercept_[0])
        return self

    # ---- scoring -------------------------------------------------------------

    def _check_fitted(self) -> None:
        if not hasattr(self, "trees_"):
            raise NotFitted(self)

    def neighbour_share(self, table: PhoneTable, adjacency: Adjacency) -> FloatArray:
        """Smoothed share of known fraud among each row's labelled contacts.

        Training numbers found in ``table`` lend their labels; a training number's own
        share leaves out its fold, exactly as in training.
        """
        self._check_fitted()
        graph = _graph(adjacency, table)
        assert graph is not None
        labels = np.full(table.n_rows, np.nan)
        folds = np.full(table.n_rows, -1, dtype=np.int64)
        order = np.argsort(self.train_ids_)
        sorted_ids = self.train_ids_[order]
        where = np.searchsorted(sorted_ids, table.ids).clip(0, sorted_ids.size - 1)
        found = sorted_ids[where] == table.ids
        labels[found] = self.train_labels_[order[where[found]]]
        folds[found] = self.train_folds_[order[where[found]]]
        return neighbour_fraud_share(graph, labels, folds, n_folds=self.folds, prior=self.prior_)

    def explain(
        self, table: PhoneTable, adjacency: Adjacency | None = None
    ) -> dict[str, FloatArray]:
        """Log-odds contributions per row: ``own`` (the number's features), ``graph``.

        ``own + graph + intercept_`` is the log-odds of the score; ``graph`` is zero for a
        model trained without a call graph.
        """
        self._check_fitted()
        if table.columns != self.columns_:
            missing = [name for name in self.columns_ if name not in table.columns]
            raise InvalidInput(
                f"missing feature column(s) {missing[:8]} that the model was trained with"
                if missing
                else "feature columns are in another order than in training; read the table "
                "with columns=model.columns_",
                field=missing[0] if missing else None,
                source=table.source,
            )
        own = self.coef_[0] * self.trees_.decision_function(table.values)
        if not self.uses_graph_:
            return {"own": own, "graph": np.zeros_like(own)}
        if adjacency is None:
            raise InvalidInput(
                "this model was trained with a call graph; give the adjacency matrix (--edges)",
                field="edges",
            )
        return {"own": own, "graph": self.coef_[1] * _logit(self.neighbour_share(table, adjacency))}

    def decision_function(
        self, table: PhoneTable, adjacency: Adjacency | None = None
    ) -> FloatArray:
        """Log-odds of fraud for each row; 0 is the decision threshold."""
        parts = self.explain(table, adjacency)
        return parts["own"] + parts["graph"] + self.intercept_

    def predict_proba(self, table: PhoneTable, adjacency: Adjacency | None = None) -> FloatArray:
        """Fraud risk in [0, 1] for each row of ``table``; above 0.5 means fraud.

        Raises NotFitted, or InvalidInput for other columns or a missing/mismatched graph.
        """
        return 1.0 / (1.0 + np.exp(-self.decision_function(table, adjacency)))

    # ---- persistence ---------------------------------------------------------

    def save(self, directory: str | Path) -> None:
        """Write ``model.npz`` (trees, layer, training labels) and ``model.json`` to a folder."""
        self._check_fitted()
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        arrays = {
            "train_ids": self.train_ids_,
            "train_labels": self.train_labels_,
            "train_folds": self.train_folds_,
            "coef": self.coef_,
            **self.trees_.to_arrays(),
        }
        np.savez_compressed(folder / _NPZ, allow_pickle=False, **arrays)
        meta = {
            "format": _FORMAT,
            "version": _VERSION,
            "params": self.get_params(),
            "columns": list(self.columns_),
            "uses_graph": self.uses_graph_,
            "prior": self.prior_,
            "intercept": self.intercept_,
        }
        (folder / _JSON).write_text(json.dumps(meta, ensure_ascii=False, indent=2), "utf-8")

    @classmethod
    def load(cls, directory: str | Path) -> PhoneRiskModel:
        """Read a model written by :meth:`save`. Raises NotFound or InvalidInput."""
        folder = Path(directory)
        for name in (_JSON, _NPZ):
            if not (folder / name).is_file():
                raise NotFound(
                    f"{folder / name}: no such file; point to a folder written by "
                    "`fanzha phone train`"
                )
        source = str(folder)
        try:
            meta = json.loads((folder / _JSON).read_text("utf-8"))
            if not isinstance(meta, dict):
                raise InvalidInput("model.json is not a JSON object; train again", source=source)
            if meta.get("format") != _FORMAT or meta.get("version") != _VERSION:
                raise InvalidInput(
                    f"format {meta.get('format')!r} version {meta.get('version')!r} is not "
                    f"{_FORMAT!r} version {_VERSION}; retrain the model with this fanzha",
                    source=source,
                )
            model = cls(**meta["params"])
            model._validate_params()
            model.columns_ = tuple(str(c) for c in meta["columns"])
            model.uses_graph_ = bool(meta["uses_graph"])
            model.prior_ = float(meta["prior"])
            model.intercept_ = float(meta["intercept"])
            with np.load(folder / _NPZ, allow_pickle=False) as arrays:
                model.train_ids_ = arrays["train_ids"].astype(np.str_)
                model.train_labels_ = arrays["train_labels"].astype(np.int8)
                model.train_folds_ = arrays["train_folds"].astype(np.int8)
                model.coef_ = arrays["coef"].astype(np.float64)
                model.trees_ = TreeEnsemble.from_arrays(arrays)
        except InvalidInput as exc:
            if exc.source is not None:
                raise
            raise InvalidInput(exc.message, source=source) from exc
        except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
            raise InvalidInput(
                f"unreadable model ({type(exc).__name__}: {exc}); train it again", source=source
            ) from exc
        n_train = model.train_ids_.shape[0]
        if (
            model.trees_.n_features != len(model.columns_)
            or model.coef_.shape != (2 if model.uses_graph_ else 1,)
            or model.train_labels_.shape != (n_train,)
            or model.train_folds_.shape != (n_train,)
            or not np.isin(model.train_labels_, (0, 1)).all()
            or not ((model.train_folds_ >= 0) & (model.train_folds_ < model.folds)).all()
            or not np.isfinite([*model.coef_, model.intercept_]).all()
            or not 0 < model.prior_ < 1
        ):
            raise InvalidInput(
                "arrays do not match model.json (columns, layer, training labels or folds); "
                "train the model again",
                source=source,
            )
        return model


def _graph(adjacency: Adjacency | None, table: PhoneTable) -> sp.csr_matrix | None:
    if adjacency is None:
        return None
    if adjacency.shape != (table.n_rows, table.n_rows):
        shape = "×".join(str(s) for s in adjacency.shape)
        raise InvalidInput(
            f"the adjacency matrix is {shape} but {table.source} has {table.n_rows} rows",
            field="edges",
        )
    return symmetric_adjacency(adjacency)


def _logit(p: FloatArray) -> FloatArray:
    return np.log(p / (1.0 - p))
