"""`PhoneRiskModel`: learns from features and the call graph, saves as arrays, refuses bad input."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import scipy.sparse as sp
from sklearn.metrics import roc_auc_score

from fanzha.errors import InvalidInput, NotFound
from fanzha.phonerisk import PhoneRiskModel, phone_metrics, phone_table_from_frame
from fanzha.phonerisk._features import assign_folds, neighbour_fraud_share
from fanzha.phonerisk._table import PhoneTable, symmetric_adjacency
from tests.phonerisk._phone_data import make_phone_data

SMALL = {"max_iter": 30, "folds": 3}
SICHUAN = (
    Path(os.environ.get("FANZHA_DATA", Path(__file__).resolve().parents[3] / "shared" / "data"))
    / "phone"
    / "sichuan"
)


@pytest.fixture(scope="module")
def data() -> tuple[PhoneTable, sp.csr_matrix, np.ndarray]:
    frame, adjacency, truth = make_phone_data(240, seed=7)
    table = phone_table_from_frame(frame, id_col="phone", label_col="label")
    return table, adjacency, truth


@pytest.fixture(scope="module")
def fitted(data: tuple[PhoneTable, sp.csr_matrix, np.ndarray]) -> PhoneRiskModel:
    table, adjacency, _truth = data
    return PhoneRiskModel(**SMALL).fit(table, adjacency)


def test_scores_rank_unlabelled_fraud_first(
    data: tuple[PhoneTable, sp.csr_matrix, np.ndarray], fitted: PhoneRiskModel
) -> None:
    table, adjacency, truth = data
    assert table.labels is not None
    unlabelled = np.isnan(table.labels)
    scores = fitted.predict_proba(table, adjacency)
    assert ((scores >= 0) & (scores <= 1)).all()
    assert roc_auc_score(truth[unlabelled], scores[unlabelled]) > 0.85
    assert fitted.coef_[1] > 0  # more fraud among contacts, more risk


def test_explain_adds_up_to_the_score(
    data: tuple[PhoneTable, sp.csr_matrix, np.ndarray], fitted: PhoneRiskModel
) -> None:
    table, adjacency, _truth = data
    parts = fitted.explain(table, adjacency)
    logit = parts["own"] + parts["graph"] + fitted.intercept_
    np.testing.assert_allclose(1 / (1 + np.exp(-logit)), fitted.predict_proba(table, adjacency))


def test_scoring_gives_the_training_shares_in_any_row_order(
    data: tuple[PhoneTable, sp.csr_matrix, np.ndarray], fitted: PhoneRiskModel
) -> None:
    table, adjacency, _truth = data
    assert table.labels is not None
    folds = assign_folds(table.labels, SMALL["folds"], seed=0)
    graph = symmetric_adjacency(adjacency)
    expected = neighbour_fraud_share(graph, table.labels, folds, n_folds=3, prior=fitted.prior_)
    order = np.random.default_rng(0).permutation(table.n_rows)
    shuffled = dataclasses.replace(
        table, ids=table.ids[order], values=table.values[order], labels=None
    )
    share = fitted.neighbour_share(shuffled, graph[order][:, order])
    np.testing.assert_allclose(share, expected[order])


def test_a_model_without_graph_ignores_edges(
    data: tuple[PhoneTable, sp.csr_matrix, np.ndarray],
) -> None:
    table, adjacency, _truth = data
    model = PhoneRiskModel(**SMALL).fit(table)
    assert not model.uses_graph_
    np.testing.assert_array_equal(model.predict_proba(table), model.predict_proba(table, adjacency))


@pytest.mark.parametrize(
    ("call", "error", "expected"),
    [
        pytest.param("no-edges", InvalidInput, "trained with a call graph", id="graph-missing"),
        pytest.param("bad-shape", InvalidInput, "adjacency matrix is 3×3", id="graph-shape"),
        pytest.param("columns", InvalidInput, "missing feature column", id="columns-differ"),
    ],
)
def test_bad_use_is_refused(
    data: tuple[PhoneTable, sp.csr_matrix, np.ndarray],
    fitted: PhoneRiskModel,
    call: str,
    error: type[Exception],
    expected: str,
) -> None:
    table, _adjacency, _truth = data
    with pytest.raises(error, match=expected):
        if call == "no-edges":
            fitted.predict_proba(table)
        elif call == "bad-shape":
            fitted.predict_proba(table, sp.csr_matrix((3, 3)))
        else:
            fitted.predict_proba(
                dataclasses.replace(table, columns=("calls", "x", "months", "arpu"))
            )


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        pytest.param(None, "no label column", id="no-labels"),
        pytest.param("few", "2 fraud", id="too-few-fraud"),
    ],
)
def test_fit_needs_enough_labels(
    data: tuple[PhoneTable, sp.csr_matrix, np.ndarray], labels: str | None, expected: str
) -> None:
    table, adjacency, _truth = data
    if labels is None:
        table = dataclasses.replace(table, labels=None)
    else:
        few = np.zeros(table.n_rows)
        few[:2] = 1
        table = dataclasses.replace(table, labels=few)
    with pytest.raises(InvalidInput, match=expected):
        PhoneRiskModel(**SMALL).fit(table, adjacency)


def test_load_refuses_missing_and_broken_models(fitted: PhoneRiskModel, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match=r"model\.json"):
        PhoneRiskModel.load(tmp_path / "none")
    fitted.save(tmp_path / "m")
    (tmp_path / "m" / "model.npz").write_bytes(b"junk")
    with pytest.raises(InvalidInput, match="unreadable model"):
        PhoneRiskModel.load(tmp_path / "m")


@pytest.mark.skipif(not (SICHUAN / "users.csv").is_file(), reason="Sichuan data not present")
def test_a_slice_of_the_sichuan_set() -> None:
    frame = pl.read_csv(SICHUAN / "users.csv", n_rows=1000, infer_schema=False)
    frame = frame.with_columns(
        pl.when(pl.col("split") == "train").then(pl.col("label")).otherwise(None).alias("train")
    )
    table = phone_table_from_frame(frame.drop("label"), id_col="phone_no_m", label_col="train")
    adjacency = sp.load_npz(SICHUAN / "edges_adj_sparse.npz").tocsr()[:1000, :1000]
    scores = PhoneRiskModel(**SMALL).fit(table, adjacency).predict_proba(table, adjacency)
    dev = (frame["split"] == "dev").to_numpy()
    truth = frame["label"].cast(pl.Float64).to_numpy()
    assert (
        phone_metrics(truth[dev], scores[dev]).auc > 0.8
    )  # 0.887 at writing; ~190 training labels
