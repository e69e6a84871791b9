"""战果通报: the statistics of a period as an XLSX workbook and as a Chinese PDF with charts.

Both are written from :func:`fanzha.stats.stats_json` — the data the API and ``--json``
give — so a report's numbers are the JSON's. XLSX: one sheet per view (通报, 指标, 区县排名,
诈骗类型, 周趋势, 口径说明) through :mod:`fanzha.exports`. PDF: matplotlib (Agg, no display)
draws the pages — the sentence and the figures table, then the weekly trend, the district
bars and the fraud-type shares — with a Noto Sans CJK font found on the machine (Debian's
``fonts-noto-cjk``); glyphs are embedded as Type 3 outlines, so the PDF needs no font to
be shown.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fanzha.errors import FanzhaError
from fanzha.exports import Sheet, xlsx_bytes
from fanzha.exports._files import Column
from fanzha.stats._compute import StatsReport, yuan
from fanzha.stats._definitions import DEFINITIONS
from fanzha.stats._json import stats_json

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

__all__ = ["CJK_FONT_FILES", "find_cjk_font", "stats_pdf_bytes", "stats_sheets", "stats_xlsx_bytes"]

#: Where Noto Sans CJK (or another CJK font) is usually installed.
CJK_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
_A4 = (8.27, 11.69)
_TREND = (("cases", "电诈案件"), ("warned", "预警人次"), ("dissuaded", "劝阻成功"))


def _scope(data: dict[str, Any]) -> str:
    return data["district"] or "全市"


def stats_sheets(report: StatsReport) -> list[Sheet]:
    """The report's views as titled sheets (money in fen, written as yuan)."""
    data = stats_json(report)
    figures = [{**f, "no_records": "无记录" if f["no_records"] else ""} for f in data["figures"]]
    weeks = sorted({p["week"] for p in data["trend"]})
    cells = {(p["week"], p["figure"]): p for p in data["trend"]}
    trend = [
        {
            "week": week,
            **{
                f"{key}_{part}": cells.get((week, key), {}).get(part, 0)
                for key in ("cases", "warned", "dissuaded", "saved")
                for part in ("count", "amount_fen")
            },
        }
        for week in weeks
    ]
    return [
        Sheet(
            "通报",
            [Column("统计期", "period"), Column("范围", "scope"), Column("战果", "sentence")],
            [{"period": data["period"], "scope": _scope(data), "sentence": data["sentence"]}],
        ),
        Sheet(
            "指标",
            [
                Column("指标", "label"), Column("数量", "count", "int"), Column("单位", "unit"),
                Column("金额（元）", "amount_fen", "money"),
                Column("上期数量", "previous_count", "int"),
                Column("上期金额（元）", "previous_amount_fen", "money"),
                Column("去年同期数量", "year_ago_count", "int"),
                Column("去年同期金额（元）", "year_ago_amount_fen", "money"),
                Column("环比（%）", "change_pct", "number"),
                Column("同比（%）", "yoy_pct", "number"),
                Column("无记录", "no_records"),
            ],
            figures,
        ),
        Sheet(
            "区县排名",
            [
                Column("排名", "rank", "int"), Column("区县", "district"),
                Column("案件", "cases", "int"), Column("损失（元）", "losses_fen", "money"),
                Column("预警人次", "warned", "int"), Column("劝阻成功", "dissuaded", "int"),
                Column("避免损失（元）", "saved_fen", "money"),
                Column("止付（元）", "stop_pay_fen", "money"),
                Column("冻结（元）", "freeze_fen", "money"),
                Column("返还（元）", "return_fen", "money"),
            ],
            data["districts"],
        ),
        Sheet(
            "诈骗类型",
            [
                Column("诈骗类型", "label"), Column("代码", "fraud_type"),
                Column("案件", "cases", "int"), Column("案件占比（%）", "case_share", "number"),
                Column("损失（元）", "losses_fen", "money"),
                Column("损失占比（%）", "loss_share", "number"),
                Column("上期案件", "previous_cases", "int"), Column("增减", "change", "int"),
                Column("环比（%）", "change_pct", "number"),
            ],
            data["types"],
        ),
        Sheet(
            "周趋势",
            [
                Column("周（周一）", "week"), Column("案件", "cases_count", "int"),
                Column("损失（元）", "cases_amount_fen", "money"),
                Column("预警人次", "warned_count", "int"),
                Column("劝阻成功", "dissuaded_count", "int"),
                Column("避免损失（元）", "saved_amount_fen", "money"),
            ],
            trend,
        ),
        Sheet(
            "口径说明",
            [Column("指标", "label"), Column("单位", "unit"), Column("来源", "source"),
             Column("口径", "definition")],
            [
                {"label": d.label, "unit": d.unit, "source": d.source, "definition": d.definition}
                for d in DEFINITIONS
            ],
        ),
    ]  # fmt: skip


