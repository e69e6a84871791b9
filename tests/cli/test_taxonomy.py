"""`fanzha taxonomy types|rules`: every type and rule is listed with its advice."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from fanzha.cli import app
from fanzha.taxonomy import fraud_types, rules

runner = CliRunner()


@pytest.mark.parametrize(
    ("command", "key", "expected"),
    [
        pytest.param("types", "code", {t.code for t in fraud_types()}, id="types"),
        pytest.param("rules", "id", {r.id for r in rules()}, id="rules"),
    ],
)
def test_json_lists_everything_with_advice(command: str, key: str, expected: set[str]) -> None:
    result = runner.invoke(app, ["taxonomy", command, "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {row[key] for row in rows} == expected
    assert all(row["advice"] for row in rows)


def test_rules_table_shows_the_seven_always() -> None:
    result = runner.invoke(app, ["taxonomy", "rules"])
    assert result.exit_code == 0, result.output
    assert "谈到银行卡" in result.stdout
