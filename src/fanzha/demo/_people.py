"""Who lives in the demo city: citizens, gangs and dens with their members, officers, outlets.

Persons are kept as numpy columns while the rest of the city is built (victims and
suspects are marked later); citizens come first, ordered by district, town and village,
so that neighbouring indices are neighbours, then the members of gangs and dens.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from fanzha.demo._calibration import Calibration, CityMap
from fanzha.demo._names import NamePools, sample_names
from fanzha.demo._sizes import CitySizes, allocate
from fanzha.demo._time import DAY, BoolArray, FloatArray, IntArray
from fanzha.taxonomy import fraud_type

__all__ = ["GANG_KINDS", "GANG_ROLES", "OCCUPATIONS", "USER_ROLES"]

OCCUPATIONS = (
    "学生",
    "农民",
    "工人",
    "公司职员",
    "个体户",
    "财务人员",
    "教师",
    "医护人员",
    "公务员",
    "外卖骑手",
    "司机",
    "自由职业",
    "无业",
    "退休人员",
)
GANG_KINDS = ("fraud", "goip_den", "laundering_den", "lead_gen_den")
GANG_ROLES = (
    "leader",
    "manager",
    "operator",
    "card_trafficker",
    "cash_out",
    "money_runner",
    "lead_gen",
)
USER_ROLES = (
    "admin",
    "commander",
    "analyst",
    "warning_officer",
    "fund_officer",
    "outreach_officer",
    "investigator",
)
PHONE_OPERATORS = ("中国移动", "中国联通", "中国电信", "中国移动", "中国广电", "中国电信")
# (bank, UnionPay-style six-digit card prefix); the order repeats the larger banks.
BANKS = (
    ("中国农业银行", 622848),
    ("中国工商银行", 622202),
    ("中国建设银行", 621700),
    ("广西农村信用社", 623118),
    ("中国邮政储蓄银行", 621799),
    ("中国银行", 621661),
    ("交通银行", 622262),
    ("桂林银行", 622856),
    ("广西北部湾银行", 623263),
    ("中国农业银行", 622848),
    ("中国工商银行", 622202),
    ("中国建设银行", 621700),
)
_OCC = {name: i for i, name in enumerate(OCCUPATIONS)}
# Occupation shares by age band: under 18, 18-24, 25-59, 60 and over.
_OCCUPATION_BY_BAND: tuple[dict[str, float], ...] = (
    {"学生": 1.0},
    {
        "学生": 55,
        "工人": 10,
        "公司职员": 10,
        "个体户": 4,
        "外卖骑手": 6,
        "无业": 8,
        "农民": 4,
        "自由职业": 3,
    },
    {
        "农民": 18,
        "工人": 15,
        "公司职员": 20,
        "个体户": 11,
        "财务人员": 4,
        "教师": 4,
        "医护人员": 3,
        "公务员": 2,
        "外卖骑手": 4,
        "司机": 5,
        "自由职业": 5,
        "无业": 7,
    },
    {"退休人员": 55, "农民": 38, "无业": 5, "个体户": 2},
)
_MEMBER_OCCUPATION: dict[str, float] = {"无业": 50, "个体户": 20, "自由职业": 15, "工人": 15}
# Population by age (12-90), roughly the shape of a Chinese city's pyramid.
_AGE_BANDS = (
    (12, 18, 6),
    (18, 25, 10),
    (25, 35, 17),
    (35, 45, 16),
    (45, 55, 17),
    (55, 65, 15),
    (65, 75, 12),
    (75, 91, 7),
)


@dataclass(frozen=True, slots=True)
class People:
    """Persons as columns; index ``i`` is the person's position (citizens first)."""

    n_citizens: int
    name: pl.Series
    district: IntArray
    town: IntArray
    village: IntArray
    age: IntArray
    male: BoolArray
    birth: np.ndarray[tuple[int], np.dtype[np.datetime64]]
    occupation: IntArray
    gang: IntArray
    role: IntArray

    @property
    def size(self) -> int:
        """The number of persons."""
        return int(self.age.size)


@dataclass(frozen=True, slots=True)
class Gangs:
    """Gangs and dens as columns; ``goip``, ``laundering`` and ``lead_gen`` give, for a fraud
    gang, the den that serves it (-1 for dens)."""

    kind: IntArray
    fraud_type: IntArray
    district: IntArray
    goip: IntArray
    laundering: IntArray
    lead_gen: IntArray
    frame: pl.DataFrame


