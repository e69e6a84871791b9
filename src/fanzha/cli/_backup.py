"""`fanzha backup` and `fanzha restore`: the whole store as one portable archive."""

from __future__ import annotations

import getpass
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from fanzha.cli._common import EXIT_ERROR, err_console, out_console, progress_bar
from fanzha.cli._serve import CheckpointOption, KeyFileOption, audit_chain_of

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from fanzha.store.audit import AuditChain

__all__ = ["DbOption", "backup", "restore", "rows_table"]

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: FANZHA_DB_URL, else sqlite:///./fanzha.db)."),
]


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def rows_table(title: str, rows: dict[str, int]) -> Table:
    table = Table("table 表", "rows 行数", title=title)
    for name, count in rows.items():
        table.add_row(name, f"{count:,}")
    table.add_row("[bold]total 合计[/bold]", f"[bold]{sum(rows.values()):,}[/bold]")
    return table


def backup(
    out: Annotated[Path, typer.Option("--out", help="Archive to write (replaced if it exists).")],
    db: DbOption = None,
) -> None:
    """Back up every table into one archive, consistent while the server keeps writing."""
    from fanzha.store import database_url
    from fanzha.store.backup import backup_database

    with progress_bar("备份 backing up", None) as advance:
        manifest = backup_database(database_url(db), out, progress=advance)
    out_console.print(
        rows_table("备份 backup", {entry.name: entry.rows for entry in manifest.tables})
    )
    err_console.print(
        f"wrote {escape(str(out))} ({out.stat().st_size:,} bytes, schema revision "
        f"{manifest.schema_revision}, from {manifest.source_dialect}); "
        f"sha256 {_file_sha256(out)}",
        soft_wrap=True,
    )


def restore(
    archive: Annotated[Path, typer.Option("--in", help="Archive made by `fanzha backup`.")],
    db: DbOption = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace everything in a database that already holds rows."),
    ] = False,
    key_file: KeyFileOption = None,
    checkpoints: CheckpointOption = None,
) -> None:
    """Restore an archive into a database (in one transaction), then verify the audit chain.

    A restored chain that verifies gets an audit entry for the restore and a ``restore``
    checkpoint: the chain legitimately went back in time, later truncation is still caught.
    Exits 1 when the archive is damaged, the target holds rows (without --force), or the
    restored audit chain does not verify.
    """
    from fanzha.store import database_url, make_engine
    from fanzha.store.audit import verify_audit_chain
    from fanzha.store.backup import restore_database

    url = database_url(db)
    chain = audit_chain_of(db, key_file, checkpoints)
    with progress_bar("恢复 restoring", None) as advance:
        report = restore_database(url, archive, force=force, progress=advance)
    out_console.print(rows_table("恢复 restore", report.rows))
    err_console.print(
        f"restored a backup of {report.manifest.created_at} from "
        f"{report.manifest.source_dialect} (schema revision {report.manifest.schema_revision}); "
        f"the database is now at revision {report.schema_revision}",
        soft_wrap=True,
    )
    engine = make_engine(url)
    try:
        audit = verify_audit_chain(engine, chain, anchored=False)
        if audit.ok:
            _mark_restore(engine, chain, archive, report.manifest.created_at)
    finally:
        engine.dispose()
    if audit.ok:
        out_console.print(
            f"audit chain: [green]intact 完整[/green] ({audit.checked:,} entries, "
            f"{audit.legacy:,} legacy); restore checkpoint in "
            f"{escape(str(chain.checkpoint_file))}",
            soft_wrap=True,
        )
        return
    err_console.print(
        f"[red]audit chain: broken at entry {audit.first_bad_id}: {escape(audit.problem)}[/red] "
        f"({audit.checked:,} entries fit before it)",
        soft_wrap=True,
    )
    raise typer.Exit(EXIT_ERROR)


def _mark_restore(engine: Engine, chain: AuditChain, archive: Path, created_at: str) -> None:
    """Audit the restore and checkpoint the restored chain's new head."""
    from fanzha.roles import Actor
    from fanzha.store.audit import append_audit, write_checkpoint

    actor = Actor(user_id=None, username=f"cli:{getpass.getuser()}"[:64], role="system")
    append_audit(
        engine,
        actor,
        "restore",
        "database",
        archive.name,
        chain=chain,
        reason="fanzha restore",
        detail=f"backup of {created_at}",
    )
    write_checkpoint(engine, chain, "restore")
