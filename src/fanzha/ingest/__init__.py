"""Ingest: call records, transfers, card registrations and device logs into the store.

Files (CSV or Parquet) are read, their columns mapped onto the record fields, every cell
validated and normalised with polars expressions, and the rows planned in the shapes of the
store's tables; the shell (``fanzha ingest``) looks up stored keys and writes the plan in one
transaction. Core: no store import.
"""

from __future__ import annotations

from fanzha.ingest._columns import parse_mapping
from fanzha.ingest._ingest import IngestResult, ingest_table
from fanzha.ingest._normalize import clean_imeis, clean_imsis
from fanzha.ingest._plan import IngestOptions, Lookup
from fanzha.ingest._read import read_table

__all__ = [
    "IngestOptions",
    "IngestResult",
    "Lookup",
    "clean_imeis",
    "clean_imsis",
    "ingest_table",
    "parse_mapping",
    "read_table",
]
