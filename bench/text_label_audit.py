"""How far the labels of the text sets let any classifier go (evidence for issue 3's goals).

Prints, from the train and dev splits only:

1. fraud_news: which labels the articles that name "杀猪盘" carry, split by split.
2. fraud_dialogs: 虚假购物诈骗 vs 杀猪盘诈骗 on their own: 5-fold CV macro-F1 of the fanzha
   model trained on just these two classes, and how often a dialogue's nearest other
   dialogue (cosine over char 1-4 TF-IDF) carries the same label (0.5 = coin toss).
3. fraud_news and fraud_dialogs: dev macro-F1 of the fanzha model as labelled and with the
   two labels merged (in train and dev), and the per-class F1 of the two.
4. The ceiling arithmetic: macro-F1 if every other class were perfect.

Run:  python bench/text_label_audit.py      (about 1 minute on one core)
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from _data import load_split, machine
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from fanzha.screening import TextModel, normalize_text

SHOPPING = "虚假购物诈骗"
ROMANCE = "杀猪盘诈骗"
PAIR = (SHOPPING, ROMANCE)


def _split(dataset: str, split: str) -> tuple[list[str], list[str]]:
    texts, labels = load_split(dataset, split)
    return [normalize_text(text) for text in texts], labels


def _labels_of_articles_naming_romance() -> None:
    print("\n1. fraud_news: labels of the articles that contain 杀猪盘")
    for split in ("train", "dev"):
        texts, labels = load_split("fraud_news", split)
        pairs = zip(texts, labels, strict=True)
        naming = Counter(label for text, label in pairs if "杀猪盘" in text)
        others = [label for label in labels if label not in PAIR]
        others_naming = sum(count for label, count in naming.items() if label not in PAIR)
        print(f"   {split:5s}: {dict(naming.most_common())}")
        print(
            f"          {naming[SHOPPING]} of {labels.count(SHOPPING)} {SHOPPING} articles "
            "name it, "
            f"{others_naming} of {len(others)} articles of the other {len(set(others))} classes"
        )


def _pair_separability() -> float:
    texts, labels = _split("fraud_dialogs", "train")
    keep = [i for i, label in enumerate(labels) if label in PAIR]
    pair_texts = [texts[i] for i in keep]
    pair_labels = np.array([labels[i] for i in keep])
    predicted = np.empty(len(keep), dtype=object)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    for fit_rows, held_rows in folds.split(pair_texts, pair_labels):
        model = TextModel(calibration_folds=0).fit(
            [pair_texts[i] for i in fit_rows], list(pair_labels[fit_rows])
        )
        predicted[held_rows] = model.predict([pair_texts[i] for i in held_rows])
    cv_f1 = float(f1_score(pair_labels, list(predicted), average="macro"))
    vectors = TfidfVectorizer(analyzer="char", ngram_range=(1, 4), sublinear_tf=True).fit_transform(
        pair_texts
    )
    similarity = (vectors @ vectors.T).toarray()
    np.fill_diagonal(similarity, -1.0)
    nearest = similarity.argmax(axis=1)
    agreement = float(np.mean(pair_labels[nearest] == pair_labels))
    print(f"\n2. fraud_dialogs train, {SHOPPING} vs {ROMANCE} only ({len(keep)} dialogues)")
    print(f"   5-fold CV macro-F1, fanzha model on the two classes: {cv_f1:.3f} (coin toss 0.5)")
    print(f"   nearest other dialogue has the same label: {agreement:.3f} (coin toss 0.5)")
    return cv_f1


def _dev_scores(
    train: tuple[list[str], list[str]], dev: tuple[list[str], list[str]], merge: bool
) -> tuple[float, dict[str, float]]:
    def relabel(labels: list[str]) -> list[str]:
        return [ROMANCE if merge and label == SHOPPING else label for label in labels]

    train_texts, train_labels = train
    dev_texts, dev_labels = dev
    model = TextModel().fit(train_texts, relabel(train_labels))
    truth = relabel(dev_labels)
    predicted = model.predict(dev_texts)
    classes = sorted(set(truth))
    per_class = f1_score(truth, predicted, labels=classes, average=None, zero_division=0)
    scores = dict(zip(classes, (float(v) for v in per_class), strict=True))
    return float(np.mean(per_class)), scores


def _merged_scores(pair_cv_f1: float) -> None:
    print("\n3. dev macro-F1 of the fanzha model, as labelled and with the two labels merged")
    n_classes = {}
    for dataset in ("fraud_dialogs", "fraud_news"):
        train, dev = _split(dataset, "train"), _split(dataset, "dev")
        n_classes[dataset] = len(set(train[1]))
        as_labelled, per_class = _dev_scores(train, dev, merge=False)
        merged, _ = _dev_scores(train, dev, merge=True)
        pair = ", ".join(f"{label} F1 {per_class[label]:.3f}" for label in PAIR)
        print(f"   {dataset:14s} as labelled {as_labelled:.4f} ({pair}); merged {merged:.4f}")
    print("\n4. ceilings with every other class perfect")
    news = n_classes["fraud_news"]
    print(
        f"   fraud_news, {SHOPPING} (all 杀猪盘 reports) at F1 0: "
        f"{news - 1}/{news} = {(news - 1) / news:.4f}"
    )
    dialogs = n_classes["fraud_dialogs"]
    ceiling = (dialogs - 2 + 2 * pair_cv_f1) / dialogs
    print(f"   fraud_dialogs, the two classes at their CV F1 {pair_cv_f1:.3f}: {ceiling:.4f}")
    _, labels = load_split("fbs_sms", "dev")
    rare = labels.count("FR:Phishing(Other)")
    print(
        f"   fbs_sms: FR:Phishing(Other) has {rare} dev message(s); one miss costs "
        f"1/{len(set(labels))} = {1 / len(set(labels)):.4f} of macro-F1"
    )


def main() -> None:
    print(f"machine: {machine()}")
    _labels_of_articles_naming_romance()
    pair_cv_f1 = _pair_separability()
    _merged_scores(pair_cv_f1)


if __name__ == "__main__":
    main()
