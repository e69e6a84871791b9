"""The store on SQLite and PostgreSQL: migrations, time zones, bulk loads all or nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl
import pytest
from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session

from fanzha.errors import InvalidInput, LedgerConflict
from fanzha.store import Base, Case, Person, bulk_load, migrate, next_ids, table_counts


def _frames() -> dict[str, pl.DataFrame]:
    return {
        "persons": pl.DataFrame(
            {
                "id": [1, 2],
                "name": ["张三", "李四"],
                "birth_date": [date(1950, 1, 1), None],
                "district": ["青秀区", "兴宁区"],
                "kind": ["victim", "citizen"],
            }
        ),
        "cases": pl.DataFrame(
            {
                "id": [1],
                "case_no": ["A450100202600001"],
                "fraud_type": ["shuadan_fanli"],
                "amount_lost_fen": [1_234_56],
                "occurred_at": [datetime(2026, 1, 1, 8, tzinfo=UTC)],
                "reported_at": [datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=UTC)],
                "victim_id": [1],
            }
        ),
    }


def test_migrations_create_every_table_and_are_idempotent(engine: Engine) -> None:
    migrate(engine)
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_bulk_load_round_trips_values_and_aware_times(engine: Engine) -> None:
    counts = bulk_load(engine, _frames())
    assert counts == {"persons": 2, "cases": 1}
    with Session(engine) as session:
        case = session.get(Case, 1)
        assert case is not None
        assert case.reported_at == datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=UTC)
        assert case.amount_lost_fen == 123456
        assert case.status == "open"  # column default filled in
        person = session.get(Person, 1)
        assert person is not None and person.birth_date == date(1950, 1, 1)
    assert table_counts(engine)["import_batches"] == 1
    assert next_ids(engine)["persons"] == 3


def test_orm_insert_after_bulk_load_gets_a_fresh_id(engine: Engine) -> None:
    bulk_load(engine, _frames())
    with Session(engine) as session:
        person = Person(name="王五", kind="citizen")
        session.add(person)
        session.commit()
        assert person.id == 3


@pytest.mark.parametrize(
    ("table", "frame", "needle"),
    [
        ("persons", pl.DataFrame({"id": [9], "name": ["x"], "shoe_size": [42]}), "shoe_size"),
        (
            "persons",
            pl.DataFrame({"id": [9], "name": [None]}, schema={"id": pl.Int64, "name": pl.Utf8}),
            "name",
        ),
        ("nonsense", pl.DataFrame({"id": [1]}), "nonsense"),
    ],
)
def test_bad_frames_are_refused_before_anything_is_written(
    engine: Engine, table: str, frame: pl.DataFrame, needle: str
) -> None:
    with pytest.raises(InvalidInput, match=needle):
        bulk_load(engine, {**_frames(), table: frame})
    assert table_counts(engine)["persons"] == 0


def test_a_failing_load_leaves_no_half_batch(engine: Engine) -> None:
    bulk_load(engine, _frames())
    clash = {"persons": pl.DataFrame({"id": [5, 1], "name": ["新", "重复"]})}
    with pytest.raises(LedgerConflict, match=r"(?i)persons: rows 1\.\.2 clash.*(unique|duplicate)"):
        bulk_load(engine, clash)
    counts = table_counts(engine)
    assert counts["persons"] == 2
    assert counts["import_batches"] == 1


def test_naive_datetimes_are_refused(engine: Engine) -> None:
    with Session(engine) as session:
        session.add(
            Case(
                case_no="X",
                fraud_type="t",
                occurred_at=datetime(2026, 1, 1),
                reported_at=datetime(2026, 1, 1),
            )
        )
        with pytest.raises(Exception, match="naive"):
            session.commit()


def test_updates_go_with_the_inserts_in_one_batch(engine: Engine) -> None:
    bulk_load(engine, _frames())
    inserts = {"persons": pl.DataFrame({"id": [3], "name": ["王五"], "kind": ["citizen"]})}
    updates = {
        "persons": pl.DataFrame({"id": [1], "district": ["江南区"]}),
        "cases": pl.DataFrame({"id": [1], "status": ["closed"]}),
    }
    counts = bulk_load(engine, inserts, updates=updates, source="test")
    assert counts == {"persons": 2, "cases": 1}
    with Session(engine) as session:
        person, case = session.get(Person, 1), session.get(Case, 1)
        assert person is not None and (person.name, person.district) == ("张三", "江南区")
        assert case is not None and case.status == "closed"
    assert table_counts(engine)["import_batches"] == 2


@pytest.mark.parametrize(
    ("updates", "error", "needle"),
    [
        pytest.param(
            {"cases": pl.DataFrame({"id": [1], "case_no": ["B2"]})},
            LedgerConflict,
            "cases: updates clash",
            id="unique-clash",
        ),
        pytest.param(
            {"persons": pl.DataFrame({"id": [1], "shoe_size": [42]})},
            InvalidInput,
            "shoe_size",
            id="unknown-column",
        ),
        pytest.param({"persons": pl.DataFrame({"name": ["x"]})}, InvalidInput, "'id'", id="no-id"),
    ],
)
def test_a_failing_update_writes_nothing(
    engine: Engine, updates: dict[str, pl.DataFrame], error: type[Exception], needle: str
) -> None:
    bulk_load(engine, _frames())
    extra = _frames()["cases"].with_columns(id=pl.lit(2), case_no=pl.lit("B2"))
    with pytest.raises(error, match=needle):
        bulk_load(engine, {"cases": extra}, updates=updates)
    counts = table_counts(engine)
    assert (counts["cases"], counts["import_batches"]) == (1, 1)


def test_bulk_load_keeps_a_text_that_reads_like_the_copy_null_marker(engine: Engine) -> None:
    persons = pl.DataFrame({"id": [1, 2], "name": ["\\N", "王五"], "town": ["\\N", None]})
    bulk_load(engine, {"persons": persons})
    with Session(engine) as session:
        stored = session.get(Person, 1)
        assert stored is not None and (stored.name, stored.town) == ("\\N", "\\N")
        other = session.get(Person, 2)
        assert other is not None and other.town is None
