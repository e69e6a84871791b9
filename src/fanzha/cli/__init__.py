"""The `fanzha` command line: a thin Typer shell over the core packages."""

from __future__ import annotations

from fanzha.cli._app import app, main

__all__ = ["app", "main"]
