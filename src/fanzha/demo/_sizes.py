"""How many of everything the demo city holds for a given number of records."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fanzha.demo._time import FloatArray, IntArray
from fanzha.errors import InvalidInput

__all__ = ["MAX_RECORDS", "MIN_RECORDS", "CitySizes", "allocate", "plan_sizes"]

MIN_RECORDS = 1_000
MAX_RECORDS = 20_000_000


@dataclass(frozen=True, slots=True)
class CitySizes:
    """Counts that scale with ``records`` (the rough total of rows over all tables).

    Calls and transfers are not listed: they fill what the other tables leave of
    ``records`` (background traffic), after the fraud traffic the cases and warnings need.
    """

    records: int
    officers_per_district: int
    staff_per_role: int
    outlets_per_district: int
    citizens: int
    fraud_gangs: int
    goip_dens: int
    laundering_dens: int
    lead_gen_dens: int
    flagship_operators: int
    gang_size: float
    den_size: float
    gang_sims: int
    mule_cards: int
    cash_out_accounts: int
    crypto_exits: int
    cases: int
    tasks: int
    cold_calls: int


def plan_sizes(records: int) -> CitySizes:
    """Return the counts for a city of about ``records`` rows (1,000 … 20,000,000).

    Raises ``InvalidInput`` outside that range.
    """
    if not isinstance(records, int) or not MIN_RECORDS <= records <= MAX_RECORDS:
        raise InvalidInput(
            f"expected a whole number from {MIN_RECORDS:,} to {MAX_RECORDS:,}",
            field="records",
            value=records,
        )
    r = records
    steps = int(r >= 100_000) + int(r >= 1_000_000) + int(r >= 5_000_000)
    return CitySizes(
        records=r,
        officers_per_district=2 + steps,
        staff_per_role=1 + steps,
        outlets_per_district=1 + int(r >= 20_000) + int(r >= 200_000) + int(r >= 2_000_000),
        citizens=max(40, round(0.045 * r)),
        fraud_gangs=max(4, round(r / 200_000)),
        goip_dens=max(1, round(r / 2_000_000)),
        laundering_dens=max(1, round(r / 3_000_000)),
        lead_gen_dens=max(1, round(r / 6_000_000)),
        flagship_operators=92 if r >= 50_000 else max(6, r // 550),
        gang_size=float(np.clip(r / 20_000, 3, 24)),
        den_size=float(np.clip(r / 40_000, 3, 14)),
        gang_sims=max(12, round(0.0008 * r)),
        mule_cards=max(12, round(0.0025 * r)),
        cash_out_accounts=max(2, round(0.0003 * r)),
        crypto_exits=max(2, round(0.0001 * r)),
        cases=max(6, round(0.0025 * r)),
        tasks=max(12, round(0.011 * r)),
        cold_calls=round(0.05 * r),
    )


def allocate(total: int, weights: FloatArray) -> IntArray:
    """Split ``total`` into whole counts proportional to ``weights`` (largest remainder).

    Deterministic, so a heavier weight never gets fewer than a lighter one.
    """
    share = weights / weights.sum() * total
    counts: IntArray = np.floor(share).astype(np.int64)
    left = total - int(counts.sum())
    order = np.lexsort((np.arange(weights.size), -(share - counts)))
    counts[order[:left]] += 1
    return counts
