"""`fanzha serve` (API + web UI) and `fanzha audit verify`."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.table import Table

from fanzha.cli._common import EXIT_ERROR, err_console, out_console

__all__ = ["audit_app", "serve"]

audit_app = typer.Typer(help="The audit log: verify its hash chain.", no_args_is_help=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: FANZHA_DB_URL, else sqlite:///./fanzha.db)."),
]


def serve(
    demo: Annotated[
        bool, typer.Option("--demo", help="Fill an empty database with the demo city first.")
    ] = False,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    db: DbOption = None,
    records: Annotated[
        int, typer.Option(help="Size of the demo city (--demo), in records.")
    ] = 30_000,
    seed: Annotated[int, typer.Option(help="Seed of the demo city (--demo).")] = 2022,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Server processes (default: FANZHA_WORKERS, else 1)."),
    ] = None,
) -> None:
    """Start the API (/api/v1, docs at /api/docs) and the officers' web UI.

    SIGTERM or Ctrl-C stops it: requests in flight get ``FANZHA_SHUTDOWN_SECONDS`` (5 s) to
    finish, then are cancelled.
    """
    import uvicorn

    from fanzha.api import Settings, create_app
    from fanzha.store import migrate

    settings = Settings.from_env(db_url=db, workers=workers)
    engine = settings.make_engine()
    migrate(engine)
    if demo:
        from fanzha.cli._demo import ensure_demo_city

        ensure_demo_city(engine, records=records, seed=seed)
    out_console.print(
        f"fanzha 反诈 on http://{host}:{port}/  (API docs: http://{host}:{port}/api/docs)"
    )
    if demo:
        from fanzha.demo import DEMO_PASSWORD

        out_console.print(
            f"demo users: admin, commander, analyst, fund, outreach, warn_* / {DEMO_PASSWORD}"
        )
    shutdown = max(1, round(settings.shutdown_seconds))
    if settings.workers == 1:
        app = create_app(settings, engine=engine)
        uvicorn.run(app, host=host, port=port, timeout_graceful_shutdown=shutdown)
        return
    # each worker process builds its app from the environment: the same settings
    engine.dispose()
    os.environ["FANZHA_DB_URL"] = settings.resolved_db_url
    os.environ["FANZHA_WORKERS"] = str(settings.workers)
    uvicorn.run(
        "fanzha.api:create_app",
        factory=True,
        workers=settings.workers,
        host=host,
        port=port,
        timeout_graceful_shutdown=shutdown,
    )


@audit_app.command("verify")
def verify(db: DbOption = None) -> None:
    """Recompute the audit log's hash chain; exit 1 and name the first bad entry if broken."""
    from fanzha.store import make_engine, migrate
    from fanzha.store.audit import verify_audit_chain

    engine = make_engine(db)
    migrate(engine)
    report = verify_audit_chain(engine)
    table = Table("checked", "result")
    if report.ok:
        table.add_row(str(report.checked), "[green]intact 完整[/green]")
        out_console.print(table)
        return
    table.add_row(
        str(report.checked), f"[red]broken at entry {report.first_bad_id}: {report.problem}[/red]"
    )
    err_console.print(table)
    raise typer.Exit(EXIT_ERROR)
