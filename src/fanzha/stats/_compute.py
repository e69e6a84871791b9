"""Roll the daily aggregates up into the published figures, comparisons and views.

Input: the long frame of :data:`FACT_SCHEMA` (one row per figure × district × fraud type ×
breakdown kind × Beijing day) that ``fanzha.store.stats.stats_facts`` makes by SQL
aggregation, and the set of figures whose records are not in the database. Everything here
is polars over that frame; nothing loops over records.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from types import MappingProxyType

import polars as pl

from fanzha.stats._definitions import DEFINITIONS, SENTENCE_FIGURES, definition
from fanzha.stats._period import Period
from fanzha.taxonomy import get_fraud_type

__all__ = [
    "DISSUADED_RESULT",
    "FACT_SCHEMA",
    "LEDGER_FIGURES",
    "WARNED_RESULTS",
    "DistrictRow",
    "FigureValue",
    "StatsReport",
    "TrendPoint",
    "TypeRow",
    "compute_stats",
    "fraud_type_label",
    "report_sentence",
    "yuan",
]

FACT_SCHEMA = MappingProxyType(
    {
        "figure": pl.String(),
        "district": pl.String(),
        "fraud_type": pl.String(),
        "kind": pl.String(),
        "day": pl.Date(),
        "count": pl.Int64(),
        "amount_fen": pl.Int64(),
    }
)
#: Outcome results that count as one warning delivered (预警人次): the person was reached,
#: or the warning text was sent.
WARNED_RESULTS = frozenset(
    {"reached_dissuaded", "reached_already_paid", "reached_refused", "sms_sent"}
)
DISSUADED_RESULT = "reached_dissuaded"
#: Ledger entry kinds counted, and the figure each one feeds.
LEDGER_FIGURES = MappingProxyType({"stop_pay": "stop_pay", "freeze": "freeze", "return": "return"})
#: The figures in the district table and the weekly trend.
_DISTRICT_FIGURES = ("cases", "warned", "dissuaded", "saved", "stop_pay", "freeze", "return")
_RISING_TOP = 5
_NO_DISTRICT = "未注明"


@dataclass(frozen=True, slots=True)
class FigureValue:
    """One figure in the period, the previous period (环比) and a year earlier (同比).

    ``change_pct`` / ``yoy_pct`` compare the figure's headline value (see
    :attr:`FigureDef.headline`), None when the earlier value is 0. ``breakdown``: (kind,
    count) pairs, largest first, for figures split by role or kind. ``no_records``: the
    records this figure is counted from are not in the database, so 0 means "not known".
    """

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
    breakdown: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class DistrictRow:
    """A district's main figures in the period and its rank by cases (1 = most)."""

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


@dataclass(frozen=True, slots=True)
class TypeRow:
    """A fraud type's cases and losses, their shares, and the change against 环比."""

    fraud_type: str
    label: str
    cases: int
    case_share: float
    losses_fen: int
    loss_share: float
    previous_cases: int
    change: int
    change_pct: float | None


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One week (Monday) of one figure."""

    week: str
    figure: str
    count: int
    amount_fen: int


@dataclass(frozen=True, slots=True)
class StatsReport:
    """Everything the CLI, API, dashboard and reports show for one period and scope."""

    period: Period
    previous: Period
    year_ago: Period
    district: str | None
    fraud_type: str | None
    figures: tuple[FigureValue, ...]
    districts: tuple[DistrictRow, ...]
    types: tuple[TypeRow, ...]
    rising: tuple[TypeRow, ...]
    trend: tuple[TrendPoint, ...]
    sentence: str


def yuan(fen: int) -> str:
    """Fen as exact yuan text with two decimals: 123456 → ``1234.56``."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def fraud_type_label(code: str | None) -> str:
    """The Chinese name of a fraud-type code (the code itself when unknown)."""
    if code is None:
        return "未分类"
    known = get_fraud_type(code)
    return known.name if known is not None else code


