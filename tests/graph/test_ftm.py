"""FollowTheMoney export, checked by the followthemoney library itself: every entity loads
into its standard model with its required properties, no value is refused or altered by its
cleaning, no reference dangles; ``ftm validate`` and ``ftm export-gexf`` read an export."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from followthemoney import model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fanzha.graph import EDGE_TYPES, EntityGraph, build_graph, expand, ftm_entities
from fanzha.graph._ftm import SCHEMA_OF, FtmReport, ftm_id
from tests.graph.conftest import City, tiny_tables

Entity = dict[str, object]
FTM = Path(sys.executable).with_name("ftm")


def problems(entities: list[dict]) -> Counter[str]:
    """What followthemoney's model finds wrong with an export (empty: nothing)."""
    found: Counter[str] = Counter()
    ids = {e["id"] for e in entities}
    if len(ids) != len(entities):
        found["duplicate id"] += len(entities) - len(ids)
    for entity in entities:
        schema = model.get(entity["schema"])
        if schema is None or schema.abstract:
            found[f"refused schema {entity['schema']}"] += 1
            continue
        proxy = model.get_proxy(entity, cleaned=False)
        for prop in schema.required:
            if not proxy.get(prop):
                found[f"missing {schema.name}.{prop}"] += 1
        for name, values in entity["properties"].items():
            prop = schema.properties.get(name)
            if prop is None:
                found[f"unknown property {schema.name}.{name}"] += 1
                continue
            for value in values:
                if prop.type.clean(value, proxy=proxy) != value:
                    found[f"cleaning changes {schema.name}.{name}"] += 1
                if prop.type.name == "entity" and value not in ids:
                    found[f"dangling {schema.name}.{name}"] += 1
    return found


@pytest.fixture(scope="module")
def whole(city_graph: EntityGraph) -> tuple[list[dict], FtmReport]:
    report = FtmReport()
    return ftm_entities(city_graph, None, report), report


def clue_exports(city: City, graph: EntityGraph) -> dict[str, list[dict]]:
    """Exports from a case, a gang SIM, a mule card and a person, at 3 hops."""
    clues = {
        "case": "case:" + city["cases"].get_column("case_no")[0],
        "phone": "phone:" + city["phones"].filter(pl.col("flagged"))["number"][0],
        "account": "account:" + city["bank_accounts"].filter(pl.col("flagged"))["account_no"][0],
        "person": "person:" + str(city["persons"]["id"][0]),
    }
    return {k: ftm_entities(graph, expand(graph, v, hops=3, cap=20)) for k, v in clues.items()}


def test_the_whole_store_loads_into_followthemoney_unchanged(
    whole: tuple[list[dict], FtmReport], city_graph: EntityGraph
) -> None:
    entities, report = whole
    assert problems(entities) == Counter()
    assert report.refused == [] and report.altered == []
    assert report.total == len(entities)
    # every node is there, and every node type and edge type of the city is exported
    keywords = {k for e in entities for k in e["properties"].get("keywords", [])}
    assert set(city_graph.ids.to_list()) <= keywords
    records = Counter(
        r.rsplit("|", 1)[1] for e in entities for r in e["properties"].get("recordId", [])
    )
    present = {EDGE_TYPES[int(t)].key for t in set(city_graph.etype.tolist())}
    # registered-by of phones / IM accounts / wallets and nothing else is a node property
    assert present - set(records) <= set()
    assert {e["schema"] for e in entities} >= set(SCHEMA_OF.values()) - {"CryptoWallet"}


def test_clue_exports_load_into_followthemoney_unchanged(
    city: City, city_graph: EntityGraph
) -> None:
    for clue, entities in clue_exports(city, city_graph).items():
        assert entities, clue
        assert problems(entities) == Counter(), clue


def test_phones_are_e164_and_dates_keep_their_seconds(
    whole: tuple[list[dict], FtmReport],
) -> None:
    entities, _ = whole
    calls = [e for e in entities if e["schema"] == "Call"]
    numbers = [
        n
        for c in calls
        for p in ("callerNumber", "receiverNumber")
        for n in c["properties"].get(p, [])
    ]
    assert numbers and all(n.startswith("+86") and len(n) == 14 for n in numbers)
    assert all("callerNumber" in c["properties"] for c in calls)
    phones = [e for e in entities if "phone" in e["properties"] and e["schema"] == "UserAccount"]
    assert phones and all(e["properties"]["phone"][0].startswith("+861") for e in phones)
    dates = [d for e in entities for d in e["properties"].get("startDate", [])]
    assert dates and all(len(d) == 19 for d in dates)
    assert any(not d.endswith(":00") for d in dates)


