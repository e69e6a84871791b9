"""Request and response models of clues, operations, dens, raids and seizures."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from fanzha.api.schemas.common import STRICT, ApiTime, PagePublic, RecordId, Version

__all__ = [
    "ClueCreate",
    "ClueDetailPublic",
    "ClueListPublic",
    "CluePublic",
    "ClueTransitionPublic",
    "ClueTransitionRequest",
    "DenCreate",
    "DenListPublic",
    "DenPublic",
    "OperationCreate",
    "OperationDetailPublic",
    "OperationListPublic",
    "OperationPublic",
    "RaidCreate",
    "RaidListPublic",
    "RaidPublic",
    "RollupPublic",
    "SeizureCreate",
    "SeizurePublic",
]

ClueSource = Literal["graph_node", "graph_gang", "graph_role", "fund_trace", "manual"]
ClueState = Literal["pending", "analysing", "expanded", "landed", "no_value"]
OwnerLevel = Literal["city", "district", "county"]


class ClueCreate(BaseModel):
    """A new clue: from a graph node / gang / role (``source_ref`` the node id or gang id;
    the server takes the evidence snapshot), from a fund trace (``source_ref`` the cash-out
    account, ``evidence`` the trace summary) or by hand."""

    model_config = STRICT
    source: ClueSource
    source_ref: str = Field(default="", max_length=128)
    title: str = Field(min_length=1, max_length=128)
    summary: str = Field(default="", max_length=4000)
    owner_level: OwnerLevel = "city"
    district: str | None = Field(default=None, max_length=32)
    operation_id: RecordId | None = None
    gang_id: RecordId | None = None
    evidence: dict[str, Any] | None = None


class ClueTransitionRequest(BaseModel):
    model_config = STRICT
    to_state: ClueState
    version: Version
    note: str = Field(default="", max_length=4000)


class CluePublic(BaseModel):
    """A clue as lists show it; ``overdue`` when open past its SLA (线索不过夜)."""

    id: int
    source: str
    source_name: str
    source_ref: str
    title: str
    summary: str
    owner_level: str
    district: str | None
    state: str
    state_name: str
    urgent: bool
    operation_id: int | None
    created_at: datetime
    sla_due_at: datetime
    closed_at: datetime | None
    overdue: bool
    outcome: str
    version: int


class ClueListPublic(PagePublic):
    data: list[CluePublic]


class ClueTransitionPublic(BaseModel):
    from_state: str
    to_state: str
    at: datetime
    user_id: int | None
    note: str


class ClueDetailPublic(CluePublic):
    """A clue with ``evidence``: the snapshot taken when it was made, as JSON text (a
    subgraph, a gang, role scores or a trace summary)."""

    evidence: str
    allowed: list[str]
    transitions: list[ClueTransitionPublic]


class OperationCreate(BaseModel):
    model_config = STRICT
    name: str = Field(min_length=1, max_length=128)
    starts_on: date
    ends_on: date
    districts: list[str] = Field(default_factory=list, max_length=64)
    lead_unit: str = Field(default="", max_length=64)
    officers: int = Field(default=0, ge=0, le=1_000_000)
    outreach_sites: int = Field(default=0, ge=0, le=1_000_000)
    description: str = Field(default="", max_length=4000)


class RollupPublic(BaseModel):
    """An operation's live figures (战果); ``seizures`` by kind with Chinese names."""

    officers: int
    arrests: int
    caught_in_raids: int
    raids: int
    dens_raided: int
    rectifications: int
    outreach_sites: int
    sweeps: int
    clues: int
    clues_landed: int
    cash_fen: int
    seizures: dict[str, int]
    labels: dict[str, str]


class OperationPublic(BaseModel):
    id: int
    name: str
    starts_on: date
    ends_on: date
    districts: list[str]
    lead_unit: str
    officers: int
    outreach_sites: int
    description: str
    state: str
    state_name: str
    rollup: RollupPublic


class OperationListPublic(BaseModel):
    count: int
    data: list[OperationPublic]


class OperationDetailPublic(OperationPublic):
    raids: list[RaidPublic]
    dens: list[DenPublic]
    clues: list[CluePublic]


class DenCreate(BaseModel):
    model_config = STRICT
    name: str = Field(min_length=1, max_length=128)
    kind: str = Field(min_length=1, max_length=16)
    district: str | None = Field(default=None, max_length=32)
    town: str | None = Field(default=None, max_length=32)
    village: str | None = Field(default=None, max_length=32)
    address: str = Field(default="", max_length=255)
    source: Literal["graph", "report", "manual"] = "manual"
    source_ref: str = Field(default="", max_length=128)
    operation_id: RecordId | None = None
    gang_id: RecordId | None = None
    clue_id: RecordId | None = None
    note: str = Field(default="", max_length=4000)


class DenPublic(BaseModel):
    id: int
    name: str
    kind: str
    kind_name: str
    district: str | None
    town: str | None
    village: str | None
    address: str
    state: str
    state_name: str
    source: str
    operation_id: int | None
    gang_id: int | None
    clue_id: int | None
    raids: int


class DenListPublic(BaseModel):
    count: int
    data: list[DenPublic]


class SeizureCreate(BaseModel):
    model_config = STRICT
    kind: str = Field(min_length=1, max_length=16)
    count: int = Field(default=0, ge=0, le=10**7)
    amount_fen: int = Field(default=0, ge=0, le=10**13)
    case_id: RecordId | None = None
    note: str = Field(default="", max_length=1000)


class SeizurePublic(BaseModel):
    id: int
    raid_id: int | None
    operation_id: int | None
    kind: str
    kind_name: str
    count: int
    amount_fen: int
    case_id: int | None
    note: str


class RaidCreate(BaseModel):
    model_config = STRICT
    raided_at: ApiTime
    district: str | None = Field(default=None, max_length=32)
    den_id: RecordId | None = None
    operation_id: RecordId | None = None
    clue_id: RecordId | None = None
    officers: int = Field(default=0, ge=0, le=100_000)
    suspects_caught: int = Field(default=0, ge=0, le=100_000)
    note: str = Field(default="", max_length=4000)
    seizures: list[SeizureCreate] = Field(default_factory=list, max_length=50)


class RaidPublic(BaseModel):
    id: int
    raided_at: datetime
    district: str | None
    den_id: int | None
    operation_id: int | None
    clue_id: int | None
    officers: int
    suspects_caught: int
    note: str
    seizures: list[SeizurePublic]


class RaidListPublic(BaseModel):
    count: int
    data: list[RaidPublic]


OperationDetailPublic.model_rebuild()