def _within(facts: pl.DataFrame, period: Period) -> pl.DataFrame:
    return facts.filter(pl.col("day").is_between(period.start, period.end))


def _totals(facts: pl.DataFrame) -> dict[str, tuple[int, int]]:
    grouped = facts.group_by("figure").agg(pl.col("count").sum(), pl.col("amount_fen").sum())
    return {str(figure): (int(count), int(amount)) for figure, count, amount in grouped.iter_rows()}


def _pct(now: int, before: int) -> float | None:
    return None if before == 0 else round((now - before) / before * 100, 1)


def _breakdowns(facts: pl.DataFrame) -> dict[str, tuple[tuple[str, int], ...]]:
    grouped = (
        facts.filter(pl.col("kind").is_not_null())
        .group_by("figure", "kind")
        .agg(pl.col("count").sum())
        .sort(["figure", "count", "kind"], descending=[False, True, False])
    )
    parts = grouped.group_by("figure", maintain_order=True).agg("kind", "count")
    return {
        str(figure): tuple(zip(kinds, counts, strict=True))
        for figure, kinds, counts in parts.iter_rows()
    }


def _figures(
    now: pl.DataFrame, before: pl.DataFrame, year: pl.DataFrame, missing: Collection[str]
) -> tuple[FigureValue, ...]:
    current, previous, ago = _totals(now), _totals(before), _totals(year)
    split = _breakdowns(now)
    made = []
    for item in DEFINITIONS:
        count, amount = current.get(item.key, (0, 0))
        p_count, p_amount = previous.get(item.key, (0, 0))
        y_count, y_amount = ago.get(item.key, (0, 0))
        pick = 1 if item.headline == "amount" else 0
        made.append(
            FigureValue(
                key=item.key,
                label=item.label,
                unit=item.unit,
                count=count,
                amount_fen=amount,
                previous_count=p_count,
                previous_amount_fen=p_amount,
                year_ago_count=y_count,
                year_ago_amount_fen=y_amount,
                change_pct=_pct((count, amount)[pick], (p_count, p_amount)[pick]),
                yoy_pct=_pct((count, amount)[pick], (y_count, y_amount)[pick]),
                no_records=item.key in missing,
                breakdown=split.get(item.key, ()),
            )
        )
    return tuple(made)


def _districts(now: pl.DataFrame) -> tuple[DistrictRow, ...]:
    wide = (
        now.filter(pl.col("figure").is_in(_DISTRICT_FIGURES))
        .with_columns(pl.col("district").fill_null(_NO_DISTRICT))
        .group_by("district")
        .agg(
            *(
                pl.col(col).filter(pl.col("figure") == fig).sum().alias(name)
                for name, fig, col in (
                    ("cases", "cases", "count"),
                    ("losses_fen", "cases", "amount_fen"),
                    ("warned", "warned", "count"),
                    ("dissuaded", "dissuaded", "count"),
                    ("saved_fen", "saved", "amount_fen"),
                    ("stop_pay_fen", "stop_pay", "amount_fen"),
                    ("freeze_fen", "freeze", "amount_fen"),
                    ("return_fen", "return", "amount_fen"),
                )
            )
        )
        .sort(["cases", "losses_fen", "district"], descending=[True, True, False])
        .with_row_index("rank", offset=1)
    )
    return tuple(DistrictRow(**row) for row in wide.iter_rows(named=True))


