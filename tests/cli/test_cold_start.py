"""Cold start: the command line imports scikit-learn, the models and the store only in the
commands that need them, so `--help`, `--version` and `taxonomy` start fast and screening a
number loads no text model (`bench/cli_cold_start.py` gives the times)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fanzha.cli import app
from fanzha.cli._funds import METHOD_NAMES
from fanzha.cli._screen import MAX_TEXT_CHARS_HELP
from fanzha.funds import METHODS
from fanzha.screening import MAX_TEXT_CHARS

HEAVY = ("sklearn", "scipy", "numpy", "polars", "sqlalchemy", "fanzha.screening", "fanzha.funds")

# Runs the command line in this fresh process, then reports what it had imported.
PROBE = """
import atexit, json, runpy, sys
def report():
    screen = sys.modules.get("fanzha.screening._screen")
    loaded = bool(screen and screen._default_models.cache_info().currsize)
    heavy = [name for name in {heavy!r} if name in sys.modules]
    with open({out!r}, "w") as handle:
        json.dump({{"heavy": heavy, "text_model": loaded}}, handle)
atexit.register(report)
sys.argv = ["fanzha", *{args!r}]
runpy.run_module("fanzha.cli", run_name="__main__", alter_sys=True)
"""


def _run_fresh(args: list[str], tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], dict]:
    out = tmp_path / "probe.json"
    script = PROBE.format(heavy=HEAVY, out=str(out), args=args)
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
        timeout=120,
        check=False,
    )
    return done, json.loads(out.read_text())


def test_importing_the_command_line_imports_no_sklearn_models_or_store() -> None:
    code = (
        "import sys, fanzha.cli; "
        f"print(' '.join(name for name in {HEAVY!r} if name in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split() == []


@pytest.mark.parametrize(
    "args",
    [["--help"], ["--version"], ["taxonomy", "types"], ["graph", "expand", "--help"]],
    ids=["help", "version", "taxonomy", "subcommand-help"],
)
def test_light_commands_run_without_the_heavy_packages(args: list[str], tmp_path: Path) -> None:
    done, probe = _run_fresh(args, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
    assert probe["heavy"] == []


@pytest.mark.parametrize(
    ("value", "kind"),
    [("17012345678", "phone"), ("http://icbc-verify.top/login.apk", "url")],
)
def test_screening_a_number_or_link_loads_no_text_model(
    value: str, kind: str, tmp_path: Path
) -> None:
    done, probe = _run_fresh(["screen", value, "--json"], tmp_path)
    assert done.returncode == 0, done.stderr
    verdict = json.loads(done.stdout)
    assert verdict["kind"] == kind
    assert verdict["level"] in {"medium", "high"}
    assert probe["text_model"] is False
    assert "sklearn" not in probe["heavy"]


def test_screening_a_text_still_uses_the_text_model(tmp_path: Path) -> None:
    done, probe = _run_fresh(["screen", "您的银行卡涉嫌洗钱，请转入安全账户", "--json"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert probe["text_model"] is True
    assert "sklearn" not in probe["heavy"]  # predicting needs numpy and scipy, not sklearn


def test_audit_verify_imports_neither_the_api_nor_sklearn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FANZHA_AUDIT_KEY", "k1:" + "ab" * 32)
    monkeypatch.setenv("FANZHA_AUDIT_CHECKPOINT_FILE", str(tmp_path / "checkpoints.jsonl"))
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    done, probe = _run_fresh(["audit", "verify", "--db", db], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "无" in done.stdout or "nothing" in done.stdout
    assert "sklearn" not in probe["heavy"]
    modules = subprocess.run(
        [sys.executable, "-c", "import sys, fanzha.api._settings; print('fastapi' in sys.modules)"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert modules.stdout.strip() == "False"


def test_version_is_the_installed_distributions() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"fanzha {version('fanzha')}"


def test_help_texts_written_out_for_a_light_start_match_the_core() -> None:
    assert METHOD_NAMES == METHODS
    assert MAX_TEXT_CHARS_HELP == MAX_TEXT_CHARS