def test_ftm_validate_and_export_gexf_read_an_export(
    city: City, city_graph: EntityGraph, tmp_path: Path
) -> None:
    case = "case:" + city["cases"].get_column("case_no")[0]
    entities = ftm_entities(city_graph, expand(city_graph, case, hops=3, cap=20))
    path = tmp_path / "case.ftm.json"
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entities))
    checked = tmp_path / "checked.ftm.json"
    subprocess.run([FTM, "validate", "-i", path, "-o", checked], check=True, timeout=600)
    again = [json.loads(line) for line in checked.read_text().splitlines()]
    assert {e["id"]: e["properties"] for e in again} == {e["id"]: e["properties"] for e in entities}
    gexf = tmp_path / "case.gexf"
    subprocess.run([FTM, "export-gexf", "-i", path, "-o", gexf], check=True, timeout=600)
    text = gexf.read_text()
    edges = [e for e in entities if model.get(e["schema"]).edge]
    assert text.count("<node ") >= len(entities) - len(edges) and text.count("<edge ") >= len(edges)


def test_payments_name_amounts_parties_and_accounts() -> None:
    graph = build_graph(tiny_tables())
    out = ftm_entities(graph, expand(graph, "account:6222000000000001", hops=1))
    assert problems(out) == Counter()
    payment = next(e for e in out if e["schema"] == "Payment")
    props = payment["properties"]
    assert props["amount"] == ["300.00"] and props["currency"] == ["CNY"]
    assert props["payer"] == [ftm_id("person:1")]
    assert props["payerAccount"] == [ftm_id("account:6222000000000001")]
    assert props["startDate"] == ["2026-01-08T10:00:00"]
    assert props["endDate"] == ["2026-01-08T11:00:00"]
    assert props["summary"] == ["转账×2"]
    # card 3 has no registered holder: a stand-in party, so the payment stays valid
    whole = ftm_entities(graph)
    assert problems(whole) == Counter()
    onward = next(
        e
        for e in whole
        if e["schema"] == "Payment"
        and e["properties"]["beneficiaryAccount"] == [ftm_id("account:6222000000000003")]
    )
    stand_in = next(e for e in whole if e["id"] == onward["properties"]["beneficiary"][0])
    assert stand_in["schema"] == "LegalEntity"


def test_a_clue_export_carries_the_holders_of_its_cards_and_phones() -> None:
    graph = build_graph(tiny_tables())
    out = ftm_entities(graph, expand(graph, "account:6222000000000002", hops=1))
    assert problems(out) == Counter()
    by_id = {e["id"]: e for e in out}
    assert ftm_id("person:2") in by_id  # card 2's holder, though the expansion is 1 hop


def test_ids_are_stable() -> None:
    assert ftm_id("phone:13800000001") == ftm_id("phone:13800000001")
    assert ftm_id("phone:13800000001") != ftm_id("phone:13800000002")


_amounts = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(1, 10**11), st.integers(0, 86_399)),
    min_size=1,
    max_size=25,
)


@given(_amounts)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_export_conserves_every_transfer_amount(rows: list[tuple[int, int, int, int]]) -> None:
    tables = tiny_tables()
    accounts = ["6222000000000001", "6222000000000002", "6222000000000003"]
    tables["bank_accounts"] = pl.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "account_no": [*accounts, "T" + "1" * 33],
            "holder_id": [1, 2, None, None],
            "outlet_id": [2, 2, 2, 2],
            "kind": ["debit", "debit", "debit", "crypto_exit"],
        }
    )
    start = datetime(2026, 1, 1, tzinfo=UTC)
    tables["transfers"] = pl.DataFrame(
        {
            "id": list(range(1, len(rows) + 1)),
            "src_account_id": [a + 1 for a, _, _, _ in rows],
            "dst_account_id": [b + 1 for _, b, _, _ in rows],
            "amount_fen": [f for _, _, f, _ in rows],
            "at": [start + timedelta(seconds=s) for _, _, _, s in rows],
            "case_id": [None] * len(rows),
        },
        schema_overrides={"case_id": pl.Int64},
    )
    graph = build_graph(tables)
    out = ftm_entities(graph)
    assert problems(out) == Counter()
    expected = sum(f for a, b, f, _ in rows if a != b)
    exported = 0
    for entity in out:
        props = entity["properties"]
        if entity["schema"] == "Payment":
            yuan, _, fen = props["amount"][0].partition(".")
            exported += int(yuan) * 100 + int(fen)
    assert exported == expected


def test_importing_the_graph_package_does_not_load_followthemoney() -> None:
    code = "import sys, fanzha.graph, fanzha.api; print('followthemoney' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
    )
    assert done.stdout.strip() == "False"
