"""研判扩线 over HTTP: expand a clue, shortest paths, gangs, roles, outlets, FtM export."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import PlainTextResponse
from sqlalchemy.orm import Session

from fanzha.api._deps import DbSession, audit, permit
from fanzha.api._graph_service import loaded_graph
from fanzha.api._reasons import Reason
from fanzha.api._search_service import person_node
from fanzha.api.schemas.common import DB_INT_MAX, ApiTime
from fanzha.api.schemas.graph import (
    ExpandPublic,
    GangsPublic,
    OutletsPublic,
    PathPublic,
    RolesPublic,
)
from fanzha.errors import InvalidInput, NotFound
from fanzha.graph import (
    EdgeFilter,
    expand,
    ftm_entities,
    gang_record,
    guess_node_id,
    rank_outlets,
    shortest_paths,
    subgraph_json,
)
from fanzha.masking import pseudonym
from fanzha.roles import Actor, district_scope

__all__ = ["router"]

router = APIRouter(prefix="/graph", tags=["graph"])
Analyst = Annotated[Actor, Depends(permit("graph.read"))]
Types = Annotated[list[str] | None, Query(description="edge types to follow (default: all)")]


_CLUE_HINT = (
    "无法识别线索“{clue}”：请输入手机号、银行卡号、身份证号、姓名、案件编号、网址或即时通讯账号，"
    "或写成带类型的编号（如 person:123、phone:13800138000）"
)


def _node_of(request: Request, db: Session, clue: str, actor: Actor, reason: str) -> str:
    """The graph node a clue names: an ID number or a name resolves to the person in the
    store (:func:`person_node`; a failed look-up is audited), anything else by its shape
    (:func:`guess_node_id`); a clue of no known shape is refused with a Chinese message
    naming what may be written."""
    try:
        person = person_node(db, clue, district_scope(actor))
    except (NotFound, InvalidInput) as exc:
        key: bytes = request.app.state.pseudonym_key
        detail = "not found" if isinstance(exc, NotFound) else "several persons"
        audit(
            request,
            actor,
            "read",
            "person",
            pseudonym(clue.strip(), key),
            reason=reason,
            detail=detail,
        )
        raise
    if person is not None:
        return person
    try:
        return guess_node_id(clue)
    except InvalidInput as exc:
        raise InvalidInput(
            _CLUE_HINT.format(clue=clue.strip()[:40]) + " (unknown kind of clue)",
            field="id",
            value=clue,
        ) from exc


def _filter(
    types: list[str] | None, since: datetime | None, until: datetime | None, min_count: int
) -> EdgeFilter:
    return EdgeFilter(
        types=tuple(types) if types else None, since=since, until=until, min_count=min_count
    )


@router.get("/expand", response_model_exclude_unset=True)
def expand_clue(
    request: Request,
    db: DbSession,
    actor: Analyst,
    clue: Annotated[
        str,
        Query(
            alias="from", min_length=2, max_length=200, description="phone, account, person:ID …"
        ),
    ],
    hops: Annotated[int, Query(ge=1, le=4)] = 2,
    types: Types = None,
    since: ApiTime | None = None,
    until: ApiTime | None = None,
    min_count: Annotated[int, Query(ge=1, le=DB_INT_MAX)] = 1,
    cap: Annotated[int, Query(ge=1, le=500)] = 50,
    *,
    reason: Reason,
) -> ExpandPublic:
    """The entities within ``hops`` of a clue as a subgraph (capped fan-out reported)."""
    node_id = _node_of(request, db, clue, actor, reason)
    loaded = loaded_graph(request, db)
    audit(
        request,
        actor,
        "read",
        node_id.split(":", 1)[0],
        node_id,
        reason=reason,
        detail=f"expand {hops} hops",
    )
    sub = expand(
        loaded.graph,
        node_id,
        hops=hops,
        edge_filter=_filter(types, since, until, min_count),
        cap=cap,
    )
    return ExpandPublic.model_validate(
        subgraph_json(loaded.graph, sub, roles=loaded.roles(), gangs=loaded.gangs())
    )


@router.get("/path", response_model_exclude_unset=True)
def path_between(
    request: Request,
    db: DbSession,
    actor: Analyst,
    a: Annotated[str, Query(min_length=2, max_length=200)],
    b: Annotated[str, Query(min_length=2, max_length=200)],
    max_hops: Annotated[int, Query(ge=1, le=8)] = 6,
    types: Types = None,
    since: ApiTime | None = None,
    until: ApiTime | None = None,
    *,
    reason: Reason,
) -> PathPublic:
    """The shortest paths between two clues, as node ids and as a subgraph."""
    loaded = loaded_graph(request, db)
    first, second = (
        _node_of(request, db, a, actor, reason),
        _node_of(request, db, b, actor, reason),
    )
    audit(request, actor, "read", "path", f"{first}|{second}"[:64], reason=reason)
    found = shortest_paths(
        loaded.graph, first, second, edge_filter=_filter(types, since, until, 1), max_hops=max_hops
    )
    ids = loaded.graph.ids
    return PathPublic.model_validate(
        {
            "length": found.length,
            "paths": [[ids[n] for n in nodes] for nodes, _ in found.paths],
            "graph": subgraph_json(loaded.graph, found.subgraph, roles=loaded.roles()),
        }
    )


@router.get("/gangs")
def gangs(
    request: Request,
    db: DbSession,
    actor: Analyst,
    top: Annotated[int, Query(ge=1, le=200)] = 20,
) -> GangsPublic:
    """Gangs (Leiden communities around flagged and case-linked entities), most money first."""
    loaded = loaded_graph(request, db)
    found = loaded.gangs()
    audit(request, actor, "list", "gang", "*")
    data = [gang_record(loaded.graph, gang, max_members=500) for gang in found[:top]]
    return GangsPublic.model_validate({"count": len(found), "data": data})


@router.get("/roles")
def roles(
    request: Request,
    db: DbSession,
    actor: Analyst,
    role: str | None = None,
    top: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> RolesPublic:
    """Entities scored for a role (卡头卡贩, GOIP den, 取现, 跑分, 引流), highest first."""
    frame = loaded_graph(request, db).roles()
    if role:
        frame = frame.filter(frame["role"] == role)
    audit(request, actor, "list", "role", role or "*")
    sort_by = "score" if "score" in frame.columns else frame.columns[-1]
    return RolesPublic.model_validate(
        {"count": frame.height, "data": frame.sort(sort_by, descending=True).head(top).to_dicts()}
    )


@router.get("/outlets")
def outlets(
    request: Request, db: DbSession, actor: Analyst, top: Annotated[int, Query(ge=1, le=1000)] = 50
) -> OutletsPublic:
    """断卡: outlets ranked by the share of the cards they opened that turned up in cases."""
    frame = rank_outlets(loaded_graph(request, db).graph)
    audit(request, actor, "list", "outlet", "*")
    return OutletsPublic.model_validate({"count": frame.height, "data": frame.head(top).to_dicts()})


@router.get("/export.ftm", response_class=PlainTextResponse)
def export_ftm(
    request: Request,
    db: DbSession,
    actor: Analyst,
    clue: Annotated[str, Query(alias="from", min_length=2, max_length=200)],
    hops: Annotated[int, Query(ge=1, le=4)] = 2,
    cap: Annotated[int, Query(ge=1, le=500)] = 50,
    *,
    reason: Reason,
) -> PlainTextResponse:
    """The subgraph around a clue as FollowTheMoney entities, one JSON object per line."""
    node_id = _node_of(request, db, clue, actor, reason)
    loaded = loaded_graph(request, db)
    audit(request, actor, "export", node_id.split(":", 1)[0], node_id, reason=reason)
    sub = expand(loaded.graph, node_id, hops=hops, cap=cap)
    lines = (json.dumps(entity, ensure_ascii=False) for entity in ftm_entities(loaded.graph, sub))
    return PlainTextResponse("\n".join(lines) + "\n", media_type="application/x-ndjson")
