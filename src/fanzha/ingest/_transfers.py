"""Transfers: ``txn_id, src, dst, amount, time[, currency, channel, case_no]`` → ``transfers``.

* A transaction id must be unique within the file: a repeat is a row error naming the line
  of the first. An id already in the store is skipped and counted, so importing a file
  twice stores it once.
* Both accounts must be in ``bank_accounts`` already; with ``create_missing`` an unknown
  one is created there (bank ``未知``, kind by length), otherwise each row naming one is a
  row error ("import the card registrations first").
* Amounts are stored as integer fen, currency ``CNY`` (``RMB``, ``人民币``, ``元`` and an
  empty cell mean the same); any other currency is a row error: fanzha does not convert.
* ``channel`` is free text up to 16 characters, lower-cased; empty means ``bank``.
* A ``case_no`` must name a case already in the store.
* A transfer from an account to itself moves nothing: dropped and counted. Rows are stored
  in time order.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from fanzha.ingest._normalize import (
    CNY_NAMES,
    parse_amounts,
)
from fanzha.ingest._plan import (
    UNKNOWN,
    IngestOptions,
    Lookup,
    LookupFn,
    Plan,
    assign_ids,
    attach_ids,
    fetch,
    fetch_ids,
    numbered,
)
from fanzha.ingest._rows import ROW, RowErrors, raw, times, with_text
from fanzha.records import ACCOUNT_HINT, account_kinds, clean_accounts

__all__ = ["plan_transfers"]

_MAX_TXN_ID = 40
_MAX_CHANNEL = 16


def _optional_text(work: pl.DataFrame, field: str) -> pl.Expr:
    return pl.col(raw(field)) if raw(field) in work.columns else pl.lit(None, dtype=pl.String)


def _check_duplicates(work: pl.DataFrame, errors: RowErrors) -> None:
    first = work.group_by("txn_id").agg(pl.col(ROW).min().alias("_first"))
    marked = work.join(first, on="txn_id", how="left", maintain_order="left")
    errors.add(
        marked,
        pl.col("txn_id").is_not_null() & (pl.col(ROW) != pl.col("_first")),
        "txn_id",
        pl.format(
            "repeats the transaction id of line {}; every transfer once",
            pl.col("_first") + errors.first_line,
        ),
    )


def _check_known(
    work: pl.DataFrame, errors: RowErrors, field: str, known: pl.Series, reason: str
) -> None:
    errors.add(
        work, pl.col(field).is_not_null() & ~pl.col(field).is_in(known.implode()), field, reason
    )


def plan_transfers(
    work: pl.DataFrame,
    errors: RowErrors,
    *,
    lookup: LookupFn,
    ids: Mapping[str, int],
    options: IngestOptions,
) -> Plan:
    """Validate transfer rows and plan the new ``transfers`` (and ``bank_accounts``) rows."""
    amounts, amount_problems = parse_amounts(
        work.get_column(raw("amount")), unit=options.amount_unit
    )
    work = with_text(work, ("txn_id", "src", "dst", "currency", "channel", "case_no"))
    work = work.with_columns(
        txn_id=pl.col(raw("txn_id")),
        src=clean_accounts(pl.col(raw("src"))),
        dst=clean_accounts(pl.col(raw("dst"))),
        amount_fen=amounts,
        _amount_problem=amount_problems,
        time=times(work, errors, "time", tz=options.tz),
        currency=_optional_text(work, "currency").str.to_uppercase(),
        channel=_optional_text(work, "channel").str.to_lowercase().fill_null("bank"),
        case_no=_optional_text(work, "case_no"),
    )
    errors.add(work, pl.col("txn_id").is_null(), "txn_id", "is empty")
    errors.add(
        work,
        pl.col("txn_id").str.len_chars() > _MAX_TXN_ID,
        "txn_id",
        f"is longer than {_MAX_TXN_ID} characters",
    )
    _check_duplicates(work, errors)
    errors.check(work, "src", ACCOUNT_HINT)
    errors.check(work, "dst", ACCOUNT_HINT)
    errors.add(work, pl.col("_amount_problem").is_not_null(), "amount", pl.col("_amount_problem"))
    errors.check(work, "time", "is not a time (ISO 8601, 2024/05/01 10:00:00, epoch s/ms)")
    errors.add(
        work,
        pl.col("currency").is_not_null() & ~pl.col("currency").is_in(sorted(CNY_NAMES)),
        "currency",
        "is not CNY; fanzha stores yuan only and does not convert: convert the amount first",
    )
    errors.add(
        work,
        pl.col("channel").str.len_chars() > _MAX_CHANNEL,
        "channel",
        f"is longer than {_MAX_CHANNEL} characters",
    )
    work = errors.drop_bad(work)

    loops = work.filter(pl.col("src") == pl.col("dst")).height
    work = work.filter(pl.col("src") != pl.col("dst")).sort("time", ROW)
    stored_ids = fetch(
        lookup,
        Lookup(
            "transfers", {"txn_id": pl.String()}, key="txn_id", values=work.get_column("txn_id")
        ),
    ).get_column("txn_id")
    fresh = work.filter(~pl.col("txn_id").is_in(stored_ids.implode()))
    skipped = work.height - fresh.height

    cases = fetch_ids(lookup, "cases", "case_no", fresh.get_column("case_no"))
    _check_known(
        fresh, errors, "case_no", cases.get_column("case_no"), "is not a case in the store"
    )
    numbers = pl.concat([fresh.get_column("src"), fresh.get_column("dst")])
    accounts = fetch_ids(lookup, "bank_accounts", "account_no", numbers)
    if not options.create_missing:
        reason = (
            "is not an account in the store; import the card registrations first, or create "
            f"missing accounts (--create-missing, bank {UNKNOWN})"
        )
        for field in ("src", "dst"):
            _check_known(fresh, errors, field, accounts.get_column("account_no"), reason)
    fresh = errors.drop_bad(fresh)
    numbers = pl.concat([fresh.get_column("src"), fresh.get_column("dst")])
    mapping, new = assign_ids(numbers, accounts, key="account_no", start=ids["bank_accounts"])
    new_accounts = new.with_columns(bank=pl.lit(UNKNOWN), kind=account_kinds(pl.col("account_no")))
    transfers = (
        attach_ids(
            fresh,
            mapping,
            key="account_no",
            columns={"src": "src_account_id", "dst": "dst_account_id"},
        )
        .join(cases.rename({"id": "case_id"}), on="case_no", how="left", maintain_order="left")
        .select(
            "txn_id",
            "src_account_id",
            "dst_account_id",
            "amount_fen",
            pl.lit("CNY").alias("currency"),
            pl.col("time").alias("at"),
            "channel",
            "case_id",
        )
    )
    return Plan(
        inserts={"bank_accounts": new_accounts, "transfers": numbered(transfers, ids["transfers"])},
        records=transfers.height,
        skipped_existing=skipped,
        self_loops=loops,
    )
