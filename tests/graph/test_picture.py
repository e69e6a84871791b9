"""``render_png``: plain nodes and edges in, a PNG that is not blank out, Chinese labels with
the CJK font when there is one and ASCII labels without it."""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.image import imread

from fanzha.graph import _picture, render_png

NODES = [
    {"id": "p1", "label": "张三", "group": "Person"},
    {"id": "p2", "label": "李四", "group": "Person"},
    {"id": "a1", "label": "6222000000000001", "group": "BankAccount"},
    {"id": "u1", "label": "13800138000", "group": "UserAccount"},
]
EDGES = [
    {"source": "p1", "target": "a1"},
    {"source": "a1", "target": "p2"},
    {"source": "u1", "target": "p1"},
    {"source": "u1", "target": "nobody"},  # an end that is not a node is left out
]


def pixels(png: bytes) -> np.ndarray:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    return np.asarray(imread(io.BytesIO(png), format="png"))[..., :3]


@pytest.mark.parametrize("font", ["installed", "none"])
def test_the_picture_is_not_blank(font: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if font == "none":
        monkeypatch.setattr(_picture, "cjk_font", lambda: None)
    image = pixels(render_png(NODES, EDGES, title="团伙", size=(4, 3), dpi=60))
    assert image.shape == (180, 240, 3)
    coloured = (image.max(axis=2) - image.min(axis=2)) > 0.2  # node colours, not grey / white
    dark = image.max(axis=2) < 0.5  # labels and edges
    assert coloured.mean() > 0.005 and dark.mean() > 0.001


def test_the_same_graph_gives_the_same_picture() -> None:
    assert render_png(NODES, EDGES, size=(3, 3), dpi=40) == render_png(
        NODES, EDGES, size=(3, 3), dpi=40
    )
