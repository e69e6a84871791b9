"""`fanzha operations list|overdue-clues`: 专项行动 figures and 线索不过夜 from the shell.

``list`` prints each operation with its live roll-up (the same SQL aggregation as the API);
``overdue-clues`` the open clues past their SLA, most overdue first. ``--json`` prints JSON.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from fanzha.cli._common import out_console

__all__ = ["operations_app"]

operations_app = typer.Typer(
    help="专项行动: operations with their live figures, and clues past their SLA.",
    no_args_is_help=True,
)

DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: FANZHA_DB_URL, else sqlite:///./fanzha.db)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON instead of a table")]


@operations_app.command("list")
def list_operations(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Every operation with its figures (arrests, raids, seizures by kind, cash …)."""
    from sqlalchemy.orm import Session

    from fanzha.operations import SEIZURE_KINDS
    from fanzha.records import format_yuan
    from fanzha.store import make_engine
    from fanzha.store.operations import list_operations as stored
    from fanzha.store.operations import operation_rollups

    engine = make_engine(db)
    with Session(engine) as session:
        found = stored(session)
        rollups = operation_rollups(session, [op.id for op in found])
    engine.dispose()
    if as_json:
        rows = [{**asdict(op), "rollup": asdict(rollups[op.id])} for op in found]
        out_console.print_json(json.dumps(rows, ensure_ascii=False, default=str))
        return
    table = Table(
        "id", "行动 name", "时间 period", "警力", "抓获", "现场抓获", "窝点", "缴获 seized", "现金"
    )
    for op in found:
        r = rollups[op.id]
        seized = "，".join(f"{SEIZURE_KINDS[k]}{n}" for k, n in r.seizures.items() if k != "cash")
        table.add_row(
            str(op.id),
            op.name,
            f"{op.starts_on}–{op.ends_on}",
            f"{r.officers:,}",
            f"{r.arrests:,}",
            f"{r.caught_in_raids:,}",
            f"{r.dens_raided:,}",
            seized or "—",
            format_yuan(r.cash_fen),
        )
    out_console.print(table)


@operations_app.command("overdue-clues")
def overdue_clues(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Open clues past their SLA (线索不过夜), most overdue first."""
    from sqlalchemy.orm import Session

    from fanzha.store import make_engine
    from fanzha.store.clues import list_clues

    engine = make_engine(db)
    now = datetime.now(UTC)
    with Session(engine) as session:
        late, total = list_clues(session, overdue_at=now, per_page=1000)
    engine.dispose()
    if as_json:
        rows = [{**asdict(c), "evidence": None} for c in late]
        out_console.print_json(json.dumps(rows, ensure_ascii=False, default=str))
        return
    table = Table(
        "id", "线索 title", "辖区 district", "状态 state", "时限 due", title=f"超时线索 {total}"
    )
    for clue in late:
        table.add_row(
            str(clue.id),
            clue.title,
            clue.district or "市局",
            clue.state,
            clue.sla_due_at.isoformat(timespec="minutes"),
        )
    out_console.print(table)
