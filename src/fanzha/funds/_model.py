"""Mule-account scoring: two stages of gradient-boosted trees over flow and graph features.

Stage 1 scores every account from its own flow features (:data:`LOCAL_FEATURES`).
Stage 2 adds its counterparties: the mean and max of their burst/rarity/deviation
features, and the sum, count (> 0.5), max and mean of their stage-1 scores. Training
uses out-of-fold stage-1 scores for the labelled accounts, so stage 2 learns how much a
suspicious neighbourhood is worth without seeing its own labels. Accounts known to be
mules at scoring time (``known``) count as stage-1 score 1 for their neighbours.

Learned state is two :class:`~fanzha.boosting.TreeEnsemble` (``model.npz``) and a
``model.json`` (feature names, hyperparameters, training figures); never pickle.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from fanzha.boosting import BoostingParams, TreeEnsemble, export_hist_gradient_boosting
from fanzha.errors import InvalidInput, NotFitted, NotFound
from fanzha.funds._features import (
    LOCAL_FEATURES,
    account_features,
    counterparty_matrix,
    neighbour_features,
)
from fanzha.funds._transfers import Transfers

__all__ = ["NEIGHBOUR_FEATURES", "STAGE2_FEATURES", "MuleModel"]

FloatArray = npt.NDArray[np.float64]
_FORMAT = "fanzha.mulemodel"
_VERSION = 1
_NPZ = "model.npz"
_JSON = "model.json"
_NEIGHBOUR_OF = ("amount_rarity_max", "burst", "own_deviation", "velocity", "tx_per_cp")
NEIGHBOUR_FEATURES = (
    *(f"nb_mean_{name}" for name in _NEIGHBOUR_OF),
    *(f"nb_max_{name}" for name in _NEIGHBOUR_OF),
    "nb_score_sum",
    "nb_score_count",
    "nb_score_max",
    "nb_score_mean",
)
STAGE2_FEATURES = (*LOCAL_FEATURES, *NEIGHBOUR_FEATURES)
_NEIGHBOUR_COLUMNS = [LOCAL_FEATURES.index(name) for name in _NEIGHBOUR_OF]


class _Graph:
    """Features of every account that appears in the transfers, plus the counterparty matrix."""

    def __init__(self, transfers: Transfers) -> None:
        self.local = account_features(transfers)
        self.matrix = counterparty_matrix(transfers)
        self.raw_neighbours = neighbour_features(self.matrix, self.local[:, _NEIGHBOUR_COLUMNS])

    def stage2(self, scores: FloatArray) -> FloatArray:
        binary = self.matrix.copy()
        binary.data[:] = 1.0
        degree = np.asarray(binary.sum(axis=1)).ravel()
        total = np.asarray(binary @ scores).ravel()
        count = np.asarray(binary @ (scores > 0.5).astype(np.float64)).ravel()
        top = neighbour_features(binary, scores)[:, 1]
        mean = np.divide(total, degree, out=np.zeros_like(total), where=degree > 0)
        return np.column_stack(
            [self.local, self.raw_neighbours, np.log1p(total), np.log1p(count), top, mean]
        )


def _rows(matrix: FloatArray, codes: npt.NDArray[np.int64]) -> FloatArray:
    """Rows of ``matrix`` for ``codes``; zeros for accounts without transfers (code -1)."""
    out = np.zeros((codes.shape[0], matrix.shape[1]), dtype=np.float64)
    known = codes >= 0
    out[known] = matrix[codes[known]]
    return out


@dataclass(kw_only=True, eq=False)
class MuleModel(BoostingParams):
    """Two-stage gradient-boosted mule-account scorer (see the module docstring).

    Parameters (see :class:`~fanzha.boosting.BoostingParams`): ``max_iter`` boosting rounds
    per stage, ``learning_rate`` in (0, 1], ``max_leaf_nodes``, ``min_samples_leaf`` (fewest
    training accounts in a leaf), ``l2_regularization``, ``folds`` (2..20) for the
    out-of-fold stage-1 scores and the reported CV AUC, ``seed`` for the folds and trees.

    Attributes after fit:
        stage1_, stage2_: the two :class:`TreeEnsemble`.
        training_: figures of the fit (accounts, positives, out-of-fold AUC per stage).
    """

    MAX_LEARNING_RATE: ClassVar[float] = 1.0
    MAX_FOLDS: ClassVar[int | float] = 20

    max_iter: int = 100
    max_leaf_nodes: int = 7
    min_samples_leaf: int = 40

    def _out_of_fold(
        self, X: FloatArray, y: FloatArray, progress: Callable[[int], None] | None
    ) -> FloatArray:
        oof = np.zeros(y.shape[0], dtype=np.float64)
        split = StratifiedKFold(self.folds, shuffle=True, random_state=self.seed)
        for train, test in split.split(X, y):
            fold = self._booster().fit(X[train], y[train])
            oof[test] = fold.predict_proba(X[test])[:, 1]
            if progress is not None:
                progress(1)
        return oof

    def fit(
        self,
        transfers: Transfers,
        accounts: Sequence[str],
        labels: Sequence[float] | FloatArray,
        *,
        progress: Callable[[int], None] | None = None,
    ) -> MuleModel:
        """Fit on ``accounts`` with ``labels`` (1 mule, 0 normal, NaN unknown: not trained on).

        ``progress`` is called with 1 after each of the ``2 * folds + 3`` steps.

        Raises:
            InvalidInput: bad hyperparameters, labels not aligned with accounts, fewer than
                ``folds`` labelled accounts of either class.
        """
        self._validate_params()
        y_all = np.asarray(labels, dtype=np.float64)
        if y_all.shape[0] != len(accounts):
            raise InvalidInput(
                f"{y_all.shape[0]} labels for {len(accounts)} accounts; give one label per account",
                field="labels",
            )
        labelled = ~np.isnan(y_all)
        y = y_all[labelled]
        if not np.isin(y, (0.0, 1.0)).all():
            raise InvalidInput("labels must be 1 (mule), 0 (normal) or empty", field="labels")
        n_pos, n_neg = int((y == 1).sum()), int((y == 0).sum())
        if min(n_pos, n_neg) < self.folds:
            raise InvalidInput(
                f"{n_pos} mule and {n_neg} normal accounts are labelled; "
                f"each class needs at least {self.folds}",
                field="labels",
            )
        # One thread: OpenMP trees on a shared machine are many times slower, not faster.
        with threadpool_limits(limits=1):
            return self._fit(transfers, accounts, labelled, y, progress)

    def _fit(
        self,
        transfers: Transfers,
        accounts: Sequence[str],
        labelled: npt.NDArray[np.bool_],
        y: FloatArray,
        progress: Callable[[int], None] | None,
    ) -> MuleModel:
        n_pos = int((y == 1).sum())
        graph = _Graph(transfers)
        if progress is not None:
            progress(1)
        codes = transfers.lookup(accounts)
        train_codes = codes[labelled]
        X1 = _rows(graph.local, train_codes)
        oof1 = self._out_of_fold(X1, y, progress)
        stage1 = self._booster().fit(X1, y)
        self.stage1_ = export_hist_gradient_boosting(stage1)
        if progress is not None:
            progress(1)
        scores = self.stage1_.proba(graph.local)
        has = train_codes >= 0
        scores[train_codes[has]] = oof1[has]
        X2 = _rows(graph.stage2(scores), train_codes)
        oof2 = self._out_of_fold(X2, y, progress)
        stage2 = self._booster().fit(X2, y)
        self.stage2_ = export_hist_gradient_boosting(stage2)
        if progress is not None:
            progress(1)
        self.training_: dict[str, Any] = {
            "accounts": int(y.shape[0]),
            "mules": n_pos,
            "transfers": transfers.n,
            "oof_auc_stage1": round(float(roc_auc_score(y, oof1)), 4),
            "oof_auc_stage2": round(float(roc_auc_score(y, oof2)), 4),
        }
        return self

    def _fitted(self) -> tuple[TreeEnsemble, TreeEnsemble]:
        if not hasattr(self, "stage2_"):
            raise NotFitted(self)
        return self.stage1_, self.stage2_

    def _stage2_matrix(
        self, transfers: Transfers, known: Collection[str]
    ) -> tuple[FloatArray, TreeEnsemble]:
        stage1, stage2 = self._fitted()
        graph = _Graph(transfers)
        scores = stage1.proba(graph.local)
        if known:
            found = transfers.lookup(list(known))
            scores[found[found >= 0]] = 1.0
        return graph.stage2(scores), stage2

    def predict_proba(
        self,
        transfers: Transfers,
        accounts: Sequence[str] | None = None,
        *,
        known: Collection[str] = (),
    ) -> FloatArray:
        """Mule score in [0, 1] per account (all accounts of ``transfers`` when None).

        Accounts without any transfer get the score of an account with no activity.

        Raises:
            NotFitted: before :meth:`fit` or :meth:`load`.
        """
        matrix, stage2 = self._stage2_matrix(transfers, known)
        scores = stage2.proba(matrix)
        if accounts is None:
            return scores
        codes = transfers.lookup(accounts)
        if (codes < 0).any():
            idle = stage2.proba(np.zeros((1, matrix.shape[1])))[0]
            return np.where(codes >= 0, scores[np.maximum(codes, 0)], idle)
        result: FloatArray = scores[codes]
        return result

    def explain(
        self, transfers: Transfers, accounts: Sequence[str], *, top: int = 5
    ) -> list[list[tuple[str, float]]]:
        """The ``top`` features that moved each account's score most (log-odds, signed)."""
        matrix, stage2 = self._stage2_matrix(transfers, ())
        rows = _rows(matrix, transfers.lookup(accounts))
        contributions = stage2.contributions(rows)
        result = []
        for row in contributions:
            order = np.argsort(-np.abs(row))[:top]
            result.append([(STAGE2_FEATURES[i], round(float(row[i]), 4)) for i in order])
        return result

    def save(self, directory: str | Path) -> None:
        """Write ``model.npz`` (arrays, no pickle) and ``model.json`` into a folder."""
        stage1, stage2 = self._fitted()
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        arrays = {**stage1.to_arrays("s1_"), **stage2.to_arrays("s2_")}
        np.savez_compressed(folder / _NPZ, **arrays)  # type: ignore[arg-type]
        meta = {
            "format": _FORMAT,
            "version": _VERSION,
            "params": self.get_params(),
            "stage1_features": list(LOCAL_FEATURES),
            "stage2_features": list(STAGE2_FEATURES),
            "training": self.training_,
        }
        (folder / _JSON).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")

    @classmethod
    def load(cls, directory: str | Path) -> MuleModel:
        """Load a model saved by :meth:`save`.

        Raises:
            NotFound: the folder or one of its two files is missing.
            InvalidInput: the files are not a fanzha mule model of this version.
        """
        folder = Path(directory)
        for name in (_JSON, _NPZ):
            if not (folder / name).is_file():
                raise NotFound(
                    f"{folder / name}: no such file; train a model with 'fanzha funds train'"
                )
        try:
            meta = json.loads((folder / _JSON).read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"not JSON ({exc})", source=str(folder / _JSON)) from exc
        if not isinstance(meta, dict) or meta.get("format") != _FORMAT:
            raise InvalidInput("not a fanzha mule model", source=str(folder / _JSON))
        if meta.get("version") != _VERSION or meta.get("stage2_features") != list(STAGE2_FEATURES):
            raise InvalidInput(
                f"model version {meta.get('version')} or its features differ from this fanzha "
                f"(version {_VERSION}); retrain it",
                source=str(folder / _JSON),
            )
        model = cls(**meta["params"])
        try:
            with np.load(folder / _NPZ, allow_pickle=False) as arrays:
                model.stage1_ = TreeEnsemble.from_arrays(arrays, "s1_")
                model.stage2_ = TreeEnsemble.from_arrays(arrays, "s2_")
        except (KeyError, ValueError, OSError, zipfile.BadZipFile) as exc:
            raise InvalidInput(
                f"unreadable model arrays ({exc})", source=str(folder / _NPZ)
            ) from exc
        model.training_ = dict(meta.get("training", {}))
        return model
