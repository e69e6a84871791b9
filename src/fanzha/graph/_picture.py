"""The entity graph as a picture rendered on the server: plain nodes and edges in, PNG bytes
out (for the docs' gang picture, and a case file's "entity graph" page).

Drawn with matplotlib's object API on the Agg canvas (no pyplot state, so it is safe in a
server thread) and a seeded spring layout from networkx, so the same graph gives the same
picture. Chinese labels need a CJK font: the first of :data:`CJK_FONTS` found among the
fonts installed (``/usr/share/fonts``, e.g. Debian's ``fonts-noto-cjk``) is used; without
one, labels fall back to the node ids' ASCII part instead of drawing empty boxes.
matplotlib is the optional extra ``fanzha[docs]``; without it :func:`render_png` raises a
:class:`~fanzha.errors.FanzhaError` saying so.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from fanzha.errors import FanzhaError

__all__ = ["CJK_FONTS", "cjk_font", "render_png"]

#: Font files tried in order (the Noto CJK fonts of Debian / Ubuntu, WenQuanYi, Windows').
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
_PALETTE = (
    "#d62728",
    "#1f77b4",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)


@cache
def cjk_font() -> str | None:
    """The path of the first CJK font of :data:`CJK_FONTS` that exists (None: none)."""
    return next((path for path in CJK_FONTS if Path(path).is_file()), None)


def _ascii(label: str, fallback: str) -> str:
    return label if label.isascii() else re.sub(r"[^\x20-\x7e]", "", fallback) or "?"


def render_png(
    nodes: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]],
    *,
    title: str = "",
    size: tuple[float, float] = (10.0, 8.0),
    dpi: int = 110,
    seed: int = 7,
) -> bytes:
    """A PNG of a graph. ``nodes``: ``id``, optional ``label`` and ``group`` (coloured alike,
    named in the legend); ``edges``: ``source``, ``target``, optional ``label``.

    Raises:
        FanzhaError: matplotlib is not installed (``pip install 'fanzha[docs]'``).
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.font_manager import FontProperties
    except ImportError as exc:  # pragma: no cover - the extra is installed in the tests
        raise FanzhaError("drawing a graph needs matplotlib: pip install 'fanzha[docs]'") from exc
    import networkx as nx

    font_path = cjk_font()

    def font(size: float) -> FontProperties:
        return (
            FontProperties(fname=font_path, size=size) if font_path else FontProperties(size=size)
        )

    graph = nx.Graph()
    for node in nodes:
        graph.add_node(str(node["id"]))
    for edge in edges:
        if str(edge["source"]) in graph and str(edge["target"]) in graph:
            graph.add_edge(str(edge["source"]), str(edge["target"]), label=edge.get("label"))
    layout = nx.spring_layout(graph, seed=seed, k=1.6 / max(1, graph.number_of_nodes()) ** 0.5)
    figure = Figure(figsize=size, dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.set_axis_off()
    groups = sorted({str(n.get("group") or "") for n in nodes})
    colour = {g: _PALETTE[i % len(_PALETTE)] for i, g in enumerate(groups)}
    for a, b in graph.edges():
        (x0, y0), (x1, y1) = layout[a], layout[b]
        axes.plot([x0, x1], [y0, y1], color="#9a9a9a", linewidth=0.8, zorder=1)
    for group in groups:
        members = [n for n in nodes if str(n.get("group") or "") == group]
        xs = [layout[str(n["id"])][0] for n in members]
        ys = [layout[str(n["id"])][1] for n in members]
        name = group if font_path or group.isascii() else _ascii(group, "group")
        axes.scatter(xs, ys, s=160, color=colour[group], label=name, zorder=2, edgecolors="white")
    for node in nodes:
        x, y = layout[str(node["id"])]
        label = str(node.get("label") or node["id"])
        text = label if font_path else _ascii(label, str(node["id"]))
        axes.annotate(
            text,
            (x, y),
            xytext=(0, 9),
            textcoords="offset points",
            ha="center",
            fontproperties=font(7),
            zorder=3,
        )
    if any(groups):
        axes.legend(prop=font(8), loc="lower left", frameon=False, markerscale=0.7)
    if title:
        axes.set_title(title if font_path else _ascii(title, "graph"), fontproperties=font(12))
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", facecolor="white")
    return out.getvalue()
