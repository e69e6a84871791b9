"""`fanzha stats` and `fanzha stats report`: the 战果 figures of a period, and the 战果通报.

Heavy imports (the store, polars, the report writers) happen inside the commands.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.table import Table

from fanzha.cli._common import err_console, out_console

if TYPE_CHECKING:
    from fanzha.stats import StatsReport

__all__ = ["stats_app"]

stats_app = typer.Typer(
    help="战果统计: the center's figures by period, district and fraud type; reports.",
    invoke_without_command=True,
)

Db = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: FANZHA_DB_URL, else sqlite:///./fanzha.db)."),
]
PeriodOpt = Annotated[
    str, typer.Option("--period", help="统计期 START..END (Beijing dates, both included).")
]
District = Annotated[str | None, typer.Option("--district", help="只统计该区/县 one district.")]
FraudType = Annotated[
    str | None, typer.Option("--type", help="只统计该诈骗类型 one fraud-type code.")
]
By = Literal["district", "type", "week"]


def _load(db: str | None, period: str, district: str | None, fraud_type: str | None) -> StatsReport:
    from sqlalchemy.orm import Session

    from fanzha.stats import parse_period
    from fanzha.store import make_engine
    from fanzha.store.stats import read_stats

    parsed = parse_period(period)
    engine = make_engine(db)
    try:
        with Session(engine) as session:
            return read_stats(session, parsed, district=district, fraud_type=fraud_type)
    finally:
        engine.dispose()


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}%"


def _figures_table(report: StatsReport) -> Table:
    from fanzha.stats import yuan

    table = Table("指标", "数量", "金额（元）", "环比", "同比", title=_title(report))
    for f in report.figures:
        amount = yuan(f.amount_fen) if f.amount_fen or f.key in ("cases", "saved") else ""
        count = "无记录" if f.no_records else f"{f.count:,}{f.unit}"
        table.add_row(f.label, count, amount, _pct(f.change_pct), _pct(f.yoy_pct))
    return table


def _title(report: StatsReport) -> str:
    scope = report.district or "全市"
    return f"战果统计 {report.period}（{scope}）"


def _by_table(report: StatsReport, by: By) -> Table:
    from fanzha.stats import yuan

    if by == "district":
        table = Table("排名", "区县", "案件", "损失（元）", "预警人次", "劝阻", "止付（元）")
        for d in report.districts:
            table.add_row(
                str(d.rank), d.district, f"{d.cases:,}", yuan(d.losses_fen),
                f"{d.warned:,}", f"{d.dissuaded:,}", yuan(d.stop_pay_fen),
            )  # fmt: skip
        return table
    if by == "type":
        table = Table("诈骗类型", "案件", "占比", "损失（元）", "环比增减")
        for t in report.types:
            table.add_row(
                t.label, f"{t.cases:,}", f"{t.case_share:.1f}%", yuan(t.losses_fen),
                f"{t.change:+,}",
            )  # fmt: skip
        return table
    table = Table("周（周一）", "案件", "损失（元）", "预警人次", "劝阻", "避免损失（元）")
    weeks = sorted({p.week for p in report.trend})
    cells = {(p.week, p.figure): p for p in report.trend}
    for week in weeks:

        def count(figure: str, week: str = week) -> str:
            point = cells.get((week, figure))
            return f"{point.count:,}" if point else "0"

        def amount(figure: str, week: str = week) -> str:
            point = cells.get((week, figure))
            return yuan(point.amount_fen) if point else "0.00"

        table.add_row(
            week, count("cases"), amount("cases"), count("warned"), count("dissuaded"),
            amount("saved"),
        )  # fmt: skip
    return table


@stats_app.callback()
def stats(
    ctx: typer.Context,
    period: PeriodOpt = "",
    district: District = None,
    fraud_type: FraudType = None,
    by: Annotated[By | None, typer.Option("--by", help="分列 district | type | week")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of tables")] = False,
    db: Db = None,
) -> None:
    """Print a period's figures (with 环比/同比), optionally by district, type or week."""
    if ctx.invoked_subcommand is not None:
        return
    if not period:
        from fanzha.errors import InvalidInput

        raise InvalidInput(
            "--period is required, e.g. --period 2022-01-01..2022-05-24", field="period"
        )
    report = _load(db, period, district, fraud_type)
    if as_json:
        from fanzha.stats import stats_json

        out_console.print_json(json.dumps(stats_json(report), ensure_ascii=False))
        return
    out_console.print(_figures_table(report))
    if by is not None:
        out_console.print(_by_table(report, by))
    out_console.print(report.sentence, soft_wrap=False)
    missing = [f.label for f in report.figures if f.no_records]
    if missing:
        err_console.print(f"无记录（库中尚无相应台账）：{'、'.join(missing)}")


@stats_app.command("report")
def report_command(
    out: Annotated[Path, typer.Option("--out", help="FILE.xlsx or FILE.pdf")],
    period: PeriodOpt,
    district: District = None,
    fraud_type: FraudType = None,
    db: Db = None,
) -> None:
    """Write the 战果通报 of a period as XLSX (one sheet per view) or PDF (Chinese, charts)."""
    from fanzha.errors import InvalidInput

    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".pdf"):
        raise InvalidInput(f"--out {out}: write FILE.xlsx or FILE.pdf", field="out", value=str(out))
    report = _load(db, period, district, fraud_type)
    from fanzha.stats import stats_pdf_bytes, stats_xlsx_bytes

    out.write_bytes((stats_xlsx_bytes if suffix == ".xlsx" else stats_pdf_bytes)(report))
    err_console.print(f"已写入 {out}")
