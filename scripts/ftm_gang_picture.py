"""The README's picture of a demo gang, drawn from the GEXF file followthemoney's own
``ftm export-gexf`` makes of a fanzha FtM export (what Gephi would open).

Steps: a small demo city → its largest-money gang → the 1-hop expansion of the gang's key
node (``fanzha.graph.expand``) as FtM entities → ``ftm export-gexf`` → networkx reads the
GEXF → ``fanzha.graph.render_png`` (matplotlib, Noto CJK font for the Chinese labels).

Run:  python scripts/ftm_gang_picture.py [--records 3000] [--seed 7] [--out docs/ftm-gang.png]
(needs the ``docs`` extra: pip install -e '.[docs]')
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx

from fanzha.demo import generate_city
from fanzha.graph import build_graph, expand, find_gangs, ftm_entities, render_png

START = datetime(2026, 1, 1, tzinfo=UTC)


def _short(label: str, most: int = 14) -> str:
    return label if len(label) <= most else label[: most - 1] + "…"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--hops", type=int, default=2)
    parser.add_argument("--cap", type=int, default=8, help="most neighbours one node adds")
    parser.add_argument("--out", type=Path, default=Path("docs/ftm-gang.png"))
    args = parser.parse_args()
    city = generate_city(
        seed=args.seed, records=args.records, start=START, days=60, password_hash="x"
    )
    graph = build_graph(city)
    gang = find_gangs(graph)[0]
    key = str(graph.ids[int(gang.key_nodes[0].node)])
    entities = ftm_entities(graph, expand(graph, key, hops=args.hops, cap=args.cap))
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "gang.ftm.jsonl"
        export.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entities))
        gexf = Path(folder) / "gang.gexf"
        ftm = Path(sys.executable).with_name("ftm")
        subprocess.run([str(ftm), "export-gexf", "-i", str(export), "-o", str(gexf)], check=True)
        drawn = nx.read_gexf(gexf)
    # nodes the GEXF links to nothing (e.g. a wallet only named in a payment's description)
    drawn.remove_nodes_from([n for n, degree in drawn.degree() if degree == 0])
    nodes = [
        {"id": n, "label": _short(data.get("label", n)), "group": data.get("schema", "")}
        for n, data in drawn.nodes(data=True)
    ]
    edges = [{"source": a, "target": b} for a, b in drawn.edges()]
    title = f"演示团伙 {gang.id}：从关键节点 {key} 扩线 {args.hops} 跳（ftm export-gexf）"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(render_png(nodes, edges, title=title))
    print(f"{args.out}: {len(nodes)} nodes, {len(edges)} edges from {len(entities)} FtM entities")


if __name__ == "__main__":
    main()
