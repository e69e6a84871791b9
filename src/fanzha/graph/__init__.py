"""研判 graph: the entity graph (build, expand, paths, gangs, roles, 断卡, FtM export / import)."""

from __future__ import annotations

from fanzha.graph._build import GRAPH_TABLES, build_graph
from fanzha.graph._cards import cards_per_person, rank_outlets
from fanzha.graph._expand import expand, expand_nodes, shortest_paths
from fanzha.graph._ftm import FtmReport, ftm_entities, iter_ftm_entities
from fanzha.graph._ftm_in import ftm_records
from fanzha.graph._ftm_read import check_ftm_entity
from fanzha.graph._gangs import Gang, find_gangs, gang_record
from fanzha.graph._graph import EdgeFilter, EntityGraph
from fanzha.graph._ids import guess_node_id, node_ids
from fanzha.graph._json import subgraph_json
from fanzha.graph._penalty import (
    Offender,
    may_open_card,
    restricted_at,
    restriction_end,
)
from fanzha.graph._picture import render_png
from fanzha.graph._roles import ROLE_LABELS, assign_roles
from fanzha.graph._schema import EDGE_TYPES, NODE_TYPES

__all__ = [
    "EDGE_TYPES",
    "GRAPH_TABLES",
    "NODE_TYPES",
    "ROLE_LABELS",
    "EdgeFilter",
    "EntityGraph",
    "FtmReport",
    "Gang",
    "Offender",
    "assign_roles",
    "build_graph",
    "cards_per_person",
    "check_ftm_entity",
    "expand",
    "expand_nodes",
    "find_gangs",
    "ftm_entities",
    "ftm_records",
    "gang_record",
    "guess_node_id",
    "iter_ftm_entities",
    "may_open_card",
    "node_ids",
    "rank_outlets",
    "render_png",
    "restricted_at",
    "restriction_end",
    "shortest_paths",
    "subgraph_json",
]
