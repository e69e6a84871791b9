"""One page of a query and the total count of its rows, for the list look-ups."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

__all__ = ["fetch_page"]


def fetch_page(
    session: Session, query: Select[Any], page: int, per_page: int
) -> tuple[list[Any], int]:
    """Page ``page`` (from 1) of ``query``, ``per_page`` rows, and how many rows it has in all."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = list(session.execute(query.limit(per_page).offset((page - 1) * per_page)).all())
    return rows, int(total)
