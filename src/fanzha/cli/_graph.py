"""`fanzha graph expand|path|gangs|roles|outlets|export-ftm`: 研判扩线 over the store.

Each command reads the store tables into frames, builds the entity graph and calls one
function of ``fanzha.graph``; ``--json`` prints the result as JSON instead of a table.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from fanzha.cli._common import err_console, out_console, progress_bar
from fanzha.errors import InvalidInput

if TYPE_CHECKING:
    from fanzha.graph import EdgeFilter, EntityGraph

__all__ = ["graph_app"]

graph_app = typer.Typer(
    help="研判扩线: expand clues, find gangs, roles and bad outlets.", no_args_is_help=True
)

DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: FANZHA_DB_URL, else sqlite:///./fanzha.db)."),
]
FromOpt = Annotated[
    str,
    typer.Option(
        "--from", help="the clue: a typed id (phone:138…, account:6222…) or a bare number"
    ),
]
HopsOpt = Annotated[int, typer.Option("--hops", help="how many hops to expand")]
TypesOpt = Annotated[
    str | None, typer.Option("--types", help="edge types to follow, comma-separated (default: all)")
]
SinceOpt = Annotated[
    str | None, typer.Option("--since", help="window start, ISO 8601 (naive = UTC)")
]
UntilOpt = Annotated[str | None, typer.Option("--until", help="window end (exclusive)")]
CapOpt = Annotated[int, typer.Option("--cap", help="most neighbours one node may add")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON instead of a table")]
TopOpt = Annotated[int, typer.Option("--top", "--limit", min=1, help="rows to show")]
LimitOpt = Annotated[
    int, typer.Option("--limit", "--top", min=1, help="nodes listed in the table (--json: all)")
]


def _when(text: str | None, name: str) -> datetime | None:
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            f"{text!r} is not a time; write it like 2026-01-31 or 2026-01-31T08:00+08:00",
            field=name,
            value=text,
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _filter(types: str | None, since: str | None, until: str | None) -> EdgeFilter:
    from fanzha.graph import EdgeFilter

    kinds = tuple(t.strip() for t in types.split(",") if t.strip()) if types else None
    flt = EdgeFilter(types=kinds, since=_when(since, "--since"), until=_when(until, "--until"))
    flt.type_mask()  # refuses an unknown type before the graph is built
    return flt


def load_graph(db: str | None) -> EntityGraph:
    """Read the store tables the graph needs and build the entity graph."""
    from fanzha.graph import GRAPH_TABLES, build_graph
    from fanzha.store import make_engine, read_tables

    engine = make_engine(db)
    frames: dict[str, Any] = {}
    try:
        with progress_bar("读取数据表", len(GRAPH_TABLES)) as advance:
            for name in GRAPH_TABLES:
                frames |= read_tables(engine, [name])
                advance(1)
    finally:
        engine.dispose()
    graph = build_graph(frames)
    err_console.print(f"关系图：{graph.n_nodes:,} 个节点，{graph.n_edges:,} 条边", highlight=False)
    return graph


def _print_json(data: Any) -> None:
    out_console.print_json(json.dumps(data, ensure_ascii=False, default=str))


def _table(
    title: str, columns: list[str], rows: list[list[Any]], *, no_wrap: frozenset[int] = frozenset()
) -> None:
    """A table with Chinese ``columns``; the columns numbered in ``no_wrap`` are never cut."""
    table = Table(title=title)
    for index, column in enumerate(columns):
        table.add_column(column, no_wrap=index in no_wrap, overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    out_console.print(table)


def _role_counts(counts: dict[str, int], labels: Mapping[str, str]) -> str:
    """Role counts in Chinese, most first, one per line (— for none)."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "\n".join(f"{labels.get(role, role)} {n}" for role, n in ordered) or "—"


