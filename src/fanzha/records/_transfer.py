"""Transfers: the one schema and the one validator, for ingest, funds, the demo and the API.

A transfer row has the fields of :data:`TRANSFER_FIELDS`: ``txn_id``, ``src``, ``dst``,
``amount``, ``time`` and optionally ``currency``, ``channel``, ``case_no``.
:func:`check_transfers` validates and normalises a frame of such rows (column per field,
as read) under :class:`TransferRules`, column at a time, and returns the clean rows in
:data:`TRANSFER_SCHEMA` (plus ``row``, the input row, and ``time``, int64 epoch seconds or
simulation steps) and one problem per bad cell (``row``, ``field``, ``value``, ``reason``):

* ``txn_id``: text up to 40 characters; a repeat is a problem naming the row of the first.
  Required unless the rules say otherwise.
* ``src``, ``dst``: bank account numbers (:func:`fanzha.records.clean_accounts`), or, for
  simulations, any non-empty id.
* ``amount``: :func:`fanzha.records.parse_amounts` (yuan with at most two decimals, or
  whole fen), or yuan rounded to fen for simulations.
* ``time``: :func:`fanzha.records.parse_times` in the rules' zone; simulation steps when
  the rules allow them and most times are steps.
* ``currency``: one of :data:`fanzha.records.CNY_NAMES` or empty; stored as ``CNY``.
* ``channel``: :func:`fanzha.records.canonical_channels`; empty is ``transfer``.

:func:`check_transfer_frame` checks already-clean rows in :data:`TRANSFER_SCHEMA` (what the
demo city generates and the store returns) and raises on the first bad one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import polars as pl

from fanzha.errors import InvalidInput
from fanzha.records._account import ACCOUNT_HINT, clean_accounts
from fanzha.records._channel import CHANNEL_HINT, CHANNELS, canonical_channels
from fanzha.records._money import CURRENCY, check_amount_unit, is_cny, parse_amounts
from fanzha.records._text import as_text
from fanzha.records._time import DEFAULT_TZ, check_timezone, normalize_times, parse_times

__all__ = [
    "MAX_TXN_ID",
    "SIMULATION_RULES",
    "TRANSFER_FIELDS",
    "TRANSFER_SCHEMA",
    "CheckedTransfers",
    "TransferRules",
    "check_transfer_frame",
    "check_transfers",
]

TRANSFER_FIELDS: Final = (
    "txn_id",
    "src",
    "dst",
    "amount",
    "time",
    "currency",
    "channel",
    "case_no",
)
#: A clean transfer, as core frames hold it: accounts as text, fen, UTC time, canonical channel.
TRANSFER_SCHEMA: Final = {
    "txn_id": pl.String(),
    "src": pl.String(),
    "dst": pl.String(),
    "amount_fen": pl.Int64(),
    "currency": pl.String(),
    "at": pl.Datetime("us", "UTC"),
    "channel": pl.String(),
    "case_no": pl.String(),
}
MAX_TXN_ID: Final = 40
_PROBLEMS: Final = {"row": pl.Int64, "field": pl.String, "value": pl.String, "reason": pl.String}
_TIME_HINT: Final = "is not a time (ISO 8601, 2024/05/01 10:00:00, YYYYMMDDhhmmss, epoch s/ms)"
_CURRENCY_HINT: Final = (
    "is not CNY; fanzha stores and traces CNY only and does not convert: convert the amount first"
)


@dataclass(frozen=True, slots=True)
class TransferRules:
    """How strictly to read transfers.

    Parameters:
        amount_unit: ``yuan`` or ``fen``.
        round_amounts: round yuan to fen (half to even) instead of refusing more than two
            decimals; for simulations (AMLSim writes floats).
        bank_accounts: accounts must be bank account numbers; off for simulations, whose
            accounts are any ids.
        steps: accept simulation steps as times.
        txn_id_required: every row needs a transaction id.
        tz: IANA zone of times written without an offset.
    """

    amount_unit: str = "yuan"
    round_amounts: bool = False
    bank_accounts: bool = True
    steps: bool = False
    txn_id_required: bool = True
    tz: str = DEFAULT_TZ

    def __post_init__(self) -> None:
        check_timezone(self.tz)
        check_amount_unit(self.amount_unit)


#: Rules for simulations and bank statements read by ``fanzha funds``.
SIMULATION_RULES: Final = TransferRules(
    round_amounts=True, bank_accounts=False, steps=True, txn_id_required=False
)


@dataclass(frozen=True, slots=True, eq=False)
class CheckedTransfers:
    """What :func:`check_transfers` returns.

    Attributes:
        rows: every input row (``row`` = its index), cleaned; a cell that did not normalise
            is null. Keep the rows whose ``row`` is not in ``problems``.
        problems: ``row``, ``field``, ``value`` (as read), ``reason``; by row, then field.
        time_unit: ``"s"`` (``time`` is epoch seconds, ``at`` is set) or ``"step"``.
    """

    rows: pl.DataFrame
    problems: pl.DataFrame
    time_unit: str

    def good(self) -> pl.DataFrame:
        """The rows without a problem."""
        return self.rows.filter(~pl.col("row").is_in(self.problems.get_column("row").implode()))


def _column(frame: pl.DataFrame, field: str) -> pl.Series:
    """``field`` as trimmed, NFKC-folded text (all null when the frame lacks it)."""
    if field in frame.columns:
        return as_text(frame.get_column(field)).alias(field)
    return pl.Series(field, [None] * frame.height, dtype=pl.String)


class _Problems:
    """Problems found so far, one frame per check."""

    def __init__(self, frame: pl.DataFrame, rows: pl.Series) -> None:
        self.frame = frame
        self.rows = rows
        self.parts: list[pl.DataFrame] = []

    def add(self, bad: pl.Series, field: str, reason: str | pl.Series) -> None:
        """Record ``reason`` for ``field`` where ``bad`` holds."""
        mask = bad.fill_null(False)
        if not mask.any():
            return
        value = (
            self.frame.get_column(field).cast(pl.String)
            if field in self.frame.columns
            else pl.Series([None] * self.frame.height, dtype=pl.String)
        )
        why = pl.Series([reason] * self.frame.height) if isinstance(reason, str) else reason
        found = pl.DataFrame(
            {"row": self.rows, "field": field, "value": value, "reason": why.cast(pl.String)}
        )
        self.parts.append(found.filter(mask))

    def result(self) -> pl.DataFrame:
        """Every problem, by row, then in the order found."""
        if not self.parts:
            return pl.DataFrame(schema=_PROBLEMS)
        found = pl.concat(self.parts).cast(_PROBLEMS)  # type: ignore[arg-type]
        return found.with_row_index("_order").sort("row", "_order").drop("_order")


def _times(
    values: pl.Series, rules: TransferRules, *, field: str, source: str | None
) -> tuple[pl.Series, pl.Series, str, pl.Series]:
    """(epoch seconds or steps, UTC datetimes, unit, bad mask) of the ``time`` column."""
    if rules.steps:
        steps, unit, bad = normalize_times(values)
        if unit == "step":
            at = pl.Series("at", [None] * values.len(), dtype=pl.Datetime("us", "UTC"))
            return pl.Series("time", steps), at, unit, pl.Series(bad)
    at = parse_times(values, tz=rules.tz, field=field, source=source).alias("at")
    return at.dt.epoch("s").alias("time"), at, "s", at.is_null()


def _check_ids(
    problems: _Problems, txn_id: pl.Series, rules: TransferRules, first_line: int
) -> None:
    """Empty (when required), too long, or repeating an earlier row's id (naming its line)."""
    frame = pl.DataFrame({"id": txn_id, "row": problems.rows})
    first = frame.drop_nulls("id").group_by("id").agg(pl.col("row").min().alias("first"))
    marked = frame.join(first, on="id", how="left", maintain_order="left")
    if rules.txn_id_required:
        problems.add(txn_id.is_null(), "txn_id", "is empty")
    problems.add(
        txn_id.str.len_chars() > MAX_TXN_ID, "txn_id", f"is longer than {MAX_TXN_ID} characters"
    )
    reason = marked.select(
        pl.format(
            "repeats the transaction id of line {}; every transfer once",
            pl.col("first") + first_line,
        )
    ).to_series()
    problems.add(marked.get_column("first") != marked.get_column("row"), "txn_id", reason)


