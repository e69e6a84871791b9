"""The HTTP API (FastAPI): thin routes over the core packages and the store."""

from __future__ import annotations

from fanzha.api._app import create_app
from fanzha.api._security import hash_password
from fanzha.api._settings import Settings

__all__ = ["Settings", "create_app", "hash_password"]
