"""The entity graph of the store (``fanzha.store.graph``), built once and cached until the
data changes."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import polars as pl
from fastapi import Request
from sqlalchemy.orm import Session

from fanzha.graph import GRAPH_TABLES, EntityGraph, Gang, assign_roles, build_graph, find_gangs
from fanzha.store.graph import read_graph_tables, tables_version

__all__ = ["GraphCache", "LoadedGraph", "loaded_graph"]


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

    def get(self, db: Session) -> LoadedGraph:
        """The current graph of the store."""
        key = tables_version(db, GRAPH_TABLES)
        with self._lock:
            if self._loaded is None or self._loaded.key != key:
                self._loaded = LoadedGraph(key, build_graph(read_graph_tables(db, GRAPH_TABLES)))
            return self._loaded


def loaded_graph(request: Request, db: Session) -> LoadedGraph:
    """The app's cached graph, rebuilt when the store changed."""
    state = request.app.state
    if getattr(state, "graph_cache", None) is None:
        state.graph_cache = GraphCache()
    cache: GraphCache = state.graph_cache
    return cache.get(db)
