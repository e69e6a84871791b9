"""断卡 analytics: cards per person, outlets ranked by their cards that turned up in cases."""

from __future__ import annotations

import polars as pl

from fanzha.demo import label_gang_phones, label_mules
from fanzha.graph import EntityGraph, build_graph, cards_per_person, rank_outlets
from fanzha.graph._cards import case_cards
from tests.graph.conftest import City


def test_case_cards_in_the_tiny_city(tiny_graph: EntityGraph) -> None:
    found = case_cards(tiny_graph)
    ways = {(tiny_graph.ids[n], how) for n, how in found.iter_rows()}
    assert ("account:6222000000000002", "transfer") in ways  # received the victim's money
    assert ("account:6222000000000002", "named") in ways
    assert ("account:6222000000000001", "transfer") not in ways  # the victim's own card
    assert not any(i.startswith("phone:") for i, _ in ways)  # calls went to p2, not the victim


def test_cards_per_person(tiny_graph: EntityGraph) -> None:
    per = cards_per_person(tiny_graph)
    first = per.row(0, named=True)
    assert (first["id"], first["cards"], first["sims"], first["accounts"]) == ("person:1", 3, 2, 1)
    assert first["outlets"] == 2


def test_wilson_bound_prefers_volume_over_a_lucky_few() -> None:
    # outlet 1: 3 of 3 cards bad; outlet 2: 300 of 400 bad; outlet 3: 0 of 50.
    sizes = {1: (3, 3), 2: (400, 300), 3: (50, 0)}
    accounts, transfers = [], []
    next_id = 1
    for outlet, (n, bad) in sizes.items():
        for i in range(n):
            accounts.append((next_id, f"62220{outlet}{i:010d}", outlet))
            if i < bad:
                transfers.append((999, next_id))
            next_id += 1
    accounts.append((999, "6222999999999999", None))
    tables: City = {
        "bank_accounts": pl.DataFrame(
            accounts, schema=["id", "account_no", "outlet_id"], orient="row"
        ),
        "outlets": pl.DataFrame({"id": [1, 2, 3], "name": ["a", "b", "c"]}),
        "transfers": pl.DataFrame(
            {
                "src_account_id": [s for s, _ in transfers],
                "dst_account_id": [d for _, d in transfers],
                "amount_fen": [100] * len(transfers),
                "at": ["2026-01-02 10:00:00"] * len(transfers),
                "case_id": [1] * len(transfers),
            }
        ),
    }
    ranked = rank_outlets(build_graph(tables))
    assert ranked.get_column("id").to_list() == ["outlet:2", "outlet:1", "outlet:3"]
    assert ranked.get_column("share").to_list()[1] == 1.0


def test_demo_bad_outlets_rank_first(city: City, city_graph: EntityGraph) -> None:
    phones = label_gang_phones(city["phones"], city["devices"], city["persons"]).join(
        city["phones"].select(phone_id="id", outlet_id="outlet_id"), on="phone_id"
    )
    mules = label_mules(city["transfers"]).join(
        city["bank_accounts"].select(account_id="id", outlet_id="outlet_id"), on="account_id"
    )
    bad = set(phones.get_column("outlet_id").to_list()) | set(
        mules.get_column("outlet_id").drop_nulls().to_list()
    )
    ranked = rank_outlets(city_graph).get_column("id").to_list()
    top = ranked[: len(bad) + 2]
    assert sum(f"outlet:{o}" in top for o in bad) >= len(bad) - 1
