"""Bulk loading of columnar tables (polars frames) into the store, all or nothing.

SQLite takes executemany on the raw DB-API cursor; PostgreSQL takes ``COPY … FROM STDIN``.
Updates of stored rows (by ``id``) may go along. Everything of one call runs in one
transaction with an :class:`ImportBatch` row, so a crash mid-import leaves neither a
half-written batch nor a batch record.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime

import polars as pl
import psycopg
from sqlalchemy import Connection, Engine, Table, bindparam, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from fanzha.errors import InvalidInput, LedgerConflict
from fanzha.store._models import Base, ImportBatch

__all__ = [
    "LOAD_ORDER",
    "bulk_load",
    "insert_chunks",
    "insert_frame",
    "next_ids",
    "record_import",
    "reset_sequence",
    "table_counts",
]

LOAD_ORDER = [table.name for table in Base.metadata.sorted_tables]
CHUNK_ROWS = 50_000


def _check_frame(table: Table, frame: pl.DataFrame) -> None:
    unknown = [name for name in frame.columns if name not in table.c]
    if unknown:
        raise InvalidInput(
            f"no such column(s) {unknown}; the table has {list(table.c.keys())}",
            field=table.name,
        )
    for column in table.c:
        if (
            not column.nullable
            and column.name not in frame.columns
            and column.default is None
            and not column.primary_key
        ):
            raise InvalidInput(f"required column {column.name!r} is missing", field=table.name)
        if column.name in frame.columns and not column.nullable:
            nulls = frame.get_column(column.name).null_count()
            if nulls:
                raise InvalidInput(
                    f"{nulls} empty value(s) in required column {column.name!r}",
                    field=table.name,
                )


def _with_defaults(table: Table, frame: pl.DataFrame) -> pl.DataFrame:
    missing = []
    for column in table.c:
        if column.name in frame.columns or column.primary_key or column.default is None:
            continue
        arg = column.default.arg  # type: ignore[attr-defined]
        value = arg(None) if callable(arg) else arg
        missing.append(pl.lit(value).alias(column.name))
    return frame.with_columns(missing) if missing else frame


def _to_db_datetimes(frame: pl.DataFrame) -> pl.DataFrame:
    """Aware datetimes → naive UTC, as :class:`UTCDateTime` stores them."""
    converted = [
        pl.col(name).dt.convert_time_zone("UTC").dt.replace_time_zone(None)
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None
    ]
    return frame.with_columns(converted) if converted else frame


def _as_text_times(frame: pl.DataFrame) -> pl.DataFrame:
    """Dates and naive-UTC datetimes as the text SQLAlchemy's SQLite types write and compare."""
    converted = [
        pl.col(name).dt.strftime("%Y-%m-%d %H:%M:%S.%6f")
        if isinstance(dtype, pl.Datetime)
        else pl.col(name).dt.strftime("%Y-%m-%d")
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.Datetime | pl.Date)
    ]
    return frame.with_columns(converted) if converted else frame


def _insert_sqlite(connection: Connection, name: str, frame: pl.DataFrame) -> None:
    columns = frame.columns
    quoted = ", ".join(f'"{column}"' for column in columns)
    sql = f'INSERT INTO "{name}" ({quoted}) VALUES ({", ".join("?" for _ in columns)})'
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    cursor.executemany(sql, _as_text_times(frame).iter_rows())


def _insert_postgresql(connection: Connection, name: str, frame: pl.DataFrame) -> None:
    """``COPY … FROM STDIN`` in CSV form, written by polars in one go per chunk.

    Text is quoted, so a text that reads ``\\N`` stays text: only an unquoted ``\\N`` is NULL.
    """
    columns = ", ".join(f'"{column}"' for column in frame.columns)
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    payload = _as_text_times(frame).write_csv(
        include_header=False, null_value="\\N", quote_style="non_numeric"
    )
    with cursor.copy(
        f"COPY \"{name}\" ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    ) as copy:
        copy.write(payload)


def insert_frame(connection: Connection, name: str, frame: pl.DataFrame) -> None:
    """Insert a frame's rows as they are (ids included) into table ``name`` inside the
    connection's transaction: ``COPY`` on PostgreSQL, executemany on SQLite."""
    writer = _insert_postgresql if connection.dialect.name == "postgresql" else _insert_sqlite
    writer(connection, name, _to_db_datetimes(frame))


def reset_sequence(connection: Connection, name: str) -> None:
    """On PostgreSQL, point the ``id`` sequence of table ``name`` past its largest id."""
    if connection.dialect.name != "postgresql":
        return
    connection.execute(
        text(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM "{name}"), 0) + 1, false)'
        )
    )


