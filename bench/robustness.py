"""Obfuscation robustness: macro-F1 on clean dev vs an obfuscated copy of dev.

For each text set, a model is trained on the (normalised) train split and scored on
(a) clean dev, (b) obfuscated dev through fanzha's normaliser, (c) obfuscated dev
with no normalisation (what the model alone would see). Obfuscation: bench/obfuscate.py.

Run:  python bench/robustness.py [--rate 0.5] [--seed 7]
"""

from __future__ import annotations

import argparse
import random

from _data import DATASETS, load_split, machine
from obfuscate import obfuscate
from sklearn.metrics import f1_score

from fanzha.screening import TextModel, normalize_text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--datasets", nargs="*", default=list(DATASETS))
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(f"perturbation rate {args.rate}, seed {args.seed}")
    print(f"{'set':14s} {'clean':>7s} {'obf+norm':>9s} {'obf raw':>8s} {'drop':>6s}")
    for dataset in args.datasets:
        train_texts, train_labels = load_split(dataset, "train")
        dev_texts, dev_labels = load_split(dataset, "dev")
        rng = random.Random(args.seed)
        obfuscated = [obfuscate(text, rng, rate=args.rate) for text in dev_texts]
        model = TextModel(seed=0).fit([normalize_text(t) for t in train_texts], train_labels)

        def macro_f1(
            texts: list[str], model: TextModel = model, labels: list[str] = dev_labels
        ) -> float:
            return float(f1_score(labels, model.predict(texts), average="macro"))

        clean = macro_f1([normalize_text(t) for t in dev_texts])
        normalised = macro_f1([normalize_text(t) for t in obfuscated])
        raw = macro_f1(obfuscated)
        print(
            f"{dataset:14s} {clean:7.4f} {normalised:9.4f} {raw:8.4f} "
            f"{(clean - normalised) * 100:5.2f}pt"
        )


if __name__ == "__main__":
    main()
