"""The demo city's registers: fugitives whose numbers the city's records use hit at once."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fanzha.cli._demo import load_demo_city
from fanzha.store import make_engine, migrate
from fanzha.store._ops_models import Clue, FugitiveHit, KeyPerson, Rectification


def test_the_demo_city_gets_hits_key_persons_and_rectifications(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    migrate(engine)
    counts = load_demo_city(engine, records=5_000, seed=7)
    assert counts["suspects"] > 0 and counts["fugitives"] > 0
    assert counts["fugitive_hits"] > 0 and counts["key_areas"] == 4
    with Session(engine) as session:
        assert (
            session.scalar(select(func.count()).select_from(FugitiveHit)) == counts["fugitive_hits"]
        )
        urgent = session.scalar(select(func.count()).where(Clue.urgent.is_(True)))
        assert urgent and urgent <= counts["fugitives"]
        kinds = set(session.scalars(select(KeyPerson.category)))
        assert {"two_card", "returnee", "released"} <= kinds
        assert (
            session.scalar(select(func.count()).select_from(Rectification))
            == counts["rectifications"]
        )
    engine.dispose()
