"""Every figure has a definition, and the README's table is the one in the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from fanzha.stats._definitions import DEFINITIONS, FigureDef

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("item", DEFINITIONS, ids=lambda item: item.key)
def test_definition_is_written_and_in_the_readme(item: FigureDef) -> None:
    assert item.definition and item.note and item.label and item.unit
    row = f"| `{item.key}` {item.label} | {item.unit} | {item.source} | {item.definition} |"
    assert row in README
