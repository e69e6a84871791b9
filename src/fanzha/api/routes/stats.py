"""战果 statistics: the figures of a period, their definitions, the records behind a figure
and the 战果通报 downloads (commanders and administrators; a district's team its district)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from fanzha.api._deps import DbSession, audit, permit
from fanzha.api.schemas.stats import (
    DefinitionsPublic,
    FigureRowsPublic,
    StatsPublic,
)
from fanzha.errors import InvalidInput
from fanzha.roles import Actor, stats_scope
from fanzha.stats import (
    FIGURE_KEYS,
    Period,
    definitions_json,
    figure_label,
    parse_period,
    stats_json,
)
from fanzha.store import stats as stored

__all__ = ["router"]

router = APIRouter(tags=["stats"])
Reader = Annotated[Actor, Depends(permit("stats.read"))]
PeriodQuery = Annotated[
    str,
    Query(
        max_length=40,
        description="统计期 START..END (Beijing dates, both included), e.g. 2022-01-01..2022-05-24",
    ),
]
DistrictQuery = Annotated[str | None, Query(max_length=32, description="区/县")]
TypeQuery = Annotated[str | None, Query(max_length=32, description="fraud-type code")]
_MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _period(text: str) -> Period:
    return parse_period(text)


@router.get("/stats", response_model=StatsPublic)
def read_stats(
    request: Request,
    db: DbSession,
    actor: Reader,
    period: PeriodQuery,
    district: DistrictQuery = None,
    fraud_type: TypeQuery = None,
) -> StatsPublic:
    """The figures of a period with 环比/同比, the weekly trend, the district ranking,
    fraud-type shares and the fastest-rising types; money in fen."""
    scope = stats_scope(actor, district)
    report = stored.read_stats(db, _period(period), district=scope, fraud_type=fraud_type)
    audit(request, actor, "read", "stats", period, detail=f"district={scope or '全市'}")
    return StatsPublic.model_validate(stats_json(report))


@router.get("/stats/definitions", response_model=DefinitionsPublic)
def read_definitions(actor: Reader) -> DefinitionsPublic:
    """What each figure counts, its unit and the table it comes from."""
    return DefinitionsPublic.model_validate({"data": definitions_json()})


@router.get("/stats/rows", response_model=FigureRowsPublic)
def read_figure_rows(
    request: Request,
    db: DbSession,
    actor: Reader,
    figure: Annotated[str, Query(max_length=32)],
    period: PeriodQuery,
    district: DistrictQuery = None,
    fraud_type: TypeQuery = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> FigureRowsPublic:
    """The newest records behind a figure (cases, warning outcomes, ledger entries)."""
    if figure not in FIGURE_KEYS:
        raise InvalidInput(
            f"unknown figure {figure!r}; use one of {', '.join(FIGURE_KEYS)}",
            field="figure",
            value=figure,
        )
    scope = stats_scope(actor, district)
    rows, count = stored.figure_rows(
        db, figure, _period(period), district=scope, fraud_type=fraud_type, limit=limit
    )
    audit(request, actor, "list", "stats", figure, detail=f"{period} district={scope or '全市'}")
    return FigureRowsPublic.model_validate(
        {"figure": figure, "label": figure_label(figure), "data": rows, "count": count},
        from_attributes=True,
    )


@router.get("/stats/report.{fmt}", response_class=Response)
def download_report(
    request: Request,
    db: DbSession,
    actor: Reader,
    fmt: Literal["xlsx", "pdf"],
    period: PeriodQuery,
    district: DistrictQuery = None,
) -> Response:
    """The 战果通报 of a period as XLSX (one sheet per view) or PDF (Chinese, with charts)."""
    from fanzha.stats import stats_pdf_bytes, stats_xlsx_bytes

    scope = stats_scope(actor, district)
    report = stored.read_stats(db, _period(period), district=scope)
    audit(request, actor, "export", "stats", period, detail=f"{fmt} district={scope or '全市'}")
    body = (stats_xlsx_bytes if fmt == "xlsx" else stats_pdf_bytes)(report)
    name = f"zhanguo_{report.period.start:%Y%m%d}_{report.period.end:%Y%m%d}.{fmt}"
    return Response(
        body,
        media_type=_MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
