"""The statistics as plain JSON data: one shape for ``--json``, the API, the page and the
reports, so that every output shows the same numbers."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fanzha.stats._compute import StatsReport
from fanzha.stats._definitions import DEFINITIONS

__all__ = ["definitions_json", "stats_json"]


def definitions_json() -> list[dict[str, Any]]:
    """Every figure's definition as a dict (``headline`` included)."""
    return [{**asdict(item), "headline": item.headline} for item in DEFINITIONS]


def stats_json(report: StatsReport) -> dict[str, Any]:
    """The report as JSON-ready data: periods as ``START..END`` text, money in fen."""
    data = asdict(report)
    for name in ("period", "previous", "year_ago"):
        data[name] = str(getattr(report, name))
    for figure in data["figures"]:
        figure["breakdown"] = [{"kind": k, "count": n} for k, n in figure["breakdown"]]
    return data
