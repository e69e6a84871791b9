"""Backup and restore of the whole store as one portable archive, SQLite and PostgreSQL alike.

The archive is a ZIP file holding ``manifest.json`` and every table as Parquet parts of at
most :data:`PART_ROWS` rows (``tables/<table>/<n>.parquet``, zstd-compressed, stored in the
ZIP as they are). The manifest names the format version, the Alembic schema revision, and
per table its columns, row count and the SHA-256 of each part and of the whole table. The
same archive restores into either backend: a SQLite backup into PostgreSQL and back.

A backup reads one consistent snapshot while the server keeps writing: on SQLite a copy made
with SQLite's online backup API, on PostgreSQL one read-only ``REPEATABLE READ`` transaction.
A restore runs in one transaction on the target (on SQLite DDL included): it drops what is
there, migrates to the archive's revision, loads every part after checking its checksum,
resets the ``id`` sequences on PostgreSQL and migrates on to this fanzha's newest revision.
A damaged archive or a refused row rolls all of it back, so the target is left as it was.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
import psycopg
from sqlalchemy import Connection, Engine, create_engine, func, inspect, select, text
from sqlalchemy.exc import DBAPIError

from fanzha import __version__
from fanzha.errors import FanzhaError, InvalidInput, NotFound
from fanzha.store._bulk import LOAD_ORDER, insert_frame, reset_sequence
from fanzha.store._db import (
    head_revision,
    known_revisions,
    make_engine,
    migrate,
    schema_revision,
)
from fanzha.store._frames import iter_table_chunks
from fanzha.store._models import Base

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "PART_ROWS",
    "BackupManifest",
    "RestoreReport",
    "TableEntry",
    "backup_database",
    "read_manifest",
    "restore_database",
    "stored_rows",
]

FORMAT = "fanzha-backup"
FORMAT_VERSION = 1
PART_ROWS = 100_000
MANIFEST = "manifest.json"
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,62}")
RowProgress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class TableEntry:
    """One table in an archive: its columns, rows, parts (ZIP member names) and checksums."""

    name: str
    columns: tuple[str, ...]
    rows: int
    parts: tuple[str, ...]
    part_rows: tuple[int, ...]
    part_sha256: tuple[str, ...]
    sha256: str


@dataclass(frozen=True, slots=True)
class BackupManifest:
    """What an archive holds and where it came from."""

    format_version: int
    schema_revision: str
    created_at: str
    source_dialect: str
    fanzha_version: str
    tables: tuple[TableEntry, ...]

    @property
    def rows(self) -> int:
        """Rows over all tables."""
        return sum(entry.rows for entry in self.tables)

    def to_json(self) -> str:
        """The manifest as the archive stores it."""
        return json.dumps({"format": FORMAT, **asdict(self)}, ensure_ascii=False, indent=1)


@dataclass(frozen=True, slots=True)
class RestoreReport:
    """A finished restore: the archive's manifest, the revision the target is now at, rows."""

    manifest: BackupManifest
    schema_revision: str
    rows: dict[str, int]


# --- backup ---------------------------------------------------------------------------------


@contextmanager
def _snapshot(engine: Engine, scratch: Path) -> Iterator[Connection]:
    """A connection that sees one consistent state of the database, while others write."""
    if engine.dialect.name == "sqlite":
        with tempfile.TemporaryDirectory(prefix=".fanzha-backup-", dir=scratch) as folder:
            copy = Path(folder) / "snapshot.db"
            with engine.connect() as live:
                target = sqlite3.connect(copy)
                try:
                    live.connection.driver_connection.backup(target)  # type: ignore[union-attr]
                finally:
                    target.close()
            snapshot = create_engine(f"sqlite:///{copy}")
            try:
                with snapshot.connect() as connection:
                    yield connection
            finally:
                snapshot.dispose()
        return
    with engine.connect() as live:
        connection = live.execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
        with connection.begin():
            yield connection


