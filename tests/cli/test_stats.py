"""`fanzha stats` and `fanzha stats report` on the hand-built store (tests/stats/conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rich.cells import cell_len
from typer.testing import CliRunner

from fanzha.cli import app
from fanzha.store import make_engine, migrate
from tests.stats.conftest import PERIOD, fill_stats_store

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'stats.db'}"
    engine = make_engine(url)
    migrate(engine)
    fill_stats_store(engine)
    engine.dispose()
    return url


@pytest.mark.parametrize("by", ["district", "type", "week"])
def test_tables_fit_80_columns(db: str, by: str) -> None:
    result = runner.invoke(
        app, ["stats", "--db", db, "--period", PERIOD, "--by", by], env={"COLUMNS": "80"}
    )
    assert result.exit_code == 0, result.output
    assert all(cell_len(line) <= 80 for line in result.stdout.splitlines()), result.stdout
    assert "电诈案件" in result.stdout and "无记录" in result.stdout
    assert "预警劝阻潜在被骗群众3人次" in result.stdout


def test_json_has_the_figures(db: str) -> None:
    result = runner.invoke(app, ["stats", "--db", db, "--period", PERIOD, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    figures = {f["key"]: f for f in data["figures"]}
    assert (figures["stop_pay"]["count"], figures["stop_pay"]["amount_fen"]) == (2, 1_300_000)
    assert data["period"] == PERIOD and data["previous"] == "2022-05-09..2022-05-15"


def test_one_district(db: str) -> None:
    result = runner.invoke(
        app, ["stats", "--db", db, "--period", PERIOD, "--district", "兴宁区", "--json"]
    )
    figures = {f["key"]: f for f in json.loads(result.stdout)["figures"]}
    assert (figures["cases"]["count"], figures["warned"]["count"]) == (0, 2)


def test_bad_period_is_a_red_error(db: str) -> None:
    result = runner.invoke(app, ["stats", "--db", db, "--period", "2022-05-22..2022-05-01"])
    assert result.exit_code == 1
    assert "ends before it starts" in result.stderr


def test_report_xlsx_numbers_equal_the_json(db: str, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    result = runner.invoke(
        app, ["stats", "report", "--db", db, "--period", PERIOD, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(
        runner.invoke(app, ["stats", "--db", db, "--period", PERIOD, "--json"]).stdout
    )
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["通报", "指标", "区县排名", "诈骗类型", "周趋势", "口径说明"]
    rows = list(book["指标"].iter_rows(values_only=True))
    by_label = {row[0]: row for row in rows[1:]}
    for figure in data["figures"]:
        row = by_label[figure["label"]]
        assert row[1] == figure["count"]
        assert round(float(row[3]) * 100) == figure["amount_fen"]
    assert list(book["通报"].iter_rows(values_only=True))[1][2] == data["sentence"]


def test_report_refuses_other_formats(db: str, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["stats", "report", "--db", db, "--period", PERIOD, "--out", str(tmp_path / "r.doc")]
    )
    assert result.exit_code == 1 and "FILE.xlsx or FILE.pdf" in result.stderr
