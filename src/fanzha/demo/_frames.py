"""The last step of ``generate_city``: columns → frames named and typed as the store's tables."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import polars as pl

from fanzha.demo._calibration import Calibration, CityMap
from fanzha.demo._calls import Calls
from fanzha.demo._money import Flow
from fanzha.demo._numbers import id_numbers
from fanzha.demo._people import GANG_ROLES, OCCUPATIONS, People
from fanzha.demo._signals import Signals, Targets, task_reasons
from fanzha.demo._tasks import Histories, TaskPlan
from fanzha.demo._time import IntArray, to_datetimes
from fanzha.records import CHANNELS

__all__ = []


def _null_below(name: str, floor: int) -> pl.Expr:
    return pl.when(pl.col(name) >= floor).then(pl.col(name)).alias(name)


def assign_officers(
    rng: np.random.Generator,
    district: IntArray,
    officer_district: IntArray,
    user_base: int,
    unassigned: np.ndarray,
) -> IntArray:
    """The user id of a warning officer of each task's district (-1 where ``unassigned``)."""
    order = np.argsort(officer_district, kind="stable")
    lo = np.searchsorted(officer_district[order], district, side="left")
    hi = np.searchsorted(officer_district[order], district, side="right")
    pick = order[lo + (rng.random(district.size) * (hi - lo)).astype(np.int64)]
    return np.where(unassigned, -1, pick + user_base)


def persons_frame(
    rng: np.random.Generator,
    people: People,
    city: CityMap,
    victims: IntArray,
    phone_numbers: pl.Series,
    base: Mapping[str, int],
) -> pl.DataFrame:
    """The ``persons`` rows: citizens (``kind`` citizen or victim) and gang members (suspect)."""
    n = people.size
    _, _, towns, villages = city.flat()
    codes = np.array([d.code for d in city.districts], dtype=np.int64)
    kind = np.where(people.gang >= 0, "suspect", "citizen")
    kind[victims] = "victim"
    return pl.DataFrame(
        {
            "id": np.arange(n) + base["persons"],
            "name": people.name,
            "id_number": id_numbers(rng, codes[people.district], people.birth, people.male),
            "phone_number": phone_numbers.head(n),
            "gender": np.where(people.male, "M", "F"),
            "birth_date": pl.Series(people.birth).cast(pl.Date),
            "district": pl.Series([d.name for d in city.districts]).gather(people.district),
            "town": pl.Series(towns).gather(people.town),
            "village": pl.Series(villages).gather(people.village),
            "occupation": pl.Series(OCCUPATIONS).gather(people.occupation),
            "kind": kind,
            "gang_id": np.where(people.gang >= 0, people.gang + base["gangs"], -1),
            "gang_role": pl.Series(GANG_ROLES).gather(np.maximum(people.role, 0)),
        }
    ).with_columns(
        _null_below("gang_id", base["gangs"]),
        pl.when(pl.Series(people.role >= 0)).then(pl.col("gang_role")).alias("gang_role"),
    )


def flag_cards(
    rng: np.random.Generator,
    frame: pl.DataFrame,
    known: IntArray,
    flow: Flow,
) -> pl.DataFrame:
    """Mark as flagged the cards flagged transfers went to and 40% of the other cards that
    received victims' money, and half of the exits."""
    received = np.unique(flow.dst[flow.case >= 0])
    chosen = received[rng.random(received.size) < 0.4]
    flagged = np.zeros(frame.height, dtype=bool)
    flagged[np.concatenate([known, chosen])] = True
    exits = frame.get_column("kind").is_in(["cash_out", "crypto_exit"]).to_numpy()
    flagged |= exits & (rng.random(frame.height) < 0.5)
    return frame.with_columns(flagged=pl.Series(flagged))


