"""断卡 two-card analytics: cards per person, and outlets ranked by the share of the cards
they opened that turned up in cases.

A card turned up in a case when

- a bank card or wallet: it received a case-linked transfer (victims' own cards, which only
  send, do not count), or a case names it;
- a phone: it called, texted or contacted a case's victim (any number registered to the
  victim) in the ``window_days`` before the case was reported.

Outlets are ranked by the lower bound of the 95% Wilson interval of that share, so that an
outlet with 3 of 3 bad cards does not outrank one with 300 of 400.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from fanzha.graph._graph import EntityGraph, edge_events
from fanzha.graph._schema import node_type_code

__all__ = ["cards_per_person", "case_cards", "rank_outlets"]

_Z = 1.959964


def _node_frame(graph: EntityGraph) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "node": np.arange(graph.n_nodes, dtype=np.int64),
            "id": graph.ids,
            "label": graph.labels,
            "type": graph.types.astype(np.int64),
            "flagged": graph.flagged,
        }
    )


def case_cards(graph: EntityGraph, *, window_days: int = 30) -> pl.DataFrame:
    """The cards (phones, accounts, wallets) that turned up in cases: ``node``, ``how``
    ("transfer": received case money, "named": a case names it, "called-victim"), one row
    per card and way."""
    transfers = edge_events(graph, "transferred").filter("case")
    money = transfers.select(node="dst").unique()
    reported = edge_events(graph, "reported-in")
    person_type = node_type_code("person")
    src_type = pl.Series(graph.types[reported.get_column("src").to_numpy()].astype(np.int64))
    reported = reported.with_columns(src_type=src_type)
    named = reported.filter(pl.col("src_type") != person_type).select(node="src").unique()
    victims = reported.filter(pl.col("src_type") == person_type).select(
        victim="src", reported_at="time"
    )
    phones = edge_events(graph, "registered-by").select(victim_phone="src", victim="dst")
    victim_phones = victims.join(phones, on="victim")
    contact = pl.concat(
        [
            edge_events(graph, "called").select("src", "dst", "time"),
            edge_events(graph, "texted").select("src", "dst", "time"),
        ]
    )
    window = window_days * 86_400
    called = (
        contact.join(victim_phones, left_on="dst", right_on="victim_phone")
        .filter(pl.col("time").is_between(pl.col("reported_at") - window, pl.col("reported_at")))
        .select(node="src")
    )
    contacted = (
        edge_events(graph, "contacted")
        .join(victims, left_on="dst", right_on="victim")
        .filter(pl.col("time").is_between(pl.col("reported_at") - window, pl.col("reported_at")))
        .select(node="src")
    )
    return pl.concat(
        [
            money.with_columns(how=pl.lit("transfer")),
            named.with_columns(how=pl.lit("named")),
            pl.concat([called, contacted]).unique().with_columns(how=pl.lit("called-victim")),
        ]
    ).unique(maintain_order=True)


def _card_types() -> list[int]:
    return [node_type_code(k) for k in ("phone", "account", "wallet")]


def cards_per_person(graph: EntityGraph, *, window_days: int = 30) -> pl.DataFrame:
    """Per person with at least one card: ``sims``, ``accounts``, ``wallets``, ``outlets``
    (distinct outlets their cards were opened at), ``case_cards`` and ``flagged_cards``;
    most cards first."""
    nodes = _node_frame(graph)
    reg = edge_events(graph, "registered-by").select(card="src", person="dst")
    cards = reg.join(nodes.select(card="node", kind="type", flagged="flagged"), on="card").filter(
        pl.col("kind").is_in(_card_types())
    )
    bad = case_cards(graph, window_days=window_days).get_column("node").unique().implode()
    opened = edge_events(graph, "opened-at").select(card="src", outlet="dst")
    per = (
        cards.join(opened, on="card", how="left")
        .with_columns(bad=pl.col("card").is_in(bad))
        .group_by("person")
        .agg(
            sims=(pl.col("kind") == node_type_code("phone")).sum(),
            accounts=(pl.col("kind") == node_type_code("account")).sum(),
            wallets=(pl.col("kind") == node_type_code("wallet")).sum(),
            outlets=pl.col("outlet").drop_nulls().n_unique(),
            case_cards=pl.col("bad").sum(),
            flagged_cards=pl.col("flagged").sum(),
        )
    )
    return (
        per.join(nodes.select(person="node", id="id", name="label"), on="person")
        .with_columns(cards=pl.col("sims") + pl.col("accounts") + pl.col("wallets"))
        .sort(["cards", "case_cards", "person"], descending=[True, True, False])
        .select(
            "person",
            "id",
            "name",
            "cards",
            "sims",
            "accounts",
            "wallets",
            "outlets",
            "case_cards",
            "flagged_cards",
        )
    )


def rank_outlets(graph: EntityGraph, *, window_days: int = 30, min_cards: int = 1) -> pl.DataFrame:
    """Outlets ranked by the share of their cards that turned up in cases: ``outlet``,
    ``id``, ``name``, ``kind``, ``district``, ``cards``, ``case_cards``, ``flagged_cards``,
    ``share``, ``score`` (Wilson lower bound) and ``rank`` (1 = worst)."""
    nodes = _node_frame(graph)
    bad = case_cards(graph, window_days=window_days).get_column("node").unique().implode()
    opened = edge_events(graph, "opened-at").select(card="src", outlet="dst")
    per = (
        opened.join(nodes.select(card="node", flagged="flagged"), on="card")
        .with_columns(bad=pl.col("card").is_in(bad))
        .group_by("outlet")
        .agg(
            cards=pl.len(),
            case_cards=pl.col("bad").sum(),
            flagged_cards=pl.col("flagged").sum(),
        )
        .filter(pl.col("cards") >= min_cards)
    )
    n = pl.col("cards").cast(pl.Float64)
    share = pl.col("case_cards") / n
    centre = share + _Z**2 / (2 * n)
    spread = _Z * (share * (1 - share) / n + _Z**2 / (4 * n**2)).sqrt()
    per = per.with_columns(
        share=share, score=((centre - spread) / (1 + _Z**2 / n)).clip(0.0, 1.0)
    ).sort(["score", "outlet"], descending=[True, False])
    attrs = graph.attrs_of(per.get_column("outlet").to_numpy())
    return per.with_columns(
        id=graph.ids.gather(per.get_column("outlet").to_numpy()),
        name=graph.labels.gather(per.get_column("outlet").to_numpy()),
        kind=pl.Series([a.get("kind") for a in attrs], dtype=pl.String),
        district=pl.Series([a.get("district") for a in attrs], dtype=pl.String),
        rank=pl.int_range(1, per.height + 1, dtype=pl.Int64),
    ).select(
        "outlet",
        "id",
        "name",
        "kind",
        "district",
        "cards",
        "case_cards",
        "flagged_cards",
        "share",
        "score",
        "rank",
    )
