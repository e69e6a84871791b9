"""Operations in the store: the live roll-up against figures the test adds up itself, the
district scope of clues, dens and raids, and clue moves with their recorded changes."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fanzha.errors import NotFound, StaleVersion
from fanzha.operations import SEIZURE_KINDS, move_clue
from fanzha.store._models import Outlet
from fanzha.store._ops_models import Rectification, Suspect, Sweep
from fanzha.store.clues import (
    NewClue,
    add_clue,
    clue_transitions,
    get_clue,
    list_clues,
    save_clue_move,
)
from fanzha.store.operations import (
    NewDen,
    NewOperation,
    NewRaid,
    NewSeizure,
    add_den,
    add_operation,
    add_raid,
    get_den,
    list_dens,
    list_operations,
    list_raids,
    operation_rollups,
)

DISTRICTS = ("兴宁区", "青秀区", "宾阳县")
AT = datetime(2022, 5, 23, 21, tzinfo=UTC)


def _build(session: Session, seed: int = 3) -> dict[str, object]:
    """Two operations with random raids, seizures, arrests, rectifications, sweeps, clues;
    returns what the test expects, added up in plain Python as the rows are made."""
    rng = random.Random(seed)
    ops = [
        add_operation(
            session,
            NewOperation("第二轮", date(2022, 5, 23), date(2022, 5, 24), (), "市局", 1500, 59),
        ),
        add_operation(
            session,
            NewOperation(
                "宾阳清查", date(2022, 6, 1), date(2022, 6, 2), ("宾阳县",), "宾阳县局", 300, 4
            ),
        ),
    ]
    session.add(Outlet(id=1, name="某营业厅", kind="telecom", operator="移动", district="兴宁区"))
    expect: dict[tuple[int, str | None], Counter[str]] = {}

    def count(op: int, district: str, key: str, n: int = 1) -> None:
        for scope in (None, district):
            expect.setdefault((op, scope), Counter())[key] += n

    for _ in range(12):
        op = rng.choice(ops).id
        district = rng.choice(DISTRICTS)
        den = add_den(session, NewDen("窝点", rng.choice(["goip", "shuadan"]), district))
        caught = rng.randint(0, 9)
        items = []
        for kind in rng.sample(sorted(SEIZURE_KINDS), 3):
            n = rng.randint(1, 50)
            fen = rng.randint(1, 10**6) if kind == "cash" else 0
            items.append(NewSeizure(kind, n, fen))
            count(op, district, f"seized:{kind}", n)
            count(op, district, "cash_fen", fen)
        raid = add_raid(
            session, NewRaid(AT, district, den.id, op, None, 20, caught, "", tuple(items))
        )
        count(op, district, "raids")
        count(op, district, "dens_raided")
        count(op, district, "caught_in_raids", caught)
        for _ in range(rng.randint(0, 3)):
            taken = rng.random() < 0.7
            session.add(
                Suspect(
                    name="某",
                    district=district,
                    operation_id=op,
                    raid_id=raid.id,
                    caught_at=AT if taken else None,
                )
            )
            if taken:
                count(op, district, "arrests")
    for _ in range(6):
        op = rng.choice(ops).id
        district = rng.choice(DISTRICTS)
        session.add(
            Rectification(
                outlet_id=1,
                operation_id=op,
                district=district,
                opened_on=date(2022, 5, 23),
                deadline=date(2022, 6, 23),
            )
        )
        count(op, district, "rectifications")
        session.add(Sweep(swept_on=date(2022, 5, 23), district=district, operation_id=op))
        count(op, district, "sweeps")
        clue = add_clue(
            session, NewClue("manual", "线索", "district", district, AT, AT, operation_id=op)
        )
        count(op, district, "clues")
        if rng.random() < 0.5:
            moved, change = move_clue(clue, "analysing", at=AT)
            moved2, change2 = move_clue(moved, "landed", at=AT, note="抓获")
            save_clue_move(session, clue, moved, change, None)
            save_clue_move(session, get_clue(session, clue.id), moved2, change2, None)
            count(op, district, "clues_landed")
    session.flush()
    return {"ops": ops, "expect": expect}


@pytest.mark.parametrize("scope", [None, "兴宁区", "宾阳县"])
def test_rollups_match_the_records_added_up_independently(
    engine: Engine, scope: str | None
) -> None:
    with Session(engine) as session:
        built = _build(session)
        ops = built["ops"]
        expect = built["expect"]
        assert isinstance(ops, list) and isinstance(expect, dict)
        rollups = operation_rollups(session, [op.id for op in ops], scope=scope)
        for op in ops:
            want = expect.get((op.id, scope), Counter())
            got = rollups[op.id]
            assert got.officers == op.officers and got.outreach_sites == op.outreach_sites
            for name in (
                "arrests",
                "raids",
                "dens_raided",
                "caught_in_raids",
                "rectifications",
                "sweeps",
                "clues",
                "clues_landed",
                "cash_fen",
            ):
                assert getattr(got, name) == want[name], name
            assert got.seizures == {
                k.split(":")[1]: v for k, v in want.items() if k.startswith("seized:")
            }


def test_a_district_sees_its_own_clues_dens_raids_and_operations(engine: Engine) -> None:
    with Session(engine) as session:
        built = _build(session)
        ops = built["ops"]
        assert isinstance(ops, list)
        everything, total = list_clues(session, per_page=100)
        mine, mine_total = list_clues(session, scope="兴宁区", per_page=100)
        assert total == 6 and {c.district for c in mine} <= {"兴宁区"}
        assert mine_total == sum(c.district == "兴宁区" for c in everything)
        other = next(c for c in everything if c.district != "兴宁区")
        with pytest.raises(NotFound):
            get_clue(session, other.id, scope="兴宁区")
        assert {d.district for d in list_dens(session, scope="青秀区")} <= {"青秀区"}
        den = next(d for d in list_dens(session) if d.district == "宾阳县")
        assert get_den(session, den.id).raids == 1 and den.state == "raided"
        with pytest.raises(NotFound):
            get_den(session, den.id, scope="青秀区")
        assert {r.district for r in list_raids(session, scope="宾阳县")} <= {"宾阳县"}
        assert [o.name for o in list_operations(session, scope="青秀区")] == ["第二轮"]
        assert len(list_operations(session, scope="宾阳县")) == 2


def test_a_clue_move_is_recorded_and_a_stale_version_refused(engine: Engine) -> None:
    with Session(engine) as session:
        clue = add_clue(
            session,
            NewClue(
                "graph_node",
                "某号码",
                "city",
                None,
                AT,
                AT + timedelta(hours=12),
                evidence={"nodes": ["phone:+8613800138000"]},
            ),
        )
        moved, change = move_clue(clue, "analysing", at=AT)
        saved = save_clue_move(session, clue, moved, change, None)
        assert saved.version == 2 and saved.evidence == {"nodes": ["phone:+8613800138000"]}
        with pytest.raises(StaleVersion):
            get_clue(session, clue.id, version=1)
        with pytest.raises(StaleVersion):
            save_clue_move(session, clue, moved, change, None)
        assert [(t.from_state, t.to_state) for t in clue_transitions(session, clue.id)] == [
            ("pending", "analysing")
        ]
        late, n = list_clues(session, overdue_at=AT + timedelta(hours=13))
        assert n == 1 and late[0].id == clue.id
        assert list_clues(session, overdue_at=AT + timedelta(hours=11))[1] == 0
