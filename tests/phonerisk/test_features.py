"""`phonerisk._features`: folds and the out-of-fold neighbour fraud share."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from fanzha.phonerisk._features import assign_folds, neighbour_fraud_share
from fanzha.phonerisk._table import symmetric_adjacency


def test_folds_are_stratified_and_skip_unlabelled() -> None:
    labels = np.array([1.0] * 10 + [0.0] * 20 + [np.nan] * 5)
    folds = assign_folds(labels, 5, seed=3)
    assert (folds[-5:] == -1).all()
    for value, per_fold in ((1.0, 2), (0.0, 4)):
        assert np.bincount(folds[labels == value], minlength=5).tolist() == [per_fold] * 5


def test_share_of_a_training_row_leaves_out_its_own_fold() -> None:
    # a triangle 0-1-2 plus a pendant 3 on 0; rows 0 and 1 share fold 0
    edges = sp.csr_matrix(([1, 1, 1, 1], ([0, 1, 0, 0], [1, 2, 2, 3])), shape=(4, 4))
    adjacency = symmetric_adjacency(edges)
    folds = np.array([0, 0, 1, 1])

    def share(label_of_1: float) -> np.ndarray:
        labels = np.array([0.0, label_of_1, 0.0, 1.0])
        return neighbour_fraud_share(adjacency, labels, folds, n_folds=2, prior=0.3)

    fraud, normal = share(1.0), share(0.0)
    assert fraud[0] == normal[0]  # row 1 is in row 0's fold: row 0 never sees it
    assert fraud[2] > normal[2]  # row 2 is in the other fold: it does
    np.testing.assert_allclose(normal[0], (2 * 1 + 0.3) / (2 * 2 + 1))  # rows 2, 3 scaled x2


def test_unscored_rows_use_every_label_and_isolated_rows_get_the_prior() -> None:
    adjacency = symmetric_adjacency(sp.csr_matrix(([1, 1], ([0, 0], [1, 2])), shape=(4, 4)))
    labels = np.array([np.nan, 1.0, 0.0, np.nan])
    share = neighbour_fraud_share(adjacency, labels, np.full(4, -1), n_folds=5, prior=0.25)
    np.testing.assert_allclose(share, [(1 + 0.25) / 3, 0.25, 0.25, 0.25])


def test_symmetric_adjacency_is_undirected_binary_without_loops() -> None:
    raw = sp.csr_matrix(np.array([[2, 3, 0], [0, 0, 0], [5, 0, 0]]))
    assert symmetric_adjacency(raw).toarray().tolist() == [[0, 1, 1], [1, 0, 0], [1, 0, 0]]