def _where(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _check_source(engine: Engine) -> None:
    url = engine.url
    if url.get_backend_name() == "sqlite" and (
        not url.database or url.database == ":memory:" or not Path(url.database).is_file()
    ):
        raise NotFound(f"no SQLite database file at {url.database or '(none)'!r}")


def _write_table(
    archive: zipfile.ZipFile, connection: Connection, name: str, advance: Callable[[int], None]
) -> TableEntry:
    table = Base.metadata.tables[name]
    whole = hashlib.sha256()
    parts: list[str] = []
    part_rows: list[int] = []
    part_sha: list[str] = []
    for chunk in iter_table_chunks(connection, table, PART_ROWS):
        buffer = io.BytesIO()
        chunk.write_parquet(buffer, compression="zstd")
        data = buffer.getvalue()
        member = f"tables/{name}/{len(parts):05d}.parquet"
        archive.writestr(member, data)
        whole.update(data)
        parts.append(member)
        part_rows.append(chunk.height)
        part_sha.append(hashlib.sha256(data).hexdigest())
        advance(chunk.height)
    return TableEntry(
        name=name,
        columns=tuple(table.columns.keys()),
        rows=sum(part_rows),
        parts=tuple(parts),
        part_rows=tuple(part_rows),
        part_sha256=tuple(part_sha),
        sha256=whole.hexdigest(),
    )


def _write_archive(
    connection: Connection, revision: str, out: Path, progress: RowProgress | None
) -> BackupManifest:
    total = sum(
        int(connection.execute(select(func.count()).select_from(table)).scalar_one())
        for table in Base.metadata.sorted_tables
    )

    def advance(n: int) -> None:
        if progress is not None:
            progress(n, total)

    handle = os.fdopen(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")
    with handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_STORED) as archive:
        entries = tuple(_write_table(archive, connection, name, advance) for name in LOAD_ORDER)
        manifest = BackupManifest(
            format_version=FORMAT_VERSION,
            schema_revision=revision,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            source_dialect=connection.dialect.name,
            fanzha_version=__version__,
            tables=entries,
        )
        archive.writestr(MANIFEST, manifest.to_json())
    return manifest


def backup_database(url: str, out: Path, *, progress: RowProgress | None = None) -> BackupManifest:
    """Write every table of the database at ``url`` into the archive ``out``; its manifest.

    The archive appears under its name only when complete (written beside it first, readable
    by its owner only). ``progress(rows, total)`` is called as rows are written. Raises
    ``NotFound`` for a missing SQLite file and ``InvalidInput`` for a database that is not at
    this fanzha's schema revision (open it with fanzha first, which migrates it).
    """
    engine = make_engine(url)
    _check_source(engine)
    out = out.resolve()
    partial = out.with_name(f".{out.name}.partial")
    try:
        with _snapshot(engine, out.parent) as connection:
            revision = schema_revision(connection)
            if revision != head_revision():
                found = revision or "none (not a fanzha database)"
                raise InvalidInput(
                    f"the database is at schema revision {found}, this fanzha backs up revision "
                    f"{head_revision()}; upgrade it first (any fanzha command that opens it "
                    "migrates it, e.g. `fanzha audit verify --db URL`)",
                    field="--db",
                )
            manifest = _write_archive(connection, revision, partial, progress)
        partial.replace(out)
    except DBAPIError as exc:
        raise FanzhaError(f"{_where(engine)}: the database failed ({exc.orig})") from exc
    finally:
        partial.unlink(missing_ok=True)
        engine.dispose()
    return manifest


# --- reading an archive -----------------------------------------------------------------------


def _damaged(path: Path, why: str) -> InvalidInput:
    return InvalidInput(
        f"{path} is not a usable fanzha backup: {why}; nothing was restored", field="--in"
    )


def _table_entry(raw: dict[str, Any]) -> TableEntry:
    entry = TableEntry(
        name=str(raw["name"]),
        columns=tuple(str(column) for column in raw["columns"]),
        rows=int(raw["rows"]),
        parts=tuple(str(part) for part in raw["parts"]),
        part_rows=tuple(int(rows) for rows in raw["part_rows"]),
        part_sha256=tuple(str(sha) for sha in raw["part_sha256"]),
        sha256=str(raw["sha256"]),
    )
    if entry.name not in Base.metadata.tables:
        raise ValueError(f"unknown table {entry.name!r}")
    bad = [column for column in entry.columns if not _IDENTIFIER.fullmatch(column)]
    if bad:
        raise ValueError(f"table {entry.name}: bad column name(s) {bad}")
    if not len(entry.parts) == len(entry.part_rows) == len(entry.part_sha256):
        raise ValueError(f"table {entry.name}: parts, part_rows and part_sha256 differ in length")
    if sum(entry.part_rows) != entry.rows:
        raise ValueError(f"table {entry.name}: part rows do not add up to {entry.rows}")
    return entry


def _manifest(archive: zipfile.ZipFile, path: Path) -> BackupManifest:
    try:
        raw = json.loads(archive.read(MANIFEST))
    except KeyError as exc:
        raise _damaged(path, f"no {MANIFEST} in it") from exc
    except (ValueError, zipfile.BadZipFile) as exc:
        raise _damaged(path, f"{MANIFEST} is unreadable ({exc})") from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise _damaged(path, f"{MANIFEST} does not name the format {FORMAT!r}")
    version = raw.get("format_version")
    if version != FORMAT_VERSION:
        raise _damaged(
            path, f"format version {version!r}; this fanzha reads version {FORMAT_VERSION}"
        )
    try:
        return BackupManifest(
            format_version=FORMAT_VERSION,
            schema_revision=str(raw["schema_revision"]),
            created_at=str(raw["created_at"]),
            source_dialect=str(raw["source_dialect"]),
            fanzha_version=str(raw["fanzha_version"]),
            tables=tuple(_table_entry(table) for table in raw["tables"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise _damaged(path, f"{MANIFEST} is malformed ({exc})") from exc


@contextmanager
def _open_archive(path: Path) -> Iterator[tuple[zipfile.ZipFile, BackupManifest]]:
    if not path.is_file():
        raise NotFound(f"no backup file at {path}")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _damaged(path, f"not a complete ZIP archive ({exc}); is it truncated?") from exc
    with archive:
        yield archive, _manifest(archive, path)


def read_manifest(path: Path) -> BackupManifest:
    """The manifest of the archive at ``path``; ``InvalidInput`` if it is not a usable one."""
    with _open_archive(path) as (_, manifest):
        return manifest


def _read_part(
    archive: zipfile.ZipFile, path: Path, entry: TableEntry, index: int
) -> tuple[bytes, pl.DataFrame]:
    member = entry.parts[index]
    try:
        data = archive.read(member)
    except (KeyError, zipfile.BadZipFile, OSError) as exc:
        raise _damaged(path, f"part {member} of table {entry.name} is unreadable ({exc})") from exc
    if hashlib.sha256(data).hexdigest() != entry.part_sha256[index]:
        raise _damaged(path, f"part {member} of table {entry.name} does not match its checksum")
    frame = pl.read_parquet(io.BytesIO(data))
    if tuple(frame.columns) != entry.columns or frame.height != entry.part_rows[index]:
        raise _damaged(path, f"part {member} does not hold the rows and columns the manifest says")
    return data, frame


# --- restore ----------------------------------------------------------------------------------


def stored_rows(connection: Connection) -> int:
    """Rows in the fanzha tables that exist in the database (0: empty or never migrated)."""
    present = set(inspect(connection).get_table_names())
    return sum(
        int(connection.execute(select(func.count()).select_from(table)).scalar_one())
        for table in Base.metadata.sorted_tables
        if table.name in present
    )


def _load_table(
    connection: Connection,
    archive: zipfile.ZipFile,
    path: Path,
    entry: TableEntry,
    advance: Callable[[int], None],
) -> None:
    whole = hashlib.sha256()
    for index in range(len(entry.parts)):
        data, frame = _read_part(archive, path, entry, index)
        whole.update(data)
        try:
            insert_frame(connection, entry.name, frame)
        except (DBAPIError, sqlite3.Error, psycopg.Error) as exc:
            raise FanzhaError(
                f"table {entry.name}, part {entry.parts[index]}: the target database refused "
                f"the rows ({exc}); nothing was restored"
            ) from exc
        advance(frame.height)
    if whole.hexdigest() != entry.sha256:
        raise _damaged(path, f"table {entry.name} does not match its checksum")
    if "id" in entry.columns:
        reset_sequence(connection, entry.name)


def _replace_contents(
    connection: Connection,
    archive: zipfile.ZipFile,
    path: Path,
    manifest: BackupManifest,
    progress: RowProgress | None,
) -> None:
    """Inside the caller's transaction: drop, migrate to the archive's revision, load."""
    Base.metadata.drop_all(connection)
    connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    migrate(connection, manifest.schema_revision)
    total = manifest.rows

    def advance(n: int) -> None:
        if progress is not None:
            progress(n, total)

    for entry in sorted(manifest.tables, key=lambda table: LOAD_ORDER.index(table.name)):
        _load_table(connection, archive, path, entry, advance)


def restore_database(
    url: str, archive_path: Path, *, force: bool = False, progress: RowProgress | None = None
) -> RestoreReport:
    """Replace the contents of the database at ``url`` with the archive's, in one transaction.

    Refuses (``InvalidInput``) a target holding rows unless ``force``, an archive of another
    format version or of a schema revision this fanzha does not know, and a damaged or
    truncated archive; then the target is left as it was. The target ends at this fanzha's
    newest schema revision. ``progress(rows, total)`` is called as rows are loaded.
    """
    with _open_archive(archive_path) as (archive, manifest):
        if manifest.schema_revision not in known_revisions():
            raise _damaged(
                archive_path,
                f"schema revision {manifest.schema_revision} is unknown to this fanzha "
                f"(newest {head_revision()}); restore it with the fanzha that made it",
            )
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                if connection.dialect.name == "sqlite":  # make SQLite's DDL transactional too
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                if not force and (rows := stored_rows(connection)):
                    raise InvalidInput(
                        f"the target database already holds {rows:,} rows; restoring replaces "
                        "everything in it: pass --force to do so",
                        field="--db",
                    )
                _replace_contents(connection, archive, archive_path, manifest, progress)
                migrate(connection)
                revision = schema_revision(connection) or ""
                connection.commit()
        except DBAPIError as exc:
            raise FanzhaError(
                f"{_where(engine)}: the database failed ({exc.orig}); nothing was restored"
            ) from exc
        finally:
            engine.dispose()
    return RestoreReport(
        manifest=manifest,
        schema_revision=revision,
        rows={entry.name: entry.rows for entry in manifest.tables},
    )
