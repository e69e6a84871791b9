"""Call-graph evidence for the phone-risk model: how many of a number's contacts are known fraud.

Label features need care: a model trained on rows whose features were computed from their
own labels learns to read the answer back. A direct-neighbour share never includes a
row's own label (the graph has no self-loops), but a training row's value must still
look like the value of a row scored later, and the stacking layer is fitted on it. So
training rows are split into folds and a training row's share comes only from the labels
of the other folds (out-of-fold); its counts are scaled by ``k / (k - 1)`` to match rows
scored with every training label. Rows outside training (fold ``-1``) use all labels.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

__all__ = ["assign_folds", "neighbour_fraud_share"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def assign_folds(labels: FloatArray, n_folds: int, *, seed: int) -> IntArray:
    """Stratified fold of each labelled row (0..n_folds-1); -1 for unlabelled (NaN) rows."""
    rng = np.random.default_rng(seed)
    folds = np.full(labels.shape[0], -1, dtype=np.int64)
    for value in (0.0, 1.0):
        rows = rng.permutation(np.flatnonzero(labels == value))
        folds[rows] = (np.arange(rows.size) + rng.integers(n_folds)) % n_folds
    return folds


def neighbour_fraud_share(
    adjacency: sp.csr_matrix,
    labels: FloatArray,
    folds: IntArray,
    *,
    n_folds: int,
    prior: float,
) -> FloatArray:
    """Smoothed share of fraud among each row's labelled neighbours.

    The share is ``(fraud + prior) / (labelled + 1)`` over direct neighbours.

    ``adjacency`` is symmetric 0/1 (see ``symmetric_adjacency``), ``labels`` the training
    labels (NaN elsewhere) and ``folds`` their folds (0..n_folds-1; -1 elsewhere). Rows of
    fold k count only labels outside fold k; see the module docstring. A row without
    labelled neighbours gets ``prior``.
    """
    fraud, normal = _counts(adjacency, labels)
    scale = n_folds / (n_folds - 1)
    for fold in np.unique(folds[folds >= 0]):
        rows = folds == fold
        fold_fraud, fold_normal = _counts(adjacency, np.where(rows, np.nan, labels))
        fraud[rows] = fold_fraud[rows] * scale
        normal[rows] = fold_normal[rows] * scale
    return (fraud + prior) / (fraud + normal + 1.0)


def _counts(adjacency: sp.csr_matrix, labels: FloatArray) -> tuple[FloatArray, FloatArray]:
    fraud = adjacency @ (labels == 1).astype(np.float64)
    normal = adjacency @ (labels == 0).astype(np.float64)
    return np.asarray(fraud, dtype=np.float64), np.asarray(normal, dtype=np.float64)
