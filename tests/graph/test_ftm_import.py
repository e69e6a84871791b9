"""FtM import (``ftm_records``, ``fanzha ingest ftm``): export → import → export gives the same
entities, on frames and through the store (SQLite and PostgreSQL), which followthemoney's
``ftm validate`` and ``ftm export-gexf`` read; a re-import adds nothing; bad lines are
refused naming line and field; entities fanzha cannot place are counted."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from click.testing import CliRunner as ClickRunner
from followthemoney import model
from followthemoney.cli.cli import cli as ftm_cli
from typer.testing import CliRunner

from fanzha.cli import app
from fanzha.cli._common import EXIT_ERROR, EXIT_SKIPPED
from fanzha.demo import generate_city
from fanzha.errors import InvalidInput
from fanzha.graph import (
    GRAPH_TABLES,
    build_graph,
    check_ftm_entity,
    ftm_entities,
    ftm_records,
)
from fanzha.graph._ftm_read import FtmEntity
from fanzha.store import make_engine, read_tables, table_counts
from tests.graph.conftest import START

runner = CliRunner()
Entity = dict[str, Any]


def as_set(entities: list[Entity]) -> set[tuple[str, str, str]]:
    """Every (id, property, value) of an export: what two exports must share."""
    return {
        (e["id"], f"{e['schema']}.{name}", value)
        for e in entities
        for name, values in e["properties"].items()
        for value in values
    }


def checked(entities: list[Entity]) -> list[FtmEntity]:
    return [check_ftm_entity(e, line=i, source="t") for i, e in enumerate(entities, start=1)]


@pytest.fixture(scope="module")
def small() -> list[Entity]:
    """The whole-store export of a small demo city (3,000 records: ≈ 3,800 entities, with
    aggregated edges and payments a case names)."""
    city = generate_city(seed=11, records=3_000, start=START, days=30, password_hash="x")
    return ftm_entities(build_graph(city))


def test_export_import_export_gives_the_same_entities(small: list[Entity], tmp_path: Path) -> None:
    planned = ftm_records(checked(small), stored={}, next_ids={})
    assert planned.report.unplaced == Counter() and planned.report.placeholders > 0
    again = ftm_entities(build_graph(planned.tables))
    assert len(again) == len(small)
    assert as_set(again) == as_set(small)
    # a second import into the store the first one made adds nothing
    twice = ftm_records(checked(small), stored=planned.tables, next_ids={})
    assert twice.tables == {} and twice.report.unplaced == Counter()
    # followthemoney's own `ftm validate` and `ftm export-gexf` read the re-export
    path = _write(tmp_path / "again.ftm.jsonl", again)
    valid, gexf = tmp_path / "valid.ftm.jsonl", tmp_path / "again.gexf"
    for args in (["validate", "-i", path, "-o", valid], ["export-gexf", "-i", path, "-o", gexf]):
        result = ClickRunner().invoke(ftm_cli, [str(a) for a in args])
        assert result.exit_code == 0, result.output
    assert as_set([json.loads(line) for line in valid.read_text().splitlines()]) == as_set(small)
    edges = sum(1 for e in small if model.get(e["schema"]).edge)
    text = gexf.read_text()
    assert text.count("<node ") >= len(small) - edges and text.count("<edge ") >= edges


def _write(path: Path, entities: list[Entity], *extra: str) -> Path:
    lines = [json.dumps(e, ensure_ascii=False) for e in entities]
    path.write_text("\n".join([*lines, *extra]) + "\n", encoding="utf-8")
    return path


def _export(db: str) -> list[Entity]:
    engine = make_engine(db)
    try:
        tables = read_tables(engine, list(GRAPH_TABLES))
    finally:
        engine.dispose()
    return ftm_entities(build_graph(tables))


def test_ingest_ftm_into_an_empty_store_round_trips_and_is_idempotent(
    small: list[Entity], db_url: str, tmp_path: Path
) -> None:
    path = _write(tmp_path / "city.ftm.jsonl", small)
    first = runner.invoke(app, ["ingest", "ftm", str(path), "--db", db_url])
    assert first.exit_code == 0, first.output
    assert "+ transfers" in first.stdout and "未能入库" not in first.stdout
    assert as_set(_export(db_url)) == as_set(small)
    engine = make_engine(db_url)
    counts = table_counts(engine)
    again = runner.invoke(app, ["ingest", "ftm", str(path), "--db", db_url])
    assert again.exit_code == 0, again.output
    assert "已存在" in again.stdout and table_counts(engine) == counts
    engine.dispose()


@pytest.mark.parametrize(
    ("entity", "field"),
    [
        ({"id": "x", "schema": "FanzhaPhone", "properties": {}}, "schema"),
        ({"schema": "Person", "properties": {"name": ["张三"]}}, "id"),
        ({"id": "x", "schema": "Person", "properties": {"imei": ["1"]}}, "properties.imei"),
        (
            {"id": "x", "schema": "Person", "properties": {"birthDate": ["soon"]}},
            "properties.birthDate",
        ),
        (
            {"id": "x", "schema": "Payment", "properties": {"payer": ["a"]}},
            "properties.beneficiary",
        ),
        ({"id": "x", "schema": "Person", "properties": {"name": [3]}}, "properties.name"),
    ],
)
def test_a_bad_entity_is_refused_naming_line_and_field(entity: Entity, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_ftm_entity(entity, line=7, source="pkg.jsonl")
    assert caught.value.field == field and caught.value.line == 7
    assert str(caught.value).startswith(f"pkg.jsonl line 7, {field}: ")


def test_a_bad_line_stops_the_import_unless_skip_bad(small: list[Entity], tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'fanzha.db'}"
    path = _write(tmp_path / "pkg.jsonl", small[:50], '{"id": "x", "schema": "Nope"}', "not json")
    bad = runner.invoke(app, ["ingest", "ftm", str(path), "--db", db])
    assert bad.exit_code == EXIT_ERROR
    assert f"line {51}, schema" in bad.stderr and "nothing was written" in bad.stderr
    assert not (tmp_path / "fanzha.db").exists() or table_counts(make_engine(db))["persons"] == 0
    skipped = runner.invoke(app, ["ingest", "ftm", str(path), "--db", db, "--skip-bad"])
    assert skipped.exit_code == EXIT_SKIPPED
    assert "+ persons" in skipped.stdout


def test_foreign_entities_are_placed_by_schema_and_the_rest_counted() -> None:
    aleph: list[Entity] = [
        {
            "id": "p1",
            "schema": "Person",
            "properties": {"name": ["王五"], "idNumber": ["450102199001011234"]},
        },
        {
            "id": "a1",
            "schema": "BankAccount",
            "properties": {"accountNumber": ["6222020200112233445"]},
        },
        {"id": "a2", "schema": "BankAccount", "properties": {"iban": ["DE89370400440532013000"]}},
        {
            "id": "u1",
            "schema": "UserAccount",
            "properties": {"username": ["13800138000"], "owner": ["p1"]},
        },
        {
            "id": "u2",
            "schema": "UserAccount",
            "properties": {"username": ["wxid_abc"], "service": ["WeChat"]},
        },
        {"id": "o1", "schema": "Ownership", "properties": {"owner": ["p1"], "asset": ["a1"]}},
        {"id": "c1", "schema": "Company", "properties": {"name": ["某公司"]}},
    ]
    planned = ftm_records(checked(aleph), stored={}, next_ids={})
    tables = planned.tables
    assert tables["persons"]["name"].to_list() == ["王五"]
    assert tables["phones"].select("number", "owner_id").rows() == [("13800138000", 1)]
    assert tables["im_accounts"].select("platform", "handle").rows() == [("wechat", "wxid_abc")]
    assert tables["bank_accounts"].select("account_no", "holder_id").rows() == [
        ("6222020200112233445", 1)
    ]
    assert planned.report.unplaced == Counter(
        {"BankAccount (no fanzha record for it)": 1, "Company (no fanzha record for it)": 1}
    )
    # the same person again (by ID number) is the stored one, not a second row
    again = ftm_records(checked(aleph), stored=tables, next_ids={})
    assert "persons" not in again.tables and again.tables == {}


def test_nothing_stored_is_changed_by_an_import(small: list[Entity]) -> None:
    """A stored person with the exported id but another name keeps it; the import's one
    gets a new id, and a stored row's references are left as they are."""
    entities = checked(small)
    stored = {"persons": pl.DataFrame({"id": [1], "name": ["已存人员"], "id_number": [None]})}
    planned = ftm_records(entities, stored=stored, next_ids={"persons": 2})
    persons = planned.tables["persons"]
    assert 1 not in persons["id"].to_list() and persons.height == sum(
        e.schema == "Person" for e in entities
    )
