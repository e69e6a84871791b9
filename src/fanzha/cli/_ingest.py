"""`fanzha ingest calls|transfers|cards|devices|ftm FILE`: validate records, then load them whole.

The shell around ``fanzha.ingest``: it reads the file, answers the core's look-ups with
SQLAlchemy Core selects of only the columns asked for (keys in chunks), hands over the
store's next free ids, and writes the plan (inserts and updates) in one transaction with
``bulk_load``. A bad row stops the import before
anything is written, unless ``--skip-bad``: then the good rows are loaded, the bad ones go
to a rejects CSV beside the input, and the command exits with code 3. ``ingest ftm`` reads
FollowTheMoney JSON lines, checks each with followthemoney's model and plans the rows with
``fanzha.graph.ftm_records`` against the stored graph tables.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from fanzha.cli._common import EXIT_SKIPPED, err_console, out_console, progress_bar
from fanzha.errors import InvalidInput, LedgerConflict

if TYPE_CHECKING:
    import polars as pl
    from sqlalchemy import Engine

    from fanzha.ingest import IngestOptions, IngestResult, Lookup
    from fanzha.store.audit import AuditChain
    from fanzha.store.fugitives import HitReport

__all__ = [
    "ingest_app",
    "ingest_file",
    "match_fugitives",
    "read_lookup",
    "write_result",
    "write_tables",
]

ingest_app = typer.Typer(
    help="Load call records, transfers, card registrations or device logs (CSV / Parquet).",
    no_args_is_help=True,
)
_CHUNK = MappingProxyType({"sqlite": 900, "postgresql": 5000})


def read_lookup(engine: Engine, request: Lookup) -> pl.DataFrame:
    """The stored rows a look-up asks for: only its columns, keys matched in chunks."""
    import polars as pl
    from sqlalchemy import select

    from fanzha.store import Base

    table = Base.metadata.tables[request.table]
    query = select(*[table.c[name] for name in request.columns])
    if request.between is not None:
        column, low, high = request.between
        query = query.where(table.c[column].between(low, high))
    rows: list[tuple[object, ...]] = []
    with engine.connect() as connection:
        if request.key is None or request.values is None:
            rows.extend(tuple(row) for row in connection.execute(query))
        else:
            values = request.values.drop_nulls().unique().to_list()
            size = _CHUNK.get(engine.dialect.name, 900)
            for start in range(0, len(values), size):
                chunk = values[start : start + size]
                found = connection.execute(query.where(table.c[request.key].in_(chunk)))
                rows.extend(tuple(row) for row in found)
    return pl.DataFrame(rows, schema=dict(request.columns), orient="row")


def write_result(
    engine: Engine,
    result: IngestResult,
    *,
    source: str,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write a planned import in one transaction; rows written per table (see
    :func:`write_tables`)."""
    return write_tables(
        engine, result.inserts, updates=result.updates, source=source, progress=progress
    )


