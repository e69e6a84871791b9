"""战果 statistics: the figures an anti-fraud center publishes, each with its definition.

``fanzha.store.stats`` aggregates the store by day in SQL; :func:`compute_stats` rolls those
aggregates up into the period's figures, 环比/同比, the weekly trend, the district ranking,
fraud-type shares and the fastest-rising types; ``DEFINITIONS`` (``_definitions.py``) says
what each figure counts and :func:`definitions_json` serves it. :func:`stats_xlsx_bytes` and
:func:`stats_pdf_bytes` write the 战果通报. Core: no sessions, HTTP or printing here.
"""

from __future__ import annotations

from fanzha.stats._compute import (
    DISSUADED_RESULT,
    FACT_SCHEMA,
    LEDGER_FIGURES,
    WARNED_RESULTS,
    StatsReport,
    compute_stats,
    yuan,
)
from fanzha.stats._definitions import FIGURE_KEYS, figure_label
from fanzha.stats._json import definitions_json, stats_json
from fanzha.stats._period import BEIJING, Period, parse_period
from fanzha.stats._reports import stats_pdf_bytes, stats_xlsx_bytes

__all__ = [
    "BEIJING",
    "DISSUADED_RESULT",
    "FACT_SCHEMA",
    "FIGURE_KEYS",
    "LEDGER_FIGURES",
    "WARNED_RESULTS",
    "Period",
    "StatsReport",
    "compute_stats",
    "definitions_json",
    "figure_label",
    "parse_period",
    "stats_json",
    "stats_pdf_bytes",
    "stats_xlsx_bytes",
    "yuan",
]
