"""Graphs shared by the graph tests: a small demo city and a hand-made one."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from fanzha.demo import generate_city
from fanzha.graph import EntityGraph, build_graph

START = datetime(2026, 1, 1, tzinfo=UTC)
City = dict[str, pl.DataFrame]


def at(day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A time in January 2026 (UTC)."""
    return datetime(2026, 1, day, hour, minute, tzinfo=UTC)


@pytest.fixture(scope="session")
def city() -> City:
    """A demo city of 12,000 records over 60 days."""
    return generate_city(seed=11, records=12_000, start=START, days=60, password_hash="x")


@pytest.fixture(scope="session")
def city_graph(city: City) -> EntityGraph:
    return build_graph(city)


def tiny_tables() -> City:
    """Two people, three phones, three cards, one case, two outlets.

    p1 owns phones 1 and 3 and card 1; p2 owns phone 2 and card 2; card 3 has no holder.
    Phone 1 calls phone 2 twice (1 and 5 January) and texts it once; card 1 pays card 2
    twice for case 1 (victim p1) and card 2 passes the money on to card 3.
    """
    return {
        "persons": pl.DataFrame({"id": [1, 2], "name": ["张三", "李四"]}),
        "outlets": pl.DataFrame(
            {"id": [1, 2], "name": ["移动营业厅", "农行支行"], "kind": ["phone", "bank"]}
        ),
        "devices": pl.DataFrame({"id": [1], "imei": ["861325220391378"], "owner_id": [2]}),
        "phones": pl.DataFrame(
            {
                "id": [1, 2, 3],
                "number": ["13800000001", "+86 138-0000-0002", "13800000003"],
                "imsi": ["460000000000001", "460000000000002", None],
                "owner_id": [1, 2, 1],
                "outlet_id": [1, 1, 1],
                "device_id": [None, 1, None],
                "flagged": [False, True, False],
            }
        ),
        "bank_accounts": pl.DataFrame(
            {
                "id": [1, 2, 3],
                "account_no": ["6222000000000001", "6222 0000 0000 0002", "6222000000000003"],
                "holder_id": [1, 2, None],
                "outlet_id": [2, 2, 2],
            }
        ),
        "cases": pl.DataFrame(
            {
                "id": [1],
                "case_no": ["a4501002026000001"],
                "victim_id": [1],
                "reported_at": [at(9)],
            }
        ),
        "calls": pl.DataFrame(
            {
                "id": [1, 2, 3],
                "caller_id": [1, 1, 1],
                "callee_id": [2, 2, 2],
                "started_at": [at(5), at(1), at(3)],
                "duration_s": [30, 60, 0],
                "kind": ["call", "call", "sms"],
            }
        ),
        "transfers": pl.DataFrame(
            {
                "id": [1, 2, 3],
                "src_account_id": [1, 1, 2],
                "dst_account_id": [2, 2, 3],
                "amount_fen": [10_000, 20_000, 29_000],
                "at": [at(8, 10), at(8, 11), at(8, 12)],
                "case_id": [1, 1, 1],
            }
        ),
    }


@pytest.fixture
def tiny() -> City:
    return tiny_tables()


@pytest.fixture
def tiny_graph() -> EntityGraph:
    return build_graph(tiny_tables())