@dataclass(frozen=True, slots=True)
class Outlets:
    """Business outlets: ``phone`` (carrier shops) and ``bank`` branches, and the few where
    card traffickers open gang SIMs (``bad_phone``) and mule cards (``bad_bank``)."""

    district: IntArray
    is_bank: BoolArray
    operator: pl.Series
    bin: IntArray
    bad_phone: IntArray
    bad_bank: IntArray
    frame: pl.DataFrame


def _choice(rng: np.random.Generator, shares: dict[str, float], n: int) -> IntArray:
    names = list(shares)
    p = np.array([shares[k] for k in names], dtype=np.float64)
    codes = np.array([_OCC[k] for k in names], dtype=np.int64)
    return codes[rng.choice(len(names), size=n, p=p / p.sum())]


def _ages(rng: np.random.Generator, n: int) -> IntArray:
    weights = np.array([b[2] for b in _AGE_BANDS], dtype=np.float64)
    band = rng.choice(len(_AGE_BANDS), size=n, p=weights / weights.sum())
    low = np.array([b[0] for b in _AGE_BANDS])[band]
    high = np.array([b[1] for b in _AGE_BANDS])[band]
    return rng.integers(low, high).astype(np.int64)


def _occupations(rng: np.random.Generator, age: IntArray) -> IntArray:
    band = np.searchsorted(np.array([18, 25, 60]), age, side="right")
    out = np.empty(age.size, dtype=np.int64)
    for b, shares in enumerate(_OCCUPATION_BY_BAND):
        rows = np.flatnonzero(band == b)
        out[rows] = _choice(rng, shares, rows.size)
    return out


def _places(
    rng: np.random.Generator, city: CityMap, district: IntArray
) -> tuple[IntArray, IntArray]:
    town_district, village_town, _, _ = city.flat()
    starts = np.searchsorted(town_district, np.arange(len(city.districts)))
    counts = np.bincount(town_district, minlength=len(city.districts))
    town = starts[district] + (rng.random(district.size) * counts[district]).astype(np.int64)
    v_starts = np.searchsorted(village_town, np.arange(town_district.size))
    v_counts = np.bincount(village_town, minlength=town_district.size)
    village = v_starts[town] + (rng.random(town.size) * v_counts[town]).astype(np.int64)
    return town, village


def make_gangs(
    rng: np.random.Generator,
    sizes: CitySizes,
    city: CityMap,
    cal: Calibration,
    active_types: IntArray,
    base: int,
) -> Gangs:
    """Fraud gangs (at least one per fraud type in ``active_types``, the first one the big
    刷单返利 gang) and the GOIP, laundering (跑分) and lead-generation (引流) dens."""
    n_types = len(cal.fraud_types)
    extra = max(0, sizes.fraud_gangs - active_types.size)
    w = np.zeros(n_types)
    w[active_types] = cal.weights()[active_types]
    per_type = np.zeros(n_types, dtype=np.int64)
    per_type[active_types] = 1
    per_type += _allocate(extra, w)
    fraud_types = np.repeat(np.arange(n_types), per_type)
    binyang = city.district_index("宾阳县")
    rural = np.array([i for i, d in enumerate(city.districts) if not d.urban])
    n_fraud = fraud_types.size
    district = np.where(
        rng.random(n_fraud) < 0.55, binyang, rng.choice(len(city.districts), size=n_fraud)
    )
    district[0] = binyang
    dens = (
        (1, sizes.goip_dens, np.concatenate([[binyang], rng.choice(rural, sizes.goip_dens)])),
        (
            2,
            sizes.laundering_dens,
            np.concatenate([[binyang], rng.choice(len(city.districts), sizes.laundering_dens)]),
        ),
        (
            3,
            sizes.lead_gen_dens,
            np.concatenate([[binyang], rng.choice(len(city.districts), sizes.lead_gen_dens)]),
        ),
    )
    kind = np.concatenate([np.zeros(n_fraud, dtype=np.int64)] + [np.full(n, k) for k, n, _ in dens])
    den_district = np.concatenate([d[:n] for _, n, d in dens]).astype(np.int64)
    all_district = np.concatenate([district, den_district])
    types = np.concatenate([fraud_types, np.full(kind.size - n_fraud, -1)])
    first = {k: n_fraud + sum(n for kk, n, _ in dens if kk < k) for k, _, _ in dens}
    serving = [
        np.concatenate([first[k] + np.arange(n_fraud) % n, np.full(kind.size - n_fraud, -1)])
        for k, n, _ in dens
    ]
    names = []
    counters: dict[tuple[int, int], int] = {}
    den_label = {1: "GOIP窝点", 2: "跑分洗钱窝点", 3: "引流窝点"}
    for k, t, d in zip(kind, types, all_district, strict=True):
        key = (int(k), int(t))
        counters[key] = counters.get(key, 0) + 1
        label = fraud_type(cal.fraud_types[t].code).name + "团伙" if k == 0 else den_label[int(k)]
        names.append(f"{city.districts[d].name}{label}{counters[key]:02d}号")
    frame = pl.DataFrame(
        {
            "id": np.arange(kind.size) + base,
            "name": names,
            "kind": pl.Series([GANG_KINDS[k] for k in kind]),
            "fraud_type": [cal.fraud_types[t].code if t >= 0 else None for t in types],
            "district": [city.districts[d].name for d in all_district],
        },
        schema_overrides={"fraud_type": pl.String},
    )
    return Gangs(kind, types, all_district, serving[0], serving[1], serving[2], frame)


