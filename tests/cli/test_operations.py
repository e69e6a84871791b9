"""`fanzha operations list|overdue-clues` over a store holding the demo operation."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.orm import Session
from typer.testing import CliRunner

from fanzha.cli import app
from fanzha.store import make_engine, migrate
from fanzha.store._ops_models import Suspect
from fanzha.store.demo_strike import seed_demo_strike

runner = CliRunner()


def test_operations_list_and_overdue_clues(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ops.db'}"
    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as session:
        session.add_all(Suspect(name="某", legal_status="detained") for _ in range(35))
        session.commit()
    made = seed_demo_strike(engine, seed=3)
    engine.dispose()
    listed = runner.invoke(app, ["operations", "list", "--db", url, "--json"])
    assert listed.exit_code == 0, listed.output
    (op,) = json.loads(listed.output)
    assert op["rollup"]["arrests"] == 35 and op["rollup"]["raids"] == made["raids"]
    late = runner.invoke(app, ["operations", "overdue-clues", "--db", url, "--json"])
    assert late.exit_code == 0, late.output
    assert len(json.loads(late.output)) == 3
    table = runner.invoke(app, ["operations", "list", "--db", url])
    assert table.exit_code == 0 and "绿城" in table.output
