"""`fanzha export` and `fanzha import`: a round trip through Parquet with row tables, and a
schema revision mismatch refused in red with exit 1."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from fanzha.cli import app
from fanzha.demo import generate_city
from fanzha.store import bulk_load, make_engine, migrate, table_counts

runner = CliRunner()


def _store(path: Path, *, city: bool) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    migrate(engine)
    if city:
        start = datetime(2026, 9, 1, tzinfo=UTC)
        bulk_load(engine, generate_city(seed=3, records=1_000, start=start, password_hash="h"))
    engine.dispose()
    return url


def test_export_then_import_reports_rows(tmp_path: Path) -> None:
    source, target = _store(tmp_path / "a.db", city=True), _store(tmp_path / "b.db", city=False)
    out = tmp_path / "export"
    tables = "gangs,persons,devices,outlets,phones,calls"
    done = runner.invoke(app, ["export", "--db", source, "--tables", tables, "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "calls" in done.stdout
    done = runner.invoke(app, ["import", str(out), "--db", target])
    assert done.exit_code == 0, done.output
    engine = make_engine(target)
    counts = table_counts(engine)
    engine.dispose()
    assert counts["calls"] > 0
    assert f"{counts['calls']:,}" in done.stdout


def test_import_refuses_another_schema_revision(tmp_path: Path) -> None:
    source, target = _store(tmp_path / "a.db", city=True), _store(tmp_path / "b.db", city=False)
    out = tmp_path / "export"
    assert runner.invoke(app, ["export", "--db", source, "--out", str(out)]).exit_code == 0
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["schema_revision"] = "0001_elsewhere"
    (out / "manifest.json").write_text(json.dumps(manifest))
    done = runner.invoke(app, ["import", str(out), "--db", target])
    assert done.exit_code == 1
    assert "0001_elsewhere" in done.output
