"""FollowTheMoney export: required properties per schema, references that resolve."""

from __future__ import annotations

import re

import pytest

from fanzha.graph import EntityGraph, expand, ftm_entities
from fanzha.graph._ftm import FTM_REQUIRED, ftm_id
from tests.graph.conftest import City

ENTITY_ID = re.compile(r"^[0-9a-zA-Z]([0-9a-zA-Z.\-]*[0-9a-zA-Z])?$")
REFERENCES = ("payer", "payerAccount", "beneficiary", "beneficiaryAccount", "caller", "receiver")
REFERENCES += ("owner", "asset", "holder", "source", "target")


@pytest.fixture(scope="module")
def entities(city: City, city_graph: EntityGraph) -> list[dict[str, object]]:
    case = "case:" + city["cases"].get_column("case_no")[0]
    return ftm_entities(city_graph, expand(city_graph, case, hops=3, cap=20))


def test_every_entity_has_its_schema_s_required_properties(entities: list[dict]) -> None:
    assert entities
    for entity in entities:
        assert set(entity) == {"id", "schema", "properties"}
        required = FTM_REQUIRED[entity["schema"]]
        for prop in required:
            values = entity["properties"].get(prop)
            assert values and all(isinstance(v, str) and v for v in values), (entity, prop)


def test_ids_are_valid_and_references_resolve(entities: list[dict]) -> None:
    ids = {e["id"] for e in entities}
    assert len(ids) == len(entities)
    for entity in entities:
        assert ENTITY_ID.match(entity["id"])
        for prop in REFERENCES:
            for ref in entity["properties"].get(prop, []):
                assert ref in ids, (entity, prop)


@pytest.mark.parametrize(
    "schema",
    ["Person", "BankAccount", "Payment", "Call", "FanzhaCase", "FanzhaPhone", "Ownership"],
)
def test_the_demo_subgraph_uses_the_schemata(entities: list[dict], schema: str) -> None:
    assert any(e["schema"] == schema for e in entities)


def test_payment_amounts_are_yuan(tiny_graph: EntityGraph) -> None:
    out = ftm_entities(tiny_graph, expand(tiny_graph, "account:6222000000000001", hops=1))
    payment = next(e for e in out if e["schema"] == "Payment")
    assert payment["properties"]["amount"] == ["300.00"]
    assert payment["properties"]["currency"] == ["CNY"]
    assert payment["properties"]["payer"] == [ftm_id("person:1")]


def test_ids_are_stable() -> None:
    assert ftm_id("phone:13800000001") == ftm_id("phone:13800000001")
    assert ftm_id("phone:13800000001") != ftm_id("phone:13800000002")
