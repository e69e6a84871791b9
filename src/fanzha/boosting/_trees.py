"""Gradient-boosted trees as plain arrays: exported from scikit-learn, predicted with numpy.

A fitted binary ``HistGradientBoostingClassifier`` cannot be saved without pickle, but each
of its trees is a numpy record array of nodes. :func:`export_hist_gradient_boosting` copies
them into one :class:`TreeEnsemble`: all trees' nodes end to end in flat arrays (children
as global node indices), the baseline log-odds and, per inner node, the count-weighted mean
of the leaves below it, so per-feature contributions (Saabas: the change of that mean along
the decision path) come for free. Prediction follows scikit-learn exactly, to the last bit:
a value goes left when ``x <= threshold``, a missing (NaN) value goes where training sent
missing values, and the leaf values are added tree by tree in scikit-learn's order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from fanzha.errors import InvalidInput

__all__ = ["TreeEnsemble", "export_hist_gradient_boosting"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]

# (row, tree) pairs walked at once: bounds the memory of one block of rows.
_PAIRS = 1 << 20
_NODE_ARRAYS = ("feature", "threshold", "missing_left", "left", "right", "is_leaf", "value")


@dataclass(frozen=True, slots=True, eq=False)
class TreeEnsemble:
    """Binary boosted trees: log-odds = ``baseline`` + the leaf value of every tree.

    Node arrays are flat over all trees; ``roots`` holds the index of each tree's root.
    An inner node's ``value`` is the training-count-weighted mean of its leaves.
    """

    feature: IntArray
    threshold: FloatArray
    missing_left: BoolArray
    left: IntArray
    right: IntArray
    is_leaf: BoolArray
    value: FloatArray
    roots: IntArray
    baseline: float
    n_features: int

    @property
    def n_trees(self) -> int:
        """Number of trees."""
        return int(self.roots.shape[0])

    def _matrix(self, X: FloatArray) -> FloatArray:
        matrix = np.ascontiguousarray(X, dtype=np.float64)
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
        """Move every (row, inner node) pair one level down its tree."""
        x = flat[rows * n_cols + self.feature[node]]
        go_left = np.where(np.isnan(x), self.missing_left[node], x <= self.threshold[node])
        child: npt.NDArray[np.int64] = np.where(go_left, self.left[node], self.right[node])
        return child

    def _leaves(self, flat: FloatArray, n_cols: int, start: int, stop: int) -> FloatArray:
        """Leaf value of rows ``start:stop`` in every tree, (trees × rows)."""
        n_trees, n_rows = self.n_trees, stop - start
        found = np.empty(n_trees * n_rows, dtype=np.float64)
        pair = np.arange(n_trees * n_rows, dtype=np.int64)  # tree-major: pair = tree*rows+row
        rows = np.tile(np.arange(start, stop, dtype=np.int64), n_trees)
        node = np.repeat(self.roots.astype(np.int64), n_rows)
        # Level by level; pairs that reached a leaf drop out, so work follows leaf depth.
        while pair.shape[0]:
            done = self.is_leaf[node]
            if done.any():
                found[pair[done]] = self.value[node[done]]
                going = ~done
                pair, rows, node = pair[going], rows[going], node[going]
            if pair.shape[0]:
                node = self._step(flat, n_cols, rows, node)
        return found.reshape(n_trees, n_rows)

    def decision_function(self, X: FloatArray) -> FloatArray:
        """Log-odds of the rows of ``X`` (n × n_features; NaN = missing)."""
        matrix = self._matrix(X)
        n_rows, n_cols = matrix.shape
        flat = matrix.ravel()
        out = np.full(n_rows, self.baseline, dtype=np.float64)
        block = max(_PAIRS // max(self.n_trees, 1), 1)
        for start in range(0, n_rows, block):
            stop = min(start + block, n_rows)
            total = out[start:stop]
            # tree by tree, in scikit-learn's order, so the sums are bit-identical
            for leaf_values in self._leaves(flat, n_cols, start, stop):
                total += leaf_values
        return out

    def proba(self, X: FloatArray) -> FloatArray:
        """Probability of the positive class per row."""
        result: FloatArray = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return result

    def bias(self) -> float:
        """The log-odds before any split: baseline plus every root's mean leaf value."""
        return self.baseline + float(self.value[self.roots].sum())

    def contributions(self, X: FloatArray) -> FloatArray:
        """Per-feature log-odds contributions (rows × features); a row sums to log-odds − bias."""
        matrix = self._matrix(X)
        n_rows, n_cols = matrix.shape
        flat = matrix.ravel()
        out = np.zeros(n_rows * n_cols, dtype=np.float64)
        rows = np.repeat(np.arange(n_rows, dtype=np.int64), self.n_trees)
        node = np.tile(self.roots.astype(np.int64), n_rows)
        while rows.shape[0]:
            inner = ~self.is_leaf[node]
            rows, node = rows[inner], node[inner]
            child = self._step(flat, n_cols, rows, node)
            cell = rows * n_cols + self.feature[node]
            out += np.bincount(
                cell, weights=self.value[child] - self.value[node], minlength=out.shape[0]
            )
            node = child
        return out.reshape(n_rows, n_cols)

    def to_arrays(self, prefix: str = "") -> dict[str, npt.NDArray[Any]]:
        """The arrays to store in an ``.npz`` under ``prefix``; :meth:`from_arrays` reads them."""
        arrays = {f"{prefix}{name}": getattr(self, name) for name in (*_NODE_ARRAYS, "roots")}
        arrays[f"{prefix}baseline"] = np.array([self.baseline], dtype=np.float64)
        arrays[f"{prefix}n_features"] = np.array([self.n_features], dtype=np.int64)
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[Any]], prefix: str = "") -> TreeEnsemble:
        """Rebuild from :meth:`to_arrays` output (an ``np.load`` result works).

        Also reads the layout fanzha.funds wrote before the trees were shared (``leaf``;
        ``baseline`` holding baseline and feature count). Raises InvalidInput when the
        arrays are missing, malformed or inconsistent (a walk that would never end).
        """
        try:
            head = np.asarray(arrays[f"{prefix}baseline"], dtype=np.float64).ravel()
            legacy = head.shape == (2,)
            (baseline,) = head[:1] if legacy else head
            n_features = head[1] if legacy else arrays[f"{prefix}n_features"].item()
            leaf = arrays[f"{prefix}leaf" if legacy else f"{prefix}is_leaf"]
            ensemble = cls(
                feature=np.asarray(arrays[f"{prefix}feature"], dtype=np.int32),
                threshold=np.asarray(arrays[f"{prefix}threshold"], dtype=np.float64),
                missing_left=np.asarray(arrays[f"{prefix}missing_left"], dtype=np.bool_),
                left=np.asarray(arrays[f"{prefix}left"], dtype=np.int32),
                right=np.asarray(arrays[f"{prefix}right"], dtype=np.int32),
                is_leaf=np.asarray(leaf, dtype=np.bool_),
                value=np.asarray(arrays[f"{prefix}value"], dtype=np.float64),
                roots=np.asarray(arrays[f"{prefix}roots"], dtype=np.int32),
                baseline=float(baseline),
                n_features=int(n_features),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise InvalidInput(f"tree arrays missing or malformed ({exc})", field="trees") from exc
        ensemble._check()
        return ensemble

    def _check(self) -> None:
        n = self.value.shape[0]
        inner = np.flatnonzero(~self.is_leaf)
        ok = (
            all(getattr(self, name).shape == (n,) for name in _NODE_ARRAYS)
            and self.roots.ndim == 1
            and bool(np.all((self.roots >= 0) & (self.roots < n)))
            and bool(np.isfinite(self.value).all())
            and bool(np.isfinite(self.baseline))
            # children come after their parent, so every walk ends at a leaf
            and bool(np.all(self.left[inner] > inner))
            and bool(np.all(self.right[inner] > inner))
            and bool(np.all(self.left[inner] < n))
            and bool(np.all(self.right[inner] < n))
            and bool(np.all((self.feature[inner] >= 0) & (self.feature[inner] < self.n_features)))
        )
        if not ok:
            raise InvalidInput(
                "tree arrays are inconsistent (shapes, child indices or features out of "
                "range); save the model again",
                field="trees",
            )


def _inner_means(
    is_leaf: BoolArray, left: IntArray, right: IntArray, value: FloatArray, nodes: Any
) -> FloatArray:
    """Leaf values kept; each inner node gets the count-weighted mean of its leaves."""
    means = np.where(is_leaf, value, 0.0)
    count = nodes["count"].astype(np.float64)
    # children follow their parent, so the deepest nodes come first in reverse order
    for i in np.flatnonzero(~is_leaf)[::-1]:
        a, b = left[i], right[i]
        means[i] = (means[a] * count[a] + means[b] * count[b]) / max(count[a] + count[b], 1.0)
    return means


def export_hist_gradient_boosting(model: Any) -> TreeEnsemble:
    """Copy the trees of a fitted binary ``HistGradientBoostingClassifier`` into arrays.

    Raises InvalidInput for a multi-class model, one without trees or with categorical splits.
    """
    predictors = model._predictors
    if any(len(per_iteration) != 1 for per_iteration in predictors):
        raise InvalidInput("only binary classifiers can be exported", field="model")
    if not predictors:
        raise InvalidInput("the model has no trees", field="model")
    nodes = [per_iteration[0].nodes for per_iteration in predictors]
    if any(bool(n["is_categorical"].any()) for n in nodes):
        raise InvalidInput("categorical splits cannot be exported", field="model")
    sizes = np.array([n.shape[0] for n in nodes], dtype=np.int64)
    roots = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int32)
    offsets = np.repeat(roots, sizes)
    flat = np.concatenate(nodes)
    is_leaf = flat["is_leaf"].astype(np.bool_)
    left = np.where(is_leaf, 0, flat["left"].astype(np.int64) + offsets).astype(np.int32)
    right = np.where(is_leaf, 0, flat["right"].astype(np.int64) + offsets).astype(np.int32)
    return TreeEnsemble(
        feature=np.where(is_leaf, 0, flat["feature_idx"]).astype(np.int32),
        threshold=flat["num_threshold"].astype(np.float64),
        missing_left=flat["missing_go_to_left"].astype(np.bool_),
        left=left,
        right=right,
        is_leaf=is_leaf,
        value=_inner_means(is_leaf, left, right, flat["value"].astype(np.float64), flat),
        roots=roots,
        baseline=float(np.ravel(model._baseline_prediction)[0]),
        n_features=int(model.n_features_in_),
    )
