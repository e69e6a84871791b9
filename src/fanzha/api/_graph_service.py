"""The entity graph of the store, built once and cached until the data changes."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from sqlalchemy import Engine, func, select

from fanzha.graph import (
    GRAPH_TABLES,
    EntityGraph,
    Gang,
    assign_roles,
    build_graph,
    find_gangs,
    gang_record,
)
from fanzha.store import Base, read_tables

__all__ = ["GraphCache", "LoadedGraph", "gang_view"]


@dataclass(slots=True)
class LoadedGraph:
    """A built graph, with its roles and gangs computed on first use."""

    key: tuple[int, ...]
    graph: EntityGraph
    _roles: pl.DataFrame | None = None
    _gangs: list[Gang] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def roles(self) -> pl.DataFrame:
        """Role scores of every node (卡头卡贩, GOIP den, 取现, 跑分, 引流)."""
        with self._lock:
            if self._roles is None:
                self._roles = assign_roles(self.graph)
            return self._roles

    def gangs(self) -> list[Gang]:
        """Leiden gangs on the suspicious part of the graph, most money first."""
        roles = self.roles()
        with self._lock:
            if self._gangs is None:
                self._gangs = find_gangs(self.graph, roles=roles)
            return self._gangs


class GraphCache:
    """Rebuilds the graph when any of its tables gained or lost rows."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: LoadedGraph | None = None

    def _key(self, engine: Engine) -> tuple[int, ...]:
        tables = [
            Base.metadata.tables[name] for name in GRAPH_TABLES if name in Base.metadata.tables
        ]
        with engine.connect() as connection:
            return tuple(
                int(value)
                for table in tables
                for value in connection.execute(
                    select(func.count(), func.coalesce(func.max(table.c.id), 0)).select_from(table)
                ).one()
            )

    def get(self, engine: Engine) -> LoadedGraph:
        """The current graph of the store."""
        key = self._key(engine)
        with self._lock:
            if self._loaded is None or self._loaded.key != key:
                names = [name for name in GRAPH_TABLES if name in Base.metadata.tables]
                self._loaded = LoadedGraph(key, build_graph(read_tables(engine, names)))
            return self._loaded


def gang_view(loaded: LoadedGraph, gang: Gang) -> dict[str, Any]:
    """A gang as JSON: size, money, victims, roles, key members and up to 500 members."""
    return gang_record(loaded.graph, gang, max_members=500)
