"""Server settings: every option is a field here, documented, overridable from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from datetime import timedelta

from sqlalchemy import Engine

from fanzha.screening import MAX_TEXT_CHARS
from fanzha.store import database_url, make_engine

__all__ = ["Settings"]


@dataclass(frozen=True, slots=True)
class Settings:
    """Options of ``fanzha serve``; ``FANZHA_<NAME>`` environment variables override them."""

    db_url: str = ""
    """Database URL (``FANZHA_DB_URL``); empty means ``sqlite:///./fanzha.db``."""
    max_body_bytes: int = 4 * MAX_TEXT_CHARS + 65_536
    """Largest request body accepted; larger ones get 413. The default carries a text of
    ``MAX_TEXT_CHARS`` characters (at most 4 bytes each in UTF-8) and the JSON around it."""
    max_batch_items: int = 1_000
    """Most items in one batch screening request."""
    token_hours: int = 12
    """How long a login lasts."""
    page_size_max: int = 200
    """Largest page of any list."""
    cookie_secure: bool = False
    """Send the login cookie only over HTTPS (set true behind TLS)."""
    pseudonym_key: str = ""
    """Secret key of the keyed hashes that stand for phone, ID and account numbers in the
    audit log (``FANZHA_PSEUDONYM_KEY``); empty means a random key per server start, so
    entries of different runs cannot be matched by number."""
    threads: int = 40
    """Worker threads per process for the endpoints (they run blocking database and
    screening work off the event loop); the database pool keeps as many connections."""
    db_pool_overflow: int = 10
    """Connections the pool may open beyond ``threads`` for short bursts (requests finishing
    their commit while new ones start). PostgreSQL: keep ``workers × (threads +
    db_pool_overflow)`` below the server's ``max_connections``."""
    db_pool_timeout: float = 10.0
    """Seconds a request waits for a pooled connection before it is answered 503."""
    workers: int = 1
    """Server processes (``fanzha serve``); they share one audit chain through the database's
    lock."""
    shutdown_seconds: float = 5.0
    """On SIGTERM/SIGINT, how long requests in flight may take to finish before they are
    cancelled and the server exits."""

    @property
    def resolved_db_url(self) -> str:
        """The database URL actually used."""
        return database_url(self.db_url or None)

    def make_engine(self) -> Engine:
        """An engine on :attr:`resolved_db_url` with its pool sized to the thread pool."""
        return make_engine(
            self.resolved_db_url,
            pool_size=self.threads,
            max_overflow=self.db_pool_overflow,
            pool_timeout=self.db_pool_timeout,
        )

    @property
    def token_ttl(self) -> timedelta:
        """Login lifetime as a timedelta."""
        return timedelta(hours=self.token_hours)

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, then ``FANZHA_*`` variables, then ``overrides``."""
        values: dict[str, object] = {}
        for field in fields(cls):
            raw = os.environ.get(f"FANZHA_{field.name.upper()}")
            if raw is None:
                continue
            kind = type(getattr(cls(), field.name))
            values[field.name] = raw.lower() in {"1", "true", "yes"} if kind is bool else kind(raw)
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]
