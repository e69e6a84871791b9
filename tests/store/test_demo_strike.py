"""The demo 专项行动: its live figures are 2022 round two's, scaled by the demo's suspects."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fanzha.store._models import Outlet
from fanzha.store._ops_models import Rectification, Suspect
from fanzha.store.clues import list_clues
from fanzha.store.demo_strike import ROUND_TWO, seed_demo_strike
from fanzha.store.operations import list_operations, operation_rollups

NOW = datetime(2026, 12, 8, 2, tzinfo=UTC)


def test_the_demo_operation_resembles_round_two_in_proportion(engine: Engine) -> None:
    with Session(engine) as session:
        statuses = ["detained"] * 40 + ["at_large"] * 15 + ["arrested"] * 14
        session.add_all(Suspect(name="某", legal_status=s, district="青秀区") for s in statuses)
        session.add(Outlet(id=1, name="营业厅", kind="telecom", operator="移动", district="青秀区"))
        session.add_all(
            Rectification(outlet_id=1, opened_on=date(2026, 12, 1), deadline=date(2027, 1, 1))
            for _ in range(30)
        )
        session.commit()
    made = seed_demo_strike(engine, seed=7, now=NOW)
    scale = len(statuses) / ROUND_TWO["suspects"]
    with Session(engine) as session:
        (op,) = list_operations(session)
        rollup = operation_rollups(session, [op.id])[op.id]
        assert rollup.arrests == 54  # the detained and arrested suspects
        assert rollup.caught_in_raids == round(347 * scale)
        assert rollup.officers == round(1500 * scale) and rollup.outreach_sites == round(59 * scale)
        assert rollup.rectifications == round(97 * scale)
        for kind in ("computer", "phone", "sim_card", "bank_card"):
            assert rollup.seizures[kind] == round(ROUND_TWO[kind] * scale), kind
        assert abs(rollup.cash_fen - 8_000_000 * scale) < 100 * 1000 * len(range(made["raids"]))
        assert rollup.raids == rollup.dens_raided == made["raids"]
        assert rollup.clues_landed == made["raids"] and rollup.clues == made["clues"]
        late, count = list_clues(session, overdue_at=NOW)
        assert count == 3 and all(c.is_open for c in late)
