"""The README's usage examples work as written after its own set-up: each line of the
examples block runs against the demo city and prints something."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fanzha.cli import app

from .conftest import in_folder

README = Path(__file__).resolve().parents[2] / "README.md"
MARKER = "<!-- readme-examples: run by tests/cli/test_readme.py -->"
COMMAND = ".venv/bin/fanzha"


def readme_examples() -> list[str]:
    """The command lines of the fenced block after the README's examples marker."""
    text = README.read_text(encoding="utf-8")
    assert MARKER in text, "README lost its examples block"
    block = text.split(MARKER, 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_readme_set_up_and_examples_use_the_venv_command() -> None:
    text = README.read_text(encoding="utf-8")
    assert f"{COMMAND} serve --demo" in text
    examples = readme_examples()
    assert len(examples) >= 10
    assert all(line.startswith(f"{COMMAND} ") for line in examples)


@pytest.mark.parametrize("line", readme_examples())
def test_readme_example_runs_on_the_demo_city(line: str, demo_folder: Path) -> None:
    args = shlex.split(line, comments=True)
    assert args[0] == COMMAND
    with in_folder(demo_folder):
        result = CliRunner().invoke(app, args[1:], env={"COLUMNS": "80"})
    assert result.exit_code == 0, f"{line}\n{result.output}"
    assert result.stdout.strip(), f"{line} printed nothing"
    assert "未找到" not in result.stdout, f"{line}: the example clue found nothing"