def _check_updates(updates: Mapping[str, pl.DataFrame]) -> None:
    for name, frame in updates.items():
        table = Base.metadata.tables[name]
        unknown = [column for column in frame.columns if column not in table.c]
        if unknown or "id" not in frame.columns:
            raise InvalidInput(
                f"updates need an 'id' column and columns of the table {list(table.c.keys())}; "
                f"got {frame.columns}",
                field=name,
            )


def _update(connection: Connection, table: Table, frame: pl.DataFrame) -> None:
    """Set the frame's columns of the stored rows with its ``id``s."""
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values({name: bindparam(f"b_{name}") for name in frame.columns if name != "id"})
    )
    try:
        connection.execute(statement, frame.select(pl.all().name.prefix("b_")).to_dicts())
    except IntegrityError as exc:
        raise LedgerConflict(
            f"{table.name}: updates clash with stored rows ({exc.orig}); nothing of this "
            "import was written"
        ) from exc


def insert_chunks(
    connection: Connection,
    name: str,
    chunks: Iterable[pl.DataFrame],
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert frames one after another into table ``name`` inside the connection's
    transaction (each checked and given its column defaults first), then point the ``id``
    sequence past the largest id; the rows inserted. Only one chunk is held at a time."""
    table = Base.metadata.tables[name]
    done = 0
    for frame in chunks:
        _check_frame(table, frame)
        chunk = _with_defaults(table, frame)
        try:
            insert_frame(connection, name, chunk)
        except (sqlite3.IntegrityError, psycopg.errors.IntegrityError) as exc:
            raise LedgerConflict(
                f"{name}: rows {done + 1}..{done + chunk.height} clash with stored "
                f"rows or each other ({exc}); nothing of this import was written"
            ) from exc
        done += chunk.height
        if progress is not None:
            progress(chunk.height)
    if "id" in table.c:
        reset_sequence(connection, name)
    return done


def record_import(
    connection: Connection, *, kind: str, source: str, rows: int, started: datetime
) -> None:
    """The :class:`ImportBatch` row of an import, written in the import's transaction."""
    connection.execute(
        insert(ImportBatch).values(
            kind=kind,
            source=source,
            rows=rows,
            started_at=started,
            finished_at=datetime.now(UTC),
        )
    )


def bulk_load(
    engine: Engine,
    tables: Mapping[str, pl.DataFrame],
    *,
    updates: Mapping[str, pl.DataFrame] | None = None,
    source: str = "demo",
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Insert every frame into the table of the same name in one transaction; row counts.

    Frames are loaded in foreign-key order, then ``updates`` (table → frame with ``id`` and
    the columns to set) change stored rows; a table's count is its inserts plus updates.
    A frame with an unknown column, a missing required column or an empty required value
    is refused before anything is written.
    """
    changes = dict(updates or {})
    unknown = sorted((set(tables) | set(changes)) - set(LOAD_ORDER))
    if unknown:
        raise InvalidInput(f"unknown table(s) {unknown}; known: {LOAD_ORDER}", field="tables")
    _check_updates(changes)
    metadata_tables = Base.metadata.tables
    prepared = {}
    for name in LOAD_ORDER:
        if name in tables:
            table = metadata_tables[name]
            _check_frame(table, tables[name])
            prepared[name] = _with_defaults(table, tables[name])
    counts: dict[str, int] = {}
    started = datetime.now(UTC)
    with engine.begin() as connection:
        for name, frame in prepared.items():
            chunks = (frame.slice(at, CHUNK_ROWS) for at in range(0, frame.height, CHUNK_ROWS))
            counts[name] = insert_chunks(connection, name, chunks, progress=progress)
        for name, frame in changes.items():
            _update(connection, metadata_tables[name], frame)
            counts[name] = counts.get(name, 0) + frame.height
            if progress is not None:
                progress(frame.height)
        record_import(
            connection, kind="bulk", source=source, rows=sum(counts.values()), started=started
        )
    return counts


def next_ids(engine: Engine) -> dict[str, int]:
    """The next free ``id`` of every table, so a generator can append without clashes."""
    with engine.connect() as connection:
        return {
            table.name: int(
                connection.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
            )
            + 1
            for table in Base.metadata.sorted_tables
            if "id" in table.c
        }


def table_counts(engine: Engine) -> dict[str, int]:
    """Rows per table."""
    with engine.connect() as connection:
        return {
            table.name: int(
                connection.execute(select(func.count()).select_from(table)).scalar_one()
            )
            for table in Base.metadata.sorted_tables
        }
