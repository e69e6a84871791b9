"""Bodies of the 战果 statistics: the figures of a period and the records behind one."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

__all__ = [
    "BreakdownPublic",
    "DefinitionPublic",
    "DefinitionsPublic",
    "DistrictRowPublic",
    "FigurePublic",
    "FigureRowPublic",
    "FigureRowsPublic",
    "StatsPublic",
    "TrendPointPublic",
    "TypeRowPublic",
]


class DefinitionPublic(BaseModel):
    """What a figure counts (Chinese ``definition``), its unit and source table."""

    key: str
    label: str
    unit: str
    has_amount: bool
    source: str
    definition: str
    note: str
    breakdown: str | None
    headline: str


class DefinitionsPublic(BaseModel):
    """Every figure's definition."""

    data: list[DefinitionPublic]


class BreakdownPublic(BaseModel):
    """One kind (a suspect's role, a den's or a seized item's kind) and its count."""

    kind: str
    count: int


class FigurePublic(BaseModel):
    """A figure (count, amount in fen) with 环比 and 同比; ``no_records``: not kept here."""

    key: str
    label: str
    unit: str
    count: int
    amount_fen: int
    previous_count: int
    previous_amount_fen: int
    year_ago_count: int
    year_ago_amount_fen: int
    change_pct: float | None
    yoy_pct: float | None
    no_records: bool
    breakdown: list[BreakdownPublic]


class DistrictRowPublic(BaseModel):
    """A district's main figures and its rank by cases."""

    district: str
    rank: int
    cases: int
    losses_fen: int
    warned: int
    dissuaded: int
    saved_fen: int
    stop_pay_fen: int
    freeze_fen: int
    return_fen: int


class TypeRowPublic(BaseModel):
    """A fraud type's cases, losses, shares (%) and change against 环比."""

    fraud_type: str
    label: str
    cases: int
    case_share: float
    losses_fen: int
    loss_share: float
    previous_cases: int
    change: int
    change_pct: float | None


class TrendPointPublic(BaseModel):
    """One week (its Monday) of one figure."""

    week: str
    figure: str
    count: int
    amount_fen: int


class StatsPublic(BaseModel):
    """The figures of ``period`` (``START..END``, Beijing dates) in ``district`` or the city."""

    period: str
    previous: str
    year_ago: str
    district: str | None
    fraud_type: str | None
    figures: list[FigurePublic]
    districts: list[DistrictRowPublic]
    types: list[TypeRowPublic]
    rising: list[TypeRowPublic]
    trend: list[TrendPointPublic]
    sentence: str


class FigureRowPublic(BaseModel):
    """A record behind a figure (no personal data)."""

    ref: str
    day: date
    district: str | None
    fraud_type: str | None
    detail: str
    amount_fen: int


class FigureRowsPublic(BaseModel):
    """The newest records behind a figure and how many there are in all."""

    figure: str
    label: str
    data: list[FigureRowPublic]
    count: int
