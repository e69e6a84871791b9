"""Loading the shared data sets for bench scripts."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path

__all__ = ["DATASETS", "data_root", "load_split", "machine"]

DATASETS = ("telecom_fraud", "fbs_sms", "fraud_dialogs", "fraud_news")


def data_root() -> Path:
    """The text data folder: $FANZHA_DATA or ../shared/data beside the project."""
    root = os.environ.get("FANZHA_DATA")
    if root:
        return Path(root)
    return Path(__file__).resolve().parents[2] / "shared" / "data"


def load_split(dataset: str, split: str) -> tuple[list[str], list[str]]:
    """Texts (title + newline + text when a title exists) and labels of one split."""
    texts: list[str] = []
    labels: list[str] = []
    path = data_root() / "text" / dataset / f"{split}.jsonl"
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            title = row.get("title")
            texts.append(f"{title}\n{row['text']}" if title else row["text"])
            labels.append(row["label"])
    return texts, labels


def machine() -> str:
    """One line naming the machine the figures come from."""
    cpu = "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.node()} · {cpu} · {os.cpu_count()} cores · Python {platform.python_version()}"
    )
