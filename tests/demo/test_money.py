"""Money in the demo city: victims pay mule cards, money fans out through layers to exits."""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from fanzha.demo import label_mules
from fanzha.records import EXIT_CHANNELS, TRANSFER_SCHEMA, check_transfer_frame
from tests.demo.conftest import DAYS, START, City

END = START + timedelta(days=DAYS)


def _moves(city: City) -> pl.DataFrame:
    """Every transfer as two signed moves: out of the source, into the destination."""
    transfers = city["transfers"].select("src_account_id", "dst_account_id", "amount_fen", "at")
    return pl.concat(
        [
            transfers.select(account_id="src_account_id", delta=-pl.col("amount_fen"), at="at"),
            transfers.select(account_id="dst_account_id", delta=pl.col("amount_fen"), at="at"),
        ]
    )


def test_a_mule_never_sends_money_it_has_not_received(city: City) -> None:
    mules = label_mules(city["transfers"]).get_column("account_id")
    assert mules.len() > 50
    balance = (
        _moves(city)
        .filter(pl.col("account_id").is_in(mules.implode()))
        .sort("account_id", "at", "delta", descending=[False, False, True])
        .with_columns(balance=pl.col("delta").cum_sum().over("account_id"))
    )
    assert balance.get_column("balance").min() >= 0  # type: ignore[operator]


def test_money_fans_out_through_two_to_four_layers_into_exits(city: City) -> None:
    layers = label_mules(city["transfers"]).join(
        city["bank_accounts"].select(account_id="id", kind="kind"), on="account_id"
    )
    exits = layers.filter(pl.col("kind").is_in(["cash_out", "crypto_exit"]))
    assert set(exits.get_column("layer").unique()) <= {3, 4, 5}
    assert set(exits.get_column("kind").unique()) == {"cash_out", "crypto_exit"}
    mules = layers.filter(pl.col("kind") == "personal")
    assert set(mules.get_column("layer").unique()) == {1, 2, 3, 4}


def test_money_that_stops_before_an_exit_was_still_moving_at_the_end(city: City) -> None:
    linked = city["transfers"].filter(pl.col("case_id").is_not_null())
    senders = linked.get_column("src_account_id").unique().implode()
    kinds = city["bank_accounts"].select(dst_account_id="id", kind="kind")
    stuck = (
        linked.filter(~pl.col("dst_account_id").is_in(senders))
        .join(kinds, on="dst_account_id")
        .filter(~pl.col("kind").is_in(["cash_out", "crypto_exit"]))
    )
    assert (stuck.get_column("at") > END - timedelta(hours=24)).all()


def test_laundering_takes_hours_not_days(city: City) -> None:
    linked = city["transfers"].filter(pl.col("case_id").is_not_null())
    kinds = city["bank_accounts"].select(dst_account_id="id", kind="kind")
    exits = linked.join(kinds, on="dst_account_id").filter(
        pl.col("kind").is_in(["cash_out", "crypto_exit"])
    )
    first_paid = linked.group_by("case_id").agg(pl.col("at").min().alias("paid"))
    last_exit = exits.group_by("case_id").agg(pl.col("at").max().alias("out"))
    spans = first_paid.join(last_exit, on="case_id").join(
        city["cases"].select(case_id="id", fraud_type="fraud_type"), on="case_id"
    )
    quick = spans.filter(pl.col("fraud_type") == "impersonate_authority")
    assert quick.height > 0
    assert (quick.get_column("out") - quick.get_column("paid")).max() < timedelta(days=4)  # type: ignore[operator]


def test_a_case_lost_what_its_victim_transferred(city: City) -> None:
    accounts = city["bank_accounts"].select(src_account_id="id", holder_id="holder_id")
    linked = city["transfers"].filter(pl.col("case_id").is_not_null())
    # A victim may also have sold a card to a gang: only their own money counts.
    paid = (
        linked.filter(~pl.col("src_account_id").is_in(linked["dst_account_id"].implode()))
        .join(accounts, on="src_account_id")
        .join(city["cases"].select(case_id="id", victim_id="victim_id"), on="case_id")
        .filter(pl.col("holder_id") == pl.col("victim_id"))
        .group_by("case_id")
        .agg(pl.col("amount_fen").sum().alias("paid"))
    )
    cases = city["cases"].join(paid, left_on="id", right_on="case_id", how="left")
    assert (cases.get_column("paid") == cases.get_column("amount_lost_fen")).all()


def test_flagged_transfers_went_to_flagged_first_layer_cards(city: City) -> None:
    events = city["events"].filter(pl.col("kind") == "flagged_transfer")
    cards = city["bank_accounts"].filter(
        pl.col("account_no").is_in(events["counterpart"].implode())
    )
    assert cards.height == events.get_column("counterpart").n_unique() > 0
    assert cards.get_column("flagged").all()
    layers = label_mules(city["transfers"]).filter(
        pl.col("account_id").is_in(cards["id"].implode())
    )
    assert set(layers.get_column("layer").unique()) <= {1}


def _core_transfers(city: City) -> pl.DataFrame:
    """The city's transfers in the core schema (account numbers, case numbers)."""
    accounts = city["bank_accounts"].select("id", "account_no", "kind")
    cases = city["cases"].select(pl.col("id").alias("case_id"), "case_no")
    return (
        city["transfers"]
        .join(
            accounts.rename({"id": "src_account_id", "account_no": "src"}).drop("kind"),
            on="src_account_id",
        )
        .join(
            accounts.rename({"id": "dst_account_id", "account_no": "dst", "kind": "dst_kind"}),
            on="dst_account_id",
        )
        .join(cases, on="case_id", how="left")
    )


def test_transfers_pass_the_one_transfer_check(city: City) -> None:
    transfers = _core_transfers(city)
    check_transfer_frame(transfers.select(list(TRANSFER_SCHEMA)))


def test_exit_channels_are_the_transfers_into_exit_accounts(city: City) -> None:
    transfers = _core_transfers(city)
    exits = transfers.get_column("channel").is_in(sorted(EXIT_CHANNELS))
    into_exit = transfers.get_column("dst_kind").is_in(["cash_out", "crypto_exit"])
    assert exits.any()
    assert (exits == into_exit).all()
    crypto = transfers.filter(pl.col("channel") == "crypto").get_column("dst_kind")
    assert set(crypto) == {"crypto_exit"}
