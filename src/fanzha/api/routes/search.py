"""Search by clue across cases, persons, phone numbers, accounts, IM accounts and URLs; and
the city's districts for the pages' choice lists."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from fanzha.api._deps import DbSession, audit, no_store, permit
from fanzha.api._reasons import Reason
from fanzha.api._search_service import find
from fanzha.api.schemas.search import (
    CLUE_LABELS,
    HIT_LABELS,
    DistrictListPublic,
    SearchGroupPublic,
    SearchHitPublic,
    SearchPublic,
)
from fanzha.masking import pseudonym
from fanzha.roles import Actor, district_scope, is_allowed
from fanzha.store import search as stored

__all__ = ["router"]

router = APIRouter(tags=["search"])

_HINT = "请输入案件编号、身份证号、姓名、电话号码、银行账号、即时通讯账号或网址"


@router.get("/search", dependencies=[Depends(no_store)], response_model=SearchPublic)
def search(
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("search"))],
    q: Annotated[
        str, Query(min_length=1, max_length=200, description="线索：编号、号码、姓名、网址")
    ],
    reason: Reason,
) -> SearchPublic:
    """Find what the query names: a case by number, a person by ID number or name, a phone
    number, a bank account, an IM account, a URL or domain; grouped by kind, within the
    caller's district. Audited with the reading of the query and the store ids found."""
    found = find(db, q, district_scope(actor))
    kinds: list[str] = [clue.kind for clue in found.clues]
    key: bytes = request.app.state.pseudonym_key
    audit(
        request,
        actor,
        "search",
        "+".join(kinds)[:32] or "unknown",
        pseudonym(q.strip(), key),
        reason=reason,
        detail=f"found={','.join(found.store_ids()) or 'none'}",
    )
    visible = is_allowed(actor.role, "pii.view")
    graph = is_allowed(actor.role, "graph.read")
    groups = [
        ("case", [SearchHitPublic.of_case(c) for c in found.cases]),
        (
            "person",
            [SearchHitPublic.of_person(p, visible=visible, graph=graph) for p in found.persons],
        ),
        (
            "phone",
            [SearchHitPublic.of_phone(p, visible=visible, graph=graph) for p in found.phones],
        ),
        (
            "account",
            [SearchHitPublic.of_account(a, visible=visible, graph=graph) for a in found.accounts],
        ),
        ("im", [SearchHitPublic.of_im(i, graph=graph) for i in found.ims]),
        ("url", [SearchHitPublic.of_url(u, graph=graph) for u in found.urls]),
    ]
    public = [
        SearchGroupPublic(kind=kind, label=HIT_LABELS[kind], hits=hits, more=kind in found.more)
        for kind, hits in groups
        if hits
    ]
    total = sum(len(group.hits) for group in public)
    labels = [CLUE_LABELS[kind] for kind in kinds]
    if not kinds:
        message = f"无法识别查询内容：{_HINT}"
    elif not total:
        message = f"按{'、'.join(labels)}查询，没有找到记录"
    else:
        message = f"按{'、'.join(labels)}查询，找到 {total} 条记录"
    return SearchPublic(
        kinds=kinds, kind_labels=labels, groups=public, total=total, message=message
    )


@router.get("/districts", response_model=DistrictListPublic)
def list_districts(
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("district.list"))],
) -> DistrictListPublic:
    """The districts of the city, for the filters' choice lists; an officer kept to one
    district gets only that one, also as ``own`` (the pages' default)."""
    scope = district_scope(actor)
    return DistrictListPublic(data=stored.districts(db, scope), own=scope)
