"""`fanzha export` and `fanzha import`: store tables to and from a directory of Parquet files.

Both stream in chunks (memory bounded by one chunk, whatever the table's size); the store
and polars are imported inside the commands so other commands start fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from fanzha.cli._backup import DbOption, rows_table
from fanzha.cli._common import err_console, out_console, progress_bar

__all__ = ["export_tables", "import_tables"]


def export_tables(
    out: Annotated[Path, typer.Option("--out", help="Directory to write (must not exist).")],
    db: DbOption = None,
    tables: Annotated[
        str | None,
        typer.Option("--tables", help="Comma-separated table names (default: every table)."),
    ] = None,
    chunk_rows: Annotated[
        int, typer.Option("--chunk-rows", min=1, help="Rows per Parquet part.")
    ] = 100_000,
) -> None:
    """Export store tables as Parquet parts plus manifest.json, streamed in chunks."""
    from fanzha.store import database_url
    from fanzha.store.parquet import export_parquet

    names = [name.strip() for name in (tables or "").split(",") if name.strip()]
    with progress_bar("导出 exporting", None) as advance:
        manifest = export_parquet(
            database_url(db), out, tables=names, chunk_rows=chunk_rows, progress=advance
        )
    out_console.print(rows_table("导出 export", {t.name: t.rows for t in manifest.tables}))
    err_console.print(
        f"wrote {escape(str(out))} (schema revision {manifest.schema_revision}, "
        f"from {manifest.source_dialect})",
        soft_wrap=True,
    )


def import_tables(
    folder: Annotated[Path, typer.Argument(help="Directory written by `fanzha export`.")],
    db: DbOption = None,
) -> None:
    """Import a Parquet export into the store in one transaction, one part at a time.

    Exits 1 when the store's schema revision differs from the export's, a part has a wrong
    column or type, or rows clash with stored ones; nothing is written then.
    """
    from fanzha.store import database_url
    from fanzha.store.parquet import import_parquet

    with progress_bar("导入 importing", None) as advance:
        counts = import_parquet(folder, database_url(db), progress=advance)
    out_console.print(rows_table("导入 import", counts))
