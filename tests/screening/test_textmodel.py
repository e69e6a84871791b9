"""The trainable text classifier: learning, probabilities, explanations, persistence, errors."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import numpy as np
import pytest

from fanzha.errors import InvalidInput, NotFitted, NotFound
from fanzha.screening import TextModel
from fanzha.screening._textmodel import predict_proba_together
from tests.conftest import make_rows

FILLER = "今天我们在公司开会讨论下周的安排请大家准时到达会议室带好资料谢谢配合明天见"
KEYWORDS = {"刷单返利": "刷单返佣", "冒充公检法": "安全账户", "正常": "红烧肉"}


def _corpus(
    keywords: dict[str, str], *, per_class: int = 40, seed: int = 7
) -> tuple[list[str], list[str]]:
    """Texts of random filler with one class keyword inserted at a random place."""
    rng = random.Random(seed)
    texts, labels = [], []
    for label, keyword in keywords.items():
        for _ in range(per_class):
            words = rng.sample(FILLER, 12)
            words.insert(rng.randrange(len(words) + 1), keyword)
            texts.append("".join(words))
            labels.append(label)
    return texts, labels


@pytest.fixture(scope="module")
def fitted() -> TextModel:
    texts, labels = _corpus(KEYWORDS)
    return TextModel(bits=16, seed=3).fit(texts, labels)


def test_learns_keyword_classes(fitted: TextModel) -> None:
    texts, labels = _corpus(KEYWORDS, per_class=15, seed=99)
    predicted = fitted.predict(texts)
    accuracy = np.mean([p == t for p, t in zip(predicted, labels, strict=True)])
    assert accuracy >= 0.95
    assert fitted.classes_ == tuple(sorted(KEYWORDS))


def test_probabilities_are_rows_that_sum_to_one(fitted: TextModel) -> None:
    proba = fitted.predict_proba(["我在公司刷单返佣赚钱", "晚饭吃红烧肉"])
    assert proba.shape == (2, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert proba[0, fitted.classes_.index("刷单返利")] > 0.5
    assert proba[1, fitted.classes_.index("正常")] > 0.5


def test_predict_agrees_with_predict_proba(fitted: TextModel) -> None:
    texts, _ = _corpus(KEYWORDS, per_class=5, seed=5)
    best = fitted.predict_proba(texts).argmax(axis=1)
    assert fitted.predict(texts) == [fitted.classes_[i] for i in best]


def _garbage(seed: int) -> str:
    rng = np.random.default_rng(seed)
    return bytes(rng.integers(0, 256, 3000, dtype=np.uint8)).decode("utf-8", "replace")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("刷单返佣" * 250_000, id="one-megabyte"),
        pytest.param(_garbage(1), id="binary-garbage"),
        pytest.param("".join(chr(c) for c in range(0x1F600, 0x1F650)), id="emoji"),
        pytest.param("\x00\ud800 lone surrogate", id="nul-and-surrogate"),
        pytest.param("a", id="one-char"),
    ],
)
def test_any_text_gets_valid_probabilities(fitted: TextModel, text: str) -> None:
    proba = fitted.predict_proba([text, "安全账户"])
    assert proba.shape == (2, 3)
    assert np.all(np.isfinite(proba))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_long_text_scores_like_its_content(fitted: TextModel) -> None:
    assert fitted.predict(["刷单返佣" * 250_000]) == ["刷单返利"]


def test_empty_batch(fitted: TextModel) -> None:
    assert fitted.predict_proba([]).shape == (0, 3)
    assert fitted.predict([]) == []


@pytest.mark.parametrize(
    ("label", "keyword"), [pytest.param(k, v, id=v) for k, v in KEYWORDS.items()]
)
def test_explain_names_the_class_keyword(fitted: TextModel, label: str, keyword: str) -> None:
    texts, _ = _corpus({label: keyword}, per_class=1, seed=11)
    features = fitted.explain(texts[0], top=5)
    assert 1 <= len(features) <= 5
    assert any(gram in keyword or keyword in gram for gram, _ in features)
    contributions = [c for _, c in features]
    assert all(c > 0 for c in contributions)


def test_explain_without_known_features_is_empty(fitted: TextModel) -> None:
    assert fitted.explain("") == []


def test_save_keeps_the_classes(fitted: TextModel, tmp_path: Path) -> None:
    fitted.save(tmp_path)
    meta = json.loads((tmp_path / "model.json").read_text("utf-8"))
    assert meta["classes"] == list(fitted.classes_)
    assert TextModel.load(tmp_path).classes_ == fitted.classes_


@pytest.mark.parametrize(
    "keywords",
    [
        pytest.param({"a": "刷单", "b": "安全账户", "c": "红烧肉"}, id="latin-labels"),
        pytest.param({"诈骗": "安全账户", "正常": "红烧肉"}, id="two-chinese-labels"),
        pytest.param({"1": "刷单", "class with spaces": "红烧肉"}, id="odd-labels"),
    ],
)
def test_any_label_set(keywords: dict[str, str]) -> None:
    texts, labels = _corpus(keywords, per_class=20, seed=8)
    model = TextModel(bits=16).fit(texts, labels)
    assert model.classes_ == tuple(sorted(keywords))
    assert model.predict(texts) == labels
    assert model.predict_proba(texts[:3]).shape == (3, len(keywords))


def test_unfitted_predict_raises_not_fitted() -> None:
    with pytest.raises(NotFitted, match="TextModel"):
        TextModel().predict(["x"])


@pytest.mark.parametrize(
    ("texts", "labels", "field"),
    [
        pytest.param(["a", "b"], ["x"], "labels", id="mismatched-lengths"),
        pytest.param(["a", "b"], ["x", "x"], "labels", id="one-class"),
        pytest.param([], [], "texts", id="empty"),
        pytest.param(["a", 3], ["x", "y"], "texts", id="non-string-text"),
        pytest.param(["a", "b"], ["x", None], "labels", id="non-string-label"),
        pytest.param("ab", ["x", "y"], "texts", id="string-not-list"),
    ],
)
def test_bad_training_input_raises(texts: object, labels: object, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        TextModel().fit(texts, labels)  # type: ignore[arg-type]
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("params", "field"),
    [
        pytest.param({"max_n": 0}, "max_n", id="max-n-zero"),
        pytest.param({"C": -1.0}, "C", id="negative-c"),
        pytest.param({"class_weight": "heavy"}, "class_weight", id="unknown-class-weight"),
        pytest.param({"bits": 40}, "bits", id="too-many-bits"),
        pytest.param({"head_weight": -0.5}, "head_weight", id="negative-head-weight"),
    ],
)
def test_bad_hyperparameters_raise_on_fit(params: dict[str, object], field: str) -> None:
    model = TextModel(**params)  # type: ignore[arg-type]
    assert model.get_params()[field] == params[field]
    with pytest.raises(InvalidInput) as caught:
        model.fit(["a", "b"], ["x", "y"])
    assert caught.value.field == field


def test_predict_rejects_non_strings(fitted: TextModel) -> None:
    with pytest.raises(InvalidInput):
        fitted.predict_proba(["ok", b"bytes"])  # type: ignore[list-item]


def test_load_missing_folder_raises_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        TextModel.load(tmp_path / "nothing")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("model.json", b"{not json", id="bad-json"),
        pytest.param("model.npz", b"not a zip file", id="bad-npz"),
        pytest.param("model.json", b'{"format": "other", "version": 1}', id="wrong-format"),
    ],
)
def test_load_corrupt_files_raises_invalid_input(
    fitted: TextModel, tmp_path: Path, name: str, content: bytes
) -> None:
    fitted.save(tmp_path)
    (tmp_path / name).write_bytes(content)
    with pytest.raises(InvalidInput):
        TextModel.load(tmp_path)


def test_predict_proba_together_equals_one_by_one() -> None:
    rows = make_rows(20, seed=11)
    texts = [row["text"] for row in rows]
    labels = [row["label"] for row in rows]
    binary = ["正常" if label == "正常" else "诈骗" for label in labels]
    by_type = TextModel(seed=0).fit(texts, labels)
    by_risk = TextModel(seed=0).fit(texts, binary)
    other_features = TextModel(seed=0, max_n=2).fit(texts, binary)
    probe = ["兼职刷单返利", "我是公安局民警", "周末去爬山", ""]
    together = predict_proba_together([by_type, by_risk, other_features], probe)
    for model, probabilities in zip([by_type, by_risk, other_features], together, strict=True):
        np.testing.assert_allclose(probabilities, model.predict_proba(probe), rtol=1e-6)


@pytest.mark.parametrize(
    "corrupt",
    [
        pytest.param("json-list", id="model-json-is-a-list"),
        pytest.param("nan-temperature", id="nan-temperature"),
        pytest.param("repeated-class", id="repeated-class"),
    ],
)
def test_load_refuses_corrupt_models(tmp_path: Path, corrupt: str) -> None:
    rows = make_rows(10, seed=12)
    model = TextModel(seed=0).fit([r["text"] for r in rows], [r["label"] for r in rows])
    model.save(tmp_path)
    meta_path = tmp_path / "model.json"
    if corrupt == "json-list":
        meta_path.write_text("[]", encoding="utf-8")
    elif corrupt == "repeated-class":
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta["classes"][1] = meta["classes"][0]
        meta_path.write_text(json.dumps(meta), encoding="utf-8")
    else:
        with np.load(tmp_path / "model.npz") as arrays:
            data = {name: arrays[name] for name in arrays.files}
        data["temperature"] = np.array([np.nan])
        np.savez_compressed(tmp_path / "model.npz", **data)
    with pytest.raises(InvalidInput):
        TextModel.load(tmp_path)


def test_first_line_is_a_view_of_its_own() -> None:
    """Titles decide when the body is shared; turns and one-line texts get no such view."""
    rng = random.Random(11)
    bodies = ["".join(rng.sample(FILLER, 20)) for _ in range(60)]
    titles = ["警惕刷单返佣骗局", "警方破获杀猪盘案"]
    texts = [f"{titles[i % 2]}\n{body}" for i, body in enumerate(bodies)]
    labels = ["刷单" if i % 2 == 0 else "杀猪盘" for i in range(len(bodies))]
    with_view = TextModel(bits=16, seed=0).fit(texts, labels)
    without = TextModel(bits=16, seed=0, head_weight=0.0).fit(texts, labels)
    unseen = [f"{titles[0]}\n{bodies[1]}", f"{titles[1]}\n{bodies[0]}"]
    assert with_view.predict(unseen) == ["刷单", "杀猪盘"]
    gap_with = np.ptp(with_view.decision_function(unseen[:1]))
    assert gap_with > np.ptp(without.decision_function(unseen[:1]))
    body_only = copy.copy(with_view)
    body_only.head_weight = 0.0
    for text in (bodies[0], f"张伟：{titles[0]}\n{bodies[1]}"):
        np.testing.assert_array_equal(
            with_view._vectors([text]).toarray(), body_only._vectors([text]).toarray()
        )
    assert (with_view._vectors(unseen[:1]) != body_only._vectors(unseen[:1])).nnz > 0


def test_model_saved_without_head_weight_loads_without_the_view(
    fitted: TextModel, tmp_path: Path
) -> None:
    fitted.save(tmp_path)
    meta = json.loads((tmp_path / "model.json").read_text("utf-8"))
    del meta["params"]["head_weight"]
    (tmp_path / "model.json").write_text(json.dumps(meta), "utf-8")
    assert TextModel.load(tmp_path).head_weight == 0.0
