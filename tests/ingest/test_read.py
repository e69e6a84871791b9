"""Reading record files: UTF-8 with and without BOM, GBK, Parquet, and unreadable files."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from fanzha.errors import InvalidInput, NotFound
from fanzha.ingest import read_table

TEXT = "主叫号码,被叫号码\n0013800138000,13900139000\n"


@pytest.mark.parametrize(
    ("encoding", "notes"),
    [("utf-8", 0), ("utf-8-sig", 0), ("gbk", 1)],
)
def test_csv_encodings(tmp_path: Path, encoding: str, notes: int) -> None:
    path = tmp_path / "cdr.csv"
    path.write_bytes(TEXT.encode(encoding))
    table = read_table(path)
    assert table.frame.columns == ["主叫号码", "被叫号码"]
    assert table.frame.item(0, 0) == "0013800138000"  # text, zeros kept
    assert (table.first_line, len(table.notes)) == (2, notes)


def test_parquet_keeps_types_and_counts_rows_from_one(tmp_path: Path) -> None:
    path = tmp_path / "cdr.parquet"
    pl.DataFrame({"caller": [13800138000]}).write_parquet(path)
    table = read_table(path)
    assert table.frame.dtypes == [pl.Int64] and table.first_line == 1


def test_a_tab_separated_file(tmp_path: Path) -> None:
    path = tmp_path / "cdr.tsv"
    path.write_text(TEXT.replace(",", "\t"), encoding="utf-8")
    assert read_table(path).frame.width == 2


def test_a_missing_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no such file"):
        read_table(tmp_path / "nope.csv")


@pytest.mark.parametrize(
    ("name", "payload"),
    [("ragged.csv", b"a,b\n1,2,3,4\n"), ("broken.parquet", b"PAR1 not really")],
)
def test_unreadable_files_name_the_file(tmp_path: Path, name: str, payload: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(payload)
    with pytest.raises(InvalidInput) as caught:
        read_table(path)
    assert caught.value.source == name
