"""The `fanzha` Typer application: every command registered in one place.

Start-up stays light: the command modules import the core packages (scikit-learn, numpy,
polars, the store, the models) inside the commands, so ``--help``, ``--version`` and
``taxonomy`` answer without them (``bench/cli_cold_start.py`` measures it and
``tests/cli/test_cold_start.py`` keeps it so).
"""

from __future__ import annotations

from typing import Annotated

import typer

from fanzha.cli._backup import backup, restore
from fanzha.cli._common import FanzhaGroup
from fanzha.cli._demo import demo_data
from fanzha.cli._funds import funds_app
from fanzha.cli._graph import graph_app
from fanzha.cli._ingest import ingest_app
from fanzha.cli._intake import intake, publish
from fanzha.cli._operations import operations_app
from fanzha.cli._outreach import outreach_app
from fanzha.cli._parquet import export_tables, import_tables
from fanzha.cli._phone import phone_app
from fanzha.cli._screen import screen
from fanzha.cli._serve import audit_app, serve
from fanzha.cli._stats import stats_app
from fanzha.cli._taxonomy import taxonomy_app
from fanzha.cli._textmodel import textmodel_app

__all__ = ["app", "main", "package_version"]

app = typer.Typer(
    cls=FanzhaGroup,
    help="fanzha 反诈: screening, warning, link analysis and fund control for anti-fraud centers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def package_version() -> str:
    """The installed distribution's version (its metadata), else the source tree's."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("fanzha")
    except PackageNotFoundError:  # run from a source tree that was never installed
        from fanzha import __version__

        return __version__


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"fanzha {package_version()}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="版本 Show the version and exit.",
        ),
    ] = False,
) -> None:
    """fanzha 反诈: screening, warning, link analysis and fund control for anti-fraud centers."""


app.command()(screen)
app.add_typer(textmodel_app, name="textmodel")
app.add_typer(taxonomy_app, name="taxonomy")
app.command()(serve)
app.add_typer(audit_app, name="audit")
app.command("demo-data")(demo_data)
app.add_typer(phone_app, name="phone")
app.add_typer(ingest_app, name="ingest")
app.add_typer(funds_app, name="funds")
app.add_typer(graph_app, name="graph")
app.add_typer(operations_app, name="operations")
app.add_typer(outreach_app, name="outreach")
app.command()(backup)
app.command()(restore)
app.command("export")(export_tables)
app.command("import")(import_tables)
app.command()(publish)
app.command()(intake)
app.add_typer(stats_app, name="stats")


def main() -> None:
    """Entry point of the `fanzha` console script."""
    app()
