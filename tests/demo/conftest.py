"""Demo cities shared by the demo tests (generated once per session; they are read-only)."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from fanzha.demo import generate_city

START = datetime(2026, 1, 1, tzinfo=UTC)
DAYS = 60
City = dict[str, pl.DataFrame]


def make_city(
    records: int,
    *,
    seed: int = 7,
    ids_from: dict[str, int] | None = None,
    transfer_share: float = 0.4,
) -> City:
    """A demo city starting on 2026-01-01 (UTC), 60 days long."""
    return generate_city(
        seed=seed,
        records=records,
        start=START,
        days=DAYS,
        password_hash="hash",
        ids_from=ids_from,
        transfer_share=transfer_share,
    )


@pytest.fixture(scope="session")
def city() -> City:
    """A city of 50,000 records: big enough for the full 103-person 刷单 gang."""
    return make_city(50_000)


@pytest.fixture(scope="session")
def small_city() -> City:
    """A city of 2,000 records."""
    return make_city(2_000)
