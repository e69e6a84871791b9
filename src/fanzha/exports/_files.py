"""Tables written as files an officer opens in Excel or WPS: XLSX (openpyxl) and CSV.

A :class:`Sheet` is a title, its :class:`Column` s (a Chinese header, the key of the value in
each row, how to write it) and its rows (mappings, e.g. an API body's ``model_dump()``).
:func:`xlsx_bytes` writes every sheet of a workbook; :func:`csv_bytes` writes one sheet as
UTF-8 with a byte-order mark, so that Excel reads the Chinese correctly.

Money (fen) is written as yuan with two decimals (:func:`fanzha.records.fen_to_yuan`): a
number in XLSX (format ``#,##0.00``), ``12345.67`` in CSV. Times are written in Beijing time:
a date-time cell in XLSX, ``2026-12-07 20:30:00`` in CSV. Text that a spreadsheet would read
as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is
escaped with a leading apostrophe (:func:`safe_text`), in both formats.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Final, Literal
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from fanzha.records import DEFAULT_TZ, fen_to_yuan

__all__ = [
    "FORMULA_STARTS",
    "Column",
    "Sheet",
    "beijing_time",
    "csv_bytes",
    "safe_text",
    "xlsx_bytes",
]

ColumnKind = Literal["text", "money", "time", "date", "int", "number"]

#: First characters that make a spreadsheet read a cell as a formula (CSV injection).
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
_BEIJING: Final = ZoneInfo(DEFAULT_TZ)
# Characters XML 1.0 (and so XLSX) cannot hold: control characters other than tab/newline.
_ILLEGAL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_TITLE_BAD: Final = re.compile(r"[\[\]:*?/\\]")
_WIDTH_MAX: Final = 60
_WIDTH_ROWS: Final = 500  # the rows a column's width is fitted to
_BOLD: Final = Font(bold=True)


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its Chinese ``header``, the ``key`` of its value in a row, how it is
    written (``kind``) and, for coded values, their Chinese ``names`` (a code not named is
    written as it is)."""

    header: str
    key: str
    kind: ColumnKind = "text"
    names: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Sheet:
    """A titled table: columns and rows (mappings from a column's key to its value)."""

    title: str
    columns: Sequence[Column]
    rows: Sequence[Mapping[str, object]] = field(default_factory=tuple)


def safe_text(text: str) -> str:
    """``text`` a spreadsheet shows as text, never runs: a leading ``'`` before a formula
    start (:data:`FORMULA_STARTS`), XML-illegal control characters removed."""
    text = _ILLEGAL.sub("", text)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def beijing_time(moment: datetime) -> datetime:
    """An aware time as Beijing wall-clock time, without a zone (how a spreadsheet keeps it);
    a naive time is taken as UTC, as the store keeps it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(_BEIJING).replace(tzinfo=None, microsecond=0)


Cell = str | int | float | Decimal | datetime | date | None


def _cell(column: Column, value: object) -> Cell:
    """The value of one cell as the spreadsheet keeps it (before the CSV's text)."""
    if value is None or value == "":
        return None
    if column.kind == "money":
        return fen_to_yuan(int(value))  # type: ignore[call-overload]
    if column.kind in ("time", "date") and isinstance(value, datetime):
        moment = beijing_time(value)
        return moment.date() if column.kind == "date" else moment
    if column.kind == "int" and isinstance(value, int | float | Decimal):
        return int(value)
    if column.kind == "number" and isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if column.names is not None:
        text = column.names.get(text, text)
    return safe_text(text)


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_bytes(sheet: Sheet) -> bytes:
    """The sheet as CSV: UTF-8 with a byte-order mark, CRLF line ends, a header row."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_text(column.header) for column in sheet.columns])
    for row in sheet.rows:
        writer.writerow([_csv_text(_cell(c, row.get(c.key))) for c in sheet.columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


_FORMATS: Final = {
    "money": "#,##0.00",
    "time": "yyyy-mm-dd hh:mm:ss",
    "date": "yyyy-mm-dd",
    "number": "0.00",
}


def _sheet_title(title: str, taken: set[str]) -> str:
    """A title Excel accepts (at most 31 characters, none of ``[]:*?/\\``), unique."""
    base = _SHEET_TITLE_BAD.sub("_", title)[:31] or "Sheet"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base[: 31 - len(str(n)) - 1]}_{n}"
    taken.add(name)
    return name


def _width(value: Cell) -> int:
    """Roughly how many character cells a value takes (a Chinese character takes two)."""
    text = _csv_text(value)
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


def _typed(page: WriteOnlyWorksheet, value: Cell, number_format: str | None) -> object:
    """A cell as the write-only sheet takes it: a number or time with its format; text as it
    is (:func:`safe_text` made sure it cannot start a formula, so openpyxl keeps it as text)."""
    if number_format is None or value is None or isinstance(value, str):
        return value
    cell = WriteOnlyCell(page, value=value)  # type: ignore[arg-type]
    cell.number_format = number_format
    return cell


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as one XLSX workbook (streamed: openpyxl's write-only mode): a bold frozen
    header row, typed cells, widths that fit the first rows' content (capped), text cells
    kept as text."""
    book = Workbook(write_only=True)
    taken: set[str] = set()
    for sheet in sheets:
        page = book.create_sheet(_sheet_title(sheet.title, taken))
        rows = [[_cell(c, row.get(c.key)) for c in sheet.columns] for row in sheet.rows]
        widths = [_width(c.header) for c in sheet.columns]
        for cells in rows[:_WIDTH_ROWS]:
            widths = [max(w, _width(v)) for w, v in zip(widths, cells, strict=True)]
        for index, width in enumerate(widths, start=1):
            page.column_dimensions[get_column_letter(index)].width = min(width + 2, _WIDTH_MAX)
        page.freeze_panes = "A2"
        header = []
        for column in sheet.columns:
            cell = WriteOnlyCell(page, value=safe_text(column.header))
            cell.font = _BOLD
            cell.data_type = "s"
            header.append(cell)
        page.append(header)
        formats = [_FORMATS.get(c.kind) for c in sheet.columns]
        for cells in rows:
            page.append([_typed(page, v, f) for v, f in zip(cells, formats, strict=True)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
