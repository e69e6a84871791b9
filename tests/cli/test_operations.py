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


def test_a_demo_city_of_2022_gets_its_operation_in_2022(tmp_path: Path) -> None:
    # the operation, raids and suspects were dated at the wall clock, so a 2022 period's
    # statistics read none of them
    from datetime import UTC, date, datetime

    from sqlalchemy import func, select

    from fanzha.cli._demo import load_demo_city
    from fanzha.store._ops_models import Operation, Raid

    engine = make_engine(f"sqlite:///{tmp_path / 'city.db'}")
    migrate(engine)
    load_demo_city(engine, records=2000, seed=5, days=60, start=datetime(2022, 3, 1, tzinfo=UTC))
    with Session(engine) as session:
        (starts_on,) = session.scalars(select(Operation.starts_on)).all()
        last_raid = session.scalar(select(func.max(Raid.raided_at)))
    engine.dispose()
    assert date(2022, 3, 1) <= starts_on <= date(2022, 4, 30)
    assert last_raid is not None and last_raid.year == 2022
