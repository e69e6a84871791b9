"""The estimator contract, checked once over every trainable model (STYLE rule 6).

Every model: ``__init__`` stores keyword hyperparameters unchanged (``get_params`` returns
them, nothing is checked or learned yet); ``fit(...)`` checks them, returns ``self`` and
keeps what it learned in trailing-underscore attributes; ``predict_proba(...)`` is the one
prediction method (the positive-class probability per row for a binary model, one column
per class in ``classes_`` order for a multi-class one); ``save(directory)`` writes
``model.npz`` + ``model.json`` that ``np.load(allow_pickle=False)`` and ``json`` read, and
``load(directory)`` gives bit-identical predictions; use before fit raises ``NotFitted``
naming the class and the fix; the same seed gives the same model.

A new model joins by adding a :class:`ModelCase` to ``CASES``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from fanzha.demo import generate_aml
from fanzha.errors import InvalidInput, NotFitted
from fanzha.funds import ColumnNames, MuleModel, transfers_from_frame
from fanzha.phonerisk import PhoneRiskModel, phone_table_from_frame
from fanzha.screening import TextModel
from tests.conftest import make_rows
from tests.phonerisk._phone_data import make_phone_data


@dataclass(frozen=True)
class ModelCase:
    """A model class, small hyperparameters, a fixture data set and how to call it on it.

    ``data()`` returns ``(fit_args, predict_args)``, positional arguments of ``fit`` and
    ``predict_proba``; ``bad_param`` is a hyperparameter value ``fit`` must refuse.
    """

    model: type[Any]
    params: dict[str, Any]
    data: Callable[[], tuple[tuple[Any, ...], tuple[Any, ...]]]
    bad_param: tuple[str, object]
    shape: Callable[[tuple[Any, ...]], tuple[int, ...]]

    def make(self, **params: Any) -> Any:
        """An unfitted model with the case's hyperparameters (``params`` override them)."""
        return self.model(**{**self.params, **params})

    def fitted(self, **params: Any) -> Any:
        fit_args, _predict_args = self.data()
        return self.make(**params).fit(*fit_args)

    def predict(self, model: Any) -> npt.NDArray[np.float64]:
        _fit_args, predict_args = self.data()
        result: npt.NDArray[np.float64] = model.predict_proba(*predict_args)
        return result


@cache
def _texts() -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    rows = make_rows(15, seed=3)
    texts, labels = [r["text"] for r in rows], [r["label"] for r in rows]
    return (texts, labels), ([*texts[:20], "", "一段从没见过的文字"],)


@cache
def _phones() -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    frame, adjacency, _truth = make_phone_data(120, seed=5)
    table = phone_table_from_frame(frame, id_col="phone", label_col="label")
    return (table, adjacency), (table, adjacency)


@cache
def _mules() -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    sim = generate_aml(n_accounts=1500, patterns={"fan_in": 30}, seed=2)
    columns = ColumnNames("src", "dst", "amount", "time")
    transfers = transfers_from_frame(sim.transactions, columns).transfers
    ids = [str(i) for i in sim.accounts["id"].to_list()]
    labels = sim.accounts["is_fraud"].to_numpy().astype(np.float64)
    return (transfers, ids, labels), (transfers, [*ids[:50], "no-such-account"])


CASES = [
    pytest.param(
        ModelCase(
            TextModel,
            {"bits": 14, "calibration_folds": 2},
            _texts,
            ("C", 0.0),
            lambda args: (len(args[0]), 3),
        ),
        id="TextModel",
    ),
    pytest.param(
        ModelCase(
            PhoneRiskModel,
            {"max_iter": 15, "folds": 3},
            _phones,
            ("folds", 1),
            lambda args: (args[0].n_rows,),
        ),
        id="PhoneRiskModel",
    ),
    pytest.param(
        ModelCase(
            MuleModel,
            {"max_iter": 15, "folds": 3},
            _mules,
            ("learning_rate", 2.0),
            lambda args: (len(args[1]),),
        ),
        id="MuleModel",
    ),
]


