"""The demo city loads into SQLite and PostgreSQL, and `fanzha demo-data` drives it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from fanzha.cli import app
from fanzha.cli._demo import ensure_demo_city
from fanzha.store import Case, User, WarningTask, bulk_load, make_engine, migrate, table_counts
from tests.demo.conftest import City

runner = CliRunner()


def test_the_city_loads_with_bulk_load(engine: Engine, small_city: City) -> None:
    seen: list[int] = []
    counts = bulk_load(engine, small_city, progress=seen.append)
    assert counts == {table: frame.height for table, frame in small_city.items()}
    assert sum(seen) == sum(counts.values())
    stored = table_counts(engine)
    assert all(stored[table] == rows for table, rows in counts.items())
    with Session(engine) as session:
        case = session.get(Case, 1)
        assert case is not None and case.case_no.startswith("A4501")
        task = session.get(WarningTask, 1)
        assert task is not None and task.signal_at.tzinfo is not None and task.version == 1


def _run(db: str, *extra: str) -> tuple[int, str]:
    result = runner.invoke(
        app, ["demo-data", "--db", db, "--records", "1000", "--start", "2026-01-01", *extra]
    )
    return result.exit_code, result.output


def test_demo_data_loads_refuses_twice_and_resets(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    code, output = _run(db)
    assert code == 0, output
    assert "warning_tasks" in output and "fanzha-demo" in output
    code, output = _run(db)
    assert code == 1 and "--reset" in output
    code, output = _run(db, "--reset", "--seed", "3")
    assert code == 0, output
    engine = make_engine(db)
    with Session(engine) as session:
        admin = session.query(User).filter_by(username="admin").one()
        assert admin.password_hash.startswith("$argon2")
    assert table_counts(engine)["import_batches"] == 1


def test_ensure_demo_city_fills_only_an_empty_database(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'serve.db'}")
    migrate(engine)
    assert ensure_demo_city(engine, records=1_000, seed=1)
    rows = table_counts(engine)["persons"]
    assert not ensure_demo_city(engine, records=1_000, seed=1)
    assert table_counts(engine)["persons"] == rows


def test_demo_data_names_a_bad_size(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["demo-data", "--db", f"sqlite:///{tmp_path / 'x.db'}", "--records", "5"]
    )
    assert result.exit_code == 1
    assert "records" in result.output