def tasks_frame(
    plan: TaskPlan,
    targets: Targets,
    people: People,
    phone_numbers: pl.Series,
    cal: Calibration,
    signals: Signals,
    priority: np.ndarray,
    sla: IntArray,
    officer: IntArray,
    hist: Histories,
    districts: list[str],
    base: Mapping[str, int],
) -> pl.DataFrame:
    """The ``warning_tasks`` rows (``version`` 1: the history is in the other tables)."""
    n = plan.path.size
    person = targets.person
    saved = np.where(plan.dissuaded, signals.money_named, 0)
    frame = pl.DataFrame(
        {
            "id": np.arange(n) + base["warning_tasks"],
            "person_id": person + base["persons"],
            "phone_number": phone_numbers.gather(person),
            "district": pl.Series(districts).gather(people.district[person]),
            "fraud_type": pl.Series([p.code for p in cal.fraud_types]).gather(targets.fraud_type),
            "money_at_risk_fen": signals.money_at_risk,
            "priority": priority.astype(np.float64),
            "state": plan.final_state,
            "assigned_to": officer,
            "signal_at": to_datetimes(plan.signal, "signal_at"),
            "created_at": to_datetimes(hist.created, "created_at"),
            "sla_due_at": to_datetimes(sla, "sla_due_at"),
            "first_contact_at": to_datetimes(hist.first_contact, "first_contact_at"),
            "closed_at": to_datetimes(hist.closed, "closed_at"),
            "contact_count": hist.contacts.astype(np.int64),
            "no_answer_count": hist.no_answers,
            "money_saved_fen": saved.astype(np.int64),
            "version": np.ones(n, dtype=np.int64),
        }
    ).with_columns(_null_below("assigned_to", 0))
    reasons = task_reasons(signals.events)
    return frame.join(reasons, left_on="id", right_on="task_id", how="left").select(
        "id",
        "person_id",
        "phone_number",
        "district",
        "fraud_type",
        "money_at_risk_fen",
        "priority",
        "state",
        "assigned_to",
        "reason",
        "signal_at",
        "created_at",
        "sla_due_at",
        "first_contact_at",
        "closed_at",
        "contact_count",
        "no_answer_count",
        "money_saved_fen",
        "version",
    )


def calls_frame(calls: Calls, base: Mapping[str, int]) -> pl.DataFrame:
    """The ``calls`` rows in time order."""
    order = np.argsort(calls.at, kind="stable")
    return pl.DataFrame(
        {
            "id": np.arange(calls.size, dtype=np.int64) + base["calls"],
            "caller_id": calls.caller[order] + base["phones"],
            "callee_id": calls.callee[order] + base["phones"],
            "started_at": to_datetimes(calls.at[order], "started_at"),
            "duration_s": calls.duration[order],
            "kind": pl.Series(["call", "sms"]).gather(calls.sms[order].astype(np.int64)),
        }
    )


def transfers_frame(flow: Flow, base: Mapping[str, int]) -> pl.DataFrame:
    """The ``transfers`` rows in time order, with a unique ``txn_id`` (date + id)."""
    order = np.argsort(flow.at, kind="stable")
    ids = np.arange(flow.size, dtype=np.int64) + base["transfers"]
    at = to_datetimes(flow.at[order], "at")
    return pl.DataFrame(
        {
            "id": ids,
            "txn_id": pl.select(
                pl.format(
                    "TX{}{}",
                    at.dt.convert_time_zone("Asia/Shanghai").dt.strftime("%Y%m%d"),
                    pl.Series(ids).cast(pl.String).str.zfill(12),
                )
            ).to_series(),
            "src_account_id": flow.src[order] + base["bank_accounts"],
            "dst_account_id": flow.dst[order] + base["bank_accounts"],
            "amount_fen": flow.amount[order],
            "currency": pl.repeat("CNY", flow.size, eager=True),
            "at": at,
            "channel": pl.Series(CHANNELS).gather(flow.channel[order]),
            "case_id": np.where(flow.case[order] >= 0, flow.case[order] + base["cases"], -1),
        }
    ).with_columns(_null_below("case_id", base["cases"]))
