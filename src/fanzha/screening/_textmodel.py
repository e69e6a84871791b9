"""A trainable text classifier: hashed character n-grams, TF-IDF, a linear SVM.

Learned state is plain arrays (saved as ``model.npz`` + ``model.json``), never
pickle; no scikit-learn object outlives ``fit``.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from fanzha.errors import InvalidInput, NotFitted, NotFound
from fanzha.screening._features import ngram_buckets
from fanzha.screening._textmodel_params import (
    _HEAD_SALT,
    TextModelParams,
    _check_texts,
    _chunks,
    _head,
)

__all__ = ["TextModel", "predict_proba_together"]

_FORMAT = "fanzha.textmodel"
_VERSION = 1
_NPZ = "model.npz"
_JSON = "model.json"
_TEMPERATURES = tuple(float(t) for t in np.geomspace(0.05, 200.0, 97))
FloatArray = npt.NDArray[np.float64]


class TextModel(TextModelParams):
    """Multi-class text classifier over character n-grams.

    Each text becomes the sublinear TF-IDF vector (L2-normalised) of all its
    character n-grams, n = 1..``max_n``, hashed into ``2**bits`` buckets; only
    buckets seen in at least ``min_df`` training texts are kept, at most
    ``max_features`` (most frequent first). One linear SVM per class
    (squared hinge, one-vs-rest) scores the vector; probabilities are the
    softmax of the scores times a temperature fitted on out-of-fold scores.

    Long inputs (dialogues, reports, a 1 MB paste) are scored as one whole
    text: sublinear TF and the L2 norm keep their vectors comparable to SMS,
    and whole-text features beat per-window ones on dialogues. Featurising is
    chunked, so memory stays bounded (about 100 bytes per character).

    The first line of a text of several lines (a news title, as ``fanzha``
    reads ``title`` + newline + ``text``) is also featurised on its own: its
    unit-norm TF-IDF vector, in buckets of its own, times ``head_weight`` is
    added to the whole text's vector. One-line texts (SMS) and texts opening
    with a speaker's turn (``name：...``, dialogues) have no such view.

    Parameters:
        max_n: longest character n-gram.
        bits: n-grams are hashed into ``2**bits`` buckets.
        min_df: keep buckets seen in at least this many training texts.
        max_features: keep at most this many buckets (most frequent).
        head_weight: weight of the first-line view (0 turns it off).
        use_idf: weigh n-grams by inverse document frequency (else all weigh 1).
        C: inverse regularisation strength of the SVMs.
        class_weight: ``"balanced"`` weighs classes inversely to their size; ``None`` not.
        calibration_folds: folds for fitting the softmax temperature (< 2: temperature 1).
        seed: seeds the solver and the fold split.

    Attributes after fit:
        classes_: the labels, sorted.
        buckets_: kept bucket ids (sorted, uint32); feature ``j`` is bucket ``buckets_[j]``.
        idf_: inverse document frequency per feature (float32; ones without ``use_idf``).
        coef_: weights, shape (n_features, n_classes), float32 values exact in float16.
        intercept_: per-class bias (float32).
        temperature_: softmax temperature applied to the scores.
    """

    # ---- featurising -------------------------------------------------------

    def _buckets(
        self, texts: Sequence[str], *, head: bool
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]]:
        """Row and bucket id of every n-gram of the texts, or of their first lines."""
        if not head:
            grams = ngram_buckets(texts, max_n=self.max_n, bits=self.bits)
            return grams.rows, grams.buckets
        heads = [_head(text) for text in texts]
        grams = ngram_buckets(heads, max_n=self.max_n, bits=self.bits)
        salt = _HEAD_SALT & ((1 << self.bits) - 1)
        return grams.rows, grams.buckets ^ salt

    def _counts(
        self,
        texts: Sequence[str],
        table: npt.NDArray[np.int32],
        n_features: int,
        *,
        head: bool = False,
    ) -> sp.csr_matrix:
        rows, buckets = self._buckets(texts, head=head)
        features = table[buckets]
        known = features >= 0
        ones = np.ones(int(known.sum()), dtype=np.float32)
        matrix = sp.csr_matrix(
            (ones, (rows[known], features[known])), shape=(len(texts), n_features)
        )
        matrix.sum_duplicates()
        return matrix

    def _weigh(self, counts: sp.csr_matrix, idf: npt.NDArray[np.float32]) -> sp.csr_matrix:
        """Sublinear TF times IDF, each row scaled to unit L2 norm (in place)."""
        data = counts.data
        np.log(data, out=data)
        data += 1.0
        data *= idf[counts.indices]
        row_of = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        norms = np.sqrt(np.bincount(row_of, weights=data * data, minlength=counts.shape[0]))
        norms[norms == 0.0] = 1.0
        data /= norms[row_of].astype(np.float32)
        return counts

    def _table(self) -> npt.NDArray[np.int32]:
        table = np.full(1 << self.bits, -1, dtype=np.int32)
        table[self.buckets_.astype(np.int64)] = np.arange(self.buckets_.shape[0], dtype=np.int32)
        return table

    def _vectors(self, texts: Sequence[str]) -> sp.csr_matrix:
        n_features = len(self.buckets_)
        whole = self._weigh(self._counts(texts, self._table_, n_features), self.idf_)
        if self.head_weight == 0:
            return whole
        head = self._weigh(self._counts(texts, self._table_, n_features, head=True), self.idf_)
        return (whole + head * np.float32(self.head_weight)).tocsr()

    # ---- fitting -------------------------------------------------------------

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        progress: Callable[[int], None] | None = None,
    ) -> TextModel:
        """Learn the vocabulary, weights and temperature from labelled texts; returns ``self``.

        Raises InvalidInput for bad hyperparameters, empty or mismatched input,
        non-string items or fewer than two distinct labels.
        """
        self._validate_params()
        texts = _check_texts(texts, "texts")
        labels = _check_texts(labels, "labels")
        if not texts:
            raise InvalidInput("got no texts; pass at least two labelled texts", field="texts")
        if len(texts) != len(labels):
            raise InvalidInput(
                f"got {len(labels)} labels for {len(texts)} texts; pass one label per text",
                field="labels",
                value=len(labels),
            )
        classes, y = np.unique(np.array(labels, dtype=object).astype(str), return_inverse=True)
        if len(classes) < 2:
            raise InvalidInput(
                f"got only the label {classes[0]!r}; pass texts of at least two labels",
                field="labels",
                value=str(classes[0]),
            )
        step = progress or (lambda _n: None)
        buckets, df = self._vocabulary(texts)
        step(1)
        self.buckets_ = buckets.astype(np.uint32)
        idf = np.log((1.0 + len(texts)) / (1.0 + df)) + 1.0 if self.use_idf else np.ones_like(df)
        self.idf_ = idf.astype(np.float32)
        self._table_ = self._table()
        vectors = self._vectors(texts)
        self.temperature_ = self._fit_temperature(vectors, y, len(classes), step)
        coef, intercept = self._fit_svm(vectors, y, len(classes))
        step(1)
        # Rounded to float16 now, so a saved and loaded model scores identically.
        self.coef_ = coef.astype(np.float16).astype(np.float32)
        self.intercept_ = intercept.astype(np.float32)
        self.classes_ = tuple(str(c) for c in classes)
        return self

    def _vocabulary(
        self, texts: Sequence[str]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """Kept bucket ids (sorted) and their document frequencies."""
        df = np.zeros(1 << self.bits, dtype=np.int64)
        views = (False, True) if self.head_weight > 0 else (False,)
        for begin, end in _chunks(texts):
            for head in views:
                rows, buckets = self._buckets(texts[begin:end], head=head)
                pairs = np.unique((rows.astype(np.int64) << self.bits) | buckets)
                df += np.bincount(pairs & ((1 << self.bits) - 1), minlength=1 << self.bits)
        kept = np.flatnonzero(df >= self.min_df)
        if kept.shape[0] > self.max_features:
            order = np.argsort(-df[kept], kind="stable")[: self.max_features]
            kept = np.sort(kept[order])
        return kept, df[kept].astype(np.float64)

    def _fit_svm(
        self, vectors: sp.csr_matrix, y: npt.NDArray[np.intp], n_classes: int
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Weights (n_features, n_classes) and biases for the classes 0..n_classes-1."""
        from sklearn.svm import LinearSVC  # only to fit: loading a model stays without sklearn

        present = np.unique(y)
        svm = LinearSVC(C=self.C, class_weight=self.class_weight, random_state=self.seed)
        svm.fit(vectors, y)
        coef = np.zeros((vectors.shape[1], n_classes))
        # An absent class (only in cross-validation folds) never wins.
        intercept = np.full(n_classes, -1e3)
        if len(present) == 2:
            coef[:, present[0]], coef[:, present[1]] = -svm.coef_[0], svm.coef_[0]
            intercept[present] = [-svm.intercept_[0], svm.intercept_[0]]
        else:
            coef[:, present] = svm.coef_.T
            intercept[present] = svm.intercept_
        return coef, intercept

    def _fit_temperature(
        self,
        vectors: sp.csr_matrix,
        y: npt.NDArray[np.intp],
        n_classes: int,
        step: Callable[[int], None],
    ) -> float:
        """The softmax temperature that minimises the out-of-fold log loss."""
        folds = self.calibration_folds
        if folds < 2:
            return 1.0
        fold_of = np.empty(len(y), dtype=np.int64)
        rng = np.random.default_rng(self.seed)
        for label in range(n_classes):
            members = np.flatnonzero(y == label)
            fold_of[rng.permutation(members)] = np.arange(members.shape[0]) % folds
        scores = np.zeros((len(y), n_classes))
        scored = np.zeros(len(y), dtype=bool)
        for fold in range(folds):
            held = fold_of == fold
            if len(np.unique(y[~held])) < 2 or not held.any():
                continue
            coef, intercept = self._fit_svm(vectors[~held], y[~held], n_classes)
            scores[held] = vectors[held] @ coef + intercept
            scored |= held
            step(1)
        if not scored.any():
            return 1.0
        scores, truth = scores[scored], y[scored]
        losses = [
            -float(np.mean(_log_softmax(scores * t)[np.arange(len(truth)), truth]))
            for t in _TEMPERATURES
        ]
        return _TEMPERATURES[int(np.argmin(losses))]

    # ---- predicting ----------------------------------------------------------

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise NotFitted(self)

    def decision_function(self, texts: Sequence[str]) -> FloatArray:
        """Raw linear scores, shape (n, n_classes). Raises NotFitted, InvalidInput."""
        self._check_fitted()
        texts = _check_texts(texts, "texts")
        out = np.empty((len(texts), len(self.classes_)))
        for begin, end in _chunks(texts):
            out[begin:end] = self._vectors(texts[begin:end]) @ self.coef_ + self.intercept_
        return out

    def predict_proba(self, texts: Sequence[str]) -> FloatArray:
        """Class probabilities, shape (n, n_classes), columns in ``classes_`` order."""
        return np.exp(_log_softmax(self.decision_function(texts) * self.temperature_))

    def predict(self, texts: Sequence[str]) -> list[str]:
        """The most probable label of each text."""
        best = self.decision_function(texts).argmax(axis=1)
        return [self.classes_[i] for i in best]

    def explain(self, text: str, *, top: int = 5) -> list[tuple[str, float]]:
        """The n-grams that pushed ``text`` most toward its predicted class.

        Returns up to ``top`` pairs (n-gram, contribution to that class's score),
        largest first; overlapping n-grams are shown as the longest one.
        """
        self._check_fitted()
        if not isinstance(text, str):
            raise InvalidInput(
                f"got {type(text).__name__}; pass one string", field="text", value=text
            )
        grams = ngram_buckets([text], max_n=self.max_n, bits=self.bits, positions=True)
        features = self._table_[grams.buckets]
        known = np.flatnonzero(features >= 0)
        if known.shape[0] == 0:
            return []
        unique, first, counts = np.unique(features[known], return_index=True, return_counts=True)
        values = (1.0 + np.log(counts)) * self.idf_[unique]
        values /= np.sqrt(np.sum(values * values))
        label = int(np.argmax(self.decision_function([text])[0]))
        contributions = values * self.coef_[unique, label]
        chosen: dict[str, float] = {}
        # The best n-grams; a longer one absorbs the chosen n-grams it contains,
        # so "刷单返利" is shown instead of "刷单" and "单返".
        for j in np.argsort(-contributions, kind="stable")[: 20 * top]:
            if contributions[j] <= 0:
                break
            at = known[first[j]]
            gram = text[grams.starts[at] : grams.starts[at] + grams.sizes[at]]
            if not gram.strip() or any(gram in kept for kept in chosen):
                continue
            inside = [kept for kept in chosen if kept in gram]
            if inside:
                best = max(chosen.pop(kept) for kept in inside)
                chosen[gram] = max(best, float(contributions[j]))
            elif len(chosen) < top:
                chosen[gram] = float(contributions[j])
        return sorted(chosen.items(), key=lambda item: -item[1])

    # ---- persistence ---------------------------------------------------------

    def save(self, directory: str | Path) -> None:
        """Write ``model.npz`` (arrays) and ``model.json`` (parameters, classes) to a folder."""
        self._check_fitted()
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            folder / _NPZ,
            buckets=self.buckets_,
            idf=self.idf_,
            coef=self.coef_.astype(np.float16),
            intercept=self.intercept_,
            temperature=np.array([self.temperature_]),
        )
        meta = {
            "format": _FORMAT,
            "version": _VERSION,
            "params": self.get_params(),
            "classes": list(self.classes_),
            "n_features": int(self.buckets_.shape[0]),
        }
        (folder / _JSON).write_text(json.dumps(meta, ensure_ascii=False, indent=2), "utf-8")

    @classmethod
    def load(cls, directory: str | Path) -> TextModel:
        """Read a model written by :meth:`save`. Raises NotFound or InvalidInput."""
        folder = Path(directory)
        for name in (_JSON, _NPZ):
            if not (folder / name).is_file():
                raise NotFound(
                    f"{folder / name}: no such file; point to a folder written by TextModel.save"
                )
        source = str(folder / _JSON)
        try:
            meta = json.loads((folder / _JSON).read_text("utf-8"))
            if not isinstance(meta, dict):
                raise InvalidInput("model.json is not a JSON object; save it again", source=source)
            if meta.get("format") != _FORMAT or meta.get("version") != _VERSION:
                raise InvalidInput(
                    f"format {meta.get('format')!r} version {meta.get('version')!r} is not "
                    f"{_FORMAT!r} version {_VERSION}; retrain the model with this fanzha",
                    source=source,
                )
            # Models saved before the first-line view existed have none.
            model = cls(**{"head_weight": 0.0, **meta["params"]})
            model._validate_params()
            with np.load(folder / _NPZ, allow_pickle=False) as arrays:
                model.buckets_ = arrays["buckets"].astype(np.uint32)
                model.idf_ = arrays["idf"].astype(np.float32)
                model.coef_ = arrays["coef"].astype(np.float32)
                model.intercept_ = arrays["intercept"].astype(np.float32)
                model.temperature_ = float(arrays["temperature"][0])
            model.classes_ = tuple(str(c) for c in meta["classes"])
        except InvalidInput:
            raise
        except (OSError, ValueError, KeyError, TypeError, IndexError, zipfile.BadZipFile) as exc:
            raise InvalidInput(
                f"unreadable model ({type(exc).__name__}: {exc}); save it again",
                source=str(folder),
            ) from exc
        n_features, n_classes = model.buckets_.shape[0], len(model.classes_)
        if (
            model.coef_.shape != (n_features, n_classes)
            or model.idf_.shape != (n_features,)
            or model.intercept_.shape != (n_classes,)
            or n_features != meta.get("n_features")
            or (n_features and int(model.buckets_.max()) >= 1 << model.bits)
            or len(set(model.classes_)) != n_classes
            or not all(np.isfinite(a).all() for a in (model.idf_, model.coef_, model.intercept_))
            or not (np.isfinite(model.temperature_) and model.temperature_ > 0)
        ):
            raise InvalidInput(
                "arrays do not match the classes and features in model.json, classes repeat "
                "or numbers are not finite; save the model again with TextModel.save",
                source=str(folder),
            )
        model._table_ = model._table()
        return model


