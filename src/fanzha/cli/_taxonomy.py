"""`fanzha taxonomy types|rules`: list the fraud types and the rules with their advice."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

import typer
from rich.table import Table

from fanzha.cli._common import out_console

__all__ = ["CATEGORY_NAMES", "taxonomy_app"]

taxonomy_app = typer.Typer(help="Fraud types, rules and advice.", no_args_is_help=True)
JsonFlag = Annotated[bool, typer.Option("--json", help="print JSON lines")]

CATEGORY_NAMES = {"fraud": "诈骗", "illegal": "违法", "advertising": "广告", "normal": "正常"}
KIND_NAMES = {"text": "文本", "phone": "号码", "url": "链接"}
GROUP_NAMES = {"seven_always": "七个一律", "current": "常见"}


def _show(
    items: Sequence[Any],
    fields: Sequence[str],
    headers: tuple[str, str],
    summary: Sequence[tuple[str, Mapping[str, str] | None]],
    as_json: bool,
) -> None:
    """Print ``fields`` of each item as JSON lines, or a two-column table: the ``summary``
    fields (names of codes looked up) one per line on the left, the explanation on the right.

    Two columns fit an 80-column terminal without cutting a name or a code.
    """
    if as_json:
        for item in items:
            typer.echo(json.dumps({f: getattr(item, f) for f in fields}, ensure_ascii=False))
        return
    table = Table(show_lines=True)
    table.add_column(headers[0], overflow="fold", max_width=32)
    table.add_column(headers[1], overflow="fold", ratio=1)
    for item in items:
        lines = []
        for field, names in summary:
            value = str(getattr(item, field))
            lines.append(names.get(value, value) if names else value)
        table.add_row("\n".join(lines), str(getattr(item, fields[-2])))
    out_console.print(table)


@taxonomy_app.command("types")
def list_types(as_json: JsonFlag = False) -> None:
    """List the fraud types (诈骗类型) with their codes and advice."""
    from fanzha.taxonomy import fraud_types

    fields = ("code", "name", "category", "description", "advice")
    summary = (("name", None), ("code", None), ("category", CATEGORY_NAMES))
    _show(fraud_types(), fields, ("名称 / 代码 / 类别", "说明"), summary, as_json)


@taxonomy_app.command("rules")
def list_rules(as_json: JsonFlag = False) -> None:
    """List the screening rules (including the 七个一律) with their explanations."""
    from fanzha.taxonomy import rules

    fields = ("id", "name", "kind", "group", "weight", "explanation", "advice")
    summary = (("name", None), ("id", None), ("kind", KIND_NAMES), ("group", GROUP_NAMES))
    _show(rules(), fields, ("名称 / 编号 / 对象 / 分组", "说明"), summary, as_json)
