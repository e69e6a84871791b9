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

from fanzha.demo._aml import SyntheticAml, generate_aml, generate_mule_network
from fanzha.demo._calibration import city_map
from fanzha.demo._city import DEMO_PASSWORD, GENERATE_STEPS, TABLES, generate_city
from fanzha.demo._evaluate import evaluate_gangs, evaluate_roles
from fanzha.demo._truth import label_gang_phones, label_mules

__all__ = [
    "DEMO_PASSWORD",
    "GENERATE_STEPS",
    "TABLES",
    "SyntheticAml",
    "city_map",
    "evaluate_gangs",
    "evaluate_roles",
    "generate_aml",
    "generate_city",
    "generate_mule_network",
    "label_gang_phones",
    "label_mules",
]