def write_tables(
    engine: Engine,
    inserts: Mapping[str, pl.DataFrame],
    *,
    updates: Mapping[str, pl.DataFrame] | None = None,
    source: str,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write new rows (and updates) in one transaction; rows written per table.

    Raises:
        InvalidInput: rows written meanwhile by someone else clash with the plan (nothing
            of this import is written; run it again).
    """
    from sqlalchemy.exc import IntegrityError

    from fanzha.store import bulk_load

    advance = progress or (lambda _n: None)
    # bulk_load writes through the driver's cursor, so its errors come unwrapped.
    driver_error = getattr(engine.dialect.dbapi, "IntegrityError", IntegrityError)
    try:
        return bulk_load(engine, inserts, updates=updates, source=source, progress=advance)
    except (IntegrityError, driver_error, LedgerConflict) as exc:
        raise InvalidInput(
            f"clashes with rows stored meanwhile ({getattr(exc, 'orig', exc)}); nothing was "
            "written, run the "
            "import again",
            source=source,
        ) from exc


def match_fugitives(
    engine: Engine, result: IngestResult, *, chain: AuditChain | None = None
) -> HitReport:
    """Match what an import wrote against the wanted list (追逃); new hits become urgent
    clues at once, each audited when ``chain`` is given (a warning says when it is not)."""
    return _match_written(
        engine, result.inserts, result.updates, source=result.report.source, chain=chain
    )


def _match_written(
    engine: Engine,
    inserts: Mapping[str, pl.DataFrame],
    updates: Mapping[str, pl.DataFrame],
    *,
    source: str,
    chain: AuditChain | None,
) -> HitReport:
    from fanzha.roles import Actor
    from fanzha.store.audit import append_audit
    from fanzha.store.fugitives import match_ingested

    report = match_ingested(engine, inserts, updates)
    if not report.hits:
        return report
    err_console.print(
        f"[bold red]在逃人员比中 fugitive hits:[/bold red] {report.hits} new hit(s) of "
        f"{len(report.fugitive_ids)} wanted person(s) → urgent clue(s) "
        + ", ".join(str(c) for c in report.clue_ids)
    )
    if chain is None:
        err_console.print("[yellow]no audit key: the hits were stored but not audited[/yellow]")
        return report
    actor = Actor(user_id=None, username="system:ingest", role="system")
    for fugitive_id, clue_id in zip(report.fugitive_ids, report.clue_ids, strict=True):
        append_audit(
            engine,
            actor,
            "hit",
            "fugitive",
            fugitive_id,
            chain=chain,
            reason="在逃人员比对 (fanzha ingest)",
            detail=f"clue {clue_id}, source {source}",
        )
    return report


def ingest_file(
    engine: Engine,
    kind: str,
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    options: IngestOptions | None = None,
    chain: AuditChain | None = None,
) -> IngestResult:
    """Read ``path``, check and plan its records against the store, write them, and match
    what was written against the wanted list; the result."""
    from fanzha.ingest import ingest_table, read_table
    from fanzha.store import next_ids

    table = read_table(path)
    with progress_bar(f"校验 checking {table.source}", None):
        result = ingest_table(
            kind,
            table,
            lookup=lambda request: read_lookup(engine, request),
            ids=next_ids(engine),
            mapping=mapping,
            options=options,
        )
    if result.total_rows:
        with progress_bar("写入 loading", result.total_rows) as advance:
            write_result(engine, result, source=f"ingest {kind} {path.name}", progress=advance)
        match_fugitives(engine, result, chain=chain)
    return result


def _audit_chain(db: str | None) -> AuditChain | None:
    """The configured audit chain, or None without an audit key."""
    from fanzha.cli._serve import audit_chain_of
    from fanzha.store.audit import AuditKeyError

    try:
        return audit_chain_of(db)
    except AuditKeyError:
        return None


def _summary(result: IngestResult) -> Table:
    report = result.report
    table = Table("", "rows 行数", title=f"导入 {report.kind}: {report.source}")
    table.add_row("read 读取", f"{report.rows_read:,}")
    table.add_row("[bold]stored 入库[/bold]", f"[bold]{report.records:,}[/bold]")
    for name, count in report.inserted.items():
        table.add_row(f"  + {name}", f"{count:,}")
    for name, count in report.updated.items():
        table.add_row(f"  ~ {name} (updated)", f"{count:,}")
    for label, count in (
        ("already stored, skipped 已存在", report.skipped_existing),
        ("repeated in file 重复", report.duplicates),
        ("self-loops dropped 自环", report.self_loops),
        ("blank lines 空行", report.blank_rows),
        ("rejected 拒收", report.rejected),
    ):
        if count:
            table.add_row(label, f"{count:,}")
    return table


MapOption = Annotated[
    list[str] | None,
    typer.Option(
        "--map", help="field=column pairs, comma-separated or repeated, e.g. caller=主叫号码."
    ),
]
DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: FANZHA_DB_URL, else sqlite:///./fanzha.db)."),
]
TzOption = Annotated[
    str, typer.Option("--tz", help="Time zone of times written without an offset.")
]
SkipOption = Annotated[
    bool,
    typer.Option(
        "--skip-bad", help="Load the good rows, write the bad ones to a rejects CSV, exit 3."
    ),
]
RejectsOption = Annotated[
    Path | None,
    typer.Option("--rejects", help="Rejects CSV (default: FILE's name + .rejects.csv beside it)."),
]
FileArgument = Annotated[Path, typer.Argument(help="CSV (UTF-8 or GBK) or Parquet file.")]


def _run(
    kind: str,
    file: Path,
    *,
    db: str | None,
    map_: list[str] | None,
    tz: str,
    skip_bad: bool,
    rejects: Path | None,
    create_missing: bool = False,
    amount_unit: str = "yuan",
) -> None:
    from fanzha.ingest import IngestOptions, parse_mapping
    from fanzha.store import make_engine, migrate

    options = IngestOptions(
        tz=tz, amount_unit=amount_unit, skip_bad=skip_bad, create_missing=create_missing
    )
    mapping = parse_mapping(map_ or [])
    engine = make_engine(db)
    migrate(engine)
    result = ingest_file(
        engine, kind, file, mapping=mapping, options=options, chain=_audit_chain(db)
    )
    for note in result.report.notes:
        err_console.print(f"[yellow]note:[/yellow] {note}")
    out_console.print(_summary(result))
    if not result.total_rows:
        err_console.print("nothing new: the store already holds every record of this file")
    if result.report.rejected:
        target = rejects or file.with_name(f"{file.stem}.rejects.csv")
        result.rejects.write_csv(target, include_bom=True)
        err_console.print(
            f"[yellow]{result.report.rejected} bad row(s) rejected[/yellow] → {target}; "
            "the other rows were loaded"
        )
        raise typer.Exit(EXIT_SKIPPED)


def _command(kind: str, doc: str) -> Callable[..., None]:
    """The command of a record kind that takes only the common options."""

    def command(
        file: FileArgument,
        db: DbOption = None,
        map_: MapOption = None,
        tz: TzOption = "Asia/Shanghai",
        skip_bad: SkipOption = False,
        rejects: RejectsOption = None,
    ) -> None:
        _run(kind, file, db=db, map_=map_, tz=tz, skip_bad=skip_bad, rejects=rejects)

    command.__doc__ = doc
    return command


ingest_app.command("calls")(
    _command("calls", "Call records / SMS (话单): caller, callee, started_at, duration_s, kind.")
)


@ingest_app.command("transfers")
def transfers(
    file: FileArgument,
    db: DbOption = None,
    map_: MapOption = None,
    tz: TzOption = "Asia/Shanghai",
    skip_bad: SkipOption = False,
    rejects: RejectsOption = None,
    create_missing: Annotated[
        bool,
        typer.Option(
            "--create-missing",
            help="Create accounts the store lacks (bank 未知) instead of failing.",
        ),
    ] = False,
    amount_unit: Annotated[
        str, typer.Option("--amount-unit", help="yuan (up to 2 decimals) or fen (whole numbers).")
    ] = "yuan",
) -> None:
    """Transfers (资金流水): txn_id, src, dst, amount, time, currency, channel, case_no."""
    _run(
        "transfers",
        file,
        db=db,
        map_=map_,
        tz=tz,
        skip_bad=skip_bad,
        rejects=rejects,
        create_missing=create_missing,
        amount_unit=amount_unit,
    )


ingest_app.command("cards")(
    _command(
        "cards",
        "Card registrations (开户/入网): number, kind, id_number, name, outlet, opened_at, issuer.",
    )
)
ingest_app.command("devices")(
    _command("devices", "Device logs (设备日志): imei, number, seen_at, cell_id, imsi, kind.")
)


@ingest_app.command("ftm")
def ftm(
    file: Annotated[
        Path,
        typer.Argument(
            help="FollowTheMoney entities, JSON lines (export-ftm, Aleph, 协查 packages)."
        ),
    ],
    db: DbOption = None,
    skip_bad: Annotated[
        bool,
        typer.Option("--skip-bad", help="Load the good lines, list the bad ones, exit 3."),
    ] = False,
) -> None:
    """FollowTheMoney entities (JSON lines): each standard schema back into fanzha's records."""
    from fanzha.graph import GRAPH_TABLES, check_ftm_entity, ftm_records
    from fanzha.jsonl import read_jsonl
    from fanzha.store import make_engine, migrate, next_ids, read_tables

    entities, bad = [], []
    with progress_bar(f"校验 checking {file.name}", None):
        for row in read_jsonl(file):
            try:
                if row.error is not None:
                    raise row.error
                assert row.data is not None
                entities.append(check_ftm_entity(row.data, line=row.line, source=file.name))
            except InvalidInput as exc:
                bad.append(exc)
    for error in bad[:20]:
        err_console.print(f"[yellow]bad line[/yellow] {error.message}", soft_wrap=True)
    if bad and not skip_bad:
        raise InvalidInput(
            f"{len(bad)} bad line(s), the first: {bad[0].message}; nothing was written "
            "(--skip-bad loads the good lines)",
            source=file.name,
        )
    engine = make_engine(db)
    migrate(engine)
    planned = ftm_records(
        entities, stored=read_tables(engine, list(GRAPH_TABLES)), next_ids=next_ids(engine)
    )
    rows = sum(planned.report.rows.values())
    if rows:
        with progress_bar("写入 loading", rows) as advance:
            write_tables(engine, planned.tables, source=f"ingest ftm {file.name}", progress=advance)
    report = planned.report
    table = Table("", "count 数量", title=f"导入 FtM: {file.name}")
    table.add_row("entities read 读取实体", f"{report.entities:,}")
    for name, count in sorted(report.rows.items()):
        table.add_row(f"  + {name}", f"{count:,}")
    for label, count in (
        ("already stored, skipped 已存在", report.already_stored),
        ("stand-in holders (made again on export) 代持占位", report.stand_ins),
        ("placeholder events of aggregated edges 聚合边补足", report.placeholders),
        ("bad lines 拒收", len(bad)),
    ):
        if count:
            table.add_row(label, f"{count:,}")
    for reason, count in sorted(report.unplaced.items()):
        table.add_row(f"[yellow]not placed 未能入库[/yellow]: {reason}", f"{count:,}")
    out_console.print(table)
    if bad:
        raise typer.Exit(EXIT_SKIPPED)
