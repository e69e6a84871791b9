"""Ingest: call records, transfers, card registrations and device logs into the store.

Files (CSV or Parquet) are read, their columns mapped onto the record fields, every cell
validated and normalised with polars expressions, and the rows planned in the shapes of the
store's tables; the shell (``fanzha ingest``) looks up stored keys and writes the plan in one
transaction. Core: no store import.
"""

from __future__ import annotations

from fanzha.ingest._calls import (
    CALL_KINDS,
    phone_ids,
    plan_calls,
)
from fanzha.ingest._cards import (
    CARD_KINDS,
    plan_cards,
)
from fanzha.ingest._columns import (
    KINDS,
    RECORD_FIELDS,
    FieldSpec,
    parse_mapping,
    resolve_columns,
)
from fanzha.ingest._devices import (
    DEVICE_KINDS,
    plan_devices,
)
from fanzha.ingest._ingest import (
    IngestReport,
    IngestResult,
    ingest_frame,
    ingest_table,
)
from fanzha.ingest._normalize import (
    canonical_values,
    clean_imeis,
    clean_imsis,
    parse_durations,
)
from fanzha.ingest._plan import (
    UNKNOWN,
    UTC_TIME,
    IngestOptions,
    Lookup,
    LookupFn,
    Plan,
    assign_ids,
    attach_ids,
    fetch,
    fetch_ids,
    numbered,
    without_stored,
)
from fanzha.ingest._read import (
    InputTable,
    read_table,
)
from fanzha.ingest._rows import (
    ROW,
    RowErrors,
    raw,
    start_work,
    times,
    with_text,
)
from fanzha.ingest._transfers import (
    plan_transfers,
)

__all__ = [
    "CALL_KINDS",
    "CARD_KINDS",
    "DEVICE_KINDS",
    "KINDS",
    "RECORD_FIELDS",
    "ROW",
    "UNKNOWN",
    "UTC_TIME",
    "FieldSpec",
    "IngestOptions",
    "IngestReport",
    "IngestResult",
    "InputTable",
    "Lookup",
    "LookupFn",
    "Plan",
    "RowErrors",
    "assign_ids",
    "attach_ids",
    "canonical_values",
    "clean_imeis",
    "clean_imsis",
    "fetch",
    "fetch_ids",
    "ingest_frame",
    "ingest_table",
    "numbered",
    "parse_durations",
    "parse_mapping",
    "phone_ids",
    "plan_calls",
    "plan_cards",
    "plan_devices",
    "plan_transfers",
    "raw",
    "read_table",
    "resolve_columns",
    "start_work",
    "times",
    "with_text",
    "without_stored",
]
