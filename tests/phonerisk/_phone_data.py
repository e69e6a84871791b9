"""Small synthetic phone-user tables and call graphs for the phone-risk tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl
import scipy.sparse as sp

__all__ = ["make_phone_data", "write_phone_data"]


def make_phone_data(
    n: int = 240, *, seed: int = 7
) -> tuple[pl.DataFrame, sp.csr_matrix, npt.NDArray[np.bool_]]:
    """A features frame (id, split, label, four features, some missing), a call graph, truth.

    Fraud numbers make more calls to more distinct numbers and call each other more often;
    the label is empty for every third row (unlabelled, still in the graph).
    """
    rng = np.random.default_rng(seed)
    fraud = rng.random(n) < 0.3
    calls = rng.poisson(np.where(fraud, 40, 15)).astype(np.float64)
    distinct = np.minimum(calls, rng.poisson(np.where(fraud, 30, 6)))
    months = rng.integers(1, 9, n).astype(np.float64) - 3 * fraud
    arpu = rng.normal(50, 15, n)
    arpu[rng.random(n) < 0.1] = np.nan
    label = np.where(np.arange(n) % 3 == 2, None, fraud.astype(np.int64).astype(str))
    frame = pl.DataFrame(
        {
            "phone": [f"p{i:04d}" for i in range(n)],
            "split": np.where(np.arange(n) % 3 == 2, "test", "train"),
            "label": label.tolist(),
            "calls": calls,
            "distinct": distinct,
            "months": months,
            "arpu": arpu,
        }
    )
    same = fraud[:, None] & fraud[None, :]
    p = np.where(same, 0.15, 0.02)
    upper = np.triu(rng.random((n, n)) < p, k=1)
    return frame, sp.csr_matrix(upper.astype(np.int32)), fraud


def write_phone_data(folder: Path, n: int = 240, *, seed: int = 7) -> tuple[Path, Path]:
    """Write :func:`make_phone_data` as ``users.csv`` and ``adj.npz``; return both paths."""
    frame, adjacency, _truth = make_phone_data(n, seed=seed)
    features, edges = folder / "users.csv", folder / "adj.npz"
    frame.write_csv(features)
    sp.save_npz(edges, adjacency)
    return features, edges
