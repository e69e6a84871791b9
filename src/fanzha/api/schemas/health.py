"""Bodies of the liveness and readiness checks (no data)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

__all__ = ["HealthPublic", "ReadyPublic"]


class HealthPublic(BaseModel):
    """The process is up and its event loop answers."""

    status: Literal["ok"] = "ok"


class ReadyPublic(BaseModel):
    """Whether the database answers a trivial query."""

    status: Literal["ready", "unavailable"]
