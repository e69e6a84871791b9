"""The mule model: the estimator contract, saving as arrays, and unseen typologies."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from fanzha.demo import SyntheticAml, generate_aml
from fanzha.errors import InvalidInput, NotFound
from fanzha.funds import ColumnNames, MuleModel, Transfers, transfers_from_frame
from fanzha.funds._model import STAGE2_FEATURES

COLUMNS = ColumnNames("src", "dst", "amount", "time")
Data = tuple[Transfers, list[str], np.ndarray]


def _data(sim: SyntheticAml) -> Data:
    transfers = transfers_from_frame(sim.transactions, COLUMNS).transfers
    ids = [str(i) for i in sim.accounts["id"].to_list()]
    return transfers, ids, sim.accounts["is_fraud"].to_numpy().astype(np.float64)


@pytest.fixture(scope="module")
def fan_in() -> Data:
    return _data(generate_aml(n_accounts=4000, patterns={"fan_in": 60}, seed=1))


@pytest.fixture(scope="module")
def model(fan_in: Data) -> MuleModel:
    return MuleModel(max_iter=30, folds=3).fit(*fan_in)


def test_finds_a_typology_it_was_not_trained_on(model: MuleModel) -> None:
    transfers, ids, labels = _data(generate_aml(n_accounts=4000, patterns={"cycle": 60}, seed=2))
    assert roc_auc_score(labels, model.predict_proba(transfers, ids)) > 0.9


def test_load_keeps_the_training_figures(model: MuleModel, tmp_path: Path) -> None:
    model.save(tmp_path)
    assert MuleModel.load(tmp_path).training_ == model.training_


def test_unknown_accounts_get_the_idle_score(model: MuleModel, fan_in: Data) -> None:
    transfers, ids, _ = fan_in
    scores = model.predict_proba(transfers, [ids[0], "no-such-account"])
    assert scores.shape == (2,) and 0.0 <= scores[1] <= 1.0


def test_known_mules_raise_their_neighbours(model: MuleModel, fan_in: Data) -> None:
    transfers, ids, labels = fan_in
    mules = [i for i, y in zip(ids, labels, strict=True) if y == 1]
    plain = model.predict_proba(transfers, ids)
    helped = model.predict_proba(transfers, ids, known=mules)
    assert helped.mean() >= plain.mean()


def test_explain_names_stage2_features(model: MuleModel, fan_in: Data) -> None:
    transfers, ids, labels = fan_in
    mule = ids[int(np.argmax(labels))]
    reasons = model.explain(transfers, [mule], top=3)[0]
    assert len(reasons) == 3 and all(name in STAGE2_FEATURES for name, _ in reasons)


@pytest.mark.parametrize(
    ("labels", "match"),
    [
        pytest.param(lambda y: y[:-1], "labels for", id="misaligned"),
        pytest.param(lambda y: np.zeros_like(y), "each class needs", id="one-class"),
        pytest.param(lambda y: np.where(y == 1, 2.0, y), "1 \\(mule\\)", id="not-binary"),
    ],
)
def test_bad_labels(fan_in: Data, labels: object, match: str) -> None:
    transfers, ids, y = fan_in
    with pytest.raises(InvalidInput, match=match):
        MuleModel(max_iter=5, folds=2).fit(transfers, ids, labels(y))  # type: ignore[operator]


@pytest.mark.parametrize(
    ("param", "value"), [("max_iter", 0), ("learning_rate", 2.0), ("folds", 1), ("seed", "x")]
)
def test_bad_hyperparameters(fan_in: Data, param: str, value: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        MuleModel(**{param: value}).fit(*fan_in)  # type: ignore[arg-type]
    assert caught.value.field == param


def test_load_errors(tmp_path: Path, model: MuleModel) -> None:
    with pytest.raises(NotFound, match="funds train"):
        MuleModel.load(tmp_path / "none")
    model.save(tmp_path)
    meta = json.loads((tmp_path / "model.json").read_text())
    (tmp_path / "model.json").write_text(json.dumps(meta | {"version": 99}))
    with pytest.raises(InvalidInput, match="retrain"):
        MuleModel.load(tmp_path)
    (tmp_path / "model.json").write_text("{not json")
    with pytest.raises(InvalidInput, match="not JSON"):
        MuleModel.load(tmp_path)
