"""Chinese names and place names for the demo city, from Faker's zh_CN locale.

Faker is asked once, seeded, for pools of surnames (with their frequencies) and given
names; numpy then samples millions of names from the pools without a Python loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import polars as pl
from faker import Faker

__all__ = ["NamePools", "name_pools"]

_POOL_SIZE = 1000
# Syllables of village names: many Guangxi place names start with 那 (paddy), 六, 板, 古…
_VILLAGE_FIRST = tuple("那六板古坛思平新大上下东西南北石水龙凤黄长横高岭良和安塘")
_VILLAGE_SECOND = tuple("坡岭塘江山桥林湾头田洞圩良和安宁垌蒙堪陇榄浪寨屯庄")


@dataclass(frozen=True, slots=True)
class NamePools:
    """Surnames with sampling probabilities, and given names for men and for women."""

    surnames: tuple[str, ...]
    surname_p: np.ndarray
    male: tuple[str, ...]
    female: tuple[str, ...]


@cache
def name_pools(seed: int) -> NamePools:
    """Return the name pools, drawn from Faker zh_CN seeded with ``seed``."""
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    person = fake.provider("faker.providers.person")
    weights: dict[str, float] = dict(person.last_names)
    surnames = tuple(weights)
    p = np.array([weights[s] for s in surnames], dtype=np.float64)
    male = tuple(sorted({fake.first_name_male() for _ in range(_POOL_SIZE)}))
    female = tuple(sorted({fake.first_name_female() for _ in range(_POOL_SIZE)}))
    return NamePools(surnames=surnames, surname_p=p / p.sum(), male=male, female=female)


def sample_names(rng: np.random.Generator, male: np.ndarray, pools: NamePools) -> pl.Series:
    """Return one full name per row: a surname by frequency, then a given name of the
    row's sex (a pool name, and for a one-character pool name often a second character)."""
    n = male.size
    surnames = pl.Series(pools.surnames).gather(
        rng.choice(len(pools.surnames), size=n, p=pools.surname_p)
    )
    sex = pl.Series(male)
    given = [
        pl.when(sex)
        .then(pl.Series(pools.male).gather(rng.integers(0, len(pools.male), size=n)))
        .otherwise(pl.Series(pools.female).gather(rng.integers(0, len(pools.female), size=n)))
        for _ in range(2)
    ]
    one_more = pl.Series(rng.random(n) < 0.55) & (given[0].str.len_chars() == 1)
    second = (
        pl.when(one_more & (given[1].str.len_chars() == 1)).then(given[1]).otherwise(pl.lit(""))
    )
    return pl.select(pl.concat_str([surnames, given[0], second])).to_series().alias("name")


def place_names(town: str, count: int, *, urban: bool) -> tuple[str, ...]:
    """Return ``count`` distinct synthetic village (or, for a 街道, community) names.

    Deterministic for a town name, so the map is the same for every seed.
    """
    rng = np.random.default_rng(list(town.encode("utf-8")))
    suffix = "社区" if urban and town.endswith("街道") else "村"
    names: list[str] = []
    while len(names) < count:
        first = _VILLAGE_FIRST[int(rng.integers(len(_VILLAGE_FIRST)))]
        second = _VILLAGE_SECOND[int(rng.integers(len(_VILLAGE_SECOND)))]
        name = f"{first}{second}{suffix}"
        if name not in names:
            names.append(name)
    return tuple(names)
