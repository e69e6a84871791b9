"""What an import needs from the store and what it will write: options, look-ups, plans.

The core never opens the store. It asks for the rows it needs through a ``lookup``
function the shell passes in (``Lookup`` → frame), and answers with a :class:`Plan`: new
rows shaped exactly like the store's tables, with explicit ids that continue from the
store's next free ids, and updates (``id`` + the columns to set) of rows already there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import polars as pl
from polars.datatypes import DataType

from fanzha.errors import InvalidInput
from fanzha.records import DEFAULT_TZ, check_amount_unit, check_timezone

__all__ = [
    "UNKNOWN",
    "UTC_TIME",
    "IngestOptions",
    "Lookup",
    "LookupFn",
    "Plan",
    "assign_ids",
    "attach_ids",
    "fetch",
    "fetch_ids",
    "numbered",
    "without_stored",
]

#: Bank, carrier, operator or name of something the input does not say.
UNKNOWN = "未知"
#: The polars type of every time the store hands back or takes.
UTC_TIME = pl.Datetime("us", "UTC")


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """How to read and load records.

    Parameters:
        tz: IANA zone of times written without an offset.
        amount_unit: ``yuan`` (up to 2 decimals) or ``fen`` (whole numbers).
        skip_bad: load the good rows and return the bad ones as rejects, instead of
            refusing the whole file.
        create_missing: create accounts a transfer names but the store lacks (bank 未知).
    """

    tz: str = DEFAULT_TZ
    amount_unit: str = "yuan"
    skip_bad: bool = False
    create_missing: bool = False

    def __post_init__(self) -> None:
        check_timezone(self.tz)
        check_amount_unit(self.amount_unit)


@dataclass(frozen=True, slots=True, eq=False)
class Lookup:
    """Rows of ``table`` (only ``columns``) whose ``key`` is in ``values``, and/or whose
    ``between[0]`` column lies in ``[between[1], between[2]]``; neither means every row."""

    table: str
    columns: Mapping[str, DataType]
    key: str | None = None
    values: pl.Series | None = None
    between: tuple[str, datetime, datetime] | None = None


LookupFn = Callable[[Lookup], pl.DataFrame]


@dataclass(frozen=True, slots=True)
class Plan:
    """What one import writes, and what it counted on the way.

    Attributes:
        inserts: new rows per table, with ids.
        updates: per table, ``id`` and the columns to set on rows already stored.
        records: input rows stored (inserted or applied as updates).
        skipped_existing: input rows already in the store, left alone.
        duplicates: repeated rows of the input, stored once.
        self_loops: calls or transfers from a number or account to itself, dropped.
    """

    inserts: Mapping[str, pl.DataFrame]
    updates: Mapping[str, pl.DataFrame] = field(default_factory=dict)
    records: int = 0
    skipped_existing: int = 0
    duplicates: int = 0
    self_loops: int = 0


def fetch(lookup: LookupFn, request: Lookup) -> pl.DataFrame:
    """Run one look-up and give its rows the declared types (an empty request asks nothing)."""
    schema = dict(request.columns)
    if request.values is not None and request.values.len() == 0:
        return pl.DataFrame(schema=schema)
    found = lookup(request)
    missing = [name for name in schema if name not in found.columns]
    if missing:
        raise InvalidInput(f"the look-up returned no column(s) {missing}", field=request.table)
    return found.select(list(schema)).cast(schema)  # type: ignore[arg-type]


def fetch_ids(
    lookup: LookupFn,
    table: str,
    key: str,
    values: pl.Series,
    columns: Mapping[str, DataType] | None = None,
) -> pl.DataFrame:
    """Stored ``key``, ``id`` (and ``columns``) of the rows of ``table`` whose text ``key``
    is among ``values``."""
    schema = {key: pl.String(), "id": pl.Int64(), **(columns or {})}
    return fetch(lookup, Lookup(table, schema, key=key, values=values.drop_nulls().unique()))


def without_stored(
    frame: pl.DataFrame,
    lookup: LookupFn,
    table: str,
    columns: Mapping[str, DataType],
    *,
    among: pl.DataFrame,
    key: str,
    time: str,
) -> pl.DataFrame:
    """``frame`` less its rows that ``table`` already holds (equal in every one of
    ``columns``). Only ``among`` (rows of ``frame`` that can be stored) is looked up: the
    stored rows whose ``key`` is in it and whose ``time`` lies in its time range."""
    if among.is_empty():
        return frame
    first, last = among.select(pl.col(time).min(), pl.col(time).max().alias("last")).row(0)
    known = fetch(
        lookup,
        Lookup(
            table,
            columns,
            key=key,
            values=among.get_column(key).unique(),
            between=(time, first, last),
        ),
    )
    return frame.join(known.unique(), on=list(columns), how="anti", maintain_order="left")


def numbered(frame: pl.DataFrame, start: int) -> pl.DataFrame:
    """``frame`` with an ``id`` column first: ``start``, ``start + 1`` …"""
    return frame.select(pl.int_range(pl.len(), dtype=pl.Int64).add(start).alias("id"), pl.all())


def assign_ids(
    keys: pl.Series, existing: pl.DataFrame, *, key: str, start: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Ids for ``keys``: stored ones from ``existing`` (lowest id wins), new ones from ``start``.

    Returns ``(mapping, new)``: ``key → id`` for every distinct non-null key, and the keys
    that were not stored yet with their new ids, in order of first appearance.
    """
    wanted = pl.DataFrame({key: keys}).drop_nulls().unique(maintain_order=True)
    stored = existing.group_by(key).agg(pl.col("id").min())
    found = wanted.join(stored, on=key, how="left", maintain_order="left")
    new = numbered(found.filter(pl.col("id").is_null()).drop("id"), start)
    mapping = pl.concat([found.filter(pl.col("id").is_not_null()), new.select(key, "id")])
    return mapping, new


def attach_ids(
    frame: pl.DataFrame, mapping: pl.DataFrame, *, key: str, columns: Mapping[str, str]
) -> pl.DataFrame:
    """Add an id column per ``{key column of frame: id column}`` from ``mapping`` (key, id)."""
    for column, id_column in columns.items():
        frame = frame.join(
            mapping.select(pl.col(key).alias(column), pl.col("id").alias(id_column)),
            on=column,
            how="left",
            maintain_order="left",
        )
    return frame
