"""Reported fraud cases (报案): who lost how much to which gang, and the calls and payments
behind each.

A case's victim was called by the gang before paying, paid one or more times into the
gang's first-layer mule cards (company finance staff pay from the company account in
冒充领导 cases), and reported it hours or days later. ``amount_lost_fen`` is exactly what
the victim transferred.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import polars as pl

from fanzha.demo._assets import Accounts, Phones
from fanzha.demo._calibration import Calibration, CityMap
from fanzha.demo._calls import Calls, gang_sim_at, talk
from fanzha.demo._money import Payments, payment_schedule
from fanzha.demo._people import OCCUPATIONS, People
from fanzha.demo._time import DAY, HOUR, SECOND, IntArray, lognormal_delays, to_datetimes
from fanzha.taxonomy import fraud_type

__all__ = []


@dataclass(frozen=True, slots=True)
class CaseSpec:
    """The cases to make: victim, fraud type and gang; when the first payment is made, how
    long the payments may take, the earliest the case can be reported, and a payment made
    before (a flagged transfer, 0 and -1 when none) that also counts as lost."""

    victim: IntArray
    fraud_type: IntArray
    gang: IntArray
    first: IntArray
    max_span: IntArray
    report_after: IntArray
    prepaid: IntArray
    prepaid_at: IntArray


def make_cases(
    rng: np.random.Generator,
    cal: Calibration,
    city: CityMap,
    spec: CaseSpec,
    people: People,
    phones: Phones,
    accounts: Accounts,
    span: tuple[int, int],
    base: Mapping[str, int],
) -> tuple[pl.DataFrame, Payments, Calls]:
    """The ``cases`` frame, the victims' payments (to be laundered) and the gang's calls to
    each victim in the days before the first payment."""
    start, end = span
    n = spec.victim.size
    case, amount, at = payment_schedule(rng, cal, spec.fraud_type, spec.first, spec.max_span)
    codes = [p.code for p in cal.fraud_types]
    corporate_of = np.full(people.size, -1, dtype=np.int64)
    corporate_of[accounts.holder[accounts.corporate]] = accounts.corporate
    leader_case = np.array(codes)[spec.fraud_type] == "impersonate_leader"
    payer_of_case = np.where(
        leader_case & (corporate_of[spec.victim] >= 0), corporate_of[spec.victim], spec.victim
    )
    crypto = np.array([p.crypto for p in cal.fraud_types])[spec.fraud_type]
    payments = Payments(
        payer_of_case[case],
        spec.gang[case],
        amount,
        at,
        case,
        crypto[case],
        np.full(case.size, -1, dtype=np.int64),
    )
    lost = np.bincount(case, amount, minlength=n).astype(np.int64) + spec.prepaid
    last = np.zeros(n, dtype=np.int64)
    np.maximum.at(last, case, at)
    count = np.bincount(case, minlength=n) + (spec.prepaid > 0)
    occurred = np.where(spec.prepaid > 0, np.minimum(spec.first, spec.prepaid_at), spec.first)
    reported = np.maximum(
        last + lognormal_delays(rng, n, 6 * HOUR, 1.0, 10 * 60 * SECOND, 5 * DAY), spec.report_after
    )
    reported = np.maximum(np.minimum(reported, end - SECOND), last)
    # The gang's calls before the first payment.
    n_calls = rng.integers(1, 5, n)
    who = np.repeat(np.arange(n), n_calls)
    before = rng.uniform(0.02, 1.0, who.size) * np.where(
        spec.max_span[who] > 2 * DAY, 10 * DAY, 2 * DAY
    )
    call_at = spec.first[who] - before.astype(np.int64)
    early = call_at < start
    call_at[early] = start + (
        rng.random(int(early.sum())) * (spec.first[who][early] - start)
    ).astype(np.int64)
    sims = gang_sim_at(rng, phones, spec.gang[who], call_at, span)
    calls = Calls(
        sims, spec.victim[who], call_at, talk(rng, who.size, 240, 0.2), np.zeros(who.size, bool)
    )
    districts = [d.name for d in city.districts]
    # Case numbers: A + the city's division code + year + a sequence in order of reporting.
    rank = np.empty(n, dtype=np.int64)
    rank[np.argsort(reported, kind="stable")] = np.arange(n) + base["cases"]
    year = (
        np.asarray(reported, dtype="datetime64[us]").astype("datetime64[Y]").astype(np.int64) + 1970
    )
    status = np.where(
        reported > end - 14 * DAY,
        "open",
        rng.choice(["investigating", "solved", "open"], size=n, p=[0.7, 0.15, 0.15]),
    )
    names = {code: fraud_type(code).name for code in codes}
    type_name = pl.Series([names[c] for c in codes]).gather(spec.fraud_type)
    frame = pl.DataFrame(
        {
            "id": np.arange(n) + base["cases"],
            "case_no": pl.select(
                pl.format(
                    "A{}{}{}",
                    pl.lit(str(city.code)),
                    pl.Series(year),
                    pl.Series(rank).cast(pl.String).str.zfill(6),
                )
            ).to_series(),
            "fraud_type": pl.Series(codes).gather(spec.fraud_type),
            "amount_lost_fen": lost,
            "district": pl.Series(districts).gather(people.district[spec.victim]),
            "occurred_at": to_datetimes(occurred, "occurred_at"),
            "reported_at": to_datetimes(reported, "reported_at"),
            "victim_id": spec.victim + base["persons"],
            "gang_id": spec.gang + base["gangs"],
            "status": status,
            "summary": pl.select(
                pl.format(
                    "受害人{}（{}岁，{}）被以“{}”手法诈骗，{}次转账共计{}元。",
                    people.name.gather(spec.victim),
                    pl.Series(people.age[spec.victim]),
                    pl.Series(OCCUPATIONS).gather(people.occupation[spec.victim]),
                    type_name,
                    pl.Series(count),
                    (pl.Series(lost) / 100).round(2),
                )
            ).to_series(),
        }
    )
    return frame, payments, calls
