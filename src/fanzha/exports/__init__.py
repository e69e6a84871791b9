"""导出: the officers' tables as XLSX and CSV files with Chinese headers.

Plain functions from rows to file bytes: :func:`queue_sheets`, :func:`case_sheets`,
:func:`transfer_sheets`, :func:`ledger_sheets` and :func:`return_plan_sheets` choose and name
the columns; :func:`xlsx_bytes` and :func:`csv_bytes` write them (money as yuan from fen,
times in Beijing time, formula-like text escaped). The API serves them; masking and
district scope are applied to the rows before they get here.
"""

from __future__ import annotations

from fanzha.exports._files import Sheet, csv_bytes, xlsx_bytes
from fanzha.exports._tables import (
    case_sheets,
    ledger_sheets,
    queue_sheets,
    return_plan_sheets,
    transfer_sheets,
)

__all__ = [
    "Sheet",
    "case_sheets",
    "csv_bytes",
    "ledger_sheets",
    "queue_sheets",
    "return_plan_sheets",
    "transfer_sheets",
    "xlsx_bytes",
]
