"""The demo city's 侦查打击 / 重点整治 / 行业治理 registers, made from the city just loaded.

Gang members of the demo city become suspects (their roles mapped onto the suspect roles,
some moved through legal decisions) and some of them fugitives, with the phones and cards
the city's records use, so that matching the stored records gives hits and urgent clues.
The 重点村屯 of ``city.yaml`` become key areas; card holders become 两卡 key persons through
the graph's five-year restriction (those punished longer ago drop out), with returnees and
released offenders beside them. The worst outlets of the 断卡 ranking get rectification
cases, some overdue. Seeded, so the same city gives the same registers.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from fanzha.demo import city_map
from fanzha.graph import GRAPH_TABLES, Offender, build_graph, rank_outlets
from fanzha.records import local_date
from fanzha.store._models import BankAccount, Person, Phone
from fanzha.store.fugitives import NewFugitive, add_fugitive, match_stored
from fanzha.store.graph import read_graph_tables
from fanzha.store.keyareas import (
    NewKeyPerson,
    NewSweep,
    add_key_area,
    add_key_person,
    add_sweep,
    add_two_card_key_persons,
)
from fanzha.store.rectifications import change_rectification_state, open_from_ranking
from fanzha.store.suspects import NewSuspect, add_suspect, change_suspect_status

__all__ = ["seed_demo_targets"]

_ROLE_OF = {
    "leader": "leader",
    "manager": "manager",
    "operator": "operator",
    "card_trafficker": "card_dealer",
    "cash_out": "cash_out",
    "money_runner": "score_runner",
    "lead_gen": "traffic",
}
_PATH = (
    ("detained", "南宁市公安局{d}分局"),
    ("arrested", "南宁市{d}人民检察院"),
    ("prosecuted", "南宁市{d}人民检察院"),
    ("sentenced", "南宁市{d}人民法院"),
)
_MEASURES = ("严格落实开户实名核验", "清理一人多卡、异常批量开户", "开展员工反诈培训")


def _short(district: str | None) -> str:
    return (district or "南宁市").removesuffix("区").removesuffix("县").removesuffix("市")


def _suspects(session: Session, rng: random.Random, now: datetime, gang: list[Person]) -> int:
    made = 0
    for person in gang:
        suspect_id = add_suspect(
            session,
            NewSuspect(
                name=person.name,
                role=_ROLE_OF.get(person.gang_role or "", "other"),
                district=person.district,
                id_number=person.id_number,
                gender=person.gender,
                person_id=person.id,
                gang_id=person.gang_id,
            ),
            now=now,
        )
        made += 1
        steps = rng.choice((0, 1, 1, 2, 2, 3, 4))
        day = local_date(now) - timedelta(days=rng.randint(60, 400))
        for version, (status, authority) in enumerate(_PATH[:steps], start=1):
            day += timedelta(days=rng.randint(7, 40))
            change_suspect_status(
                session,
                suspect_id,
                status,
                version=version,
                decided_on=min(day, local_date(now)),
                authority=authority.format(d=_short(person.district)),
                document_no=f"〔{day.year}〕{suspect_id:04d}-{version}号",
                by_user="demo",
                user_id=None,
                now=now,
                scope=None,
            )
    return made


def _fugitives(session: Session, now: datetime, wanted: list[Person]) -> int:
    for n, person in enumerate(wanted, start=1):
        phones = session.scalars(select(Phone.number).where(Phone.owner_id == person.id)).all()
        cards = session.scalars(
            select(BankAccount.account_no).where(BankAccount.holder_id == person.id)
        ).all()
        identifiers = tuple(("phone", p) for p in phones[:2]) + tuple(
            ("card", c) for c in cards[:2]
        )
        add_fugitive(
            session,
            NewFugitive(
                name=person.name,
                kind="online",
                warrant_no=f"桂公网逃〔{now.year}〕{n:03d}号",
                district=person.district,
                wanted_since=local_date(now) - timedelta(days=30 * n),
                id_number=person.id_number,
                person_id=person.id,
                identifiers=identifiers,
            ),
            now=now,
        )
    return len(wanted)


def _key_areas(session: Session, rng: random.Random, now: datetime) -> int:
    today = local_date(now)
    villages = city_map().key_villages
    for district, town, village in villages:
        area_id = add_key_area(
            session,
            name=f"{district}{town}{village}",
            kind="village",
            district=district,
            town=town,
            village=village,
            reason="涉诈人员聚集、两卡买卖高发的重点村屯",
            listed_on=today - timedelta(days=rng.randint(200, 700)),
            now=now,
        )
        add_sweep(
            session,
            NewSweep(
                swept_on=today - timedelta(days=rng.randint(1, 60)),
                district=district,
                teams=(f"{district}公安局", f"{town}派出所"),
                places=(f"{town}{village}",),
                officers=rng.randint(40, 120),
                persons_checked=rng.randint(80, 400),
                findings=(
                    f"清查出租屋、网吧 {rng.randint(3, 12)} 处，"
                    f"查获涉诈手机卡 {rng.randint(5, 40)} 张"
                ),
                key_area_id=area_id,
            ),
            now=now,
        )
    return len(villages)


def _key_persons(session: Session, rng: random.Random, now: datetime, holders: list[Person]) -> int:
    today = local_date(now)
    offenders = [
        Offender(p.id_number, today - timedelta(days=rng.randint(30, 365 * 7)))
        for p in holders
        if p.id_number
    ]
    ids = add_two_card_key_persons(
        session,
        offenders,
        names={p.id_number: p.name for p in holders if p.id_number},
        districts={p.id_number: p.district for p in holders if p.id_number and p.district},
        now=now,
    )
    for kind, days in (("returnee", 200), ("released", 300)):
        for person in rng.sample(holders, min(5, len(holders))):
            add_key_person(
                session,
                NewKeyPerson(
                    name=person.name,
                    kind=kind,
                    district=person.district,
                    since=today - timedelta(days=rng.randint(10, days)),
                    id_number=person.id_number,
                    person_id=person.id,
                ),
                now=now,
            )
            ids.append(0)
    return len(ids)


def _rectifications(session: Session, rng: random.Random, now: datetime) -> int:
    today = local_date(now)
    ranked = rank_outlets(build_graph(read_graph_tables(session, GRAPH_TABLES)))
    ids = open_from_ranking(
        session,
        ranked,
        opened_on=today - timedelta(days=45),
        deadline=today - timedelta(days=5),
        measures=_MEASURES,
        now=now,
        user_id=None,
        top=12,
    )
    for case_id in ids[len(ids) // 3 :]:
        case = change_rectification_state(
            session,
            case_id,
            "rectifying",
            version=1,
            by_user="demo",
            user_id=None,
            now=now,
            scope=None,
            deadline=today + timedelta(days=rng.randint(5, 40)),
        )
        if rng.random() < 0.5:
            case = change_rectification_state(
                session,
                case_id,
                "rechecking",
                version=case.version,
                by_user="demo",
                user_id=None,
                now=now,
                scope=None,
            )
            change_rectification_state(
                session,
                case_id,
                "passed",
                version=case.version,
                by_user="demo",
                user_id=None,
                now=now,
                scope=None,
                recheck_result="实名核验到位，未再发现一人多卡",
            )
    return len(ids)


def seed_demo_targets(engine: Engine, *, seed: int, now: datetime | None = None) -> dict[str, int]:
    """Fill the registers from the demo city in ``engine`` (one transaction); counts made."""
    now = now or datetime.now(UTC)
    rng = random.Random(seed)
    with Session(engine) as session, session.begin():
        gang = list(
            session.scalars(select(Person).where(Person.gang_id.is_not(None)).order_by(Person.id))
        )
        picked = rng.sample(gang, min(60, len(gang)))
        counts = {"suspects": _suspects(session, rng, now, picked)}
        counts["fugitives"] = _fugitives(session, now, picked[:15])
        counts["fugitive_hits"] = match_stored(session, now=now).hits
        counts["key_areas"] = _key_areas(session, rng, now)
        holders = list(
            session.scalars(
                select(Person)
                .where(Person.id.in_(select(BankAccount.holder_id)), Person.district == "宾阳县")
                .order_by(Person.id)
                .limit(80)
            )
        )
        counts["key_persons"] = _key_persons(session, rng, now, holders)
        counts["rectifications"] = _rectifications(session, rng, now)
    return counts
