"""The demo city's map and calibration, read once from ``demo/data/*.yaml``."""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import yaml

from fanzha.demo._names import place_names
from fanzha.demo._time import FloatArray, IntArray
from fanzha.errors import InvalidInput
from fanzha.taxonomy import get_fraud_type

__all__ = [
    "VICTIM_GROUPS",
    "Calibration",
    "CityMap",
    "District",
    "FraudProfile",
    "Town",
    "calibration",
    "city_map",
]

_DATA = Path(__file__).with_name("data")
VICTIM_GROUPS = ("minor", "student", "young", "middle", "elderly", "finance")


@dataclass(frozen=True, slots=True)
class Town:
    """A town (镇/乡) or sub-district (街道) and its villages or communities."""

    name: str
    villages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class District:
    """A district or county of the city: name, division code, pinyin, population (万)."""

    name: str
    code: int
    pinyin: str
    population: float
    urban: bool
    towns: tuple[Town, ...]


@dataclass(frozen=True, slots=True)
class CityMap:
    """The city: its districts, and the key villages (重点村屯) as (district, town, village)."""

    name: str
    code: int
    districts: tuple[District, ...]
    key_villages: tuple[tuple[str, str, str], ...]

    def flat(self) -> tuple[IntArray, IntArray, tuple[str, ...], tuple[str, ...]]:
        """Return (district of each town, town of each village, town names, village names)."""
        return _flatten(self)

    def district_index(self, name: str) -> int:
        """The position of the district called ``name``."""
        return [d.name for d in self.districts].index(name)


@dataclass(frozen=True, slots=True)
class FraudProfile:
    """How one fraud type behaves in the demo city (see ``calibration.yaml``)."""

    code: str
    weight: float
    loss_median_yuan: float
    loss_sigma: float
    payments: tuple[int, int]
    crypto: float
    profile: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class Calibration:
    """Fraud types, warning rates and laundering shape of the demo city."""

    fraud_types: tuple[FraudProfile, ...]
    warning: Mapping[str, Any]
    laundering: Mapping[str, Any]

    def weights(self) -> FloatArray:
        """The fraud-type weights, normalised to sum to 1."""
        w = np.array([f.weight for f in self.fraud_types], dtype=np.float64)
        share: FloatArray = w / w.sum()
        return share


def _read(name: str) -> dict[str, Any]:
    with open(_DATA / name, encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def _villages(town: str, urban: bool, key: dict[str, str]) -> tuple[str, ...]:
    count = 5 + zlib.crc32(town.encode("utf-8")) % 8
    names = list(place_names(town, count, urban=urban))
    if town in key and key[town] not in names:
        names[0] = key[town]
    return tuple(names)


@cache
def city_map() -> CityMap:
    """Return the map of the demo city (Nanning's 12 districts and counties)."""
    data = _read("city.yaml")
    key = {(k["town"]): k["village"] for k in data["key_villages"]}
    districts = []
    for item in data["districts"]:
        towns = tuple(
            Town(
                name=t,
                villages=_villages(t, bool(item["urban"]), key if item["code"] == "450126" else {}),
            )
            for t in item["towns"]
        )
        districts.append(
            District(
                name=item["name"],
                code=int(item["code"]),
                pinyin=item["pinyin"],
                population=float(item["population"]),
                urban=bool(item["urban"]),
                towns=towns,
            )
        )
    binyang = next(d.name for d in districts if d.code == 450126)
    return CityMap(
        name=data["city"],
        code=int(data["city_code"]),
        districts=tuple(districts),
        key_villages=tuple((binyang, k["town"], k["village"]) for k in data["key_villages"]),
    )


@cache
def _flatten(city: CityMap) -> tuple[IntArray, IntArray, tuple[str, ...], tuple[str, ...]]:
    town_district: list[int] = []
    village_town: list[int] = []
    towns: list[str] = []
    villages: list[str] = []
    for d_index, district in enumerate(city.districts):
        for town in district.towns:
            for village in town.villages:
                village_town.append(len(towns))
                villages.append(village)
            town_district.append(d_index)
            towns.append(town.name)
    return (
        np.array(town_district, dtype=np.int64),
        np.array(village_town, dtype=np.int64),
        tuple(towns),
        tuple(villages),
    )


@cache
def calibration() -> Calibration:
    """Return the calibration of the demo city; fraud-type codes are checked against the
    taxonomy."""
    data = _read("calibration.yaml")
    profiles = []
    for code, item in data["fraud_types"].items():
        if get_fraud_type(code) is None:
            raise InvalidInput(f"unknown fraud type code {code!r}", field="fraud_types", value=code)
        unknown = set(item["profile"]) - set(VICTIM_GROUPS)
        if unknown:
            raise InvalidInput(
                f"unknown victim group(s) {sorted(unknown)}; known: {VICTIM_GROUPS}",
                field=f"fraud_types.{code}.profile",
            )
        profiles.append(
            FraudProfile(
                code=code,
                weight=float(item["weight"]),
                loss_median_yuan=float(item["loss_median_yuan"]),
                loss_sigma=float(item["loss_sigma"]),
                payments=(int(item["payments"][0]), int(item["payments"][1])),
                crypto=float(item["crypto"]),
                profile=MappingProxyType(dict(item["profile"])),
            )
        )
    return Calibration(
        fraud_types=tuple(profiles),
        warning=MappingProxyType(data["warning"]),
        laundering=MappingProxyType(data["laundering"]),
    )