@graph_app.command()
def expand(
    clue: FromOpt,
    db: DbOpt = None,
    hops: HopsOpt = 2,
    types: TypesOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    cap: CapOpt = 50,
    as_json: JsonOpt = False,
    limit: LimitOpt = 40,
) -> None:
    """Everything within --hops of a clue, each node adding at most --cap neighbours."""
    from fanzha.graph import assign_roles, expand, guess_node_id, subgraph_json

    node_id = guess_node_id(clue)
    flt = _filter(types, since, until)
    graph = load_graph(db)
    sub = expand(graph, node_id, hops=hops, edge_filter=flt, cap=cap)
    data = subgraph_json(graph, sub, roles=assign_roles(graph))
    if as_json:
        _print_json(data)
        return
    stats = data["stats"]
    out_console.print(
        f"{node_id}：{hops} 跳内 {stats['nodes']} 个节点、{stats['edges']} 条边；"
        f"{stats['truncated_nodes']} 个节点达到 --cap 上限（舍弃 {stats['dropped_neighbours']} "
        "个邻居）"
    )
    nodes = sorted(data["nodes"], key=lambda n: (n["hop"], n["id"]))
    rows = [
        [
            n["hop"],
            n["id"],
            "" if n["id"].endswith(f":{n['label']}") else n["label"],
            n.get("role", {}).get("label"),
            "是" if n["flagged"] else "",
        ]
        for n in nodes[:limit]
    ]
    _table("扩线结果", ["跳数", "节点", "名称", "角色", "已标记"], rows, no_wrap=frozenset({1}))
    if len(nodes) > limit:
        out_console.print(
            f"… 还有 {len(nodes) - limit} 个节点未列出（--limit 调整条数，--json 输出全部）"
        )


