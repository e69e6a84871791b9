"""Loading the shared data sets for bench scripts."""

from __future__ import annotations

import json
import os
import platform
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["DATASETS", "PG_URL", "bench_database", "data_root", "load_split", "machine"]

DATASETS = ("telecom_fraud", "fbs_sms", "fraud_dialogs", "fraud_news")

PG_URL = os.environ.get("FANZHA_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def bench_database(kind: str, workdir: Path) -> Iterator[str]:
    """A fresh database URL: a new SQLite file in ``workdir``, or a private PostgreSQL schema
    on ``PG_URL`` (dropped afterwards)."""
    from sqlalchemy import create_engine, text

    if kind == "sqlite":
        yield f"sqlite:///{workdir / f'bench-{uuid.uuid4().hex[:6]}.db'}"
        return
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


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
