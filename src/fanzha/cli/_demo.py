"""`fanzha demo-data`: fill a database with the synthetic demo city (also for `serve --demo`).

The heavy imports (the store, the generator) happen inside the functions, so that other
commands start fast.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from fanzha.cli._common import err_console, out_console, progress_bar
from fanzha.errors import InvalidInput, LedgerConflict

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = [
    "DEMO_SOURCE",
    "demo_data",
    "ensure_demo_city",
    "has_demo_data",
    "load_demo_city",
    "reset_database",
]

DEMO_SOURCE = "demo"


def has_demo_data(engine: Engine) -> bool:
    """True if a demo city was loaded into this database."""
    from sqlalchemy import func, select

    from fanzha.store import ImportBatch

    with engine.connect() as connection:
        found = connection.execute(
            select(func.count()).where(ImportBatch.source.like(f"{DEMO_SOURCE}%"))
        ).scalar_one()
    return bool(found)


def reset_database(engine: Engine) -> None:
    """Drop every fanzha table and the migration record, then migrate to an empty schema."""
    from sqlalchemy import text

    from fanzha.store import Base, migrate

    Base.metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    migrate(engine)


def _default_start(days: int) -> datetime:
    """``days`` before now, to the minute, so the newest tasks of the city are the newest now."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    return now - timedelta(days=days)


def load_demo_city(
    engine: Engine, *, records: int, seed: int, days: int = 90, start: datetime | None = None
) -> dict[str, int]:
    """Generate the demo city and bulk-load it (one transaction), with progress bars; row counts.

    Ids continue after whatever the database already holds. Raises ``InvalidInput`` when the
    city clashes with rows already there (e.g. a user called ``admin``).
    """
    from argon2 import PasswordHasher

    from fanzha.demo import DEMO_PASSWORD, GENERATE_STEPS, generate_city
    from fanzha.store import bulk_load, next_ids

    first = start or _default_start(days)
    with progress_bar("生成演示城市 generating", GENERATE_STEPS) as advance:
        frames = generate_city(
            seed=seed,
            records=records,
            start=first,
            days=days,
            password_hash=PasswordHasher().hash(DEMO_PASSWORD),
            ids_from=next_ids(engine),
            progress=advance,
        )
    total = sum(frame.height for frame in frames.values())
    try:
        with progress_bar("写入数据库 loading", total) as advance:
            counts = bulk_load(
                engine,
                frames,
                source=f"{DEMO_SOURCE} seed={seed} records={records}",
                progress=advance,
            )
    except LedgerConflict as exc:
        raise InvalidInput(
            f"the demo city clashes with rows already in the database ({exc.message}); "
            "load it into an empty database, or pass --reset to wipe this one",
            field="--db",
        ) from exc
    from fanzha.store.demo_targets import seed_demo_targets

    # 侦查打击 / 重点整治 / 行业治理 registers made from the city just loaded (issue 17), dated
    # at the end of its history (a city of 2022 gets its operation in 2022, not today)
    history_end = first + timedelta(days=days)
    with progress_bar("演示名册 registers", None):
        counts.update(seed_demo_targets(engine, seed=seed, now=history_end))
    from fanzha.store.demo_strike import seed_demo_strike

    # the demo 专项行动 (a round like 2022's round two) with its raids, seizures and clues
    with progress_bar("专项行动 operation", None):
        counts.update(seed_demo_strike(engine, seed=seed, now=history_end))
    return counts


def ensure_demo_city(engine: Engine, *, records: int, seed: int, days: int = 90) -> bool:
    """Load the demo city into a migrated database that has none yet; True if it did."""
    from fanzha.demo import TABLES
    from fanzha.store import table_counts

    counts = table_counts(engine)
    if has_demo_data(engine) or any(counts.get(table, 0) for table in TABLES):
        return False
    load_demo_city(engine, records=records, seed=seed, days=days)
    return True


def demo_data(
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Database URL (default: FANZHA_DB_URL, else sqlite:///./fanzha.db)."
        ),
    ] = None,
    records: Annotated[
        int, typer.Option(help="About how many rows to make over all tables (1,000 … 20,000,000).")
    ] = 100_000,
    seed: Annotated[
        int, typer.Option(help="Seed: the same seed and start give the same city.")
    ] = 2022,
    days: Annotated[int, typer.Option(help="Days of history the city covers (7 … 3650).")] = 90,
    start: Annotated[
        datetime | None,
        typer.Option(help="First day of the history (UTC); default: DAYS days before now."),
    ] = None,
    reset: Annotated[
        bool, typer.Option("--reset", help="Drop everything in the database first.")
    ] = False,
) -> None:
    """Fill the database with a synthetic demo city (citizens, gangs, cases, warnings …)."""
    from fanzha.demo import DEMO_PASSWORD, TABLES
    from fanzha.store import make_engine, migrate

    engine = make_engine(db)
    migrate(engine)
    if has_demo_data(engine):
        if not reset:
            raise InvalidInput(
                "the database already holds a demo city; pass --reset to drop everything in it "
                "and load a new one",
                field="--db",
            )
        reset_database(engine)
    elif reset:
        reset_database(engine)
    began = time.perf_counter()
    aware = None if start is None else start.replace(tzinfo=start.tzinfo or UTC)
    counts = load_demo_city(engine, records=records, seed=seed, days=days, start=aware)
    table = Table("table 表", "rows 行数", title="演示城市 demo city")
    for name in TABLES:
        table.add_row(name, f"{counts.get(name, 0):,}")
    table.add_row("[bold]total 合计[/bold]", f"[bold]{sum(counts.values()):,}[/bold]")
    out_console.print(table)
    err_console.print(
        f"done in {time.perf_counter() - began:.1f} s. Demo users: admin, commander, analyst, "
        f"fund, outreach, warn_<district>_1, investigator, inv_<district> …; password "
        f"{DEMO_PASSWORD}"
    )
