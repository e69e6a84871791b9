"""Gradient-boosted trees as plain arrays: exported from scikit-learn, predicted with numpy.

A fitted ``HistGradientBoostingClassifier`` (binary) becomes one :class:`TreeEnsemble`:
all trees' nodes in flat arrays (children as global node indices), the baseline log-odds
and, per node, the count-weighted mean of the leaves below it, so per-feature
contributions (Saabas: the change of that mean along the decision path) come for free.
Prediction follows scikit-learn exactly: a value goes left when ``x <= threshold``, a
missing (NaN) value goes where training sent missing values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from fanzha.errors import InvalidInput

__all__ = ["TreeEnsemble"]

FloatArray = npt.NDArray[np.float64]
_CHUNK = 65_536
_FIELDS = ("feature", "threshold", "left", "right", "leaf", "value", "missing_left", "roots")


@dataclass(frozen=True, slots=True, eq=False)
class TreeEnsemble:
    """Binary-classification trees in flat arrays; ``raw(X)`` is the log-odds."""

    feature: npt.NDArray[np.int32]
    threshold: FloatArray
    left: npt.NDArray[np.int32]
    right: npt.NDArray[np.int32]
    leaf: npt.NDArray[np.bool_]
    value: FloatArray
    missing_left: npt.NDArray[np.bool_]
    roots: npt.NDArray[np.int32]
    baseline: float
    n_features: int

    @classmethod
    def from_sklearn(cls, model: Any, n_features: int) -> TreeEnsemble:
        """Export a fitted binary ``HistGradientBoostingClassifier``."""
        blocks = [round_[0].nodes for round_ in model._predictors]
        sizes = np.array([b.shape[0] for b in blocks], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        nodes = np.concatenate(blocks)
        shift = np.repeat(offsets, sizes)
        leaf = nodes["is_leaf"].astype(bool)
        left = np.where(leaf, -1, nodes["left"].astype(np.int64) + shift)
        right = np.where(leaf, -1, nodes["right"].astype(np.int64) + shift)
        value = np.where(leaf, nodes["value"], 0.0).astype(np.float64)
        count = nodes["count"].astype(np.float64)
        # Internal nodes get the count-weighted mean of their leaves (deepest first).
        order = np.argsort(-nodes["depth"].astype(np.int64), kind="stable")
        for i in order:
            if not leaf[i]:
                a, b = left[i], right[i]
                total = count[a] + count[b]
                value[i] = (value[a] * count[a] + value[b] * count[b]) / max(total, 1.0)
        return cls(
            feature=np.where(leaf, 0, nodes["feature_idx"]).astype(np.int32),
            threshold=nodes["num_threshold"].astype(np.float64),
            left=left.astype(np.int32),
            right=right.astype(np.int32),
            leaf=leaf,
            value=value,
            missing_left=nodes["missing_go_to_left"].astype(bool),
            roots=offsets.astype(np.int32),
            baseline=float(np.asarray(model._baseline_prediction).ravel()[0]),
            n_features=n_features,
        )

    def _check(self, X: FloatArray) -> FloatArray:
        matrix = np.asarray(X, dtype=np.float64)
        if matrix.ndim != 2 or matrix.shape[1] != self.n_features:
            raise InvalidInput(
                f"got shape {matrix.shape}; the trees need {self.n_features} feature columns",
                field="X",
            )
        return matrix

    def _step(
        self,
        flat: FloatArray,
        n_cols: int,
        rows: npt.NDArray[np.int64],
        node: npt.NDArray[np.int64],
    ) -> npt.NDArray[np.int64]:
        """Move every (row, node) pair one level down its tree."""
        x = flat[rows * n_cols + self.feature[node]]
        go_left = np.where(np.isnan(x), self.missing_left[node], x <= self.threshold[node])
        child: npt.NDArray[np.int64] = np.where(go_left, self.left[node], self.right[node])
        return child

    def raw(self, X: FloatArray) -> FloatArray:
        """Log-odds per row."""
        matrix = np.ascontiguousarray(self._check(X))
        n_rows, n_cols = matrix.shape
        flat = matrix.ravel()
        total = np.full(n_rows, self.baseline, dtype=np.float64)
        n_trees = self.roots.shape[0]
        chunk = max(_CHUNK // max(n_trees, 1), 1) * 16
        for start in range(0, n_rows, chunk):
            stop = min(start + chunk, n_rows)
            rows = np.repeat(np.arange(start, stop, dtype=np.int64), n_trees)
            node = np.tile(self.roots.astype(np.int64), stop - start)
            # Level by level; pairs that reached a leaf drop out, so work follows leaf depth.
            while rows.shape[0]:
                done = self.leaf[node]
                if done.any():
                    total += np.bincount(
                        rows[done], weights=self.value[node[done]], minlength=n_rows
                    )
                    rows, node = rows[~done], node[~done]
                    if not rows.shape[0]:
                        break
                node = self._step(flat, n_cols, rows, node)
        return total

    def proba(self, X: FloatArray) -> FloatArray:
        """Probability of the positive class per row."""
        result: FloatArray = 1.0 / (1.0 + np.exp(-self.raw(X)))
        return result

    def bias(self) -> float:
        """The log-odds before any split: baseline plus every root's mean leaf value."""
        return self.baseline + float(self.value[self.roots].sum())

    def contributions(self, X: FloatArray) -> FloatArray:
        """Per-feature log-odds contributions (rows × features); a row sums to raw − bias."""
        matrix = np.ascontiguousarray(self._check(X))
        n_rows, n_cols = matrix.shape
        flat = matrix.ravel()
        out = np.zeros(n_rows * n_cols, dtype=np.float64)
        rows = np.repeat(np.arange(n_rows, dtype=np.int64), self.roots.shape[0])
        node = np.tile(self.roots.astype(np.int64), n_rows)
        while rows.shape[0]:
            inner = ~self.leaf[node]
            rows, node = rows[inner], node[inner]
            child = self._step(flat, n_cols, rows, node)
            cell = rows * n_cols + self.feature[node]
            out += np.bincount(
                cell, weights=self.value[child] - self.value[node], minlength=out.shape[0]
            )
            node = child
        return out.reshape(n_rows, n_cols)

    def to_arrays(self, prefix: str) -> dict[str, npt.NDArray[Any]]:
        """The arrays to store in an ``.npz`` under ``prefix``."""
        arrays: dict[str, npt.NDArray[Any]] = {
            f"{prefix}{name}": getattr(self, name) for name in _FIELDS
        }
        arrays[f"{prefix}baseline"] = np.array([self.baseline, float(self.n_features)])
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Any, prefix: str) -> TreeEnsemble:
        """Rebuild from :meth:`to_arrays` output (an ``np.load`` result works)."""
        head = np.asarray(arrays[f"{prefix}baseline"], dtype=np.float64)
        return cls(
            feature=np.asarray(arrays[f"{prefix}feature"], dtype=np.int32),
            threshold=np.asarray(arrays[f"{prefix}threshold"], dtype=np.float64),
            left=np.asarray(arrays[f"{prefix}left"], dtype=np.int32),
            right=np.asarray(arrays[f"{prefix}right"], dtype=np.int32),
            leaf=np.asarray(arrays[f"{prefix}leaf"], dtype=bool),
            value=np.asarray(arrays[f"{prefix}value"], dtype=np.float64),
            missing_left=np.asarray(arrays[f"{prefix}missing_left"], dtype=bool),
            roots=np.asarray(arrays[f"{prefix}roots"], dtype=np.int32),
            baseline=float(head[0]),
            n_features=int(head[1]),
        )
