"""Store tables as polars frames, for the analytics that work on columns (graph, funds, stats).

Rows are fetched raw (no per-value ORM conversion) in chunks and typed by column from the
models: times come back as ``Datetime("us", "UTC")`` on SQLite (stored as text) and on
PostgreSQL (stored naive UTC) alike, dates as ``Date``, flags as ``Boolean``, money and ids
as ``Int64``. Column names are the store's, so a frame matches the demo generator's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext

import polars as pl
from sqlalchemy import Boolean, Connection, Date, Engine, Float, Integer, Table
from sqlalchemy.types import TypeEngine

from fanzha.errors import InvalidInput
from fanzha.store._models import Base, UTCDateTime

__all__ = ["iter_table_chunks", "read_tables"]

CHUNK_ROWS = 200_000
_TEXT_TIME = "%Y-%m-%d %H:%M:%S%.f"


def _kind(column_type: TypeEngine[object]) -> str:
    if isinstance(column_type, UTCDateTime):
        return "datetime"
    if isinstance(column_type, Date):
        return "date"
    if isinstance(column_type, Boolean):
        return "bool"
    if isinstance(column_type, Integer):
        return "int"
    if isinstance(column_type, Float):
        return "float"
    return "text"


def _raw_dtype(kind: str, sqlite: bool) -> pl.DataType:
    if kind == "datetime":
        return pl.String() if sqlite else pl.Datetime("us")
    if kind == "date":
        return pl.String() if sqlite else pl.Date()
    if kind == "bool":
        return pl.Int64() if sqlite else pl.Boolean()
    return {"int": pl.Int64(), "float": pl.Float64()}.get(kind, pl.String())


def _typed(frame: pl.DataFrame, table: str, name: str, kind: str) -> pl.Series:
    """A SQLite text, 0/1 or date column in its proper type; refuses text it cannot read."""
    raw = frame.get_column(name)
    if kind == "bool":
        return raw.cast(pl.Boolean)
    text = raw.cast(pl.String).str.replace("T", " ")
    if kind == "date":
        typed = text.str.to_date("%Y-%m-%d", strict=False)
    else:
        parsed = text.str.to_datetime(_TEXT_TIME, time_unit="us", strict=False)
        typed = parsed.dt.replace_time_zone("UTC")
    bad = typed.is_null() & raw.is_not_null()
    if bad.any():
        row = int(bad.arg_max() or 0)
        raise InvalidInput(
            f"stored value {raw[row]!r} is not a {kind}", field=f"{table}.{name}", value=raw[row]
        )
    return typed


def _connected(bind: Engine | Connection) -> AbstractContextManager[Connection]:
    """A new connection of an engine, or the given connection (left open)."""
    return bind.connect() if isinstance(bind, Engine) else nullcontext(bind)


def _typed_chunk(
    frame: pl.DataFrame, table: Table, kinds: dict[str, str], sqlite: bool
) -> pl.DataFrame:
    if sqlite:
        return frame.with_columns(
            _typed(frame, table.name, name, kind)
            for name, kind in kinds.items()
            if kind in ("datetime", "date", "bool")
        )
    return frame.with_columns(
        pl.col(name).dt.replace_time_zone("UTC")
        for name, kind in kinds.items()
        if kind == "datetime"
    )


def iter_table_chunks(
    connection: Connection, table: Table, rows: int = CHUNK_ROWS
) -> Iterator[pl.DataFrame]:
    """A stored table as typed frames of at most ``rows`` rows, in key order (at least one
    frame, empty for an empty table); PostgreSQL streams them through a server-side cursor."""
    sqlite = connection.dialect.name == "sqlite"
    kinds = {c.name: _kind(c.type) for c in table.columns}
    schema = {name: _raw_dtype(kind, sqlite) for name, kind in kinds.items()}
    names = ", ".join(f'"{name}"' for name in kinds)
    # per statement: Connection.execution_options would stream every later statement of
    # the caller's connection (a request's session) through a server-side cursor too
    result = connection.exec_driver_sql(
        f'SELECT {names} FROM "{table.name}" ORDER BY 1',
        execution_options={"stream_results": True},
    )
    empty = True
    for part in result.partitions(rows):
        empty = False
        yield _typed_chunk(pl.DataFrame(part, schema=schema, orient="row"), table, kinds, sqlite)
    if empty:
        yield _typed_chunk(pl.DataFrame(schema=schema), table, kinds, sqlite)


def _read(bind: Engine | Connection, table: Table) -> pl.DataFrame:
    with _connected(bind) as connection:
        return pl.concat(list(iter_table_chunks(connection, table)))


def read_tables(bind: Engine | Connection, names: Sequence[str]) -> dict[str, pl.DataFrame]:
    """The store tables ``names`` as ``{name: frame}`` with the store's column names, read
    on a new connection of an engine or on a session's connection.

    Raises ``InvalidInput`` naming an unknown table and the known ones."""
    tables = Base.metadata.tables
    unknown = [name for name in names if name not in tables]
    if unknown:
        raise InvalidInput(
            f"unknown table(s) {unknown}; known: {sorted(tables)}", field="tables", value=unknown
        )
    return {name: _read(bind, tables[name]) for name in names}
