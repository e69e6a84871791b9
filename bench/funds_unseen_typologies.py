"""Mule scoring on laundering typologies the model was never trained on (AUC).

The model is trained on fan-in patterns only, either
  (a) ``amlsim``: all of the IBM AMLSim sample ``amlsim_fanin200`` (20,000 accounts, 200
      fan-in patterns; what ``dev-contracts funds`` trains on), or
  (b) ``synthetic``: an AMLSim-like fan-in simulation of our own
      (``generate_aml(patterns={"fan_in": 200}, seed=1)``),
and scores fresh AMLSim-like simulations (seeds 10, 11, …) of each other typology —
cycle, scatter-gather, gather-scatter, bipartite, stack, random, fan-out — and of a mix of
all seven; fan-in is the seen-typology control. Every simulation has 20,000 accounts and
200 patterns; about 30 % of its laundering accounts never move laundering money
("dormant" alert members, as in the AMLSim sample) and can only be found through their
neighbours: "active" is the AUC on the laundering accounts that did move money.
The stress rows use background-sized laundering amounts (``blend``) and, on top, freshly
drawn background amounts (``varied``), where the AMLSim small-amount signal is absent.

Run:  python bench/funds_unseen_typologies.py [--seeds 3]
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import time
from pathlib import Path

import numpy as np
from _data import data_root, machine
from sklearn.metrics import roc_auc_score

from fanzha.demo import generate_aml
from fanzha.funds import (
    ColumnNames,
    MuleModel,
    read_accounts,
    read_transfers,
    transfers_from_frame,
)

UNSEEN = ("cycle", "scatter_gather", "gather_scatter", "bipartite", "stack", "random", "fan_out")
SETS: tuple[tuple[str, dict[str, int], dict[str, str]], ...] = (
    *((name, {name: 200}, {}) for name in UNSEEN),
    ("mixed (all 7)", {name: 29 for name in UNSEEN}, {}),
    ("fan_in (seen)", {"fan_in": 200}, {}),
    ("cycle, blend amounts", {"cycle": 200}, {"laundering": "blend"}),
    (
        "mixed, blend+varied",
        {n: 29 for n in UNSEEN},
        {"laundering": "blend", "background": "varied"},
    ),
)
_COLUMNS = ColumnNames("src", "dst", "amount", "time")


def _train_amlsim() -> MuleModel:
    folder = Path(data_root()) / "funds" / "amlsim_fanin200"
    columns = ColumnNames("sourceNodeId", "targetNodeId", "value", "time")
    transfers = read_transfers(folder / "transactions.csv", columns).transfers
    ids, labels = read_accounts(folder / "nodes.csv", id_col="nodeid", label_col="isFraud")
    assert labels is not None
    return MuleModel().fit(transfers, ids, labels)


def _train_synthetic() -> MuleModel:
    sim = generate_aml(patterns={"fan_in": 200}, seed=1)
    transfers = transfers_from_frame(sim.transactions, _COLUMNS).transfers
    ids = [str(i) for i in sim.accounts["id"].to_list()]
    return MuleModel().fit(transfers, ids, sim.accounts["is_fraud"].to_numpy().astype(np.float64))


def _score(
    model: MuleModel, patterns: dict[str, int], options: dict[str, str], seed: int
) -> tuple[float, float]:
    sim = generate_aml(patterns=patterns, seed=seed, **options)  # type: ignore[arg-type]
    transfers = transfers_from_frame(sim.transactions, _COLUMNS).transfers
    ids = [str(i) for i in sim.accounts["id"].to_list()]
    labels = sim.accounts["is_fraud"].to_numpy()
    dormant = np.array(["dormant" in t for t in sim.accounts["typology"].to_list()])
    scores = model.predict_proba(transfers, ids)
    return (
        float(roc_auc_score(labels, scores)),
        float(roc_auc_score(labels[~dormant], scores[~dormant])),
    )


def _cell(values: list[float]) -> str:
    return f"{np.mean(values):.3f} [{min(values):.3f}–{max(values):.3f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=3, help="simulations per test set")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    started = time.perf_counter()
    models = {"amlsim": _train_amlsim(), "synthetic": _train_synthetic()}
    for name, model in models.items():
        figures = model.training_
        print(
            f"trained on {name} fan-in: {figures['accounts']} accounts, {figures['mules']} "
            f"laundering, out-of-fold AUC {figures['oof_auc_stage2']:.4f} "
            f"(stage 1 alone {figures['oof_auc_stage1']:.4f})"
        )
    print(f"AUC, mean [min–max] over {args.seeds} simulations of 20,000 accounts each")
    header = ("test set", "trained on AMLSim", "active only", "trained on synthetic")
    print(f"{header[0]:22s} {header[1]:>24s} {header[2]:>12s} {header[3]:>24s}")
    unseen_means: dict[str, list[float]] = {name: [] for name in models}
    for label, patterns, options in SETS:
        cells = {}
        active_cells = []
        for name, model in models.items():
            results = [_score(model, patterns, options, 10 + s) for s in range(args.seeds)]
            cells[name] = [r[0] for r in results]
            if name == "amlsim":
                active_cells = [r[1] for r in results]
            if label in UNSEEN or label.startswith("mixed (all"):
                unseen_means[name].append(float(np.mean(cells[name])))
        print(
            f"{label:22s} {_cell(cells['amlsim']):>24s} {np.mean(active_cells):12.3f} "
            f"{_cell(cells['synthetic']):>24s}"
        )
    for name, means in unseen_means.items():
        print(
            f"mean over the 8 unseen sets (small amounts), trained on {name}: {np.mean(means):.3f}"
        )
    print(f"total time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
