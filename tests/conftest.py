"""Shared fixtures: small labelled JSONL sets made by the tests themselves."""

from __future__ import annotations

import json
import os
import random
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from fanzha.store.audit import AuditChain, AuditKeyring, add_key

CLASS_TEMPLATES = {
    "正常": (
        "今天下午三点开会，请大家准时参加{n}",
        "周末一起去爬山吧，天气很好{n}",
        "妈妈说晚饭做了红烧肉{n}",
    ),
    "刷单返利": (
        "兼职刷单日结，做任务返佣金{n}",
        "点赞关注就能赚钱，先垫付后返利{n}",
        "刷单返利，一单赚{n}元",
    ),
    "冒充公检法": (
        "我是公安局民警，你涉嫌洗钱{n}",
        "检察院通知你的账户涉案，需转入安全账户{n}",
        "法院传票，涉嫌犯罪请配合调查{n}",
    ),
}


def make_rows(n_per_class: int, *, seed: int = 7) -> list[dict[str, str]]:
    """Labelled rows from the templates above, with numbers varied by a seeded RNG."""
    rng = random.Random(seed)
    rows = []
    for label, templates in CLASS_TEMPLATES.items():
        for _ in range(n_per_class):
            template = rng.choice(templates)
            rows.append({"text": template.format(n=rng.randint(1, 9999)), "label": label})
    rng.shuffle(rows)
    return rows


@pytest.fixture
def write_jsonl(tmp_path: Path) -> Callable[[str, list[object]], Path]:
    """Write rows (dicts, or raw bytes/str lines) to a JSONL file under tmp_path."""

    def write(name: str, rows: list[object]) -> Path:
        path = tmp_path / name
        with open(path, "wb") as handle:
            for row in rows:
                if isinstance(row, bytes):
                    handle.write(row + b"\n")
                elif isinstance(row, str):
                    handle.write(row.encode("utf-8") + b"\n")
                else:
                    handle.write(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n")
        return path

    return write


PG_URL = os.environ.get("FANZHA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgresql_reachable() -> bool:
    try:
        engine = create_engine(PG_URL)
        with engine.connect():
            pass
        engine.dispose()
    except OperationalError:
        return False
    return True


@contextmanager
def fresh_database_url(kind: str, folder: Path) -> Iterator[str]:
    """A fresh, empty database URL of ``kind``: a SQLite file in ``folder``, or a private
    schema on PostgreSQL (dropped afterwards).

    A PostgreSQL that cannot be reached skips the test locally and fails it in CI.
    """
    if kind == "sqlite":
        folder.mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{folder / 'fanzha.db'}"
        return
    if not _postgresql_reachable():
        message = f"PostgreSQL not reachable at {PG_URL}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file, then a private schema on PostgreSQL."""
    with fresh_database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated engine on :func:`db_url`."""
    from fanzha.store import make_engine, migrate

    made = make_engine(db_url)
    migrate(made)
    yield made
    made.dispose()


def local_audit_chain(folder: Path, *, every: int = 100) -> AuditChain:
    """An audit chain with a generated key file and a checkpoint file in ``folder``."""
    add_key(folder / "audit.key")
    keyring = AuditKeyring.from_file(folder / "audit.key")
    return AuditChain(keyring, folder / "audit-checkpoints.jsonl", every)


@pytest.fixture
def audit_chain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AuditChain:
    """A test's own audit key and checkpoint file, also set in ``FANZHA_AUDIT_*`` for the CLI."""
    chain = local_audit_chain(tmp_path / "audit")
    monkeypatch.delenv("FANZHA_AUDIT_KEY", raising=False)
    monkeypatch.setenv("FANZHA_AUDIT_KEY_FILE", str(tmp_path / "audit" / "audit.key"))
    monkeypatch.setenv("FANZHA_AUDIT_CHECKPOINT_FILE", str(chain.checkpoint_file))
    return chain
