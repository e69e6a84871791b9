"""fanzha.store.graph on SQLite and PostgreSQL: the graph's tables and their version."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fanzha.store import BankAccount, Person
from fanzha.store.graph import read_graph_tables, tables_version


def test_version_follows_row_counts_and_ids_and_unknown_tables_are_left_out(
    engine: Engine,
) -> None:
    names = ("persons", "bank_accounts", "no_such_table")
    with Session(engine) as session:
        assert tables_version(session, names) == (0, 0, 0, 0)
        session.add(Person(id=7, name="王芳"))
        session.flush()
        session.add(BankAccount(id=3, account_no="6222000000000003", bank="农业银行", holder_id=7))
        session.commit()
        assert tables_version(session, names) == (1, 7, 1, 3)
        frames = read_graph_tables(session, names)
    assert sorted(frames) == ["bank_accounts", "persons"]
    assert frames["persons"]["name"].to_list() == ["王芳"]
    assert frames["bank_accounts"]["holder_id"].to_list() == [7]
