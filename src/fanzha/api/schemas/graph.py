"""研判扩线 response bodies: subgraphs, paths, gangs, role scores and outlets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

__all__ = [
    "EdgeFilterPublic",
    "ExpandPublic",
    "GangPublic",
    "GangsPublic",
    "GraphEdgePublic",
    "GraphNodePublic",
    "GraphStatsPublic",
    "NodeRolePublic",
    "OutletPublic",
    "OutletsPublic",
    "PathPublic",
    "RoleScorePublic",
    "RolesPublic",
    "TruncatedPublic",
]


class NodeRolePublic(BaseModel):
    """A node's strongest role (卡头卡贩, GOIP den, 取现, 跑分, 引流)."""

    key: str
    label: str
    score: float
    reason: str


class GraphNodePublic(BaseModel):
    """An entity of the subgraph; ``role`` and ``gang`` appear only when it has one."""

    id: str = Field(description="typed node id, e.g. phone:13800138000")
    type: str
    label: str
    hop: int = Field(description="hops from the nearest clue")
    flagged: bool
    role: NodeRolePublic | None = None
    gang: int | None = None
    props: dict[str, Any]


class GraphEdgePublic(BaseModel):
    """Links of one type between two entities; ``amount_fen`` for transfers, ``duration_s``
    for calls; ``first`` and ``last`` in whole UTC seconds (written ``…Z``)."""

    source: str
    target: str
    type: str
    count: int = Field(description="links in the time window")
    amount_fen: int | None = None
    duration_s: int | None = None
    first: datetime | None
    last: datetime | None


class TruncatedPublic(BaseModel):
    """A node whose neighbours were capped: how many kept and dropped."""

    id: str
    label: str
    kept: int
    dropped: int


class EdgeFilterPublic(BaseModel):
    """The edge filter the traversal used."""

    types: list[str] | None
    since: str | None
    until: str | None
    min_count: int
    min_amount_fen: int


class GraphStatsPublic(BaseModel):
    """Counts of the subgraph and how it was drawn."""

    nodes: int
    edges: int
    by_type: dict[str, int]
    seeds: list[str]
    hops: int
    cap: int | None
    truncated_nodes: int
    dropped_neighbours: int
    filter: EdgeFilterPublic


class ExpandPublic(BaseModel):
    """A subgraph as the graph view draws it."""

    nodes: list[GraphNodePublic]
    edges: list[GraphEdgePublic]
    truncated: list[TruncatedPublic]
    stats: GraphStatsPublic


class PathPublic(BaseModel):
    """Shortest paths between two clues (``length`` -1: none within the hop limit)."""

    length: int
    paths: list[list[str]]
    graph: ExpandPublic


class GangPublic(BaseModel):
    """A gang: size, money, victims, members by type and role, key members, members."""

    gang: int
    size: int
    money_fen: int = Field(description="the money victims paid into its accounts")
    victims: int
    by_type: dict[str, int] = Field(description="members by node type")
    roles: dict[str, int] = Field(description="members by role")
    key_nodes: list[str]
    members: list[str] = Field(description="node ids, the first 500")


class GangsPublic(BaseModel):
    """The gangs found (``count``) and the top ones, most money first."""

    count: int
    data: list[GangPublic]


class RoleScorePublic(BaseModel):
    """An entity scored for a role."""

    node: int
    id: str
    type: str
    role: str
    label: str
    score: float
    reason: str


class RolesPublic(BaseModel):
    """Entities scored for a role (``count`` in all), highest first."""

    count: int
    data: list[RoleScorePublic]


class OutletPublic(BaseModel):
    """An outlet (营业网点) and the share of the cards it opened that turned up in cases."""

    outlet: int
    id: str
    name: str
    kind: str | None
    district: str | None
    cards: int
    case_cards: int
    flagged_cards: int
    share: float
    score: float
    rank: int


class OutletsPublic(BaseModel):
    """Outlets ranked worst first (``count`` in all)."""

    count: int
    data: list[OutletPublic]
