"""The phone-risk model on the Sichuan set: trained on the train split, measured on dev.

Exactly what `fanzha phone train|score` do (and ../shared/checks/dev-contracts phone): the
labels of every non-train row are blanked before training, all 6,106 rows and the call
graph are given to both steps, and the figures are computed on the dev rows. The second
line is the same model without the call graph. Prints AUC, macro-F1, macro-recall and
G-mean at the 0.5 threshold, train and score time (wall clock and this process's CPU
time, which stays meaningful on a busy shared machine).

Run:  python bench/phone_model.py
"""

from __future__ import annotations

import dataclasses
import resource
import time

import numpy as np
import polars as pl
from _data import data_root, machine

from fanzha.phonerisk import PhoneRiskModel, load_adjacency, phone_metrics, read_phone_table


def main() -> None:
    folder = data_root() / "phone" / "sichuan"
    table = read_phone_table(folder / "users.csv", id_col="phone_no_m", label_col="label")
    assert table.labels is not None
    splits = pl.read_csv(folder / "users.csv", columns=["split"])["split"].to_numpy()
    is_train, is_dev = splits == "train", splits == "dev"
    train_table = dataclasses.replace(table, labels=np.where(is_train, table.labels, np.nan))
    adjacency = load_adjacency(folder / "edges_adj_sparse.npz", table.n_rows)
    print(f"machine: {machine()}")
    print(
        f"data: Sichuan, {table.n_rows} numbers, {len(table.columns)} features, "
        f"{adjacency.nnz // 2} call edges; train {is_train.sum()} labelled, dev {is_dev.sum()}"
    )
    print(
        f"{'model':18s} {'AUC':>7s} {'macroF1':>8s} {'macroRec':>9s} {'G-mean':>7s} "
        f"{'train s':>8s} {'cpu s':>6s} {'score s':>8s} {'cpu s':>6s}"
    )
    for name, graph in (("features + graph", adjacency), ("features only", None)):
        start, start_cpu = time.perf_counter(), time.process_time()
        model = PhoneRiskModel().fit(train_table, graph)
        trained, trained_cpu = time.perf_counter(), time.process_time()
        scores = model.predict_proba(table, graph)
        scored, scored_cpu = time.perf_counter(), time.process_time()
        m = phone_metrics(table.labels[is_dev], scores[is_dev])
        print(
            f"{name:18s} {m.auc:7.4f} {m.macro_f1:8.4f} {m.macro_recall:9.4f} {m.g_mean:7.4f} "
            f"{trained - start:8.2f} {trained_cpu - start_cpu:6.2f} "
            f"{scored - trained:8.2f} {scored_cpu - trained_cpu:6.2f}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"scores {table.n_rows} rows; peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
