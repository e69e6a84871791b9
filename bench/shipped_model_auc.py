"""The shipped model, without retraining, on dev splits it never saw: fraud vs normal.

For each set with a normal class, binary AUC of (a) the full screening verdict's risk and
(b) the shipped risk model's probability of "fraud", with fraud = any fraud label of the set.
fbs_sms: fraud = FR:* labels, the rest (advertising, illegal, other) counts as not fraud.
Then the shipped fraud-type model's macro-F1 on the scheme sets (fraud_dialogs, fraud_news),
their labels mapped onto the taxonomy as in training.

Run:  python bench/shipped_model_auc.py
"""

from __future__ import annotations

from _data import load_split, machine
from sklearn.metrics import roc_auc_score

from fanzha.screening import Screener, evaluate_model, predict_texts
from fanzha.taxonomy import fraud_type, map_label


def main() -> None:
    screener = Screener.default()
    print(f"machine: {machine()}")
    print(f"{'set (dev)':14s} {'n':>6s} {'fraud':>6s} {'AUC risk':>9s} {'AUC model':>10s}")
    for dataset in ("fraud_dialogs", "telecom_fraud", "fbs_sms"):
        texts, labels = load_split(dataset, "dev")
        is_fraud = [fraud_type(map_label(dataset, label)).category == "fraud" for label in labels]
        verdicts = screener.screen_texts(texts)
        risk = [v.risk for v in verdicts]
        assert screener.risk_model is not None
        fraud_column = list(screener.risk_model.classes_).index("fraud")
        model_p = predict_texts(screener.risk_model, texts)[:, fraud_column]
        print(
            f"{dataset:14s} {len(texts):6d} {sum(is_fraud):6d} "
            f"{roc_auc_score(is_fraud, risk):9.4f} {roc_auc_score(is_fraud, model_p):10.4f}"
        )
    assert screener.model is not None
    print(f"{'types model (dev)':18s} {'n':>6s} {'macro-F1':>9s} {'acc':>7s}")
    for dataset in ("fraud_dialogs", "fraud_news"):
        texts, labels = load_split(dataset, "dev")
        report = evaluate_model(screener.model, texts, [map_label(dataset, x) for x in labels])
        print(f"{dataset:18s} {report.n:6d} {report.macro_f1:9.4f} {report.accuracy:7.4f}")


if __name__ == "__main__":
    main()
