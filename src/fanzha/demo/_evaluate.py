"""How well roles and gangs match what the demo city knows (``fanzha.demo`` ground truth).

Roles are compared per (role, node type) with a truth set built from the tables:
card traffickers and lead-generation members by ``persons.gang_role``; GOIP boxes and
their SIMs by ``label_gang_phones``; pass-through accounts (mule cards that passed
victims' money on) and cash-out exits (cards and wallets where it stopped) by
``label_mules``, and for persons the holders of those cards (卡农 and money runners) and
the ``cash_out`` members. ``suspects`` counts predicted persons of any gang. Gangs are
compared on the persons in them that belong to a known gang (``persons.gang_id``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import polars as pl

from fanzha.demo._truth import label_gang_phones, label_mules
from fanzha.graph import EntityGraph, Gang, node_ids

__all__ = ["evaluate_gangs", "evaluate_roles", "role_truth"]


def _person_ids(persons: pl.DataFrame, roles: Sequence[str]) -> pl.Series:
    return node_ids("person", persons.filter(pl.col("gang_role").is_in(roles)).get_column("id"))


def role_truth(tables: Mapping[str, pl.DataFrame]) -> dict[tuple[str, str], pl.Series]:
    """Truth sets of typed node ids, keyed by (role, node type)."""
    persons, phones = tables["persons"], tables["phones"]
    devices, transfers = tables["devices"], tables["transfers"]
    accounts = tables["bank_accounts"]
    sims = label_gang_phones(phones, devices, persons)
    mules = label_mules(transfers)
    linked = transfers.filter(pl.col("case_id").is_not_null())
    senders = linked.get_column("src_account_id").unique().implode()
    numbers = mules.join(accounts.select(account_id="id", no="account_no"), on="account_id")
    numbers = numbers.join(
        accounts.select(account_id="id", holder="holder_id", kind="kind"), on="account_id"
    )
    passing = numbers.filter(pl.col("account_id").is_in(senders))
    exits = numbers.filter(~pl.col("account_id").is_in(senders))
    wallet = pl.col("kind") == "crypto_exit"
    box_imeis = devices.filter(pl.col("id").is_in(sims.get_column("device_id").implode()))
    return {
        ("card_trafficker", "person"): _person_ids(persons, ["card_trafficker"]),
        ("goip_den", "device"): node_ids("device", box_imeis.get_column("imei")),
        ("goip_sim", "phone"): node_ids("phone", sims.get_column("number")),
        ("pass_through", "account"): node_ids("account", passing.get_column("no")),
        ("pass_through", "person"): pl.concat(
            [
                _person_ids(persons, ["money_runner"]),
                node_ids("person", passing.get_column("holder").drop_nulls()),
            ]
        ),
        ("cash_out", "account"): pl.concat(
            [
                node_ids("account", exits.filter(~wallet).get_column("no")),
                node_ids("wallet", exits.filter(wallet).get_column("no")),
            ]
        ),
        ("cash_out", "person"): pl.concat(
            [
                _person_ids(persons, ["cash_out"]),
                node_ids("person", exits.get_column("holder").drop_nulls()),
            ]
        ),
        ("lead_gen", "person"): _person_ids(persons, ["lead_gen"]),
    }


def evaluate_roles(
    roles: pl.DataFrame, tables: Mapping[str, pl.DataFrame], *, min_score: float = 0.0
) -> pl.DataFrame:
    """Precision and recall per (role, node type) against :func:`role_truth`, counting the
    rows scored at least ``min_score``; wallets count with accounts. Columns: role, type,
    truth, predicted, hits, precision, recall, suspects (predicted persons of some gang)."""
    persons = tables["persons"]
    members = node_ids("person", persons.filter(pl.col("gang_id").is_not_null()).get_column("id"))
    rows: list[dict[str, Any]] = []
    typed = roles.filter(pl.col("score") >= min_score).with_columns(
        type=pl.when(pl.col("type") == "wallet").then(pl.lit("account")).otherwise("type")
    )
    for (role, kind), truth in role_truth(tables).items():
        predicted = typed.filter((pl.col("role") == role) & (pl.col("type") == kind))
        ids = predicted.get_column("id").unique()
        known = truth.drop_nulls().unique()
        hits = int(ids.is_in(known.implode()).sum())
        rows.append(
            {
                "role": role,
                "type": kind,
                "truth": known.len(),
                "predicted": ids.len(),
                "hits": hits,
                "precision": hits / ids.len() if ids.len() else None,
                "recall": hits / known.len() if known.len() else None,
                "suspects": int(ids.is_in(members.implode()).sum()) if kind == "person" else None,
            }
        )
    return pl.DataFrame(
        rows, schema_overrides={"precision": pl.Float64, "recall": pl.Float64, "suspects": pl.Int64}
    )


def evaluate_gangs(
    graph: EntityGraph, gangs: Sequence[Gang], persons: pl.DataFrame
) -> dict[str, Any]:
    """Gangs against ``persons.gang_id``: ``purity`` (members of known gangs in a detected
    gang that belong to its majority gang), ``coverage`` (known-gang members found in some
    gang), ``recovered`` (known gangs with half or more of their members in one detected
    gang where they are the majority), ``others`` (persons of no known gang in gangs)."""
    truth = persons.select(id=node_ids("person", persons.get_column("id")), gang="gang_id")
    member_rows = [
        (graph.ids[int(m)], g.id)
        for g in gangs
        for m in g.members
        if graph.type_of(int(m)) == "person"
    ]
    found = pl.DataFrame(member_rows, schema={"id": pl.String, "found": pl.Int64}, orient="row")
    joined = found.join(truth, on="id", how="left")
    known = joined.filter(pl.col("gang").is_not_null())
    sizes = truth.filter(pl.col("gang").is_not_null()).group_by("gang").len()
    counts = known.group_by("found", "gang").len()
    majority = counts.sort("len", descending=True).unique("found", keep="first")
    best = counts.sort("len", descending=True).unique("gang", keep="first")
    recovered = (
        best.join(sizes.rename({"len": "size"}), on="gang")
        .join(majority.select("found", major="gang"), on="found")
        .filter((pl.col("len") * 2 >= pl.col("size")) & (pl.col("major") == pl.col("gang")))
    )
    n_known = int(sizes.get_column("len").sum()) if sizes.height else 0
    return {
        "gangs": len(gangs),
        "members": int(sum(g.size for g in gangs)),
        "persons": found.height,
        "known_gang_persons": known.height,
        "purity": float(majority.get_column("len").sum() / known.height) if known.height else 0.0,
        "coverage": float(known.height / n_known) if n_known else 0.0,
        "recovered": recovered.height,
        "known_gangs": sizes.height,
        "others": int(joined.get_column("gang").null_count()),
        "money_fen": int(np.sum([g.money_fen for g in gangs])),
    }