@graph_app.command()
def path(
    clue: FromOpt,
    target: Annotated[str, typer.Option("--to", help="the other clue")],
    db: DbOpt = None,
    max_hops: Annotated[int, typer.Option("--max-hops", help="longest path looked for")] = 6,
    types: TypesOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The shortest paths between two clues, with the edge types along them."""
    from fanzha.graph import EDGE_TYPES, guess_node_id, shortest_paths, subgraph_json

    a, b = guess_node_id(clue), guess_node_id(target)
    graph = load_graph(db)
    found = shortest_paths(graph, a, b, edge_filter=_filter(types, since, until), max_hops=max_hops)
    steps = [
        [graph.ids[n] for n in nodes]
        + [" / ".join(EDGE_TYPES[int(graph.etype[e])].key for e in s) for s in edges]
        for nodes, edges in found.paths
    ]
    if as_json:
        _print_json(
            {"length": found.length, "paths": steps, "graph": subgraph_json(graph, found.subgraph)}
        )
        return
    if found.length < 0:
        out_console.print(f"{max_hops} 跳内未找到 {a} 与 {b} 之间的路径")
        return
    for nodes, edges in found.paths:
        parts = [graph.ids[nodes[0]]]
        for node, step in zip(nodes[1:], edges, strict=True):
            kinds = "/".join(EDGE_TYPES[int(graph.etype[e])].key for e in step)
            parts.append(f"-[{kinds}]- {graph.ids[node]}")
        out_console.print(" ".join(parts), soft_wrap=True, markup=False)


@graph_app.command()
def gangs(
    db: DbOpt = None,
    hops: HopsOpt = 2,
    resolution: Annotated[
        float | None,
        typer.Option(help="Leiden CPM density: higher, smaller gangs [2/√N, at least 0.005]"),
    ] = None,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    as_json: JsonOpt = False,
    top: TopOpt = 20,
) -> None:
    """Gangs: Leiden communities around flagged and case-linked entities, most money first."""
    from fanzha.graph import ROLE_LABELS, assign_roles, find_gangs, gang_record

    graph = load_graph(db)
    found = find_gangs(
        graph, roles=assign_roles(graph), hops=hops, resolution=resolution, seed=seed
    )
    rows: list[dict[str, Any]] = [gang_record(graph, g) for g in found[:top]]
    if as_json:
        _print_json({"gangs": len(found), "top": rows})
        return
    _table(
        f"团伙 {len(found)} 个（前 {len(rows)} 个）",
        ["团伙", "人数", "金额（元）", "受害人", "角色", "关键节点"],
        [
            [
                r["gang"],
                r["size"],
                f"{r['money_fen'] / 100:,.0f}",
                r["victims"],
                _role_counts(r["roles"], ROLE_LABELS),
                "\n".join(r["key_nodes"][:3]),
            ]
            for r in rows
        ],
        no_wrap=frozenset({5}),
    )
    if len(found) > len(rows):
        out_console.print(f"… 还有 {len(found) - len(rows)} 个团伙未列出（--top 调整条数）")


@graph_app.command()
def roles(
    db: DbOpt = None,
    role: Annotated[
        str | None, typer.Option("--role", help="only this role (e.g. goip_den)")
    ] = None,
    as_json: JsonOpt = False,
    top: TopOpt = 50,
) -> None:
    """Roles by rule: 卡头卡贩, GOIP窝点, 跑分, 取现, 引流 — each with score and reason."""
    import polars as pl

    from fanzha.graph import ROLE_LABELS, assign_roles

    if role is not None and role not in ROLE_LABELS:
        raise InvalidInput(
            f"unknown role; known: {', '.join(ROLE_LABELS)}", field="--role", value=role
        )
    found = assign_roles(load_graph(db))
    if role is not None:
        found = found.filter(pl.col("role") == role)
    rows = found.head(top).select("id", "role", "label", "score", "reason")
    if as_json:
        _print_json({"count": found.height, "roles": rows.to_dicts()})
        return
    counts = found.group_by("label").len().sort("len", descending=True).rows()
    out_console.print("; ".join(f"{label} {n}" for label, n in counts))
    _table(
        "角色研判",
        ["节点", "角色", "分值", "依据"],
        [[r[0], r[2], f"{r[3]:.2f}", r[4]] for r in rows.rows()],
    )


@graph_app.command()
def outlets(db: DbOpt = None, as_json: JsonOpt = False, top: TopOpt = 20) -> None:
    """断卡: outlets ranked by the share of their cards that turned up in cases, and the
    persons holding the most cards."""
    from fanzha.graph import cards_per_person, rank_outlets

    graph = load_graph(db)
    ranked = rank_outlets(graph).head(top)
    holders = cards_per_person(graph).head(top)
    if as_json:
        _print_json({"outlets": ranked.to_dicts(), "persons": holders.to_dicts()})
        return
    _table(
        "网点涉案卡占比",
        ["排名", "网点", "名称", "开卡数", "涉案卡", "占比", "分值"],
        [
            [
                r["rank"],
                r["id"],
                r["name"],
                r["cards"],
                r["case_cards"],
                f"{r['share']:.1%}",
                f"{r['score']:.3f}",
            ]
            for r in ranked.iter_rows(named=True)
        ],
    )
    _table(
        "人均持卡",
        ["人员", "姓名", "持卡数", "电话卡", "银行账户", "网点数", "涉案卡"],
        [
            [
                r["id"],
                r["name"],
                r["cards"],
                r["sims"],
                r["accounts"],
                r["outlets"],
                r["case_cards"],
            ]
            for r in holders.iter_rows(named=True)
        ],
    )


@graph_app.command("export-ftm")
def export_ftm(
    out: Annotated[Path, typer.Option("--out", help="JSON-lines file to write")],
    clue: Annotated[
        str | None,
        typer.Option("--from", help="the clue to expand: a typed id or a bare number"),
    ] = None,
    whole: Annotated[
        bool, typer.Option("--all", help="every entity of the store instead of one clue's")
    ] = False,
    db: DbOpt = None,
    hops: HopsOpt = 2,
    types: TypesOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    cap: CapOpt = 50,
) -> None:
    """Export the expansion of a clue (--from) or the whole store (--all) as FollowTheMoney
    entities (JSON lines) for Aleph, Gephi (ftm export-gexf) or Neo4j (ftm export-cypher)."""
    from fanzha.graph import FtmReport, expand, guess_node_id, iter_ftm_entities
    from fanzha.jsonl import write_jsonl_row

    if (clue is None) == (not whole):
        raise InvalidInput("give either --from CLUE or --all", field="from")
    flt = _filter(types, since, until)
    graph = load_graph(db)
    sub = None
    if clue is not None:
        sub = expand(graph, guess_node_id(clue), hops=hops, edge_filter=flt, cap=cap)
    report = FtmReport()
    out.parent.mkdir(parents=True, exist_ok=True)
    total = graph.n_nodes + graph.n_edges if sub is None else None
    with open(out, "w", encoding="utf-8") as handle, progress_bar("导出 FtM", total) as advance:
        for at, entity in enumerate(iter_ftm_entities(graph, sub, report), start=1):
            write_jsonl_row(handle, entity)
            if at % 10_000 == 0:
                advance(10_000)
        advance(report.total % 10_000)
    summary = ", ".join(f"{k} {v}" for k, v in sorted(report.schemata.items()))
    out_console.print(f"已导出 {report.total} 个实体（{summary}）→ {out}", soft_wrap=True)
    if report.refused or report.altered:
        err_console.print(
            f"[yellow]{len(report.refused) + len(report.altered)} values FtM would refuse or "
            "alter are kept in notes[/yellow]",
            soft_wrap=True,
        )