def _allocate(total: int, weights: FloatArray) -> IntArray:
    if total <= 0 or weights.sum() <= 0:
        return np.zeros(weights.size, dtype=np.int64)
    return allocate(total, weights)


def _member_roles(
    rng: np.random.Generator, gangs: Gangs, sizes: CitySizes
) -> tuple[IntArray, IntArray]:
    """(gang, role) of every member, gang by gang."""
    role_of = {name: i for i, name in enumerate(GANG_ROLES)}
    gang_col: list[IntArray] = []
    role_col: list[IntArray] = []
    for g, kind in enumerate(gangs.kind):
        if g == 0:
            roles = ["leader"] * 7 + ["manager"] * 4 + ["operator"] * sizes.flagship_operators
        elif kind == 0:
            n = max(3, round(sizes.gang_size * float(np.exp(rng.normal(0, 0.5)))))
            leaders, managers = 1 + int(n >= 12), max(1, n // 8)
            roles = ["leader"] * leaders + ["manager"] * managers
            roles += ["operator"] * (n - leaders - managers)
        else:
            n = max(3, round(sizes.den_size * float(np.exp(rng.normal(0, 0.4)))))
            traffickers = 1 + int(n >= 8)
            if kind == 1:
                roles = ["leader"] + ["card_trafficker"] * traffickers
                roles += ["operator"] * (n - 1 - traffickers)
            elif kind == 2:
                n = max(n, 4)
                runners = max(1, (n - 1 - traffickers) // 2)
                roles = ["leader"] + ["card_trafficker"] * traffickers + ["money_runner"] * runners
                roles += ["cash_out"] * (n - 1 - traffickers - runners)
            else:
                roles = ["leader"] + ["lead_gen"] * (n - 1)
        gang_col.append(np.full(len(roles), g, dtype=np.int64))
        role_col.append(np.array([role_of[r] for r in roles], dtype=np.int64))
    return np.concatenate(gang_col), np.concatenate(role_col)


def make_people(
    rng: np.random.Generator,
    sizes: CitySizes,
    city: CityMap,
    gangs: Gangs,
    pools: NamePools,
    start: int,
) -> People:
    """Citizens spread by district population, then the members of every gang and den."""
    population = np.array([d.population for d in city.districts])
    n_c = sizes.citizens
    district = rng.choice(population.size, size=n_c, p=population / population.sum())
    town, village = _places(rng, city, district)
    order = np.lexsort((rng.random(n_c), village))
    district, town, village = district[order], town[order], village[order]
    age = _ages(rng, n_c)
    occupation = _occupations(rng, age)
    m_gang, m_role = _member_roles(rng, gangs, sizes)
    n_m = m_gang.size
    m_district = gangs.district[m_gang]
    m_town, m_village = _places(rng, city, m_district)
    _, _, towns, villages = city.flat()
    key = [(towns.index(t), villages.index(v)) for _, t, v in city.key_villages]
    in_key = (m_district == city.district_index("宾阳县")) & (rng.random(n_m) < 0.75)
    pick = rng.integers(0, len(key), size=n_m)
    m_town = np.where(in_key, np.array([k[0] for k in key])[pick], m_town)
    m_village = np.where(in_key, np.array([k[1] for k in key])[pick], m_village)
    m_age = np.clip(np.round(rng.lognormal(np.log(28), 0.25, size=n_m)), 18, 60).astype(np.int64)
    male = np.concatenate([rng.random(n_c) < 0.51, rng.random(n_m) < 0.85])
    ages = np.concatenate([age, m_age])
    start_day = np.datetime64(start // DAY, "D")
    birth = start_day - (ages * 365.25 + rng.integers(0, 365, size=ages.size)).astype(
        "timedelta64[D]"
    )
    return People(
        n_citizens=n_c,
        name=sample_names(rng, male, pools),
        district=np.concatenate([district, m_district]).astype(np.int64),
        town=np.concatenate([town, m_town]).astype(np.int64),
        village=np.concatenate([village, m_village]).astype(np.int64),
        age=ages,
        male=male,
        birth=birth,
        occupation=np.concatenate([occupation, _choice(rng, _MEMBER_OCCUPATION, n_m)]),
        gang=np.concatenate([np.full(n_c, -1, dtype=np.int64), m_gang]),
        role=np.concatenate([np.full(n_c, -1, dtype=np.int64), m_role]),
    )


def make_users(
    rng: np.random.Generator,
    sizes: CitySizes,
    city: CityMap,
    pools: NamePools,
    password_hash: str,
    created: int,
    base: int,
) -> tuple[pl.DataFrame, IntArray]:
    """Officer accounts, and the district of each (-1: city level).

    ``admin``; per role ``commander``, ``analyst``, ``fund``, ``outreach`` (then ``analyst_2``
    …); a few warning officers per district (``warn_qingxiu_1`` …); the investigators of
    the city (``investigator``) and of each district (``inv_qingxiu`` …). All share
    ``password_hash``.
    """
    usernames = ["admin"]
    roles = ["admin"]
    district = [-1]
    for role, prefix in (
        ("commander", "commander"),
        ("analyst", "analyst"),
        ("fund_officer", "fund"),
        ("outreach_officer", "outreach"),
    ):
        for i in range(sizes.staff_per_role):
            usernames.append(f"{prefix}_{i + 1}" if i else prefix)
            roles.append(role)
            district.append(-1)
    for d, item in enumerate(city.districts):
        for i in range(sizes.officers_per_district):
            usernames.append(f"warn_{item.pinyin}_{i + 1}")
            roles.append("warning_officer")
            district.append(d)
    # 侦查: the city team (``investigator``) and one investigator per district team
    usernames.append("investigator")
    roles.append("investigator")
    district.append(-1)
    for d, item in enumerate(city.districts):
        usernames.append(f"inv_{item.pinyin}")
        roles.append("investigator")
        district.append(d)
    n = len(usernames)
    districts = np.array(district, dtype=np.int64)
    frame = pl.DataFrame(
        {
            "id": np.arange(n) + base,
            "username": usernames,
            "display_name": sample_names(rng, rng.random(n) < 0.6, pools),
            "role": roles,
            "district": [city.districts[d].name if d >= 0 else None for d in district],
            "password_hash": [password_hash] * n,
            "active": [True] * n,
        },
        schema_overrides={"district": pl.String},
    ).with_columns(
        pl.lit(created).cast(pl.Datetime("us")).dt.replace_time_zone("UTC").alias("created_at")
    )
    return frame, districts


def make_outlets(rng: np.random.Generator, sizes: CitySizes, city: CityMap, base: int) -> Outlets:
    """Carrier shops and bank branches in every district; a few of them (in 宾阳县, 横州市,
    上林县 and 西乡塘区) are where traffickers open gang SIMs and mule cards."""
    k = sizes.outlets_per_district
    rows: list[tuple[int, bool, str, int, str]] = []
    for d, item in enumerate(city.districts):
        towns = rng.choice(len(item.towns), size=2 * k)
        for i in range(k):
            operator = PHONE_OPERATORS[(d + i) % len(PHONE_OPERATORS)]
            town = item.towns[towns[i]].name
            rows.append((d, False, operator, 0, f"{operator}{item.name}{town}营业厅"))
        for i in range(k):
            bank, prefix = BANKS[(d * k + i) % len(BANKS)]
            town = item.towns[towns[k + i]].name
            rows.append((d, True, bank, prefix, f"{bank}{item.name}{town}支行"))
    district = np.array([r[0] for r in rows], dtype=np.int64)
    is_bank = np.array([r[1] for r in rows])
    bad = [city.district_index(name) for name in ("宾阳县", "横州市", "上林县", "西乡塘区")]
    first_phone = [int(np.flatnonzero((district == d) & ~is_bank)[0]) for d in bad[:3]]
    first_bank = [
        int(np.flatnonzero((district == d) & is_bank)[0]) for d in (bad[0], bad[3], bad[1])
    ]
    frame = pl.DataFrame(
        {
            "id": np.arange(len(rows)) + base,
            "name": [r[4] for r in rows],
            "kind": ["bank" if r[1] else "phone" for r in rows],
            "operator": [r[2] for r in rows],
            "district": [city.districts[r[0]].name for r in rows],
        }
    )
    return Outlets(
        district=district,
        is_bank=is_bank,
        operator=frame.get_column("operator"),
        bin=np.array([r[3] for r in rows], dtype=np.int64),
        bad_phone=np.array(first_phone, dtype=np.int64),
        bad_bank=np.array(first_bank, dtype=np.int64),
        frame=frame,
    )
