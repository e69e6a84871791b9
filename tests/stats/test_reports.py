"""The PDF 战果通报: Chinese text (from the embedded CJK font) and drawn charts, checked by
rendering the pages with pdftoppm; the numbers it prints are the JSON's."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fanzha.stats import FACT_SCHEMA, compute_stats, parse_period, stats_pdf_bytes
from fanzha.stats._definitions import DEFINITIONS
from fanzha.stats._reports import stats_sheets
from fanzha.store.stats import read_stats
from tests.stats.conftest import PERIOD, fill_stats_store


def _pages(pdf: Path, folder: Path) -> list[np.ndarray]:
    from matplotlib.image import imread

    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is missing: apt-get install poppler-utils")
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(folder / "p")], check=True)
    return [imread(path) for path in sorted(folder.glob("p-*.png"))]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_pdf_pages_have_text_and_charts(engine: Engine, tmp_path: Path) -> None:
    fill_stats_store(engine)
    with Session(engine) as db:
        report = read_stats(db, parse_period(PERIOD))
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(stats_pdf_bytes(report))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=False)
    if text.returncode == 0:  # Type 3 glyphs carry no text map everywhere; when they do:
        assert "战果通报" in text.stdout.decode() or text.stdout.strip() == b""
    first, charts = _pages(pdf, tmp_path)
    # page 1: dark ink (glyphs and table lines) on white
    assert (first[..., :3].mean(axis=2) < 0.5).mean() > 0.005
    # page 2: the district bars are red (#c23531) and the pie has coloured wedges
    rgb = charts[..., :3]
    red = (rgb[..., 0] > 0.6) & (rgb[..., 1] < 0.35) & (rgb[..., 2] < 0.35)
    assert red.mean() > 0.01
    coloured = rgb.max(axis=2) - rgb.min(axis=2) > 0.3
    assert coloured.mean() > 0.03


def test_sheets_hold_every_figure_once() -> None:
    empty = pl.DataFrame(schema=dict(FACT_SCHEMA))
    report = compute_stats(empty, parse_period(PERIOD), missing={"arrests"})
    figures = next(s for s in stats_sheets(report) if s.title == "指标")
    assert [row["label"] for row in figures.rows] == [d.label for d in DEFINITIONS]
    assert [row["no_records"] for row in figures.rows if row["key"] == "arrests"] == ["无记录"]


def test_sentence_says_no_records_for_a_ledger_not_kept() -> None:
    empty = pl.DataFrame(schema=dict(FACT_SCHEMA))
    report = compute_stats(empty, parse_period(PERIOD), missing={"stop_pay", "freeze", "return"})
    assert report.sentence == (
        "预警劝阻潜在被骗群众0人次，避免群众被骗汇款0.00元，止付金额无记录，冻结金额无记录，"
        "返还无记录。"
    )
