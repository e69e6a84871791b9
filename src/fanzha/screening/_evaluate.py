"""Evaluation of a text model on labelled texts: the figures `fanzha textmodel eval` prints."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from fanzha.errors import InvalidInput
from fanzha.screening._normalize import normalize_text
from fanzha.screening._textmodel import TextModel

__all__ = ["ClassScores", "EvalReport", "evaluate_model", "predict_texts"]


@dataclass(frozen=True, slots=True)
class ClassScores:
    """Precision, recall, F1 and support of one label."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class EvalReport:
    """Accuracy, macro-F1, per-class scores and throughput of a model on a labelled set."""

    n: int
    accuracy: float
    macro_f1: float
    per_class: dict[str, ClassScores]
    msgs_per_s: float

    def to_dict(self) -> dict[str, Any]:
        """Return the report in the `textmodel eval --json` shape."""
        return {
            "n": self.n,
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "per_class": {
                label: {
                    "precision": s.precision,
                    "recall": s.recall,
                    "f1": s.f1,
                    "support": s.support,
                }
                for label, s in self.per_class.items()
            },
            "msgs_per_s": self.msgs_per_s,
        }


def predict_texts(
    model: TextModel,
    texts: Sequence[str],
    *,
    batch_size: int = 1024,
    progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Normalise and classify ``texts``; returns the class probabilities, one row per text."""
    rows = []
    for begin in range(0, len(texts), batch_size):
        batch = [normalize_text(text) for text in texts[begin : begin + batch_size]]
        rows.append(model.predict_proba(batch))
        if progress is not None:
            progress(len(batch))
    if not rows:
        return np.zeros((0, len(model.classes_)))
    return np.vstack(rows)


def evaluate_model(
    model: TextModel,
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    progress: Callable[[int], None] | None = None,
) -> EvalReport:
    """Score ``model`` on labelled texts (normalised the same way as in training).

    Raises:
        InvalidInput: no texts, lengths differ, or a label the model does not know.
    """
    if not texts:
        raise InvalidInput("no labelled rows to evaluate", field="data")
    if len(texts) != len(labels):
        raise InvalidInput(f"{len(texts)} texts but {len(labels)} labels", field="labels")
    known = set(model.classes_)
    unknown = sorted(set(labels) - known)
    if unknown:
        raise InvalidInput(
            f"{unknown[:5]} not among the model's classes {list(model.classes_)}", field="label"
        )
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    started = time.perf_counter()
    probabilities = predict_texts(model, texts, progress=progress)
    elapsed = max(time.perf_counter() - started, 1e-9)
    predicted = [model.classes_[i] for i in probabilities.argmax(axis=1)]
    present = sorted(set(labels) | set(predicted))
    precision, recall, f1, support = precision_recall_fscore_support(
        labels, predicted, labels=present, zero_division=0
    )
    per_class = {
        label: ClassScores(float(p), float(r), float(f), int(s))
        for label, p, r, f, s in zip(present, precision, recall, f1, support, strict=True)
    }
    return EvalReport(
        n=len(texts),
        accuracy=float(accuracy_score(labels, predicted)),
        macro_f1=float(
            f1_score(labels, predicted, labels=present, average="macro", zero_division=0)
        ),
        per_class=per_class,
        msgs_per_s=len(texts) / elapsed,
    )
