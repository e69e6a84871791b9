"""`fanzha outreach run|templates`: run the outreach sender, list the reminder templates."""

from __future__ import annotations

import json
import time
from typing import Annotated

import typer
from rich.table import Table

from fanzha.cli._common import out_console

__all__ = ["outreach_app"]

outreach_app = typer.Typer(
    help="宣传防范: the outreach sender and templates.", no_args_is_help=True
)


@outreach_app.command("run")
def run(
    db: Annotated[str | None, typer.Option(help="Database URL (default: FANZHA_DB_URL).")] = None,
    outbox: Annotated[
        str | None, typer.Option(help="File of the demo channel `file` (JSON lines).")
    ] = None,
    once: Annotated[bool, typer.Option("--once", help="One tick, then exit.")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between ticks.", min=1.0)] = 30.0,
) -> None:
    """Plan the due runs of approved campaigns and send them (Ctrl-C stops after the message
    in hand); safe to run beside the server's sender: no message is sent twice."""
    from fanzha.api import Settings
    from fanzha.api._outreach_service import channels_from
    from fanzha.outreach_sender import OutreachSender
    from fanzha.store import make_engine, make_session_factory, migrate

    settings = Settings.from_env(db_url=db, outreach_outbox=outbox)
    engine = make_engine(settings.resolved_db_url)
    migrate(engine)
    sender = OutreachSender(make_session_factory(engine), channels_from(settings))
    interrupted = sender.start_up()
    if interrupted:
        typer.echo(f"{interrupted} 条发送中断（已标记，不会重发）", err=True)
    try:
        while True:
            result = sender.tick()
            typer.echo(
                f"计划 {result.planned_runs} 批，发送 {result.sent} 条，失败 {result.failed} 条，"
                f"顺延 {result.deferred} 条"
            )
            if once:
                return
            time.sleep(interval)
    except KeyboardInterrupt:
        return
    finally:
        engine.dispose()


@outreach_app.command("templates")
def templates(
    fraud_type: Annotated[str | None, typer.Option(help="Only this fraud type's code.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON lines")] = False,
) -> None:
    """List the default reminder templates with a sample rendering and SMS segments."""
    from fanzha.outreach import default_library, render, sample_values, sms_segments

    table = Table(show_lines=True)
    for column in ("代码", "示例", "条数"):
        table.add_column(column, overflow="fold")
    for template in default_library():
        if fraud_type and template.fraud_type != fraud_type:
            continue
        text = render(template, sample_values(template.group))
        segments = sms_segments(text).segments if template.kind == "sms" else 0
        if as_json:
            row = {"code": template.code, "text": text, "segments": segments}
            typer.echo(json.dumps(row, ensure_ascii=False))
        else:
            table.add_row(template.code, text, str(segments) if segments else "—")
    if not as_json:
        out_console.print(table)
