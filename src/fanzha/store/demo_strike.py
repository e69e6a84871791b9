"""The demo city's 专项行动: a round like 2022's "绿城反诈·断卡" round two, made from the city
just loaded (after :func:`fanzha.store.demo_targets.seed_demo_targets`).

Its figures are the 2022 list scaled by the demo's suspects against round two's 347:
officers, outreach sites, dens raided with the suspects caught and seizures by kind (电脑,
手机, 手机卡, 银行卡, 现金, POS 机, U 盘) spread over the raids, the caught suspects and some
rectification cases named as the operation's, and clues: one landed per raid (线索研判 →
深挖扩线 → 落地打击), some still open, a few past their SLA for the commander's list.
Seeded, so the same city gives the same operation.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from fanzha.demo import city_map
from fanzha.operations import DEN_KINDS, clue_due_at, move_clue
from fanzha.records import local_date
from fanzha.store._ops_models import Rectification, Suspect
from fanzha.store.clues import NewClue, add_clue, save_clue_move
from fanzha.store.operations import (
    NewDen,
    NewOperation,
    NewRaid,
    NewSeizure,
    add_den,
    add_operation,
    add_raid,
)

__all__ = ["ROUND_TWO", "seed_demo_strike"]

#: 2022 "绿城反诈·断卡" round two (23-24 May): what the operation's page resembles.
ROUND_TWO = {
    "officers": 1500,
    "outreach_sites": 59,
    "suspects": 347,
    "rectified": 97,
    "computer": 211,
    "phone": 320,
    "sim_card": 97,
    "bank_card": 210,
    "cash_fen": 8_000_000,
    "pos": 4,
    "usb": 6,
}
_DEN_KINDS = ("shuadan", "goip", "money_laundering", "call_center", "qq_wechat", "traffic")
_CAUGHT = ("detained", "arrested", "prosecuted", "sentenced", "bail")


def _spread(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` split over ``parts`` at random (each part may be 0)."""
    counts = [0] * parts
    for _ in range(total):
        counts[rng.randrange(parts)] += 1
    return counts


def _clues(
    session: Session, rng: random.Random, op_id: int, raids: list[tuple[int, str]], now: datetime
) -> int:
    made = 0
    for raid_id, district in raids:
        at = now - timedelta(days=3, hours=rng.randint(0, 12))
        clue = add_clue(
            session,
            NewClue(
                "graph_gang",
                "窝点线索：团伙据点研判",
                "district",
                district,
                at,
                clue_due_at(at),
                source_ref=f"raid:{raid_id}",
                operation_id=op_id,
            ),
        )
        step = clue
        for state, note in (
            ("analysing", ""),
            ("expanded", "扩线发现关联账户"),
            ("landed", "落地打击，捣毁窝点"),
        ):
            moved, change = move_clue(step, state, at=at + timedelta(hours=2), note=note)
            step = save_clue_move(session, step, moved, change, None)
        made += 1
    for i in range(8):
        district = rng.choice([d for _, d in raids] or ["青秀区"])
        at = now - timedelta(hours=30 if i < 3 else rng.randint(1, 6))
        clue = add_clue(
            session,
            NewClue(
                "manual",
                f"群众举报线索 {i + 1}",
                "district",
                district,
                at,
                clue_due_at(at),
                operation_id=op_id,
            ),
        )
        if i % 3 == 1:
            moved, change = move_clue(clue, "analysing", at=at + timedelta(minutes=30))
            save_clue_move(session, clue, moved, change, None)
        made += 1
    return made


def seed_demo_strike(engine: Engine, *, seed: int, now: datetime | None = None) -> dict[str, int]:
    """Make the demo operation with its dens, raids, seizures and clues (one transaction);
    counts made."""
    now = now or datetime.now(UTC)
    rng = random.Random(seed)
    city = city_map()
    with Session(engine) as session, session.begin():
        suspects = session.scalar(select(func.count()).select_from(Suspect)) or 0
        scale = min(1.0, max(0.05, suspects / ROUND_TWO["suspects"]))
        today = local_date(now)
        op = add_operation(
            session,
            NewOperation(
                name="绿城反诈·断卡 第二轮（演示）",
                starts_on=today - timedelta(days=3),
                ends_on=today - timedelta(days=2),
                lead_unit="南宁市公安局反诈中心",
                officers=round(ROUND_TWO["officers"] * scale),
                outreach_sites=max(1, round(ROUND_TWO["outreach_sites"] * scale)),
                description="打击“两卡”违法犯罪、清查窝点、整治问题网点",
            ),
        )
        n_raids = max(3, round(20 * scale))
        seized = {
            k: _spread(rng, round(ROUND_TWO[k] * scale), n_raids)
            for k in ("computer", "phone", "sim_card", "bank_card", "pos", "usb")
        }
        cash = _spread(rng, 80, n_raids)  # 80 parts of 1,000 元
        caught = _spread(rng, round(ROUND_TWO["suspects"] * scale), n_raids)
        raids = []
        for i in range(n_raids):
            district = rng.choice(city.districts)
            town = rng.choice(district.towns)
            kind = _DEN_KINDS[i % len(_DEN_KINDS)]
            den = add_den(
                session,
                NewDen(
                    f"{town.name}{DEN_KINDS[kind]}{i + 1}",
                    kind,
                    district.name,
                    town=town.name,
                    operation_id=op.id,
                    source="graph",
                ),
            )
            items = [NewSeizure(kind, counts[i]) for kind, counts in seized.items() if counts[i]]
            fen = round(cash[i] * 1000 * 100 * scale)
            if fen:
                items.append(NewSeizure("cash", 0, fen))
            at = datetime.combine(op.starts_on, datetime.min.time(), UTC) + timedelta(
                hours=13 + rng.randint(0, 20)
            )
            raid = add_raid(
                session,
                NewRaid(
                    at,
                    district.name,
                    den.id,
                    op.id,
                    None,
                    rng.randint(20, 120),
                    caught[i],
                    "",
                    tuple(items),
                ),
            )
            raids.append((raid.id, district.name))
        session.execute(
            update(Suspect)
            .where(Suspect.legal_status.in_(_CAUGHT))
            .values(
                operation_id=op.id,
                caught_at=func.coalesce(Suspect.caught_at, now - timedelta(days=2)),
            )
        )
        first = select(Rectification.id).order_by(Rectification.id)
        limit = max(1, round(ROUND_TWO["rectified"] * scale))
        session.execute(
            update(Rectification)
            .where(Rectification.id.in_(first.limit(limit).scalar_subquery()))
            .values(operation_id=op.id)
        )
        clues = _clues(session, rng, op.id, raids, now)
    # rows made (the suspects and rectifications named as the operation's are not new)
    return {"operations": 1, "dens": n_raids, "raids": n_raids, "clues": clues}
