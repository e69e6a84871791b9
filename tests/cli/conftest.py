"""A folder set up as the README says: `fanzha serve --demo` ran there (the server itself
not started), leaving `./fanzha.db` with the demo city and the demo audit key."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fanzha.cli import app

DEMO_RECORDS = 2000
DEMO_SEED = 2022  # the README's documented seed (the default of --seed)


@contextmanager
def in_folder(folder: Path) -> Iterator[pytest.MonkeyPatch]:
    """Work in ``folder`` as a user would: no audit key or database set in the environment."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        for name in (
            "FANZHA_DB_URL",
            "FANZHA_AUDIT_KEY",
            "FANZHA_AUDIT_KEY_FILE",
            "FANZHA_AUDIT_CHECKPOINT_FILE",
            "FANZHA_WORKERS",
        ):
            patch.delenv(name, raising=False)
        yield patch


def serve_demo(patch: pytest.MonkeyPatch, *args: str) -> tuple[Any, list[dict[str, Any]]]:
    """Run `fanzha serve --demo …` with uvicorn not started; the result and uvicorn's calls."""
    calls: list[dict[str, Any]] = []
    patch.setattr("uvicorn.run", lambda *a, **kw: calls.append({"args": a, **kw}))
    result = CliRunner().invoke(
        app,
        ["serve", "--demo", "--records", str(DEMO_RECORDS), "--seed", str(DEMO_SEED), *args],
        env={"COLUMNS": "80"},
    )
    return result, calls


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder where `fanzha serve --demo` made the demo city (seed 2022, small)."""
    folder = tmp_path_factory.mktemp("readme")
    with in_folder(folder) as patch:
        result, calls = serve_demo(patch)
    assert result.exit_code == 0, result.output
    assert len(calls) == 1
    return folder
