"""SQL pieces the statistics queries share: the Beijing day of a stored time, a period window,
and a daily GROUP BY of one figure in the fact frame's column order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    Interval,
    Select,
    and_,
    cast,
    func,
    literal,
    literal_column,
    select,
    type_coerce,
)
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from fanzha.stats import Period
from fanzha.store._models import UTCDateTime

__all__ = ["Column", "beijing_day", "daily", "window"]

Column = ColumnElement[Any] | QueryableAttribute[Any]


def beijing_day(session: Session, at: Column) -> Column:
    """The Beijing date of a stored UTC time (a date column stays as it is)."""
    if isinstance(at.type, Date):
        return at
    if session.get_bind().dialect.name == "sqlite":
        return func.date(at, "+8 hours")
    shifted = type_coerce(at, DateTime()) + literal_column("interval '8 hours'", Interval())
    return cast(shifted, Date())


def window(at: Column, periods: Sequence[Period]) -> Column:
    """``at`` inside the span of ``periods`` (first start … last end)."""
    first = min(p.start for p in periods)
    last = max(p.end for p in periods)
    if isinstance(at.type, Date):
        return and_(at >= first, at <= last)
    since, _ = Period(first, first).utc_bounds()
    _, until = Period(last, last).utc_bounds()
    typed = type_coerce(at, UTCDateTime())
    return and_(typed >= since, typed < until)


def daily(
    session: Session,
    figure: str,
    periods: Sequence[Period],
    *,
    at: Column,
    district: Column | None,
    scope: str | None,
    fraud_type: Column | None = None,
    kind: Column | None = None,
    count: Any = None,
    amount: Any = None,
) -> Select[Any]:
    """``figure``'s rows grouped by district, fraud type, kind and Beijing day of ``at`` in
    the periods' span (``count``: rows unless a sum is given; ``amount``: 0 unless given).
    The caller adds its FROM/JOIN/WHERE. ``scope`` keeps one district (None: the city)."""
    day = beijing_day(session, at)
    none = literal(None)
    query = select(
        literal(figure),
        none if district is None else district,
        none if fraud_type is None else fraud_type,
        none if kind is None else kind,
        day,
        func.count() if count is None else func.coalesce(count, 0),
        literal(0) if amount is None else func.coalesce(amount, 0),
    ).where(window(at, periods))
    if scope is not None:
        query = query.where(literal(False) if district is None else district == scope)
    groups = [c for c in (district, fraud_type, kind) if c is not None]
    return query.group_by(*groups, day)
