"""Reading record files: CSV (UTF-8 with or without BOM, else GBK) and Parquet.

CSV cells are read as text, so that ``0086…`` keeps its zeros and ``6222…`` its digits;
Parquet columns keep their types (the normalisers take numbers and datetimes too). A CSV
that is not valid UTF-8 is read as GB 18030 (a superset of GBK, what Excel on a Chinese
Windows writes) and the table says so in ``notes``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from fanzha.errors import InvalidInput, NotFound

__all__ = ["InputTable", "read_table"]

_PARQUET_MAGIC = b"PAR1"
_SEPARATORS = {".tsv": "\t", ".tab": "\t"}
_SNIFF_BYTES = 1 << 16


@dataclass(frozen=True, slots=True)
class InputTable:
    """A record file as read: the frame, the line of its first row and notes for the user.

    ``first_line`` is 2 for CSV (line 1 is the header) and 1 for Parquet (row 1).
    """

    frame: pl.DataFrame
    source: str
    first_line: int
    notes: tuple[str, ...] = ()


def _starts_as_utf8(path: Path) -> bool:
    """Whether the first bytes decode as UTF-8 (polars replaces bad bytes in the header)."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(head) - 4 and len(head) == _SNIFF_BYTES  # a cut character
    return True


def _read_csv(path: Path) -> tuple[pl.DataFrame, tuple[str, ...]]:
    separator = _SEPARATORS.get(path.suffix.lower(), ",")
    options = {"infer_schema": False, "separator": separator, "raise_if_empty": False}
    if _starts_as_utf8(path):
        try:
            return pl.read_csv(path, encoding="utf8", **options), ()  # type: ignore[arg-type]
        except pl.exceptions.ComputeError as exc:
            if "utf-8" not in str(exc).lower():
                raise InvalidInput(f"not a readable CSV file ({exc})", source=path.name) from exc
    try:
        text = path.read_bytes().decode("gb18030")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"neither UTF-8 nor GBK text (byte {exc.start}); save the file as UTF-8 CSV",
            source=path.name,
        ) from exc
    try:
        frame = pl.read_csv(text.encode("utf-8"), **options)  # type: ignore[arg-type]
    except pl.exceptions.ComputeError as exc:
        raise InvalidInput(f"not a readable CSV file ({exc})", source=path.name) from exc
    return frame, (f"{path.name} is not UTF-8; read it as GBK (GB 18030)",)


def read_table(path: str | Path) -> InputTable:
    """Read a CSV or Parquet record file (Parquet by extension or by its magic bytes).

    Raises:
        NotFound: no such file.
        InvalidInput: the file is neither readable CSV nor Parquet.
    """
    file = Path(path)
    if not file.is_file():
        raise NotFound(f"{file}: no such file")
    with file.open("rb") as handle:
        magic = handle.read(len(_PARQUET_MAGIC))
    if file.suffix.lower() in (".parquet", ".pq") or magic == _PARQUET_MAGIC:
        try:
            frame = pl.read_parquet(file)
        except (pl.exceptions.PolarsError, OSError) as exc:
            raise InvalidInput(f"not a readable Parquet file ({exc})", source=file.name) from exc
        return InputTable(frame, file.name, first_line=1)
    frame, notes = _read_csv(file)
    return InputTable(frame, file.name, first_line=2, notes=notes)