def _learned(model: object) -> set[str]:
    return {name for name in vars(model) if name.endswith("_") and not name.startswith("_")}


@pytest.fixture(scope="module", params=CASES)
def case(request: pytest.FixtureRequest) -> ModelCase:
    result: ModelCase = request.param
    return result


@pytest.fixture(scope="module")
def fitted(case: ModelCase) -> Any:
    return case.fitted(seed=1)


def test_init_only_stores_hyperparameters(case: ModelCase) -> None:
    name, bad = case.bad_param
    model = case.make(seed=4, **{name: bad})
    assert {**case.params, "seed": 4, name: bad}.items() <= model.get_params().items()
    assert not _learned(model)
    with pytest.raises(InvalidInput) as error:
        model.fit(*case.data()[0])
    assert error.value.field == name


def test_fit_returns_self_and_learns_underscore_state(case: ModelCase, fitted: Any) -> None:
    model = case.make()
    assert model.fit(*case.data()[0]) is model
    assert _learned(model)
    assert _learned(model) == _learned(fitted)


def test_one_prediction_method_gives_probabilities(case: ModelCase, fitted: Any) -> None:
    for method in ("fit", "predict_proba", "explain", "save", "load", "get_params"):
        assert callable(getattr(case.model, method)), method
    assert not hasattr(case.model, "score")
    proba = case.predict(fitted)
    assert proba.dtype == np.float64
    assert proba.shape == case.shape(case.data()[1])
    assert ((proba >= 0) & (proba <= 1)).all()
    if proba.ndim == 2:
        np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_save_then_load_predicts_bit_identically(
    case: ModelCase, fitted: Any, tmp_path: Path
) -> None:
    fitted.save(tmp_path / "model")
    loaded = case.model.load(tmp_path / "model")
    assert type(loaded) is case.model
    assert loaded.get_params() == fitted.get_params()
    assert _learned(loaded) == _learned(fitted)
    np.testing.assert_array_equal(case.predict(loaded), case.predict(fitted))


def test_saved_files_are_arrays_and_json_without_pickle(
    case: ModelCase, fitted: Any, tmp_path: Path
) -> None:
    fitted.save(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json", "model.npz"]
    assert isinstance(json.loads((tmp_path / "model.json").read_text("utf-8")), dict)
    with np.load(tmp_path / "model.npz", allow_pickle=False) as arrays:
        assert arrays.files
        for name in arrays.files:
            assert arrays[name].dtype != object, name


@pytest.mark.parametrize("use", ["predict_proba", "explain", "save"])
def test_unfitted_use_says_which_class_and_how_to_fix(
    case: ModelCase, use: str, tmp_path: Path
) -> None:
    model = case.make()
    calls: dict[str, Callable[[], object]] = {
        "predict_proba": lambda: case.predict(model),
        "explain": lambda: _explain(model, case.data()[1]),
        "save": lambda: model.save(tmp_path / "never"),
    }
    with pytest.raises(NotFitted) as error:
        calls[use]()
    name = case.model.__name__
    assert f"This {name} instance is not fitted yet" in error.value.message
    assert "Call 'fit'" in error.value.message and f"{name}.load(path)" in error.value.message
    assert not (tmp_path / "never").exists()


def _explain(model: Any, predict_args: tuple[Any, ...]) -> object:
    if isinstance(model, TextModel):
        return model.explain(predict_args[0][0])
    return model.explain(*predict_args)


def test_same_seed_gives_the_same_model(case: ModelCase, fitted: Any, tmp_path: Path) -> None:
    twin = case.fitted(seed=1)
    np.testing.assert_array_equal(case.predict(twin), case.predict(fitted))
    fitted.save(tmp_path / "a")
    twin.save(tmp_path / "b")
    with (
        np.load(tmp_path / "a" / "model.npz", allow_pickle=False) as a,
        np.load(tmp_path / "b" / "model.npz", allow_pickle=False) as b,
    ):
        assert a.files == b.files
        for name in a.files:
            np.testing.assert_array_equal(a[name], b[name])
