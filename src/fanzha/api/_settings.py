"""Server settings: every option is a field here, documented, overridable from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from datetime import timedelta

from fanzha.screening import MAX_TEXT_CHARS
from fanzha.store import database_url

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

    @property
    def resolved_db_url(self) -> str:
        """The database URL actually used."""
        return database_url(self.db_url or None)

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