def _check_accounts(
    problems: _Problems, frame: pl.DataFrame, rules: TransferRules
) -> dict[str, pl.Series]:
    accounts = {}
    for field in ("src", "dst"):
        text = _column(frame, field)
        problems.add(text.is_null(), field, "is empty")
        if rules.bank_accounts:
            clean = pl.select(clean_accounts(pl.lit(text))).to_series().alias(field)
            problems.add(text.is_not_null() & clean.is_null(), field, ACCOUNT_HINT)
            text = clean
        accounts[field] = text
    return accounts


def check_transfers(
    frame: pl.DataFrame,
    rules: TransferRules | None = None,
    *,
    first_line: int = 2,
    names: dict[str, str] | None = None,
    source: str | None = None,
) -> CheckedTransfers:
    """Validate and normalise transfer rows (one column per field of :data:`TRANSFER_FIELDS`).

    ``frame`` may hold a ``row`` column (the input row of each; else 0, 1, …);
    ``first_line`` is the line of its first row (messages about repeats name lines);
    ``names`` and ``source`` name the input's columns and file in a raised error.

    Raises:
        InvalidInput: the times are simulation steps and the rules do not allow them.
    """
    rules = rules or TransferRules()
    rows = (
        frame.get_column("row").cast(pl.Int64)
        if "row" in frame.columns
        else pl.Series("row", np.arange(frame.height, dtype=np.int64))
    )
    problems = _Problems(frame, rows)
    txn_id = _column(frame, "txn_id")
    _check_ids(problems, txn_id, rules, first_line)
    accounts = _check_accounts(problems, frame, rules)
    amount = (
        frame.get_column("amount")
        if "amount" in frame.columns
        else pl.Series([None] * frame.height, dtype=pl.String)
    )
    fen, amount_problem = parse_amounts(
        amount, unit=rules.amount_unit, rounding=rules.round_amounts
    )
    problems.add(amount_problem.is_not_null(), "amount", amount_problem)
    raw_time = frame.get_column("time") if "time" in frame.columns else _column(frame, "time")
    time_name = (names or {}).get("time", "time")
    seconds, at, unit, bad_time = _times(raw_time, rules, field=time_name, source=source)
    time_missing = _column(frame, "time").is_null()
    problems.add(time_missing, "time", "is empty")
    steps = " or an integer step, not mixed with dates" if rules.steps else ""
    problems.add(bad_time & ~time_missing, "time", _TIME_HINT + steps)
    currency = _column(frame, "currency")
    problems.add(~pl.select(is_cny(pl.lit(currency))).to_series(), "currency", _CURRENCY_HINT)
    channel_text = _column(frame, "channel")
    channel = pl.select(canonical_channels(pl.lit(channel_text))).to_series().alias("channel")
    problems.add(channel.is_null(), "channel", CHANNEL_HINT)
    clean = pl.DataFrame(
        {
            "row": rows,
            "txn_id": txn_id,
            **accounts,
            "amount_fen": fen.alias("amount_fen"),
            "currency": pl.Series([CURRENCY] * frame.height, dtype=pl.String),
            "at": at,
            "time": seconds,
            "channel": channel,
            "case_no": _column(frame, "case_no"),
        }
    )
    return CheckedTransfers(clean, problems.result(), unit)


def check_transfer_frame(frame: pl.DataFrame) -> None:
    """Check clean transfer rows in :data:`TRANSFER_SCHEMA` (the demo's, the store's).

    Raises:
        InvalidInput: a column is missing or has another type, an amount is not positive,
            an account or time is missing, a channel is not canonical, a currency not CNY.
    """
    for name, dtype in TRANSFER_SCHEMA.items():
        if name not in frame.columns or frame.schema[name] != dtype:
            got = frame.schema.get(name)
            raise InvalidInput(f"expected a {dtype} column, got {got}", field=name)
    checks = (
        ("src", pl.col("src").is_null()),
        ("dst", pl.col("dst").is_null()),
        ("amount_fen", pl.col("amount_fen").is_null() | (pl.col("amount_fen") <= 0)),
        ("at", pl.col("at").is_null()),
        ("currency", pl.col("currency") != CURRENCY),
        ("channel", ~pl.col("channel").is_in(CHANNELS)),
    )
    for name, bad in checks:
        found = frame.with_row_index("_line").filter(bad.fill_null(True))
        if found.height:
            first = found.row(0, named=True)
            raise InvalidInput(
                "is not a valid transfer value",
                field=name,
                line=int(first["_line"]),
                value=first[name],
            )
