"""The `fanzha` Typer application: every command registered in one place."""

from __future__ import annotations

import typer

from fanzha.cli._backup import backup, restore
from fanzha.cli._common import FanzhaGroup
from fanzha.cli._demo import demo_data
from fanzha.cli._funds import funds_app
from fanzha.cli._graph import graph_app
from fanzha.cli._ingest import ingest_app
from fanzha.cli._phone import phone_app
from fanzha.cli._screen import screen
from fanzha.cli._serve import audit_app, serve
from fanzha.cli._taxonomy import taxonomy_app
from fanzha.cli._textmodel import textmodel_app

__all__ = ["app", "main"]

app = typer.Typer(
    cls=FanzhaGroup,
    help="fanzha 反诈: screening, warning, link analysis and fund control for anti-fraud centers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
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
app.command()(backup)
app.command()(restore)


def main() -> None:
    """Entry point of the `fanzha` console script."""
    app()
