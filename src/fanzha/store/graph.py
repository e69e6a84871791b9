"""The entity graph's queries: the tables it is built from, and whether they changed."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fanzha.store._frames import read_tables
from fanzha.store._models import Base

__all__ = ["read_graph_tables", "tables_version"]


def _stored(names: Sequence[str]) -> list[str]:
    return [name for name in names if name in Base.metadata.tables]


def tables_version(session: Session, names: Sequence[str]) -> tuple[int, ...]:
    """Row count and largest id of each stored table of ``names``: they changed when this did."""
    version: list[int] = []
    for name in _stored(names):
        table = Base.metadata.tables[name]
        count, top = session.execute(
            select(func.count(), func.coalesce(func.max(table.c.id), 0)).select_from(table)
        ).one()
        version += [int(count), int(top)]
    return tuple(version)


def read_graph_tables(session: Session, names: Sequence[str]) -> dict[str, pl.DataFrame]:
    """The stored tables of ``names`` as frames (names the store does not have are left out)."""
    return read_tables(session.connection(), _stored(names))
