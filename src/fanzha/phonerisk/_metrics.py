"""The figures the phone-fraud papers report: AUC, macro-F1, macro-recall, G-mean."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt

from fanzha.errors import InvalidInput

__all__ = ["PhoneMetrics", "phone_metrics"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class PhoneMetrics:
    """Binary scores on labelled rows (fraud = positive class) at ``threshold``."""

    n: int
    positives: int
    auc: float
    macro_f1: float
    macro_recall: float
    g_mean: float
    threshold: float

    def to_dict(self) -> dict[str, float | int]:
        """Plain dict for JSON output."""
        return asdict(self)


def phone_metrics(
    labels: FloatArray, scores: FloatArray, *, threshold: float = 0.5
) -> PhoneMetrics:
    """AUC, macro-F1, macro-recall and G-mean (sqrt of the two classes' recalls).

    A score above ``threshold`` counts as fraud. Raises InvalidInput when lengths differ,
    a label is not 0/1 or a class is absent.
    """
    from sklearn.metrics import f1_score, recall_score, roc_auc_score

    y = np.asarray(labels, dtype=np.float64)
    s = np.asarray(scores, dtype=np.float64)
    if y.ndim != 1 or y.shape != s.shape:
        raise InvalidInput(f"{y.size} labels but {s.size} scores", field="scores")
    if not np.isin(y, (0.0, 1.0)).all() or np.unique(y).size != 2:
        raise InvalidInput("labels must be 0/1 with both classes present", field="labels")
    predicted = s > threshold
    recalls = recall_score(y, predicted, average=None, labels=[0, 1])
    return PhoneMetrics(
        n=int(y.size),
        positives=int(y.sum()),
        auc=float(roc_auc_score(y, s)),
        macro_f1=float(f1_score(y, predicted, average="macro")),
        macro_recall=float(np.mean(recalls)),
        g_mean=float(np.sqrt(np.prod(recalls))),
        threshold=threshold,
    )
