"""`fanzha publish` and `fanzha intake`: signals onto the NATS JetStream stream, and the
consumer that turns them into warning tasks.

The store, the demo generator and nats-py are imported inside the commands, so other
commands start fast.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from fanzha.cli._common import err_console, out_console
from fanzha.errors import InvalidInput

if TYPE_CHECKING:
    from fanzha.intake import Topology

__all__ = ["intake", "publish"]

NatsOption = Annotated[
    str | None,
    typer.Option(
        "--nats", help="NATS server URL (default: FANZHA_NATS_URL, else nats://127.0.0.1:4222)."
    ),
]
NamesOption = Annotated[
    str | None,
    typer.Option(
        "--names",
        help="Use streams, subjects and consumer named after this tag (a-z0-9) instead of "
        "FANZHA_SIGNALS / fanzha.signals.*: for tests and separate pipelines on one server.",
    ),
]


def _nats_url(url: str | None) -> str:
    from fanzha.intake import DEFAULT_NATS_URL

    return url or os.environ.get("FANZHA_NATS_URL") or DEFAULT_NATS_URL


def _topology(names: str | None) -> Topology:
    from fanzha.intake import Topology

    if names is None:
        return Topology()
    if not names.isascii() or not names.isalnum() or names != names.lower():
        raise InvalidInput("expected lower-case letters and digits", field="--names", value=names)
    return Topology.unique(names)


def _file_signals(path: Path) -> list[dict[str, Any]]:
    """The signals of a JSON-lines file; every bad line is reported and none is published."""
    from fanzha.intake import parse_signal
    from fanzha.jsonl import read_jsonl

    found, bad = [], 0
    for row in read_jsonl(path):
        if row.error is None and row.data is not None:
            try:
                parse_signal(json.dumps(row.data, ensure_ascii=False))
                found.append(row.data)
                continue
            except InvalidInput as error:
                row_error: Exception = error
        else:
            row_error = row.error or InvalidInput("empty line")
        bad += 1
        err_console.print(f"[red]{path.name} line {row.line}: {row_error}[/red]", soft_wrap=True)
    if bad:
        raise InvalidInput(f"{bad} bad line(s) in {path.name}; nothing was published", field="file")
    return found


def publish(
    file: Annotated[
        Path | None, typer.Option("--file", help="JSON lines, one signal per line.")
    ] = None,
    demo: Annotated[
        int | None, typer.Option("--demo", min=1, help="Publish N signals of the demo city.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of the demo city.")] = 7,
    rate: Annotated[
        float | None,
        typer.Option("--rate", min=0.1, help="Signals per second (default: as fast as taken)."),
    ] = None,
    nats_url: NatsOption = None,
    names: NamesOption = None,
) -> None:
    """Publish signals onto the stream (fanzha.signals.<kind>), each with its id."""
    from fanzha.intake import connect_nats, demo_signals, publish_signals

    if (file is None) == (demo is None):
        raise InvalidInput("give either --file SIGNALS.jsonl or --demo N", field="--file")
    signals = _file_signals(file) if file is not None else demo_signals(demo or 0, seed=seed)
    topology = _topology(names)

    async def run() -> int:
        broker = await connect_nats(_nats_url(nats_url), topology)
        try:
            return await publish_signals(broker, signals, prefix=topology.subjects, rate=rate)
        finally:
            await broker.close()

    sent = asyncio.run(run())
    out_console.print(f"published {sent:,} signal(s) on {topology.subjects}.<kind>")


def intake(
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL (default: FANZHA_DB_URL, else ./fanzha.db)."),
    ] = None,
    until_idle: Annotated[
        float | None,
        typer.Option(
            "--until-idle", min=0.1, help="Exit after the stream was idle this many seconds."
        ),
    ] = None,
    batch: Annotated[
        int, typer.Option("--batch", min=1, max=5000, help="Signals per transaction.")
    ] = 200,
    max_in_flight: Annotated[
        int,
        typer.Option("--max-in-flight", min=1, help="Unacknowledged messages, all consumers."),
    ] = 2000,
    nats_url: NatsOption = None,
    names: NamesOption = None,
) -> None:
    """Consume the signal stream into warning tasks (durable, idempotent; SIGTERM drains)."""
    from fanzha.intake import IntakeOptions, connect_nats, run_intake, text_screen
    from fanzha.store import database_url, make_engine, make_session_factory, migrate

    topology = _topology(names)
    engine = make_engine(database_url(db), pool_size=2, max_overflow=2)
    migrate(engine)
    options = IntakeOptions(
        subjects=topology.subjects,
        notices=topology.notices,
        batch=batch,
        until_idle=until_idle,
    )

    async def run() -> Any:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for number in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(number, stop.set)
        broker = await connect_nats(_nats_url(nats_url), topology, max_in_flight=max_in_flight)
        try:
            return await run_intake(
                broker, make_session_factory(engine), options=options, stop=stop, screen=text_screen
            )
        finally:
            await broker.close()

    counts = asyncio.run(run())
    engine.dispose()
    out_console.print(
        f"taken {counts.taken} merged {counts.merged} skipped {counts.skipped} "
        f"dead-lettered {counts.dead_lettered} (batches {counts.batches}, failed {counts.errors})"
    )
