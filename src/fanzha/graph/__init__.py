"""研判 graph: the entity graph (build, expand, paths, gangs, roles, 断卡 analytics, FtM export)."""

from __future__ import annotations

from fanzha.graph._build import GRAPH_TABLES, build_graph
from fanzha.graph._cards import cards_per_person, case_cards, rank_outlets
from fanzha.graph._clean import NO_TIME, epoch_seconds, references, whole_numbers
from fanzha.graph._expand import (
    PathResult,
    Subgraph,
    Truncation,
    expand,
    shortest_paths,
    subgraph_of,
)
from fanzha.graph._ftm import FTM_REQUIRED, ftm_entities, ftm_id
from fanzha.graph._gangs import (
    GANG_EDGE_TYPES,
    Gang,
    KeyNode,
    find_gangs,
    gang_record,
    gang_seeds,
    victim_nodes,
)
from fanzha.graph._graph import (
    AttrBlock,
    BuildReport,
    EdgeFilter,
    EdgeWeights,
    EntityGraph,
    edge_events,
    edge_weights,
)
from fanzha.graph._ids import (
    guess_node_id,
    node_ids,
    normalize_keys,
    normalize_node_id,
    split_node_id,
)
from fanzha.graph._json import iso_time, subgraph_json
from fanzha.graph._penalty import (
    RESTRICTION_YEARS,
    CardDecision,
    Offender,
    Restriction,
    may_open_card,
    offenders_from_records,
    restricted_at,
    restriction_end,
)
from fanzha.graph._roles import ROLE_LABELS, RoleRules, assign_roles
from fanzha.graph._schema import (
    EDGE_TYPES,
    NODE_TYPES,
    EdgeType,
    NodeType,
    edge_type_code,
    node_type_code,
)

__all__ = [
    "EDGE_TYPES",
    "FTM_REQUIRED",
    "GANG_EDGE_TYPES",
    "GRAPH_TABLES",
    "NODE_TYPES",
    "NO_TIME",
    "RESTRICTION_YEARS",
    "ROLE_LABELS",
    "AttrBlock",
    "BuildReport",
    "CardDecision",
    "EdgeFilter",
    "EdgeType",
    "EdgeWeights",
    "EntityGraph",
    "Gang",
    "KeyNode",
    "NodeType",
    "Offender",
    "PathResult",
    "Restriction",
    "RoleRules",
    "Subgraph",
    "Truncation",
    "assign_roles",
    "build_graph",
    "cards_per_person",
    "case_cards",
    "edge_events",
    "edge_type_code",
    "edge_weights",
    "epoch_seconds",
    "expand",
    "find_gangs",
    "ftm_entities",
    "ftm_id",
    "gang_record",
    "gang_seeds",
    "guess_node_id",
    "iso_time",
    "may_open_card",
    "node_ids",
    "node_type_code",
    "normalize_keys",
    "normalize_node_id",
    "offenders_from_records",
    "rank_outlets",
    "references",
    "restricted_at",
    "restriction_end",
    "shortest_paths",
    "split_node_id",
    "subgraph_json",
    "subgraph_of",
    "victim_nodes",
    "whole_numbers",
]