def _types(now: pl.DataFrame, before: pl.DataFrame) -> tuple[TypeRow, ...]:
    def cases(frame: pl.DataFrame, count: str, amount: str) -> pl.DataFrame:
        return (
            frame.filter(pl.col("figure") == "cases")
            .group_by("fraud_type")
            .agg(pl.col("count").sum().alias(count), pl.col("amount_fen").sum().alias(amount))
        )

    current = cases(now, "cases", "losses_fen")
    previous = cases(before, "previous_cases", "previous_losses")
    joined = current.join(previous, on="fraud_type", how="full", coalesce=True).fill_null(0)
    total_cases = max(int(joined.get_column("cases").sum()), 1)
    total_losses = max(int(joined.get_column("losses_fen").sum()), 1)
    joined = joined.with_columns(
        case_share=(pl.col("cases") / total_cases * 100).round(1),
        loss_share=(pl.col("losses_fen") / total_losses * 100).round(1),
        change=pl.col("cases") - pl.col("previous_cases"),
    ).sort(["cases", "losses_fen", "fraud_type"], descending=[True, True, False])
    return tuple(
        TypeRow(
            fraud_type=row["fraud_type"] or "",
            label=fraud_type_label(row["fraud_type"]),
            cases=row["cases"],
            case_share=row["case_share"],
            losses_fen=row["losses_fen"],
            loss_share=row["loss_share"],
            previous_cases=row["previous_cases"],
            change=row["change"],
            change_pct=_pct(row["cases"], row["previous_cases"]),
        )
        for row in joined.iter_rows(named=True)
    )


def _rising(types: tuple[TypeRow, ...]) -> tuple[TypeRow, ...]:
    """The types whose cases grew most against 环比 (by how many more, then by how much)."""
    up = [row for row in types if row.change > 0]
    up.sort(key=lambda row: (-row.change, -(row.change_pct or float("inf")), row.fraud_type))
    return tuple(up[:_RISING_TOP])


def _trend(now: pl.DataFrame) -> tuple[TrendPoint, ...]:
    weekly = (
        now.with_columns(week=pl.col("day").dt.truncate("1w"))
        .group_by("week", "figure")
        .agg(pl.col("count").sum(), pl.col("amount_fen").sum())
        .sort("week", "figure")
    )
    return tuple(
        TrendPoint(week=week.isoformat(), figure=figure, count=count, amount_fen=amount)
        for week, figure, count, amount in weekly.iter_rows()
    )


def report_sentence(figures: Collection[FigureValue]) -> str:
    """The 2022 report's sentence with this period's figures (a figure without records
    says 无记录 instead of a number)."""
    values = {f.key: f for f in figures if f.key in SENTENCE_FIGURES}

    def money(key: str) -> str:
        value = values[key]
        return "无记录" if value.no_records else f"{yuan(value.amount_fen)}元"

    back = values["return"]
    returned = "无记录" if back.no_records else f"{back.count}笔{yuan(back.amount_fen)}元"
    warned = values["warned"]
    return (
        f"预警劝阻潜在被骗群众{'无记录' if warned.no_records else f'{warned.count}人次'}，"
        f"避免群众被骗汇款{money('saved')}，"
        f"止付金额{money('stop_pay')}，冻结金额{money('freeze')}，"
        f"返还{returned}。"
    )


def compute_stats(
    facts: pl.DataFrame,
    period: Period,
    *,
    missing: Collection[str] = (),
    district: str | None = None,
    fraud_type: str | None = None,
) -> StatsReport:
    """The figures of ``period`` from daily aggregates ``facts`` (which must cover the
    period, its 环比 and its 同比 periods), optionally for one ``district`` or ``fraud_type``.

    Raises KeyError for a fact of an unknown figure.
    """
    unknown = set(facts.get_column("figure").unique().to_list()) - {d.key for d in DEFINITIONS}
    if unknown:
        definition(sorted(unknown)[0])
    if district is not None:
        facts = facts.filter(pl.col("district") == district)
    if fraud_type is not None:
        facts = facts.filter(pl.col("fraud_type") == fraud_type)
    previous, year_ago = period.previous(), period.year_ago()
    now, before, year = (_within(facts, p) for p in (period, previous, year_ago))
    figures = _figures(now, before, year, missing)
    types = _types(now, before)
    return StatsReport(
        period=period,
        previous=previous,
        year_ago=year_ago,
        district=district,
        fraud_type=fraud_type,
        figures=figures,
        districts=_districts(now),
        types=types,
        rising=_rising(types),
        trend=_trend(now),
        sentence=report_sentence(figures),
    )
