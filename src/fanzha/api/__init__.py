"""The HTTP API (FastAPI): thin routes over the core packages and the store.

The names are imported on first use, so that ``fanzha.api._settings`` (read by CLI commands
such as ``audit verify``) does not pull in FastAPI, the routes and the models.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    from fanzha.api._app import create_app
    from fanzha.api._security import hash_password
    from fanzha.api._settings import Settings

__all__ = ["Settings", "create_app", "hash_password"]

_HOMES = {
    "Settings": "fanzha.api._settings",
    "create_app": "fanzha.api._app",
    "hash_password": "fanzha.api._security",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'fanzha.api' has no attribute {name!r}")
    return getattr(_importlib.import_module(home), name)
