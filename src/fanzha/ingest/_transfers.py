"""Transfers: ``txn_id, src, dst, amount, time[, currency, channel, case_no]`` → ``transfers``.

* A transaction id must be unique within the file: a repeat is a row error naming the line
  of the first. An id already in the store is skipped and counted, so importing a file
  twice stores it once.
* Both accounts must be in ``bank_accounts`` already; with ``create_missing`` an unknown
  one is created there (bank ``未知``, kind by length), otherwise each row naming one is a
  row error ("import the card registrations first").
* Every row is validated by :func:`fanzha.records.check_transfers` (the one transfer
  validator): amounts are stored as integer fen, currency ``CNY`` (``RMB``, ``人民币``,
  ``元``, ``¥``, ``CNY元`` and an empty cell mean the same; any other currency is a row
  error: fanzha does not convert), and ``channel`` as its canonical name
  (:data:`fanzha.records.CHANNELS`: transfer, cash, crypto, merchant; the accepted
  spellings are :data:`fanzha.records._channel.CHANNEL_ALIASES`; empty means ``transfer``).
* A ``case_no`` must name a case already in the store.
* A transfer from an account to itself moves nothing: dropped and counted. Rows are stored
  in time order.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

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
from fanzha.ingest._rows import ROW, RowErrors, raw
from fanzha.records import TRANSFER_FIELDS, TransferRules, account_kinds, check_transfers

__all__ = ["plan_transfers"]


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
    fields = [f for f in TRANSFER_FIELDS if raw(f) in work.columns]
    checked = check_transfers(
        work.select(pl.col(ROW).alias("row"), *[pl.col(raw(f)).alias(f) for f in fields]),
        TransferRules(amount_unit=options.amount_unit, tz=options.tz),
        first_line=errors.first_line,
        names=errors.columns,
        source=errors.source,
    )
    errors.extend(checked.problems)
    work = errors.drop_bad(work.hstack(checked.rows.drop("row")))

    loops = work.filter(pl.col("src") == pl.col("dst")).height
    work = work.filter(pl.col("src") != pl.col("dst")).sort("at", ROW)
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
            "currency",
            "at",
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
