"""`fanzha serve` (API + web UI), `fanzha audit verify` and `fanzha audit new-key`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from fanzha.cli._common import EXIT_ERROR, err_console, out_console

if TYPE_CHECKING:
    from fanzha.api import Settings
    from fanzha.store.audit import AuditChain

__all__ = [
    "DEMO_AUDIT_DIR",
    "audit_app",
    "audit_chain_of",
    "serve",
    "serve_settings",
    "server_line",
]

DEMO_AUDIT_DIR = Path(".fanzha-audit")
"""Where ``--demo`` keeps a generated audit key and the checkpoint files when none is set."""

audit_app = typer.Typer(
    help="The audit log: verify its keyed hash chain, add a key.", no_args_is_help=True
)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: FANZHA_DB_URL, else sqlite:///./fanzha.db)."),
]
KeyFileOption = Annotated[
    str | None,
    typer.Option(
        "--key-file", help="Audit key file (default: FANZHA_AUDIT_KEY_FILE / FANZHA_AUDIT_KEY)."
    ),
]
CheckpointOption = Annotated[
    str | None,
    typer.Option(
        "--checkpoints", help="Audit checkpoint file (default: FANZHA_AUDIT_CHECKPOINT_FILE)."
    ),
]


def audit_chain_of(
    db: str | None, key_file: str | None = None, checkpoints: str | None = None
) -> AuditChain:
    """The audit chain of the options and environment; the demo's local key if none is set
    and the demo made one."""
    from fanzha.api import Settings

    settings = Settings.from_env(
        db_url=db, audit_key_file=key_file, audit_checkpoint_file=checkpoints
    )
    configured = settings.audit_key_file or settings.audit_key
    local = None if configured or not (DEMO_AUDIT_DIR / "audit.key").exists() else DEMO_AUDIT_DIR
    return settings.audit_chain(local_dir=local)


def server_line(host: str, port: int) -> str:
    """The one line that says where the server answers."""
    return f"fanzha 反诈 已启动 http://{host}:{port}/  接口文档 http://{host}:{port}/api/docs"


_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
#: how often the served app's outreach sender looks for due runs and deliveries
_OUTREACH_INTERVAL_S = 30.0


def serve_settings(
    *, db: str | None, demo: bool, host: str, workers: int | None = None
) -> Settings:
    """The server's settings: the environment's, with demo mode on for ``--demo`` (without
    the flag, ``FANZHA_DEMO`` decides).

    The login cookie is ``Secure`` unless this is the demo on a loopback address (plain
    http://127.0.0.1) and ``FANZHA_COOKIE_SECURE`` does not say otherwise.
    """
    from fanzha.api import Settings

    plain_http_demo = demo and host in _LOOPBACK and "FANZHA_COOKIE_SECURE" not in os.environ
    return Settings.from_env(
        db_url=db,
        demo=demo or None,
        workers=workers,
        cookie_secure=False if plain_http_demo else None,
        outreach_interval_seconds=(
            None if "FANZHA_OUTREACH_INTERVAL_SECONDS" in os.environ else _OUTREACH_INTERVAL_S
        ),
    )


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

    from fanzha.api import create_app
    from fanzha.store import migrate

    settings = serve_settings(db=db, demo=demo, host=host, workers=workers)
    chain = settings.audit_chain(local_dir=DEMO_AUDIT_DIR if demo else None)
    engine = settings.make_engine()
    migrate(engine)
    if demo:
        from fanzha.cli._demo import ensure_demo_city

        err_console.print(f"演示城市 demo city: {records:,} 条记录，种子 {seed} …")
        made = ensure_demo_city(engine, records=records, seed=seed)
        err_console.print("演示城市已生成" if made else "数据库中已有数据，未重新生成演示城市")
    out_console.print(server_line(host, port), soft_wrap=True)
    if demo:
        from fanzha.demo import DEMO_PASSWORD

        out_console.print(
            f"演示用户 demo users: admin, commander, analyst, fund, outreach, warn_* "
            f"/ {DEMO_PASSWORD}",
            soft_wrap=True,
        )
    shutdown = max(1, round(settings.shutdown_seconds))
    if settings.workers == 1:
        app = create_app(settings, engine=engine, audit_chain=chain)
        uvicorn.run(app, host=host, port=port, timeout_graceful_shutdown=shutdown)
        return
    # each worker process builds its app from the environment: the same settings
    engine.dispose()
    os.environ["FANZHA_DB_URL"] = settings.resolved_db_url
    os.environ["FANZHA_WORKERS"] = str(settings.workers)
    os.environ["FANZHA_DEMO"] = "1" if settings.demo else "0"
    os.environ["FANZHA_COOKIE_SECURE"] = "1" if settings.cookie_secure else "0"
    os.environ["FANZHA_AUDIT_CHECKPOINT_FILE"] = str(chain.checkpoint_file)
    if not (settings.audit_key_file or settings.audit_key):  # the demo's generated key
        os.environ["FANZHA_AUDIT_KEY_FILE"] = str(DEMO_AUDIT_DIR.resolve() / "audit.key")
    uvicorn.run(
        "fanzha.api:create_app",
        factory=True,
        workers=settings.workers,
        host=host,
        port=port,
        timeout_graceful_shutdown=shutdown,
    )


@audit_app.command("verify")
def verify(
    db: DbOption = None, key_file: KeyFileOption = None, checkpoints: CheckpointOption = None
) -> None:
    """Recompute the audit log's keyed hash chain and compare it with its checkpoints; exit 1
    naming the first bad entry, or the missing tail, if broken."""
    from fanzha.store import make_engine, migrate
    from fanzha.store.audit import verify_audit_chain

    chain = audit_chain_of(db, key_file, checkpoints)
    engine = make_engine(db)
    migrate(engine)
    report = verify_audit_chain(engine, chain)
    if report.ok and report.checked == 0 and report.legacy == 0:
        out_console.print(
            "审计日志为空：没有可核验的记录 (the audit log is empty, nothing to check)"
        )
        return
    table = Table("已核验 checked", "旧格式 legacy", "结果 result")
    if report.ok:
        table.add_row(str(report.checked), str(report.legacy), "[green]完整 intact[/green]")
        out_console.print(table)
        return
    where = f"entry {report.first_bad_id}" if report.first_bad_id is not None else "the tail"
    table.add_row(
        str(report.checked),
        str(report.legacy),
        f"[red]已损坏 broken at {where}: {escape(report.problem)}[/red]",
    )
    err_console.print(table, soft_wrap=True)
    raise typer.Exit(EXIT_ERROR)


@audit_app.command("new-key")
def new_key(
    key_file: Annotated[
        Path, typer.Option("--key-file", help="Key file to append to (created mode 0600).")
    ],
) -> None:
    """Add a new audit key to a key file: it signs from the next start, the old keys still
    verify the entries they signed (rotation)."""
    from fanzha.store.audit import add_key

    key_id = add_key(key_file)
    out_console.print(f"added audit key {key_id} to {escape(str(key_file))}")
