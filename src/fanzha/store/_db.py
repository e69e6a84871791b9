"""Engines, sessions and migrations: SQLite by default, PostgreSQL in production."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

__all__ = [
    "DEFAULT_DB_URL",
    "database_url",
    "head_revision",
    "known_revisions",
    "make_engine",
    "make_session_factory",
    "migrate",
    "ping",
    "schema_revision",
]

DEFAULT_DB_URL = "sqlite:///./fanzha.db"
MIGRATIONS = Path(__file__).with_name("migrations")


def database_url(url: str | None = None) -> str:
    """The URL to use: the argument, else ``FANZHA_DB_URL``, else ``./fanzha.db``."""
    return url or os.environ.get("FANZHA_DB_URL") or DEFAULT_DB_URL


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(
    url: str | None = None,
    *,
    pool_size: int = 10,
    max_overflow: int = 20,
    pool_timeout: float = 30.0,
) -> Engine:
    """An engine for ``url`` with a pool of ``pool_size`` connections (``max_overflow`` more
    in bursts; a caller waits at most ``pool_timeout`` seconds for one).

    SQLite gets foreign keys, WAL (readers never wait for the writer), ``synchronous=NORMAL``
    and a busy timeout of 10 s for the one writer at a time; PostgreSQL connections are
    checked before use.
    """
    resolved = database_url(url)
    pool = {"pool_size": pool_size, "max_overflow": max_overflow, "pool_timeout": pool_timeout}
    if resolved.startswith("sqlite"):
        engine = create_engine(resolved, connect_args={"check_same_thread": False}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(resolved, pool_pre_ping=True, **pool)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


def ping(session: Session) -> None:
    """Ask the database a trivial question; raises when it cannot answer."""
    session.execute(text("SELECT 1"))


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(bind: Engine | Connection, revision: str = "head") -> None:
    """Bring the database schema to ``revision`` with Alembic (idempotent).

    An engine migrates in a transaction of its own; a connection migrates inside the
    transaction it is in (the caller commits).
    """
    config = _alembic_config()
    if isinstance(bind, Connection):
        config.attributes["connection"] = bind
        command.upgrade(config, revision)
        return
    with bind.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def head_revision() -> str:
    """The newest schema revision this fanzha knows."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise RuntimeError("no migrations found")
    return head


def known_revisions() -> list[str]:
    """Every schema revision this fanzha knows, newest first."""
    return [
        script.revision
        for script in ScriptDirectory.from_config(_alembic_config()).walk_revisions()
    ]


def schema_revision(connection: Connection) -> str | None:
    """The schema revision the database is at (None: never migrated)."""
    return MigrationContext.configure(connection).get_current_revision()
