"""Role rules: named positive and negative cases, and the demo city's ground truth."""

from __future__ import annotations

import polars as pl
import pytest

from fanzha.demo import evaluate_roles
from fanzha.graph import ROLE_LABELS, EntityGraph, assign_roles, build_graph
from fanzha.graph._roles import RoleRules
from tests.graph.conftest import City, at


def _goip_tables(sims: int, calls_each: int, duration: int) -> City:
    """One device holding ``sims`` SIMs that each call ``calls_each`` strangers."""
    n_callees = sims * calls_each
    phones = pl.DataFrame(
        {
            "id": list(range(1, sims + n_callees + 1)),
            "number": [f"1350000{i:04d}" for i in range(sims + n_callees)],
            "device_id": [1] * sims + [None] * n_callees,
        }
    )
    return {
        "devices": pl.DataFrame({"id": [1], "imei": ["861325220391378"]}),
        "phones": phones,
        "calls": pl.DataFrame(
            {
                "caller_id": [1 + i // calls_each for i in range(n_callees)],
                "callee_id": [sims + 1 + i for i in range(n_callees)],
                "started_at": [at(2)] * n_callees,
                "duration_s": [duration] * n_callees,
            }
        ),
    }


@pytest.mark.parametrize(
    ("sims", "calls_each", "duration", "found"),
    [
        pytest.param(6, 20, 15, True, id="goip-short-cold-calls"),
        pytest.param(12, 0, 0, True, id="goip-many-slots"),
        pytest.param(6, 20, 300, False, id="long-calls-not-goip"),
        pytest.param(1, 80, 15, False, id="one-sim-handset"),
    ],
)
def test_goip_rule(sims: int, calls_each: int, duration: int, found: bool) -> None:
    roles = assign_roles(build_graph(_goip_tables(sims, calls_each, duration)))
    devices = roles.filter(pl.col("role") == "goip_den")
    assert (devices.height == 1) is found
    if found:
        assert roles.filter(pl.col("role") == "goip_sim").height == sims
        assert "张SIM卡" in devices.get_column("reason")[0]


def test_a_box_whose_sims_have_moved_on_is_found_from_the_device_log() -> None:
    tables = _goip_tables(6, 20, 15)
    sims = tables["phones"].filter(pl.col("device_id") == 1).get_column("id")
    # today no SIM sits in the box; the device log saw them all in it last week
    tables["phones"] = tables["phones"].with_columns(device_id=pl.lit(None, dtype=pl.Int64))
    tables["device_sightings"] = pl.DataFrame(
        {"device_id": [1] * sims.len(), "phone_id": sims, "seen_at": [at(1)] * sims.len()}
    )
    roles = assign_roles(build_graph(tables))
    assert roles.filter(pl.col("role") == "goip_den").height == 1
    assert roles.filter(pl.col("role") == "goip_sim").height == 6
    del tables["device_sightings"]
    assert assign_roles(build_graph(tables)).filter(pl.col("role") == "goip_den").is_empty()


def _money_tables(out_share: float, delay_minutes: int) -> City:
    """Account 1 receives 5 × 2000 yuan from 5 accounts and passes ``out_share`` of it on
    to account 7 ``delay_minutes`` after each receipt."""
    n = 5
    src = list(range(2, 2 + n))
    rows_src = src + [1] * n
    rows_dst = [1] * n + [7] * n
    amounts = [200_000] * n + [int(200_000 * out_share)] * n
    times = [at(3, 10 + i) for i in range(n)] + [at(3, 10 + i, delay_minutes) for i in range(n)]
    return {
        "bank_accounts": pl.DataFrame(
            {"id": list(range(1, 8)), "account_no": [f"622200000000000{i}" for i in range(1, 8)]}
        ),
        "transfers": pl.DataFrame(
            {
                "src_account_id": rows_src,
                "dst_account_id": rows_dst,
                "amount_fen": amounts,
                "at": times,
            }
        ),
    }


@pytest.mark.parametrize(
    ("out_share", "delay", "expected"),
    [
        pytest.param(0.99, 15, "pass_through", id="paobing-fast-forward"),
        pytest.param(0.99, 59, "pass_through", id="paobing-within-hour"),
        pytest.param(0.3, 15, None, id="keeps-most-money"),
    ],
)
def test_pass_through_rule(out_share: float, delay: int, expected: str | None) -> None:
    roles = assign_roles(build_graph(_money_tables(out_share, delay)))
    first = roles.filter(pl.col("id") == "account:6222000000000001")
    assert first.get_column("role").to_list() == ([expected] if expected else [])


def test_slow_forwarding_is_not_pass_through() -> None:
    roles = assign_roles(build_graph(_money_tables(0.99, 50)), RoleRules(pass_max_lag_s=1800))
    assert roles.filter(pl.col("role") == "pass_through").is_empty()


def test_cash_out_needs_suspicious_money() -> None:
    tables = _money_tables(0.99, 10)
    tables["transfers"] = tables["transfers"].with_columns(case_id=pl.lit(1, dtype=pl.Int64))
    roles = assign_roles(build_graph(tables))
    sink = roles.filter(pl.col("id") == "account:6222000000000007")
    assert sink.get_column("role").to_list() == ["cash_out"]
    quiet = assign_roles(build_graph(_money_tables(0.99, 10)))
    assert quiet.filter(pl.col("role") == "cash_out").height in (0, 1)  # from pass-through only


def test_rows_have_labels_scores_and_reasons(city_graph: EntityGraph) -> None:
    roles = assign_roles(city_graph)
    assert set(roles.get_column("role").unique()) <= set(ROLE_LABELS)
    assert roles.get_column("score").is_between(0.0, 1.0).all()
    assert roles.get_column("reason").str.len_chars().min() > 5
    labels = dict(roles.select("role", "label").unique().iter_rows())
    assert labels == {k: ROLE_LABELS[k] for k in labels}


@pytest.mark.parametrize(
    ("role", "kind", "min_precision", "min_recall"),
    [
        pytest.param("goip_den", "device", 0.9, 0.9, id="goip-boxes"),
        pytest.param("goip_sim", "phone", 0.9, 0.9, id="goip-sims"),
        pytest.param("pass_through", "account", 0.9, 0.9, id="mule-cards"),
        pytest.param("cash_out", "account", 0.9, 0.9, id="exits"),
        pytest.param("card_trafficker", "person", 0.3, 0.99, id="traffickers"),
    ],
)
def test_demo_city_ground_truth(
    city: City,
    city_graph: EntityGraph,
    role: str,
    kind: str,
    min_precision: float,
    min_recall: float,
) -> None:
    scores = evaluate_roles(assign_roles(city_graph), city)
    row = scores.filter((pl.col("role") == role) & (pl.col("type") == kind)).row(0, named=True)
    assert row["truth"] > 0
    assert row["precision"] >= min_precision and row["recall"] >= min_recall, row
