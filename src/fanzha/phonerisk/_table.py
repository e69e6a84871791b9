"""Phone-user tables and call graphs as plain arrays, checked on the way in.

A features file is a CSV with one row per phone number: an id column, optionally a 0/1
label column (an empty cell is an unlabelled row) and numeric feature columns (an empty
cell is a missing value). Columns in which no cell is a number (a ``split`` or a name
column) are not features and are set aside. The call graph is a scipy sparse adjacency
matrix (``scipy.sparse.save_npz``) whose rows and columns follow the rows of the CSV.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl
import scipy.sparse as sp

from fanzha.errors import InvalidInput, NotFound

__all__ = [
    "PhoneTable",
    "load_adjacency",
    "phone_table_from_frame",
    "read_phone_table",
    "symmetric_adjacency",
]

FloatArray = npt.NDArray[np.float64]
StrArray = npt.NDArray[np.str_]

_HEADER_LINES = 1


@dataclass(frozen=True, slots=True)
class PhoneTable:
    """One row per phone number.

    ``values`` is float64 of shape (n, len(columns)), NaN where a cell was empty;
    ``labels`` is float64 (1 fraud, 0 normal, NaN unlabelled) or None when no label
    column was read; ``ignored`` names the text columns that were not used as features.
    """

    ids: StrArray
    columns: tuple[str, ...]
    values: FloatArray
    labels: FloatArray | None = None
    ignored: tuple[str, ...] = ()
    source: str = "features"

    @property
    def n_rows(self) -> int:
        """Number of phone numbers (rows)."""
        return int(self.ids.shape[0])


def read_phone_table(
    path: str | Path,
    *,
    id_col: str,
    label_col: str | None = None,
    columns: Sequence[str] | None = None,
) -> PhoneTable:
    """Read a features CSV. ``columns`` fixes the feature columns (those a model was trained on).

    Raises NotFound for a missing file and InvalidInput naming the column and line of bad input.
    """
    file = Path(path)
    if not file.is_file():
        raise NotFound(f"{file}: no such file; give a CSV with one row per phone number")
    try:
        frame = pl.read_csv(file, infer_schema=False, raise_if_empty=False)
    except (pl.exceptions.PolarsError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            f"not a readable CSV file ({type(exc).__name__}: {exc}); save it as UTF-8 CSV",
            source=file.name,
        ) from exc
    return phone_table_from_frame(
        frame, id_col=id_col, label_col=label_col, columns=columns, source=file.name
    )


def phone_table_from_frame(
    frame: pl.DataFrame,
    *,
    id_col: str,
    label_col: str | None = None,
    columns: Sequence[str] | None = None,
    source: str = "features",
) -> PhoneTable:
    """Check a frame (any dtypes; strings are parsed) and turn it into a :class:`PhoneTable`."""
    for name, role in ((id_col, "id"), (label_col, "label")):
        if name is not None and name not in frame.columns:
            raise InvalidInput(
                f"no {role} column {name!r}; the header has {_list(frame.columns)}",
                field=name,
                source=source,
            )
    ids = _ids(frame[id_col], source=source)
    labels = None if label_col is None else _labels(frame[label_col], source=source)
    reserved = {id_col, label_col}
    if columns is None:
        candidates = [name for name in frame.columns if name not in reserved]
        ignored = tuple(name for name in candidates if _is_text_column(frame[name]))
        chosen = [name for name in candidates if name not in ignored]
    else:
        missing = [name for name in columns if name not in frame.columns]
        if missing:
            raise InvalidInput(
                f"missing feature column(s) {_list(missing)} that the model was trained with",
                field=missing[0],
                source=source,
            )
        ignored, chosen = (), list(columns)
    if not chosen:
        raise InvalidInput(
            "no numeric feature column; add at least one column of numbers", source=source
        )
    values = np.empty((frame.height, len(chosen)), dtype=np.float64)
    for j, name in enumerate(chosen):
        values[:, j] = _numbers(frame[name], source=source)
    return PhoneTable(
        ids=ids,
        columns=tuple(chosen),
        values=values,
        labels=labels,
        ignored=ignored,
        source=source,
    )


def load_adjacency(
    path: str | Path, n_rows: int, *, rows_source: str = "features"
) -> sp.csr_matrix:
    """Load a ``save_npz`` adjacency and return it symmetric, 0/1, without self-loops.

    Raises NotFound for a missing file and InvalidInput when it is not a square sparse
    matrix of ``n_rows`` rows (the rows of the features file, in the same order).
    """
    file = Path(path)
    if not file.is_file():
        raise NotFound(f"{file}: no such file; give a scipy.sparse.save_npz adjacency matrix")
    try:
        matrix = sp.load_npz(file)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise InvalidInput(
            f"not a scipy sparse matrix saved with scipy.sparse.save_npz ({exc})",
            source=file.name,
        ) from exc
    if matrix.ndim != 2 or matrix.shape != (n_rows, n_rows):
        shape = "×".join(str(s) for s in matrix.shape)
        raise InvalidInput(
            f"the adjacency matrix is {shape} but {rows_source} has {n_rows} rows; it must be "
            f"{n_rows}×{n_rows} with rows and columns in the row order of {rows_source}",
            source=file.name,
        )
    return symmetric_adjacency(matrix)


def symmetric_adjacency(matrix: sp.spmatrix | sp.sparray) -> sp.csr_matrix:
    """Undirected 0/1 version of an adjacency matrix: an edge either way, no self-loops."""
    csr = sp.csr_matrix(matrix, dtype=np.float64)
    csr.data = (csr.data != 0).astype(np.float64)
    both = csr.maximum(csr.T).tocsr()
    both.setdiag(0)
    both.eliminate_zeros()
    both.sort_indices()
    return sp.csr_matrix(both)


def _list(names: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(repr(name) for name in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _text(series: pl.Series) -> pl.Series:
    return series.cast(pl.String).str.strip_chars()


def _present(text: pl.Series) -> npt.NDArray[np.bool_]:
    return (text.is_not_null() & (text != "")).to_numpy()


def _is_text_column(series: pl.Series) -> bool:
    if series.dtype.is_numeric():
        return False
    text = _text(series)
    present = _present(text)
    numbers = text.cast(pl.Float64, strict=False).is_not_null().to_numpy()
    return bool(present.any()) and not bool((numbers & present).any())


def _numbers(series: pl.Series, *, source: str) -> FloatArray:
    return _parse(
        series,
        lambda values: ~np.isinf(values),
        "is not a finite number; write plain numbers such as 12.5 and leave a missing value empty",
        source=source,
    )


def _labels(series: pl.Series, *, source: str) -> FloatArray:
    return _parse(
        series,
        lambda values: np.isnan(values) | (values == 0) | (values == 1),
        "is not a label; write 1 for fraud, 0 for normal, or leave it empty for an unlabelled row",
        source=source,
    )


def _parse(
    series: pl.Series,
    accept: Callable[[FloatArray], npt.NDArray[np.bool_]],
    problem: str,
    *,
    source: str,
) -> FloatArray:
    """Parse a column of numbers; empty cells and NaN become NaN, the first refused cell raises."""
    text = _text(series)
    present = _present(text)
    parsed = text.cast(pl.Float64, strict=False)
    values = parsed.fill_null(np.nan).to_numpy().astype(np.float64)
    bad = present & (parsed.is_null().to_numpy() | ~accept(values))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InvalidInput(
            f"{text[row]!r} {problem}",
            field=series.name,
            line=row + 1 + _HEADER_LINES,
            value=text[row],
            source=source,
        )
    values[~present] = np.nan
    return values


def _ids(series: pl.Series, *, source: str) -> StrArray:
    text = _text(series)
    present = _present(text)
    if not present.all():
        row = int(np.flatnonzero(~present)[0])
        raise InvalidInput(
            "empty id; every row needs a phone number id",
            field=series.name,
            line=row + 1 + _HEADER_LINES,
            source=source,
        )
    ids = np.asarray(text.to_list(), dtype=np.str_)
    order = np.argsort(ids, kind="stable")
    repeated = np.flatnonzero(ids[order][1:] == ids[order][:-1])
    if repeated.size:
        first, second = sorted((int(order[repeated[0]]), int(order[repeated[0] + 1])))
        raise InvalidInput(
            f"id {str(ids[second])!r} repeats line {first + 1 + _HEADER_LINES}; ids must be unique",
            field=series.name,
            line=second + 1 + _HEADER_LINES,
            value=str(ids[second]),
            source=source,
        )
    return ids
