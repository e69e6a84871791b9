"""`fanzha outreach templates` and `fanzha outreach run --once`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from fanzha.cli import app


def test_templates_json_lists_segments() -> None:
    result = CliRunner().invoke(
        app, ["outreach", "templates", "--fraud-type", "phishing", "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 10 and {r["segments"] for r in rows if r["code"].endswith(".sms")} == {1}


def test_run_once_on_an_empty_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    outbox = tmp_path / "outbox.jsonl"
    result = CliRunner().invoke(
        app, ["outreach", "run", "--once", "--db", url, "--outbox", str(outbox)]
    )
    assert result.exit_code == 0, result.output
    assert "发送 0 条" in result.output and not outbox.exists()
