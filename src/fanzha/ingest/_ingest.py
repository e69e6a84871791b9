"""One import: a frame of records in, rows for the store and a report out.

``ingest_frame`` resolves the columns, drops blank rows, runs the kind's checks and plan,
and then either raises one :class:`InvalidInput` naming the file, the first bad lines and
columns (nothing is to be written), or, with ``skip_bad``, returns the bad rows as rejects
beside the good rows' plan. The caller writes the plan in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import polars as pl

from fanzha.errors import InvalidInput
from fanzha.ingest._calls import plan_calls
from fanzha.ingest._cards import plan_cards
from fanzha.ingest._columns import resolve_columns
from fanzha.ingest._devices import plan_devices
from fanzha.ingest._plan import IngestOptions, LookupFn, Plan
from fanzha.ingest._read import InputTable
from fanzha.ingest._rows import RowErrors, start_work
from fanzha.ingest._transfers import plan_transfers

__all__ = ["IngestReport", "IngestResult", "ingest_frame", "ingest_table"]

_Planner = Callable[..., Plan]
_PLANNERS: Mapping[str, _Planner] = MappingProxyType(
    {
        "calls": plan_calls,
        "transfers": plan_transfers,
        "cards": plan_cards,
        "devices": plan_devices,
    }
)


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What an import read, stored, skipped and refused.

    Attributes:
        rows_read: data rows in the file (blank rows included).
        records: rows stored (inserted, or applied to rows already stored).
        inserted / updated: rows per table.
        skipped_existing: rows already in the store (same transaction id, call or card).
        duplicates: rows repeated within the file, stored once.
        self_loops: calls or transfers from a number or account to itself, dropped.
        blank_rows: empty lines, ignored.
        rejected: bad rows left out (only with ``skip_bad``).
        notes: remarks on how the file was read (e.g. read as GBK).
    """

    kind: str
    source: str
    rows_read: int
    records: int
    inserted: Mapping[str, int]
    updated: Mapping[str, int]
    skipped_existing: int
    duplicates: int
    self_loops: int
    blank_rows: int
    rejected: int
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IngestResult:
    """The report, the rows to write (in the store's table shapes) and the rejected rows."""

    report: IngestReport
    inserts: Mapping[str, pl.DataFrame]
    updates: Mapping[str, pl.DataFrame] = field(default_factory=dict)
    rejects: pl.DataFrame = field(default_factory=pl.DataFrame)

    @property
    def total_rows(self) -> int:
        """Rows to insert plus rows to update."""
        return sum(f.height for f in self.inserts.values()) + sum(
            f.height for f in self.updates.values()
        )


def ingest_frame(
    kind: str,
    frame: pl.DataFrame,
    *,
    lookup: LookupFn,
    ids: Mapping[str, int],
    mapping: Mapping[str, str] | None = None,
    options: IngestOptions | None = None,
    source: str = "input",
    first_line: int = 2,
    notes: tuple[str, ...] = (),
) -> IngestResult:
    """Validate and normalise records of ``kind`` and plan their rows for the store.

    ``lookup`` answers the plan's questions about stored rows; ``ids`` are the store's next
    free ids per table (``fanzha.store.next_ids``); ``first_line`` is the line number of the
    frame's first row (2 under a CSV header).

    Raises:
        InvalidInput: a missing column, an empty file, or (without ``skip_bad``) any bad row;
            the message names the file, the line and the column.
    """
    opts = options or IngestOptions()
    columns = resolve_columns(kind, frame.columns, mapping or {}, source=source)
    work = start_work(frame, columns)
    cells = [pl.col(c).cast(pl.String).str.strip_chars() for c in set(columns.values())]
    blank = frame.select(pl.all_horizontal([c.is_null() | (c == "") for c in cells])).to_series()
    work = work.filter(~blank)
    if work.height == 0:
        raise InvalidInput("has no records; nothing to import", source=source)
    errors = RowErrors(columns, source=source, first_line=first_line)
    plan = _PLANNERS[kind](work, errors, lookup=lookup, ids=ids, options=opts)
    if errors.n_rows and not opts.skip_bad:
        raise errors.error()
    inserts = {name: rows for name, rows in plan.inserts.items() if rows.height}
    updates = {name: rows for name, rows in plan.updates.items() if rows.height}
    report = IngestReport(
        kind=kind,
        source=source,
        rows_read=frame.height,
        records=plan.records,
        inserted={name: rows.height for name, rows in inserts.items()},
        updated={name: rows.height for name, rows in updates.items()},
        skipped_existing=plan.skipped_existing,
        duplicates=plan.duplicates,
        self_loops=plan.self_loops,
        blank_rows=int(blank.sum()),
        rejected=errors.n_rows,
        notes=notes,
    )
    rejects = errors.rejects(frame) if errors.n_rows else pl.DataFrame()
    return IngestResult(report, inserts, updates, rejects)


def ingest_table(
    kind: str,
    table: InputTable,
    *,
    lookup: LookupFn,
    ids: Mapping[str, int],
    mapping: Mapping[str, str] | None = None,
    options: IngestOptions | None = None,
) -> IngestResult:
    """:func:`ingest_frame` over a file read by :func:`read_table`."""
    return ingest_frame(
        kind,
        table.frame,
        lookup=lookup,
        ids=ids,
        mapping=mapping,
        options=options,
        source=table.source,
        first_line=table.first_line,
        notes=table.notes,
    )
