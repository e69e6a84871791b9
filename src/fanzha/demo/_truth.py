"""What the demo city knows that an analyst has to find out: ground truth for evaluating the
graph and funds modules, computed from the tables (so it works on a loaded database too)."""

from __future__ import annotations

import polars as pl

__all__ = ["label_gang_phones", "label_mules"]

_MAX_HOPS = 8


def label_mules(transfers: pl.DataFrame) -> pl.DataFrame:
    """Every account that victims' money passed through, with ``layer``: the fewest hops from
    a victim's account (1: first-layer mule card; exits come last).

    Uses the case-linked transfers (``case_id`` set); returns columns ``account_id``,
    ``layer`` sorted by account.
    """
    linked = transfers.filter(pl.col("case_id").is_not_null()).select(
        src=pl.col("src_account_id"), dst=pl.col("dst_account_id")
    )
    payers = (
        linked.select(account_id=pl.col("src"))
        .unique()
        .join(linked.select(account_id=pl.col("dst")).unique(), on="account_id", how="anti")
    )
    known = payers.with_columns(layer=pl.lit(0, dtype=pl.Int64))
    frontier = payers
    for hop in range(1, _MAX_HOPS + 1):
        reached = (
            linked.join(frontier, left_on="src", right_on="account_id")
            .select(account_id=pl.col("dst"))
            .unique()
            .join(known, on="account_id", how="anti")
        )
        if reached.is_empty():
            break
        known = pl.concat([known, reached.with_columns(layer=pl.lit(hop, dtype=pl.Int64))])
        frontier = reached
    return known.filter(pl.col("layer") > 0).sort("account_id")


def label_gang_phones(
    phones: pl.DataFrame, devices: pl.DataFrame, persons: pl.DataFrame
) -> pl.DataFrame:
    """The gang SIMs: phones sitting in a GOIP box, with the den (``den_id``) that owns the box.

    Returns columns ``phone_id``, ``number``, ``device_id``, ``den_id``.
    """
    boxes = devices.filter(pl.col("kind") == "goip").select(
        device_id=pl.col("id"), owner_id=pl.col("owner_id")
    )
    owners = persons.select(owner_id=pl.col("id"), den_id=pl.col("gang_id"))
    return (
        phones.select(phone_id=pl.col("id"), number=pl.col("number"), device_id=pl.col("device_id"))
        .join(boxes, on="device_id")
        .join(owners, on="owner_id", how="left")
        .select("phone_id", "number", "device_id", "den_id")
        .sort("phone_id")
    )
