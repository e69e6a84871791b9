"""Output at 80 columns (COLUMNS=80): nothing cut, Chinese headers, no raw Python data, long
lists limited with a "… N more" line, an empty audit log said to be empty, and `serve
--demo` says what it builds, then the address on one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from fanzha.cli import app
from fanzha.store.audit import AuditChain
from fanzha.taxonomy import fraud_types, rules

from .conftest import in_folder, serve_demo

runner = CliRunner()
NARROW = {"COLUMNS": "80"}


def _narrow(args: list[str]) -> str:
    result = runner.invoke(app, args, env=NARROW)
    assert result.exit_code == 0, result.output
    assert all(cell_len(line) <= 80 for line in result.stdout.splitlines()), result.stdout
    return result.stdout


def test_taxonomy_types_shows_every_name_and_code_whole() -> None:
    out = _narrow(["taxonomy", "types"])
    assert "名称" in out and "说明" in out and "code" not in out
    for item in fraud_types():
        assert item.name in out and item.code in out
    assert "…" not in out


def test_taxonomy_rules_shows_every_name_and_id_whole() -> None:
    out = _narrow(["taxonomy", "rules"])
    for item in rules():
        assert item.name in out and item.id in out
    assert "七个一律" in out and "…" not in out


def test_graph_gangs_reads_in_chinese_without_python_dicts(demo_folder: Path) -> None:
    with in_folder(demo_folder):
        out = _narrow(["graph", "gangs", "--top", "3"])
    assert "{" not in out and "'" not in out
    for header in ("团伙", "人数", "金额（元）", "受害人", "角色", "关键节点"):
        assert header in out
    assert "size" not in out and "key nodes" not in out
    assert any(label in out for label in ("跑分", "取现", "GOIP卡", "GOIP窝点", "卡头卡贩", "引流"))
    assert "个团伙未列出" in out


def test_graph_expand_lists_a_limited_number_of_nodes_then_says_how_many_more(
    demo_folder: Path,
) -> None:
    with in_folder(demo_folder):
        full = runner.invoke(app, ["graph", "expand", "--from", "person:1", "--json"], env=NARROW)
        out = _narrow(["graph", "expand", "--from", "person:1", "--limit", "5"])
    assert full.exit_code == 0, full.output
    total = full.stdout.count('"hop":')
    assert total > 5
    rows = [line for line in out.splitlines() if line.startswith("│")]
    assert len(rows) == 5
    assert f"… 还有 {total - 5} 个节点未列出" in out
    assert "跳数" in out and "节点" in out and "hop" not in out


def test_graph_expand_has_a_default_limit(demo_folder: Path) -> None:
    with in_folder(demo_folder):
        out = _narrow(["graph", "expand", "--from", "person:1", "--hops", "3"])
    rows = [line for line in out.splitlines() if line.startswith("│ ")]
    assert len(rows) <= 40 + 10  # 40 nodes; a long name may take a second line
    assert "个节点未列出" in out


def test_audit_verify_on_a_fresh_database_says_there_was_nothing_to_check(
    tmp_path: Path, audit_chain: AuditChain
) -> None:
    out = _narrow(["audit", "verify", "--db", f"sqlite:///{tmp_path / 'fresh.db'}"])
    assert "审计日志为空" in out and "没有可核验的记录" in out
    assert "intact" not in out and "0" not in out.split("审计日志为空")[0]


def test_serve_demo_says_what_it_builds_then_the_address_on_one_line(tmp_path: Path) -> None:
    with in_folder(tmp_path) as patch:
        result, calls = serve_demo(patch, "--port", "8765")
    assert result.exit_code == 0, result.output
    assert len(calls) == 1 and calls[0]["port"] == 8765
    lines = result.output.splitlines()
    building = next(i for i, line in enumerate(lines) if "演示城市" in line and "种子" in line)
    address = next(i for i, line in enumerate(lines) if "http://127.0.0.1:8765/" in line)
    assert building < address
    assert "/api/docs" in lines[address]  # the whole address line unbroken at 80 columns
    assert any("演示城市已生成" in line for line in lines[building:address])


@pytest.mark.parametrize("command", ["--help", "graph --help", "screen --help"])
def test_help_fits_80_columns(command: str) -> None:
    _narrow(command.split())