def stats_xlsx_bytes(report: StatsReport) -> bytes:
    """The report as an XLSX workbook (one sheet per view)."""
    return xlsx_bytes(stats_sheets(report))


def find_cjk_font(candidates: Sequence[str] = CJK_FONT_FILES) -> Path:
    """The first CJK font file present; raises FanzhaError saying what to install."""
    for name in candidates:
        if Path(name).is_file():
            return Path(name)
    raise FanzhaError(
        "no CJK font found for the PDF report (looked in "
        f"{', '.join(candidates)}); install Noto Sans CJK (apt-get install fonts-noto-cjk)"
    )


def _text_page(data: dict[str, Any], font: FontProperties) -> Figure:
    from matplotlib.figure import Figure

    page = Figure(figsize=_A4)
    page.text(0.5, 0.95, "战果通报", ha="center", fontsize=22, fontproperties=font)
    page.text(
        0.5, 0.92, f"统计期 {data['period']}　范围 {_scope(data)}",
        ha="center", fontsize=11, fontproperties=font,
    )  # fmt: skip
    sentence = data["sentence"]
    lines = [sentence[i : i + 34] for i in range(0, len(sentence), 34)]
    page.text(0.08, 0.88, "\n".join(lines), va="top", fontsize=11, fontproperties=font)
    rows = [
        [
            f["label"],
            "无记录" if f["no_records"] else f"{f['count']:,}{f['unit']}",
            yuan(f["amount_fen"]) if f["amount_fen"] else "",
            "—" if f["change_pct"] is None else f"{f['change_pct']:+.1f}%",
            "—" if f["yoy_pct"] is None else f"{f['yoy_pct']:+.1f}%",
        ]
        for f in data["figures"]
    ]
    axes = page.add_axes((0.06, 0.05, 0.88, 0.72))
    axes.axis("off")
    table = axes.table(
        cellText=rows, colLabels=["指标", "数量", "金额（元）", "环比", "同比"], loc="upper center"
    )
    table.auto_set_font_size(False)
    table.set_fontsize(9)
    table.scale(1, 1.35)
    for cell in table.get_celld().values():
        cell.get_text().set_fontproperties(font)
    return page


def _chart_page(data: dict[str, Any], font: FontProperties) -> Figure:
    from matplotlib.figure import Figure

    page = Figure(figsize=_A4)
    page.suptitle("趋势、区县与诈骗类型", fontproperties=font, fontsize=16)
    trend_ax, district_ax, type_ax = page.subplots(3, 1)
    weeks = sorted({p["week"] for p in data["trend"]})
    cells = {(p["week"], p["figure"]): p["count"] for p in data["trend"]}
    for key, label in _TREND:
        trend_ax.plot(weeks, [cells.get((w, key), 0) for w in weeks], marker="o", label=label)
    trend_ax.set_title("每周趋势", fontproperties=font)
    trend_ax.legend(prop=font)
    trend_ax.tick_params(axis="x", labelrotation=45, labelsize=7)
    districts = data["districts"]
    district_ax.bar([d["district"] for d in districts], [d["cases"] for d in districts],
                    color="#c23531")  # fmt: skip
    district_ax.set_title("各区县案件数", fontproperties=font)
    for label in district_ax.get_xticklabels():
        label.set_fontproperties(font)
        label.set_fontsize(8)
        label.set_rotation(30)
    types = [t for t in data["types"] if t["cases"] > 0]
    if types:
        type_ax.pie(
            [t["cases"] for t in types],
            labels=[t["label"] for t in types],
            autopct="%1.1f%%",
            textprops={"fontproperties": font, "fontsize": 8},
        )
    type_ax.set_title("诈骗类型占比（案件）", fontproperties=font)
    page.tight_layout(rect=(0, 0, 1, 0.96))
    return page


def stats_pdf_bytes(report: StatsReport, *, font_path: Path | None = None) -> bytes:
    """The report as a two-page A4 PDF in Chinese: the sentence and the figures, then the
    charts. Raises FanzhaError when no CJK font is installed."""
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.font_manager import FontProperties

    font = FontProperties(fname=str(font_path or find_cjk_font()))
    data = stats_json(report)
    out = io.BytesIO()
    with PdfPages(
        out, metadata={"Title": f"战果通报 {data['period']}", "Creator": "fanzha"}
    ) as pdf:
        pdf.savefig(_text_page(data, font))
        pdf.savefig(_chart_page(data, font))
    return out.getvalue()
