"""Transfers as columns: integer fen amounts, normalised times, integer account codes.

Rows are validated by :func:`fanzha.records.check_transfers` under
:data:`fanzha.records.SIMULATION_RULES` (yuan rounded to fen; ISO 8601, epoch seconds/ms,
``YYYYMMDDhhmmss`` or AMLSim steps; any non-empty account id; currency CNY; canonical
channels). Further:

* **Accounts** are strings (an integer id ``7`` and ``"7"`` are the same account) coded
  ``0..n-1`` in sorted order. A transfer from an account to itself moves nothing and is
  ignored by tracing and features.
* **Transaction ids**, when given, must be unique: a repeated id is a row error (the first
  row stays).
* **Channels** index :data:`fanzha.records.CHANNELS`; the trace stops at the exit channels.
* A bad row is reported (file, line, column, value, what to do) and skipped; the first
  :data:`MAX_REPORTED_ERRORS` keep their message, the rest are counted.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from fanzha.errors import InvalidInput, NotFound
from fanzha.records import (
    CHANNELS,
    SIMULATION_RULES,
    CheckedTransfers,
    check_transfers,
    format_time,
)

__all__ = [
    "MAX_REPORTED_ERRORS",
    "ColumnNames",
    "LoadedTransfers",
    "Transfers",
    "channel_codes",
    "read_accounts",
    "read_transfers",
    "transfers_from_arrays",
    "transfers_from_frame",
]

IntArray = npt.NDArray[np.int64]
StrArray = npt.NDArray[np.str_]

#: Row errors kept with their message; the rest are only counted.
MAX_REPORTED_ERRORS = 100


@dataclass(frozen=True, slots=True)
class ColumnNames:
    """Which input columns hold what; only the first four are required."""

    src: str
    dst: str
    amount: str
    time: str
    txn_id: str | None = None
    currency: str | None = None
    channel: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Transfers:
    """Transfers as parallel arrays; account ``i`` is ``accounts[i]`` (sorted, unique).

    Attributes:
        accounts: account ids, sorted; codes index into it.
        src, dst: account codes (int64).
        amount_fen: integer fen (int64), always > 0.
        at: int64, UTC epoch seconds (``time_unit == "s"``) or simulation steps.
        time_unit: ``"s"`` or ``"step"``.
        line: the input line of each transfer (1 = header), for messages.
        txn_id: transaction ids, when the input had them.
        channel: index into :data:`CHANNELS` (int8), when the input had a channel column.
    """

    accounts: StrArray
    src: IntArray
    dst: IntArray
    amount_fen: IntArray
    at: IntArray
    time_unit: str
    line: IntArray
    txn_id: StrArray | None = None
    channel: npt.NDArray[np.int8] | None = None

    @property
    def n(self) -> int:
        """Number of transfers."""
        return int(self.src.shape[0])

    @property
    def n_accounts(self) -> int:
        """Number of distinct accounts."""
        return int(self.accounts.shape[0])

    def code_of(self, account: str) -> int:
        """The code of ``account``; raises :class:`NotFound` when no transfer names it."""
        key = str(account).strip()
        position = int(np.searchsorted(self.accounts, key))
        if position < self.n_accounts and self.accounts[position] == key:
            return position
        raise NotFound(f"account {key!r} appears in no transfer; check the id and the input file")

    def lookup(self, accounts: Sequence[object]) -> IntArray:
        """Codes of ``accounts`` in the given order; -1 for an account in no transfer."""
        keys = np.array([str(a).strip() for a in accounts], dtype=str)
        if self.n_accounts == 0 or keys.shape[0] == 0:
            return np.full(keys.shape[0], -1, dtype=np.int64)
        position = np.minimum(np.searchsorted(self.accounts, keys), self.n_accounts - 1)
        found = self.accounts[position] == keys
        return np.where(found, position, -1).astype(np.int64)

    def format_time(self, value: int) -> str:
        """A time as text: ``step 34`` or ``2024-03-01 10:00:00`` (Beijing time)."""
        return format_time(value, self.time_unit)


@dataclass(frozen=True, slots=True)
class LoadedTransfers:
    """What :func:`read_transfers` returns: the good rows and what was wrong with the rest."""

    transfers: Transfers
    n_rows: int
    n_errors: int
    errors: tuple[InvalidInput, ...]


def channel_codes(names: pl.Series) -> npt.NDArray[np.int8]:
    """Indices into :data:`fanzha.records.CHANNELS` of canonical channel names.

    Raises:
        InvalidInput: a name is not a canonical channel.
    """
    codes = names.replace_strict(
        list(CHANNELS), list(range(len(CHANNELS))), default=-1, return_dtype=pl.Int8
    )
    unknown = names.filter((codes < 0).fill_null(True))
    if unknown.len():
        raise InvalidInput(
            f"{unknown[0]!r}; use {', '.join(CHANNELS)}", field="channel", value=unknown[0]
        )
    return codes.to_numpy()


def _check_columns(frame: pl.DataFrame, columns: ColumnNames, source: str | None) -> None:
    needed = [columns.src, columns.dst, columns.amount, columns.time]
    optional = [c for c in (columns.txn_id, columns.currency, columns.channel) if c is not None]
    for name in needed + optional:
        if name not in frame.columns:
            raise InvalidInput(
                f"no column {name!r}; the file has {', '.join(frame.columns)}",
                field=name,
                source=source,
            )


def _fields(columns: ColumnNames) -> dict[str, str]:
    """Transfer field → input column, for the columns given."""
    named = {
        "src": columns.src,
        "dst": columns.dst,
        "amount": columns.amount,
        "time": columns.time,
        "txn_id": columns.txn_id,
        "currency": columns.currency,
        "channel": columns.channel,
    }
    return {field: column for field, column in named.items() if column is not None}


def _row_errors(
    checked: CheckedTransfers, fields: dict[str, str], first_line: int, source: str | None
) -> tuple[int, tuple[InvalidInput, ...]]:
    """(bad rows, the first problem of each of the first :data:`MAX_REPORTED_ERRORS`)."""
    first = checked.problems.unique("row", keep="first", maintain_order=True)
    kept = tuple(
        InvalidInput(
            f"{problem['value'] or ''!r} {problem['reason']}",
            field=fields.get(problem["field"], problem["field"]),
            line=int(problem["row"]) + first_line,
            value=problem["value"],
            source=source,
        )
        for problem in first.head(MAX_REPORTED_ERRORS).iter_rows(named=True)
    )
    return first.height, kept


def transfers_from_frame(
    frame: pl.DataFrame,
    columns: ColumnNames,
    *,
    source: str | None = None,
    first_line: int = 2,
) -> LoadedTransfers:
    """Validate and normalise a frame of transfers; bad rows are skipped and reported.

    Raises:
        InvalidInput: a named column is missing, or no row is usable.
    """
    _check_columns(frame, columns, source)
    fields = _fields(columns)
    checked = check_transfers(
        frame.select([pl.col(column).alias(field) for field, column in fields.items()]),
        SIMULATION_RULES,
        first_line=first_line,
        names=fields,
        source=source,
    )
    n_errors, errors = _row_errors(checked, fields, first_line, source)
    good = checked.good()
    if good.is_empty():
        first_error = errors[0].message if errors else "the input is empty"
        raise InvalidInput(f"no usable transfer; first problem: {first_error}", source=source)
    transfers = _coded(
        good.get_column("src"),
        good.get_column("dst"),
        good.get_column("amount_fen").to_numpy(),
        good.get_column("time").to_numpy(),
        checked.time_unit,
        good.get_column("row").to_numpy() + first_line,
        good.get_column("txn_id").to_numpy().astype(str) if columns.txn_id else None,
        channel_codes(good.get_column("channel")) if columns.channel else None,
    )
    return LoadedTransfers(transfers, frame.height, n_errors, errors)


def _coded(
    src: pl.Series,
    dst: pl.Series,
    amount: IntArray,
    time: IntArray,
    unit: str,
    line: IntArray,
    txn_id: StrArray | None,
    channel: npt.NDArray[np.int8] | None,
    *,
    extra_accounts: pl.Series | None = None,
) -> Transfers:
    parts = [src, dst] if extra_accounts is None else [src, dst, extra_accounts]
    accounts = pl.concat(parts).unique().sort()
    src_codes = accounts.search_sorted(src).to_numpy().astype(np.int64)
    dst_codes = accounts.search_sorted(dst).to_numpy().astype(np.int64)
    return Transfers(
        accounts=accounts.to_numpy().astype(str),
        src=src_codes,
        dst=dst_codes,
        amount_fen=np.ascontiguousarray(amount, dtype=np.int64),
        at=np.ascontiguousarray(time, dtype=np.int64),
        time_unit=unit,
        line=np.ascontiguousarray(line, dtype=np.int64),
        txn_id=txn_id,
        channel=channel,
    )


def transfers_from_arrays(
    src: Sequence[object] | npt.NDArray[np.generic],
    dst: Sequence[object] | npt.NDArray[np.generic],
    amount_fen: Sequence[int] | IntArray,
    time: Sequence[int] | IntArray,
    *,
    time_unit: str = "s",
    channel: Sequence[str] | pl.Series | None = None,
    accounts: Collection[str] = (),
) -> Transfers:
    """Transfers from already-clean arrays (amounts in fen, times in ``time_unit``).

    ``accounts`` adds accounts that have no transfer (so they get a code too).

    Raises:
        InvalidInput: arrays of different lengths, a non-positive amount, an unknown unit or
            channel.
    """
    if time_unit not in ("s", "step"):
        raise InvalidInput(f"{time_unit!r}; use 's' or 'step'", field="time_unit")
    amounts = np.asarray(amount_fen, dtype=np.int64)
    times = np.asarray(time, dtype=np.int64)
    n = amounts.shape[0]
    if not (len(src) == len(dst) == n == times.shape[0]):
        raise InvalidInput("src, dst, amount_fen and time must have the same length")
    if n and int(amounts.min()) <= 0:
        line = int(np.argmin(amounts))
        raise InvalidInput(
            "amounts must be positive fen", field="amount_fen", line=line, value=int(amounts[line])
        )
    codes = None if channel is None else channel_codes(pl.Series(channel, dtype=pl.String))
    src_array, dst_array = np.asarray(src), np.asarray(dst)
    if not accounts and src_array.dtype.kind in "iu" and dst_array.dtype.kind in "iu":
        return _coded_integers(src_array, dst_array, amounts, times, time_unit, codes)
    extra = pl.Series([str(a).strip() for a in accounts], dtype=pl.String) if accounts else None
    return _coded(
        pl.Series(src_array).cast(pl.String),
        pl.Series(dst_array).cast(pl.String),
        amounts,
        times,
        time_unit,
        np.arange(n, dtype=np.int64),
        None,
        codes,
        extra_accounts=extra,
    )


def _coded_integers(
    src: npt.NDArray[np.integer[Any]],
    dst: npt.NDArray[np.integer[Any]],
    amount: IntArray,
    time: IntArray,
    unit: str,
    channel: npt.NDArray[np.int8] | None,
) -> Transfers:
    """Integer account ids: sort the distinct ids as text once, not every row (10M rows)."""
    n = src.shape[0]
    distinct, inverse = np.unique(np.concatenate([src, dst]), return_inverse=True)
    names = distinct.astype(str)
    order = np.argsort(names, kind="stable")
    position = np.empty(order.shape[0], dtype=np.int64)
    position[order] = np.arange(order.shape[0], dtype=np.int64)
    codes = position[inverse.ravel()]
    return Transfers(
        accounts=names[order],
        src=codes[:n],
        dst=codes[n:],
        amount_fen=np.ascontiguousarray(amount, dtype=np.int64),
        at=np.ascontiguousarray(time, dtype=np.int64),
        time_unit=unit,
        line=np.arange(n, dtype=np.int64),
        channel=channel,
    )


def _read_csv(path: str | Path) -> pl.DataFrame:
    file_path = Path(path)
    if not file_path.exists():
        raise NotFound(f"{file_path}: no such file")
    try:
        return pl.read_csv(file_path, infer_schema=False, encoding="utf8-lossy")
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        raise InvalidInput(f"not a readable CSV file ({exc})", source=file_path.name) from exc


def read_transfers(path: str | Path, columns: ColumnNames) -> LoadedTransfers:
    """Read a transfers CSV (header row first); see the module docstring for normalisation."""
    frame = _read_csv(path)
    return transfers_from_frame(frame, columns, source=Path(path).name)


def read_accounts(
    path: str | Path, *, id_col: str, label_col: str | None = None
) -> tuple[list[str], npt.NDArray[np.float64] | None]:
    """Account ids (and labels 0/1, NaN when empty) from an accounts CSV.

    Raises:
        InvalidInput: a column is missing, an id repeats, or a label is not 0/1/empty.
    """
    frame = _read_csv(path)
    source = Path(path).name
    for name in [id_col] + ([label_col] if label_col else []):
        if name not in frame.columns:
            raise InvalidInput(
                f"no column {name!r}; the file has {', '.join(frame.columns)}",
                field=name,
                source=source,
            )
    ids = frame[id_col].cast(pl.String).str.strip_chars()
    duplicated = ids.is_duplicated().to_numpy()
    if duplicated.any():
        line = int(np.flatnonzero(duplicated)[1]) + 2
        raise InvalidInput(
            f"{ids[line - 2]!r} appears twice; every account once",
            field=id_col,
            line=line,
            source=source,
        )
    labels = None
    if label_col:
        raw = frame[label_col].cast(pl.String).str.strip_chars().str.to_lowercase()
        mapping = {"1": 1.0, "0": 0.0, "1.0": 1.0, "0.0": 0.0, "true": 1.0, "false": 0.0}
        labels = raw.replace_strict(mapping, default=None, return_dtype=pl.Float64).to_numpy()
        bad = ~np.isnan(labels) | raw.is_null().to_numpy() | (raw == "").fill_null(True).to_numpy()
        if not bad.all():
            line = int(np.flatnonzero(~bad)[0])
            raise InvalidInput(
                f"{raw[line]!r} is not a label; use 1 (mule), 0 (normal) or leave empty",
                field=label_col,
                line=line + 2,
                source=source,
            )
    return ids.to_list(), labels
