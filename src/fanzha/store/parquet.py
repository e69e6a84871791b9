"""Store tables to and from a directory of Parquet files, streamed in chunks.

An export directory holds ``manifest.json`` and, per table, Parquet parts of at most
``chunk_rows`` rows (``<table>/part-00000.parquet``, …): a table is read through a
server-side cursor (PostgreSQL) or by partitions of one cursor (SQLite) and each chunk is
written as soon as it is read, so memory stays bounded by one chunk whatever the table's
size. Columns carry the store's names and types: integers and money in fen as ``Int64``,
times as UTC ``Datetime("us")`` (Arrow ``timestamp[us, tz=UTC]``), dates, flags as
``Boolean``, text as ``String``. The manifest names the Alembic schema revision, the tables,
their columns and types, row counts and parts.

An import reads one part at a time and inserts it with the store's bulk loader, all tables
in one transaction with an :class:`ImportBatch` row: a refused part (wrong column or type,
clashing rows) leaves the target as it was. A target whose schema revision differs from the
manifest's is refused before anything is read. An export is written to a temporary
directory beside ``out`` and renamed into place when complete.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine

from fanzha.errors import InvalidInput
from fanzha.store._bulk import LOAD_ORDER, insert_chunks, record_import
from fanzha.store._db import head_revision, make_engine, schema_revision
from fanzha.store._frames import iter_table_chunks
from fanzha.store._models import Base

__all__ = [
    "CHUNK_ROWS",
    "FORMAT",
    "ParquetManifest",
    "ParquetTable",
    "export_parquet",
    "import_parquet",
    "read_parquet_manifest",
]

FORMAT = "fanzha-parquet"
FORMAT_VERSION = 1
CHUNK_ROWS = 100_000
MANIFEST = "manifest.json"
RowProgress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class ParquetTable:
    """One exported table: its columns (name → polars type), rows and part files."""

    name: str
    columns: dict[str, str]
    rows: int
    parts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ParquetManifest:
    """What an export directory holds and which schema revision it was written at."""

    schema_revision: str
    created_at: str
    source_dialect: str
    tables: tuple[ParquetTable, ...]
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)


def _table_names(names: Sequence[str] | None) -> list[str]:
    """The named tables in load order (every table when ``names`` is empty)."""
    if not names:
        return list(LOAD_ORDER)
    unknown = sorted(set(names) - set(LOAD_ORDER))
    if unknown:
        raise InvalidInput(f"unknown table(s) {unknown}; known: {LOAD_ORDER}", field="tables")
    return [name for name in LOAD_ORDER if name in set(names)]


def _snapshot(engine: Engine) -> Connection:
    """A connection that sees one consistent state on PostgreSQL (read-only repeatable read)."""
    if engine.dialect.name == "postgresql":
        return engine.connect().execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
    return engine.connect()


def _export_table(
    connection: Connection, name: str, folder: Path, chunk_rows: int, progress: RowProgress | None
) -> ParquetTable:
    (folder / name).mkdir()
    parts: list[str] = []
    rows = 0
    schema: dict[str, str] = {}
    for chunk in iter_table_chunks(connection, Base.metadata.tables[name], chunk_rows):
        part = f"{name}/part-{len(parts):05d}.parquet"
        chunk.write_parquet(folder / part, compression="zstd")
        parts.append(part)
        rows += chunk.height
        schema = {column: str(dtype) for column, dtype in chunk.schema.items()}
        if progress is not None:
            progress(chunk.height)
    return ParquetTable(name=name, columns=schema, rows=rows, parts=tuple(parts))


def export_parquet(
    url: str,
    out: Path,
    *,
    tables: Sequence[str] | None = None,
    chunk_rows: int = CHUNK_ROWS,
    progress: RowProgress | None = None,
) -> ParquetManifest:
    """Write the named tables (every table when none are named) of the store at ``url`` to
    the directory ``out`` (which must not exist yet) as Parquet parts and a manifest."""
    names = _table_names(tables)
    if out.exists():
        raise InvalidInput(f"{out} already exists; name a new directory", field="out")
    if chunk_rows < 1:
        raise InvalidInput("chunk_rows must be at least 1", field="chunk_rows")
    engine = make_engine(url)
    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        with _snapshot(engine) as connection:
            revision = schema_revision(connection)
            if revision != head_revision():
                raise InvalidInput(
                    f"the store is at schema revision {revision}, this fanzha at "
                    f"{head_revision()}: run `fanzha` migrations first",
                    field="db",
                )
            entries = tuple(
                _export_table(connection, name, scratch, chunk_rows, progress) for name in names
            )
            dialect = connection.dialect.name
        manifest = ParquetManifest(
            schema_revision=revision,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            source_dialect=dialect,
            tables=entries,
        )
        (scratch / MANIFEST).write_text(manifest.to_json() + "\n", encoding="utf-8")
        scratch.rename(out)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    finally:
        engine.dispose()
    return manifest


def read_parquet_manifest(folder: Path) -> ParquetManifest:
    """The manifest of an export directory; refuses a missing or foreign one."""
    path = folder / MANIFEST
    try:
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("format") != FORMAT or raw.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"not a {FORMAT} v{FORMAT_VERSION} manifest")
        return ParquetManifest(
            schema_revision=str(raw["schema_revision"]),
            created_at=str(raw["created_at"]),
            source_dialect=str(raw["source_dialect"]),
            tables=tuple(
                ParquetTable(
                    name=str(entry["name"]),
                    columns={str(k): str(v) for k, v in entry["columns"].items()},
                    rows=int(entry["rows"]),
                    parts=tuple(str(part) for part in entry["parts"]),
                )
                for entry in raw["tables"]
            ),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InvalidInput(f"{path}: unreadable manifest ({exc})", field="manifest") from exc


def _check_part(path: Path, entry: ParquetTable) -> None:
    """Refuse a part whose columns or types differ from the manifest's, naming file and
    column."""
    got = {column: str(dtype) for column, dtype in pl.read_parquet_schema(path).items()}
    for column, expected in entry.columns.items():
        if column not in got:
            raise InvalidInput(f"{path}: column {column!r} is missing", field=column)
        if got[column] != expected:
            raise InvalidInput(
                f"{path}: column {column!r} is {got[column]}, expected {expected}", field=column
            )
    extra = sorted(set(got) - set(entry.columns))
    if extra:
        raise InvalidInput(f"{path}: unexpected column(s) {extra}", field=extra[0])


def _parts(folder: Path, entry: ParquetTable) -> Iterator[pl.DataFrame]:
    for part in entry.parts:
        path = folder / part
        _check_part(path, entry)
        yield pl.read_parquet(path)


def import_parquet(
    folder: Path, url: str, *, progress: RowProgress | None = None
) -> dict[str, int]:
    """Load an export directory into the store at ``url`` in one transaction; rows per table.

    The store must be at the manifest's schema revision (refused otherwise, before anything
    is written); rows clashing with stored ones roll the whole import back.
    """
    manifest = read_parquet_manifest(folder)
    known = set(LOAD_ORDER)
    unknown = sorted(entry.name for entry in manifest.tables if entry.name not in known)
    if unknown:
        raise InvalidInput(f"unknown table(s) {unknown} in {folder}", field="tables")
    order = {name: at for at, name in enumerate(LOAD_ORDER)}
    entries = sorted(manifest.tables, key=lambda entry: order[entry.name])
    engine = make_engine(url)
    started = datetime.now(UTC)
    counts: dict[str, int] = {}
    try:
        with engine.begin() as connection:
            revision = schema_revision(connection)
            if revision != manifest.schema_revision:
                raise InvalidInput(
                    f"the export is of schema revision {manifest.schema_revision}, the target "
                    f"store is at {revision}; migrate the target (or export again) so they "
                    "match. Nothing was written",
                    field="schema_revision",
                )
            for entry in entries:
                counts[entry.name] = insert_chunks(
                    connection, entry.name, _parts(folder, entry), progress=progress
                )
            record_import(
                connection,
                kind="parquet",
                source=str(folder)[:512],
                rows=sum(counts.values()),
                started=started,
            )
    finally:
        engine.dispose()
    return counts
