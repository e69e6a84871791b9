"""`fanzha taxonomy types|rules`: list the fraud types and the rules with their advice."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from rich.table import Table

from fanzha.cli._common import out_console

__all__ = ["taxonomy_app"]

taxonomy_app = typer.Typer(help="Fraud types, rules and advice.", no_args_is_help=True)
JsonFlag = Annotated[bool, typer.Option("--json", help="print JSON lines")]


def _show(
    items: Sequence[Any], fields: Sequence[str], headers: Sequence[str], as_json: bool
) -> None:
    """Print ``fields`` of each item as JSON lines, or as a table with ``headers``."""
    if as_json:
        for item in items:
            typer.echo(json.dumps({f: getattr(item, f) for f in fields}, ensure_ascii=False))
        return
    table = Table(*headers)
    for item in items:
        table.add_row(*(str(getattr(item, f)) for f in fields[: len(headers)]))
    out_console.print(table)


@taxonomy_app.command("types")
def list_types(as_json: JsonFlag = False) -> None:
    """List the fraud types (诈骗类型) with their codes and advice."""
    from fanzha.taxonomy import fraud_types

    fields = ("code", "name", "category", "description", "advice")
    _show(fraud_types(), fields, ("code", "名称", "类别", "说明"), as_json)


@taxonomy_app.command("rules")
def list_rules(as_json: JsonFlag = False) -> None:
    """List the screening rules (including the 七个一律) with their explanations."""
    from fanzha.taxonomy import rules

    fields = ("id", "name", "kind", "group", "weight", "explanation", "advice")
    _show(rules(), fields, ("id", "名称", "kind", "group", "weight", "说明"), as_json)