def predict_proba_together(models: Sequence[TextModel], texts: Sequence[str]) -> list[FloatArray]:
    """Class probabilities of several models on the same texts, one array per model.

    Models trained on the same texts with the same featurisation settings share
    their features (the vocabulary does not depend on the labels); those texts are
    then featurised once for all of them. Other models are run one by one.
    """
    for model in models:
        model._check_fitted()
    first = models[0] if models else None
    shared = first is not None and all(
        m.max_n == first.max_n
        and m.bits == first.bits
        and m.head_weight == first.head_weight
        and np.array_equal(m.buckets_, first.buckets_)
        and np.array_equal(m.idf_, first.idf_)
        for m in models[1:]
    )
    if first is None or not shared:
        return [model.predict_proba(texts) for model in models]
    texts = _check_texts(texts, "texts")
    scores = [np.empty((len(texts), len(m.classes_))) for m in models]
    for begin, end in _chunks(texts):
        vectors = first._vectors(texts[begin:end])
        for model, out in zip(models, scores, strict=True):
            out[begin:end] = vectors @ model.coef_ + model.intercept_
    return [
        np.exp(_log_softmax(out * model.temperature_))
        for model, out in zip(models, scores, strict=True)
    ]


def _log_softmax(scores: FloatArray) -> FloatArray:
    shifted: FloatArray = scores - scores.max(axis=1, keepdims=True)
    result: FloatArray = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return result
