"""`fanzha phone train|score`: the command-line contract end to end, and bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
import scipy.sparse as sp
from click.testing import Result
from typer.testing import CliRunner

from fanzha.cli import app
from tests.phonerisk._phone_data import make_phone_data, write_phone_data

runner = CliRunner()


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("phone")
    features, edges = write_phone_data(folder)
    model = folder / "model"
    result = runner.invoke(
        app,
        [
            "phone", "train", "--features", str(features), "--id-col", "phone",
            "--label-col", "label", "--edges", str(edges), "--out", str(model),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "trained on 160 labelled of 240 rows, 4 feature columns" in result.stdout
    assert "not used as features: split" in result.stdout
    return features, edges, model


def _score(model: Path, features: Path, edges: Path | None, out: Path) -> Result:
    args = ["phone", "score", "--model", str(model), "--features", str(features)]
    args += ["--id-col", "phone", "--out", str(out)]
    if edges is not None:
        args += ["--edges", str(edges)]
    return runner.invoke(app, args)


def test_score_writes_id_and_score_for_every_row(
    trained: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    features, edges, model = trained
    result = _score(model, features, edges, tmp_path / "scores.csv")
    assert result.exit_code == 0, result.output
    scores = pl.read_csv(tmp_path / "scores.csv")
    assert scores.columns == ["id", "score"]
    _frame, _adjacency, truth = make_phone_data()
    assert scores["id"].to_list() == [f"p{i:04d}" for i in range(240)]
    unlabelled = np.arange(240) % 3 == 2
    predicted = scores["score"].to_numpy()[unlabelled] > 0.5
    assert (predicted == truth[unlabelled]).mean() > 0.8


def test_score_accepts_extra_columns_and_another_column_order(
    trained: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    features, edges, model = trained
    frame = pl.read_csv(features).with_columns(pl.lit("x").alias("note"))
    reordered = tmp_path / "reordered.csv"
    frame.select(list(reversed(frame.columns))).write_csv(reordered)
    assert _score(model, reordered, edges, tmp_path / "a.csv").exit_code == 0
    assert _score(model, features, edges, tmp_path / "b.csv").exit_code == 0
    assert pl.read_csv(tmp_path / "a.csv").equals(pl.read_csv(tmp_path / "b.csv"))


def _rewrite(features: Path, tmp_path: Path, change: str) -> tuple[Path, Path | None]:
    frame, adjacency, _truth = make_phone_data()
    edges: Path | None = tmp_path / "adj.npz"
    if change == "drop-column":
        frame = frame.drop("months")
    elif change == "text-cell":
        frame = frame.with_columns(pl.col("calls").cast(pl.String).alias("calls"))
        frame[5, "calls"] = "十二"
    elif change == "duplicate-id":
        frame[7, "phone"] = "p0003"
    elif change == "no-id-column":
        frame = frame.rename({"phone": "msisdn"})
    if change == "short-edges":
        adjacency = sp.csr_matrix(adjacency.toarray()[:-1, :-1])
    if change == "no-edges":
        edges = None
    else:
        assert edges is not None
        sp.save_npz(edges, adjacency)
    path = tmp_path / "bad.csv"
    frame.write_csv(path)
    return path, edges


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("drop-column", "missing feature column(s) 'months' that the model was trained with"),
        ("text-cell", "bad.csv line 7, calls: '十二' is not a finite number"),
        ("duplicate-id", "bad.csv line 9, phone: id 'p0003' repeats line 5"),
        ("no-id-column", "no id column 'phone'"),
        ("short-edges", "the adjacency matrix is 239×239 but bad.csv has 240 rows"),
        ("no-edges", "trained with a call graph; give the adjacency matrix (--edges)"),
    ],
)
def test_bad_score_input_is_a_clear_error(
    trained: tuple[Path, Path, Path], tmp_path: Path, change: str, expected: str
) -> None:
    features, _edges, model = trained
    bad, edges = _rewrite(features, tmp_path, change)
    result = _score(model, bad, edges, tmp_path / "scores.csv")
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert expected in message
    assert "Traceback" not in result.output


def test_train_refuses_a_label_that_is_not_0_or_1(tmp_path: Path) -> None:
    features, edges = write_phone_data(tmp_path)
    frame = pl.read_csv(features, infer_schema=False)
    frame[4, "label"] = "yes"
    frame.write_csv(features)
    result = runner.invoke(
        app,
        [
            "phone", "train", "--features", str(features), "--id-col", "phone",
            "--label-col", "label", "--edges", str(edges), "--out", str(tmp_path / "m"),
        ],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "line 6, label: 'yes' is not a label; write 1 for fraud" in " ".join(
        result.stderr.split()
    )
