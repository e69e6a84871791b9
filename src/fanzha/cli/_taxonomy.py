"""`fanzha taxonomy types|rules`: list the fraud types and the rules with their advice."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from fanzha.cli._common import out_console
from fanzha.taxonomy import fraud_types, rules

__all__ = ["taxonomy_app"]

taxonomy_app = typer.Typer(help="Fraud types, rules and advice.", no_args_is_help=True)
JsonFlag = Annotated[bool, typer.Option("--json", help="print JSON lines")]


@taxonomy_app.command("types")
def list_types(as_json: JsonFlag = False) -> None:
    """List the fraud types (诈骗类型) with their codes and advice."""
    if as_json:
        for item in fraud_types():
            typer.echo(
                json.dumps(
                    {
                        "code": item.code,
                        "name": item.name,
                        "category": item.category,
                        "description": item.description,
                        "advice": item.advice,
                    },
                    ensure_ascii=False,
                )
            )
        return
    table = Table("code", "名称", "类别", "说明")
    for item in fraud_types():
        table.add_row(item.code, item.name, item.category, item.description)
    out_console.print(table)


@taxonomy_app.command("rules")
def list_rules(as_json: JsonFlag = False) -> None:
    """List the screening rules (including the 七个一律) with their explanations."""
    if as_json:
        for item in rules():
            typer.echo(
                json.dumps(
                    {
                        "id": item.id,
                        "name": item.name,
                        "kind": item.kind,
                        "group": item.group,
                        "weight": item.weight,
                        "explanation": item.explanation,
                        "advice": item.advice,
                    },
                    ensure_ascii=False,
                )
            )
        return
    table = Table("id", "名称", "kind", "group", "weight", "说明")
    for item in rules():
        table.add_row(
            item.id, item.name, item.kind, item.group, f"{item.weight:.2f}", item.explanation
        )
    out_console.print(table)
