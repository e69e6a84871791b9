"""`fanzha graph …` over a small demo database."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fanzha.cli import app
from fanzha.store import bulk_load, make_engine, migrate
from tests.graph.conftest import City
from tests.graph.test_ftm import problems

runner = CliRunner()


@pytest.fixture(scope="module")
def db(city: City, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('graph') / 'fanzha.db'}"
    engine = make_engine(url)
    migrate(engine)
    bulk_load(engine, city)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def case_no(city: City) -> str:
    return str(city["cases"].get_column("case_no")[0])


def test_expand_json(db: str, case_no: str) -> None:
    result = runner.invoke(app, ["graph", "expand", "--db", db, "--from", case_no, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["stats"]["seeds"] == [f"case:{case_no}"]
    assert data["nodes"] and data["edges"]


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["roles"], id="roles"),
        pytest.param(["roles", "--role", "goip_den"], id="one-role"),
        pytest.param(["gangs", "--top", "3"], id="gangs"),
        pytest.param(["outlets", "--top", "3"], id="outlets"),
    ],
)
def test_tables(db: str, args: list[str]) -> None:
    result = runner.invoke(app, ["graph", *args, "--db", db])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


def test_path(db: str, city: City, case_no: str) -> None:
    victim = city["cases"].get_column("victim_id")[0]
    result = runner.invoke(
        app, ["graph", "path", "--db", db, "--from", case_no, "--to", f"person:{victim}"]
    )
    assert result.exit_code == 0, result.output
    assert "reported-in" in result.stdout


def test_export_ftm(db: str, case_no: str, tmp_path: Path) -> None:
    out = tmp_path / "case.jsonl"
    result = runner.invoke(
        app,
        ["graph", "export-ftm", "--db", db, "--from", case_no, "--hops", "2", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows and all({"id", "schema", "properties"} == set(r) for r in rows)
    assert problems(rows) == Counter()


def test_export_ftm_all_writes_the_whole_store(db: str, tmp_path: Path) -> None:
    out = tmp_path / "all.jsonl"
    result = runner.invoke(app, ["graph", "export-ftm", "--db", db, "--all", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert problems(rows) == Counter()
    assert f"已导出 {len(rows)} 个实体" in result.stdout
    both = ["graph", "export-ftm", "--db", db, "--all", "--from", "x", "--out", str(out)]
    assert "either --from CLUE or --all" in runner.invoke(app, both).output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["expand", "--from", "phone:13999999999"], "no node", id="unknown-id"),
        pytest.param(["expand", "--from", "张三"], "cannot tell", id="untyped-clue"),
        pytest.param(
            ["expand", "--from", "phone:13800000000", "--types", "knows"],
            "unknown edge type",
            id="type",
        ),
        pytest.param(
            ["expand", "--from", "phone:13800000000", "--since", "last week"],
            "not a time",
            id="since",
        ),
        pytest.param(["roles", "--role", "boss"], "unknown role", id="role"),
    ],
)
def test_errors_are_one_red_line(db: str, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["graph", *args, "--db", db])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
