"""The 战果 statistics' queries: every figure is a GROUP BY in the database.

:func:`stats_facts` returns one long frame of daily aggregates — ``figure``, ``district``,
``fraud_type``, ``kind`` (a breakdown such as a suspect's role), ``day`` (Beijing date),
``count``, ``amount_fen`` — that ``fanzha.stats`` rolls up into periods, weeks, districts
and types. Rows never cross into Python one by one: the database groups, polars reshapes.

The operations and outreach tables (issue 17 and 18: ``suspects``, ``dens``, ``seizures``,
``outreach_events`` …) are read when they exist, by reflection; a figure whose table or
columns are missing is returned in ``missing`` and reported as 0 with ``no_records``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import (
    Select,
    case,
    column,
    func,
    inspect,
    literal,
    select,
    table,
)
from sqlalchemy.orm import Session

from fanzha.stats import (
    BEIJING,
    DISSUADED_RESULT,
    FACT_SCHEMA,
    LEDGER_FIGURES,
    WARNED_RESULTS,
    Period,
    StatsReport,
    compute_stats,
    figure_label,
)
from fanzha.store._models import Case, LedgerEntry, Outcome, WarningTask
from fanzha.store._stats_ops import (
    OPS_NEEDED,
    OPS_TABLES,
    OUTREACH_TABLES,
    ops_queries,
    outreach_queries,
)
from fanzha.store._stats_sql import Column as _Column
from fanzha.store._stats_sql import beijing_day, window

__all__ = [
    "FigureRow",
    "StatsFacts",
    "figure_rows",
    "optional_sources",
    "read_stats",
    "stats_facts",
]


@dataclass(frozen=True, slots=True)
class OptionalSource:
    """Where a figure of the operations / outreach records lives, if its table exists:
    ``when`` (first present of the candidate time columns), an optional ``value`` column to
    sum (else rows are counted), ``kind`` for the breakdown and ``done``/``due`` for an
    in-time condition."""

    figure: str
    table: str
    when: tuple[str, ...]
    value: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    done: tuple[str, ...] = ()
    due: tuple[str, ...] = ()


_OPTIONAL = (
    OptionalSource("cards_cut", "card_cuts", ("cut_at", "at"), value=("cards", "quantity"),
                   kind=("kind", "card_kind")),
)  # fmt: skip
#: The table each core figure is counted from (empty table: no records kept).
_CORE_TABLES = {
    "cases": "cases",
    "warned": "outcomes",
    "dissuaded": "outcomes",
    "saved": "outcomes",
    "stop_pay": "ledger_entries",
    "freeze": "ledger_entries",
    "return": "ledger_entries",
}


def optional_sources() -> tuple[OptionalSource, ...]:
    """The figures read from optional tables, and where."""
    return _OPTIONAL


def _empty(session: Session, tables: Mapping[str, str]) -> set[str]:
    """The figures whose table holds no row at all (the center keeps no such records)."""
    empty = {
        name
        for name in set(tables.values())
        if session.execute(select(literal(1)).select_from(table(name)).limit(1)).first() is None
    }
    return {figure for figure, name in tables.items() if name in empty}


@dataclass(frozen=True, slots=True)
class StatsFacts:
    """Daily aggregates (:data:`fanzha.stats.FACT_SCHEMA`) and the figures whose records
    are not in this database (table or columns missing)."""

    facts: pl.DataFrame
    missing: frozenset[str]


def _as_date(frame: pl.DataFrame) -> pl.DataFrame:
    """``day`` as a Date: SQLite answers text, PostgreSQL dates."""
    if frame.schema["day"] == pl.Date:
        return frame
    return frame.with_columns(pl.col("day").cast(pl.String).str.slice(0, 10).str.to_date())


def _frame(session: Session, query: Select[Any]) -> pl.DataFrame:
    rows = session.execute(query).all()
    frame = pl.DataFrame(
        [tuple(row) for row in rows] or None,
        schema=list(FACT_SCHEMA),
        orient="row",
        infer_schema_length=None,
    )
    if frame.height == 0:
        return pl.DataFrame(schema=FACT_SCHEMA)
    return _as_date(frame).cast(FACT_SCHEMA)  # type: ignore[arg-type]


def _cases(session: Session, periods: Sequence[Period], district: str | None) -> Select[Any]:
    day = beijing_day(session, Case.reported_at)
    query = select(
        literal("cases"), Case.district, Case.fraud_type, literal(None), day,
        func.count(), func.coalesce(func.sum(Case.amount_lost_fen), 0),
    ).where(window(Case.reported_at, periods))  # fmt: skip
    if district is not None:
        query = query.where(Case.district == district)
    return query.group_by(Case.district, Case.fraud_type, day)


def _outcomes(session: Session, periods: Sequence[Period], district: str | None) -> pl.DataFrame:
    day = beijing_day(session, Outcome.at)
    warned = case((Outcome.result.in_(sorted(WARNED_RESULTS)), 1), else_=0)
    dissuaded = case((Outcome.result == DISSUADED_RESULT, 1), else_=0)
    saved_n = case((Outcome.money_saved_fen > 0, 1), else_=0)
    query = (
        select(
            WarningTask.district, WarningTask.fraud_type, day,
            func.sum(warned), func.sum(dissuaded), func.sum(saved_n),
            func.coalesce(func.sum(Outcome.money_saved_fen), 0),
        )
        .join(WarningTask, WarningTask.id == Outcome.task_id)
        .where(window(Outcome.at, periods))
        .group_by(WarningTask.district, WarningTask.fraud_type, day)
    )  # fmt: skip
    if district is not None:
        query = query.where(WarningTask.district == district)
    rows = session.execute(query).all()
    names = ["district", "fraud_type", "day", "warned", "dissuaded", "saved_n", "saved_fen"]
    if not rows:
        return pl.DataFrame(schema=FACT_SCHEMA)
    wide = _as_date(
        pl.DataFrame([tuple(r) for r in rows], schema=names, orient="row", infer_schema_length=None)
    )
    base = [pl.col("district"), pl.col("fraud_type"), pl.lit(None, pl.String).alias("kind"),
            pl.col("day")]  # fmt: skip
    parts = [
        wide.select(pl.lit(name).alias("figure"), *base, pl.col(n).alias("count"), amount)
        for name, n, amount in (
            ("warned", "warned", pl.lit(0).alias("amount_fen")),
            ("dissuaded", "dissuaded", pl.lit(0).alias("amount_fen")),
            ("saved", "saved_n", pl.col("saved_fen").alias("amount_fen")),
        )
    ]
    return pl.concat([p.cast(FACT_SCHEMA) for p in parts])  # type: ignore[arg-type]


def _ledger(session: Session, periods: Sequence[Period], district: str | None) -> Select[Any]:
    day = beijing_day(session, LedgerEntry.at)
    figure = case(
        *((LedgerEntry.kind == kind, literal(name)) for kind, name in LEDGER_FIGURES.items())
    )
    query = (
        select(
            figure, Case.district, Case.fraud_type, literal(None), day,
            func.count(), func.coalesce(func.sum(LedgerEntry.amount_fen), 0),
        )
        .join(Case, Case.id == LedgerEntry.case_id)
        .where(window(LedgerEntry.at, periods), LedgerEntry.kind.in_(sorted(LEDGER_FIGURES)))
        .group_by(LedgerEntry.kind, Case.district, Case.fraud_type, day)
    )  # fmt: skip
    if district is not None:
        query = query.where(Case.district == district)
    return query


def _pick(names: Mapping[str, object], candidates: tuple[str, ...]) -> str | None:
    return next((name for name in candidates if name in names), None)


def _optional(
    session: Session, source: OptionalSource, periods: Sequence[Period], district: str | None
) -> Select[Any] | None:
    """The query of an optional figure, or None when its table or columns are missing."""
    inspector = inspect(session.connection())
    if not inspector.has_table(source.table):
        return None
    types = {c["name"]: c["type"] for c in inspector.get_columns(source.table)}
    when = _pick(types, source.when)
    value = _pick(types, source.value) if source.value else None
    kind = _pick(types, source.kind) if source.kind else None
    done = _pick(types, source.done) if source.done else None
    due = _pick(types, source.due) if source.due else None
    if when is None or (source.value and value is None) or (source.done and not (done and due)):
        return None
    names = [n for n in (when, value, kind, done, due, "district", "fraud_type") if n]
    rows = table(source.table, *(column(n, types[n]) for n in names if n in types))
    at = rows.c[when]
    day = beijing_day(session, at)
    groups = [rows.c[n] for n in ("district", "fraud_type") if n in types]
    district_col = rows.c["district"] if "district" in types else literal(None)
    type_col = rows.c["fraud_type"] if "fraud_type" in types else literal(None)
    kind_col = rows.c[kind] if kind else literal(None)
    if kind:
        groups.append(rows.c[kind])
    amount = func.coalesce(func.sum(rows.c[value]), 0) if value else func.count()
    query = select(
        literal(source.figure), district_col, type_col, kind_col, day, amount, literal(0)
    ).where(window(at, periods))
    if done and due:
        query = query.where(rows.c[done].is_not(None), rows.c[done] <= rows.c[due])
    if district is not None:
        if "district" not in types:
            return None
        query = query.where(rows.c["district"] == district)
    return query.group_by(*groups, day)


def stats_facts(
    session: Session, periods: Sequence[Period], *, district: str | None = None
) -> StatsFacts:
    """Daily aggregates of every figure over the span of ``periods`` (the current one and
    those it is compared with), in ``district`` or the whole city."""
    frames = [
        _frame(session, _cases(session, periods, district)),
        _outcomes(session, periods, district),
        _frame(session, _ledger(session, periods, district)),
    ]
    present = set(inspect(session.connection()).get_table_names())
    if OPS_NEEDED <= present:  # a database migrated past 0008_operations
        frames.extend(_frame(session, q) for q in ops_queries(session, periods, district))
    if "outreach_events" in present:  # migrated past 0009_outreach
        frames.extend(_frame(session, q) for q in outreach_queries(session, periods, district))
    tables = {**_CORE_TABLES, **OPS_TABLES, **OUTREACH_TABLES}
    missing = {figure for figure, name in tables.items() if name not in present}
    missing |= _empty(session, {f: n for f, n in tables.items() if f not in missing})
    for source in _OPTIONAL:
        query = _optional(session, source, periods, district)
        if query is None:
            missing.add(source.figure)
        else:
            frames.append(_frame(session, query))
    return StatsFacts(pl.concat(frames), frozenset(missing))


@dataclass(frozen=True, slots=True)
class FigureRow:
    """One record behind a figure (for click-through): a reference, its Beijing date,
    district, fraud type, what it was and its amount. No personal data."""

    ref: str
    day: date
    district: str | None
    fraud_type: str | None
    detail: str
    amount_fen: int


def _ledger_rows(figure: str) -> Select[Any]:
    kind = next(k for k, name in LEDGER_FIGURES.items() if name == figure)
    return (
        select(LedgerEntry.entry_id, LedgerEntry.at, Case.district, Case.fraud_type,
               LedgerEntry.bank, LedgerEntry.amount_fen)
        .join(Case, Case.id == LedgerEntry.case_id)
        .where(LedgerEntry.kind == kind)
    )  # fmt: skip


_RowQuery = tuple[Select[Any], _Column, _Column, _Column]


def _row_query(figure: str) -> _RowQuery | None:
    """The rows of a core figure: the query, its time, district and fraud-type columns."""
    if figure == "cases":
        query: Select[Any] = select(Case.case_no, Case.reported_at, Case.district, Case.fraud_type,
                       Case.status, Case.amount_lost_fen)  # fmt: skip
        return query, Case.reported_at, Case.district, Case.fraud_type
    if figure in ("warned", "dissuaded", "saved"):
        warn_query: Select[Any] = (
            select(Outcome.task_id, Outcome.at,
                   WarningTask.district, WarningTask.fraud_type, Outcome.result,
                   Outcome.money_saved_fen)
            .join(WarningTask, WarningTask.id == Outcome.task_id)
        )  # fmt: skip
        condition = {
            "warned": Outcome.result.in_(sorted(WARNED_RESULTS)),
            "dissuaded": Outcome.result == DISSUADED_RESULT,
            "saved": Outcome.money_saved_fen > 0,
        }[figure]
        return warn_query.where(condition), Outcome.at, WarningTask.district, WarningTask.fraud_type
    if figure in LEDGER_FIGURES.values():
        return _ledger_rows(figure), LedgerEntry.at, Case.district, Case.fraud_type
    return None


def figure_rows(
    session: Session,
    figure: str,
    period: Period,
    *,
    district: str | None = None,
    fraud_type: str | None = None,
    limit: int = 200,
) -> tuple[list[FigureRow], int]:
    """The records behind ``figure`` in ``period`` (newest first, at most ``limit``) and how
    many there are; an optional figure's records are not listed here (empty)."""
    found = _row_query(figure)
    if found is None:
        return [], 0
    query, at, district_col, type_col = found
    query = query.where(window(at, [period]))
    if district is not None:
        query = query.where(district_col == district)
    if fraud_type is not None:
        query = query.where(type_col == fraud_type)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(query.order_by(at.desc()).limit(limit)).all()
    label = figure_label(figure)
    made = [
        FigureRow(
            ref=str(ref),
            day=when.astimezone(BEIJING).date(),
            district=where,
            fraud_type=kind,
            detail=f"{label}：{detail}",
            amount_fen=int(amount or 0),
        )
        for ref, when, where, kind, detail, amount in rows
    ]
    return made, int(total)


def read_stats(
    session: Session,
    period: Period,
    *,
    district: str | None = None,
    fraud_type: str | None = None,
) -> StatsReport:
    """The figures of ``period`` (with 环比 and 同比) in ``district`` or the whole city,
    optionally for one ``fraud_type``."""
    found = stats_facts(session, [period, period.previous(), period.year_ago()], district=district)
    return compute_stats(
        found.facts, period, missing=found.missing, district=district, fraud_type=fraud_type
    )
