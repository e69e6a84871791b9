"""`fanzha ingest`: summaries, errors with exit 1, --skip-bad with rejects and exit 3."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner, Result

from fanzha.cli import app
from fanzha.cli._common import EXIT_ERROR, EXIT_SKIPPED
from tests.ingest.conftest import CALLS_MAP, EXAMPLES

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A SQLite URL in the test's folder (the command migrates it)."""
    return f"sqlite:///{tmp_path / 'fanzha.db'}"


def _ingest(db: str, kind: str, path: Path, *extra: str) -> Result:
    return runner.invoke(app, ["ingest", kind, str(path), "--db", db, *extra])


def test_calls_with_a_mapping_print_a_summary_and_a_rerun_finds_nothing_new(db: str) -> None:
    first = _ingest(db, "calls", EXAMPLES / "calls.csv", "--map", CALLS_MAP)
    assert first.exit_code == 0, first.output
    assert "+ calls" in first.stdout and "自环" in first.stdout
    again = _ingest(db, "calls", EXAMPLES / "calls.csv", "--map", CALLS_MAP)
    assert again.exit_code == 0 and "nothing new" in again.stderr


def test_a_bad_file_exits_1_naming_file_line_and_column(db: str) -> None:
    _ingest(db, "cards", EXAMPLES / "cards.csv")
    result = _ingest(db, "transfers", EXAMPLES / "transfers_bad.csv")
    assert result.exit_code == EXIT_ERROR
    assert "transfers_bad.csv line 2, 交易金额: '-300' is negative" in result.stderr


def test_skip_bad_loads_the_rest_writes_rejects_beside_the_input_and_exits_3(
    db: str, tmp_path: Path
) -> None:
    source = tmp_path / "transfers_bad.csv"
    shutil.copy(EXAMPLES / "transfers_bad.csv", source)
    _ingest(db, "cards", EXAMPLES / "cards.csv")
    result = _ingest(db, "transfers", source, "--skip-bad")
    assert result.exit_code == EXIT_SKIPPED, result.output
    rejects = pl.read_csv(tmp_path / "transfers_bad.rejects.csv", infer_schema=False)
    assert rejects["line"].to_list() == ["2", "3", "4", "5", "6"]
    assert rejects.columns[:3] == ["line", "reason", "交易流水号"]


def test_parquet_input_and_fen_amounts(db: str, tmp_path: Path) -> None:
    _ingest(db, "cards", EXAMPLES / "cards.csv")
    frame = pl.read_csv(EXAMPLES / "transfers.csv", infer_schema=False).with_columns(
        pl.col("交易金额").cast(pl.Float64).mul(100).cast(pl.Int64),
        pl.col("付款账号").cast(pl.Int64),
    )
    path = tmp_path / "transfers.parquet"
    frame.write_parquet(path)
    result = _ingest(
        db, "transfers", path, "--amount-unit", "fen", "--create-missing", "--tz", "Asia/Shanghai"
    )
    assert result.exit_code == 0, result.output
    assert "+ transfers" in result.stdout


def test_a_gbk_file_is_read_with_a_note(db: str, tmp_path: Path) -> None:
    path = tmp_path / "cards_gbk.csv"
    path.write_bytes((EXAMPLES / "cards.csv").read_text(encoding="utf-8").encode("gbk"))
    result = _ingest(db, "cards", path)
    assert result.exit_code == 0, result.output
    assert "read it as GBK" in result.stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--map", "caller"], "not field=column"),
        (["--tz", "Mars/Base"], "not a time zone"),
    ],
)
def test_bad_options_exit_1(db: str, args: list[str], fragment: str) -> None:
    result = _ingest(db, "calls", EXAMPLES / "calls.csv", *args)
    assert result.exit_code == EXIT_ERROR and fragment in result.stderr
