"""The demo city: a synthetic, seeded, reproducible Nanning for demos, tests and benchmarks.

``generate_city`` returns one polars frame per store table (``TABLES``), sized by a
number of records; the map and the calibration (fraud-type mix, losses, victim profiles,
warning outcomes, laundering shape) are data under ``demo/data``. Nothing in it is real:
names come from Faker's zh_CN lists, numbers from ranges no real subscriber holds where
possible (see ``_numbers``).

Beside the city, what only tests and benchmarks use, kept out of the product packages:
``generate_aml`` / ``generate_mule_network`` (synthetic transfers for the funds model
and the tracing benchmark) and ``evaluate_roles`` / ``evaluate_gangs`` (graph results
against the city's ground truth).
"""

from __future__ import annotations

from fanzha.demo._aml import (
    TYPOLOGIES,
    MuleNetwork,
    SyntheticAml,
    generate_aml,
    generate_mule_network,
)
from fanzha.demo._calibration import (
    VICTIM_GROUPS,
    Calibration,
    CityMap,
    District,
    FraudProfile,
    Town,
    calibration,
    city_map,
)
from fanzha.demo._city import DEMO_PASSWORD, GENERATE_STEPS, TABLES, generate_city
from fanzha.demo._evaluate import evaluate_gangs, evaluate_roles, role_truth
from fanzha.demo._names import NamePools, name_pools
from fanzha.demo._numbers import (
    PHONE_PREFIXES,
    bank_card_numbers,
    id_numbers,
    imeis,
    luhn_check_digits,
    phone_numbers,
)
from fanzha.demo._people import GANG_KINDS, GANG_ROLES, OCCUPATIONS, USER_ROLES
from fanzha.demo._sizes import MAX_RECORDS, MIN_RECORDS, CitySizes, allocate, plan_sizes
from fanzha.demo._truth import label_gang_phones, label_mules

__all__ = [
    "DEMO_PASSWORD",
    "GANG_KINDS",
    "GANG_ROLES",
    "GENERATE_STEPS",
    "MAX_RECORDS",
    "MIN_RECORDS",
    "OCCUPATIONS",
    "PHONE_PREFIXES",
    "TABLES",
    "TYPOLOGIES",
    "USER_ROLES",
    "VICTIM_GROUPS",
    "Calibration",
    "CityMap",
    "CitySizes",
    "District",
    "FraudProfile",
    "MuleNetwork",
    "NamePools",
    "SyntheticAml",
    "Town",
    "allocate",
    "bank_card_numbers",
    "calibration",
    "city_map",
    "evaluate_gangs",
    "evaluate_roles",
    "generate_aml",
    "generate_city",
    "generate_mule_network",
    "id_numbers",
    "imeis",
    "label_gang_phones",
    "label_mules",
    "luhn_check_digits",
    "name_pools",
    "phone_numbers",
    "plan_sizes",
    "role_truth",
]
