"""Rebuild the text models shipped inside the package, reproducibly.

Trains two ``TextModel(seed=0)`` models, ``types`` (fraud type) and ``risk`` (the
category: fraud / illegal / advertising / normal), on the TRAIN splits of every set in
``shared/data/text`` (dev and test are never used), with each set's labels mapped onto
the taxonomy by ``fanzha.taxonomy.map_label`` (``taxonomy/data/label_map.yaml``), and
adds the hand-written family examples of ``screening/data/training_families.yaml``
(insider stock tips, 带你赚钱, guaranteed returns, 刷单 adverts with obfuscated contacts, and
ordinary messages on the same subjects), and writes
``src/fanzha/screening/data/default_model/`` plus a ``training.json`` manifest (inputs with
their SHA-256, rows per set and per class).

Run:  python scripts/build_default_model.py [--data ../shared/data/text]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import time
from collections import Counter
from pathlib import Path

import yaml

from fanzha.screening import TextModel, default_model_path, normalize_text
from fanzha.taxonomy import fraud_type, map_label

DATASETS = ("telecom_fraud", "fbs_sms", "fraud_dialogs", "fraud_news")
# Both models also learn from the single utterances of the normal dialogues: the sets'
# other normal texts are notices, adverts and transcripts, and without everyday chat lines
# short messages about money or parcels read as fraud.
SPEAKER = re.compile(r"^[^：:]{1,12}[：:]")
MIN_UTTERANCE_CHARS = 6
FAMILIES = Path(__file__).resolve().parents[1] / "src/fanzha/screening/data/training_families.yaml"


def normal_utterances(dialogue: str) -> list[str]:
    """The lines of a dialogue without their speaker names, long enough to mean something."""
    lines = (SPEAKER.sub("", line).strip() for line in dialogue.split("\n"))
    return [line for line in lines if len(line) >= MIN_UTTERANCE_CHARS]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    default_data = Path(__file__).resolve().parents[2] / "shared" / "data" / "text"
    parser.add_argument("--data", type=Path, default=default_data)
    parser.add_argument("--out", type=Path, default=default_model_path())
    args = parser.parse_args()
    texts: list[str] = []
    labels: list[str] = []
    chat_lines: list[str] = []
    inputs = []
    for dataset in DATASETS:
        path = args.data / dataset / "train.jsonl"
        raw = path.read_bytes()
        counts: Counter[str] = Counter()
        for line in raw.decode("utf-8").splitlines():
            row = json.loads(line)
            title = row.get("title")
            text = f"{title}\n{row['text']}" if title else row["text"]
            code = map_label(dataset, row["label"])
            texts.append(normalize_text(text))
            labels.append(code)
            counts[code] += 1
            if dataset == "fraud_dialogs" and code == "normal":
                chat_lines.extend(normalize_text(line) for line in normal_utterances(text))
        inputs.append(
            {
                "dataset": dataset,
                "file": f"text/{dataset}/train.jsonl",
                "sha256": hashlib.sha256(raw).hexdigest(),
                "rows": sum(counts.values()),
                "classes": dict(sorted(counts.items())),
            }
        )
        print(f"{dataset}: {sum(counts.values())} rows")
    raw = FAMILIES.read_bytes()
    table = yaml.safe_load(raw.decode("utf-8"))
    counts = Counter()
    for family in table["families"]:
        code = fraud_type(family["code"]).code  # fails on a code the taxonomy lacks
        for example in family["examples"]:
            texts.append(normalize_text(example))
            labels.append(code)
            counts[code] += 1
    inputs.append(
        {
            "dataset": "training_families",
            "file": "src/fanzha/screening/data/training_families.yaml",
            "version": table["version"],
            "sha256": hashlib.sha256(raw).hexdigest(),
            "rows": sum(counts.values()),
            "classes": dict(sorted(counts.items())),
        }
    )
    print(f"training_families v{table['version']}: {sum(counts.values())} rows")
    # Both models see the same texts, so they share vocabulary and IDF and the screener
    # featurises each message once for the two of them.
    texts += chat_lines
    labels += ["normal"] * len(chat_lines)
    categories = [fraud_type(code).category for code in labels]
    trained = {}
    for name, targets in (("types", labels), ("risk", categories)):
        started = time.perf_counter()
        model = TextModel(seed=0).fit(texts, targets)
        elapsed = time.perf_counter() - started
        print(f"{name}: {len(texts)} rows, {len(model.classes_)} classes in {elapsed:.0f}s")
        model.save(args.out / name)
        trained[name] = list(model.classes_)
    manifest = {
        "inputs": inputs,
        "classes": trained,
        "rows": len(texts),
        "extra_normal_utterances": len(chat_lines),
    }
    (args.out / "training.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"wrote {args.out} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
