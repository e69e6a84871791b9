"""Signals that someone is being defrauded (``events``), with the calls, texts and payments
behind them.

- ``fraud_call``: the person's phone got a call from a gang SIM (the call is in ``calls``;
  the counterpart is the gang number);
- ``screening_hit``: a text from a gang SIM that the screening flagged (the text is in
  ``calls`` with kind ``sms``; the counterpart is the gang's site, else its number);
- ``flagged_transfer``: the person paid a flagged mule card (the payment is in
  ``transfers`` and is laundered like any other);
- ``citizen_report``: the person or a relative called 96110 about a number, an IM
  account or a site of the gang.

Each task has one signal, a tenth get a second one merged in, and a few screening hits
below the screening threshold make no task at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from fanzha.demo._assets import Accounts, Phones
from fanzha.demo._calibration import Calibration, city_map
from fanzha.demo._calls import Calls, gang_sim_at, talk
from fanzha.demo._money import Payments
from fanzha.demo._people import People
from fanzha.demo._sizes import allocate
from fanzha.demo._tasks import TaskPlan
from fanzha.demo._time import SECOND, BoolArray, FloatArray, IntArray, to_datetimes
from fanzha.taxonomy import fraud_type
from fanzha.warning import DEFAULT_POLICY, EVENT_KINDS, EVENT_RULES

__all__ = []

_CALL, _TRANSFER, _REPORT, _HIT = (
    EVENT_KINDS.index(k)
    for k in ("fraud_call", "flagged_transfer", "citizen_report", "screening_hit")
)
_SOURCES = {_CALL: "telecom", _TRANSFER: "bank", _REPORT: "96110", _HIT: "sms_screening"}
_REASONS = {rule.kind: rule.reason for rule in EVENT_RULES}


@dataclass(frozen=True, slots=True)
class Targets:
    """The people the tasks are about: person, fraud type and the gang working on them."""

    person: IntArray
    fraud_type: IntArray
    gang: IntArray


@dataclass(frozen=True, slots=True)
class Signals:
    """Events, and per task its money at risk, primary kind and priority inputs; the calls
    the events stand on; the flagged payments (with the task each belongs to).

    ``money_named`` is the amount the signals named (a flagged payment, a reported amount;
    0 when none); ``money_at_risk`` is what the task shows, that amount or an estimate."""

    events: pl.DataFrame
    money_at_risk: IntArray
    money_named: IntArray
    kind: IntArray
    calls: Calls
    payments: Payments
    payment_task: IntArray
    flagged_cards: IntArray


def _pick_of_gang(rng: np.random.Generator, owner_gang: IntArray, gang: IntArray) -> IntArray:
    """A random item (position) owned by each ``gang``, or -1 when the gang owns none."""
    order = np.argsort(owner_gang, kind="stable")
    sorted_gang = owner_gang[order]
    lo = np.searchsorted(sorted_gang, gang, side="left")
    hi = np.searchsorted(sorted_gang, gang, side="right")
    pick = lo + (rng.random(gang.size) * (hi - lo)).astype(np.int64)
    return np.where(hi > lo, order[np.minimum(pick, order.size - 1)], -1)


def priorities(
    money: IntArray, severity: FloatArray, age: IntArray, kind: IntArray, merged: BoolArray
) -> FloatArray:
    """``fanzha.warning.priority`` at the moment of the signal, vectorised (plus the merge
    bump of a second signal)."""
    policy = DEFAULT_POLICY
    w = policy.weights
    money_f = np.minimum(1.0, np.log1p(money / 100.0) / np.log1p(policy.money_full_yuan))
    highest = np.array([b[0] for b in policy.age_bands])
    vulnerability = np.array([b[1] for b in policy.age_bands])[
        np.minimum(np.searchsorted(highest, age, side="left"), highest.size - 1)
    ]
    kind_f = np.array([policy.kind_factor[k] for k in EVENT_KINDS])[kind]
    total = (
        w["money"] * money_f
        + w["fraud_type"] * severity
        + w["age"] * vulnerability
        + w["freshness"]
        + w["kind"] * kind_f
        + policy.merge_bump * merged
    )
    rounded: FloatArray = np.round(np.minimum(100.0, total), 2)
    return rounded


@dataclass(frozen=True, slots=True)
class _Events:
    """Every event as columns: its task (-1 for an ignored screening hit), kind, person,
    gang, fraud type and time."""

    task: IntArray
    kind: IntArray
    person: IntArray
    gang: IntArray
    fraud_type: IntArray
    at: IntArray


def _draw_events(
    rng: np.random.Generator,
    params: Mapping[str, Any],
    plan: TaskPlan,
    targets: Targets,
    n_citizens: int,
    span: tuple[int, int],
) -> tuple[IntArray, _Events]:
    """The kind of each task's signal, and the events: one per task, a merged second one
    for some tasks, and the ignored screening hits."""
    n = plan.path.size
    shares = np.array([float(params["signal_kinds"][k]) for k in EVENT_KINDS])
    kind = rng.permutation(np.repeat(np.arange(len(EVENT_KINDS)), allocate(n, shares)))
    # A second signal (a call or a text seconds after the first) is merged into the task.
    second = np.flatnonzero(plan.merged)
    n_ignored = round(float(params["ignored_hits_share"]) * n)
    ignored_person = rng.integers(0, n_citizens, n_ignored)
    ignored_gang = targets.gang[rng.integers(0, n, n_ignored)] if n else np.empty(0, np.int64)
    ev_task = np.concatenate([np.arange(n), second, np.full(n_ignored, -1)])
    ev_kind = np.concatenate(
        [kind, np.where(rng.random(second.size) < 0.6, _CALL, _HIT), np.full(n_ignored, _HIT)]
    )
    ev_person = np.concatenate([targets.person, targets.person[second], ignored_person])
    ev_gang = np.concatenate([targets.gang, targets.gang[second], ignored_gang])
    ev_type = np.concatenate(
        [
            targets.fraud_type,
            targets.fraud_type[second],
            targets.fraud_type[rng.integers(0, max(n, 1), n_ignored)] if n else [],
        ]
    )
    at = np.concatenate(
        [
            plan.signal,
            plan.signal[second] + rng.integers(SECOND, 5 * SECOND, second.size),
            rng.integers(span[0], span[1], n_ignored),
        ]
    ).astype(np.int64)
    at = np.minimum(at, span[1] - SECOND)
    return kind, _Events(ev_task, ev_kind, ev_person, ev_gang, ev_type, at)


def _voice_calls(rng: np.random.Generator, ev: _Events, sim: IntArray) -> Calls:
    """The calls and texts behind fraud_call and screening_hit events."""
    voice = np.flatnonzero(np.isin(ev.kind, [_CALL, _HIT]))
    is_sms = ev.kind[voice] == _HIT
    return Calls(
        sim[voice],
        ev.person[voice],
        ev.at[voice] - rng.integers(0, 30 * SECOND, voice.size),
        np.where(is_sms, 0, talk(rng, voice.size, 150, 0.0)),
        is_sms,
    )


def _counterparts(
    rng: np.random.Generator,
    ev: _Events,
    sim: IntArray,
    phones: Phones,
    counterparts: Mapping[str, Any],
) -> tuple[pl.Series, npt.NDArray[np.str_]]:
    """Counterparts: the gang number, or its site / IM account where the kind calls for one;
    and their kinds."""
    url = _pick_of_gang(rng, counterparts["url_gang"], ev.gang)
    im = _pick_of_gang(rng, counterparts["im_gang"], ev.gang)
    roll = rng.random(ev.task.size)
    use_url = ((ev.kind == _HIT) | ((ev.kind == _REPORT) & (roll < 0.25))) & (url >= 0)
    use_im = (ev.kind == _REPORT) & (roll >= 0.25) & (roll < 0.5) & (im >= 0) & ~use_url
    counterpart = pl.select(
        pl.when(pl.Series(use_url))
        .then(counterparts["url"].gather(np.maximum(url, 0)))
        .when(pl.Series(use_im))
        .then(counterparts["im"].gather(np.maximum(im, 0)))
        .otherwise(phones.number.gather(sim))
    ).to_series()
    counterpart_kind = np.where(use_url, "url", np.where(use_im, "im", "phone")).astype("<U12")
    return counterpart, counterpart_kind


def _amounts(
    rng: np.random.Generator,
    params: Mapping[str, Any],
    ev: _Events,
    accounts: Accounts,
    laundering_den: IntArray,
) -> tuple[IntArray, IntArray, IntArray]:
    """The flagged events, the first-layer mule cards they paid (a first small payment), and
    every event's amount (those payments, and the loss some reports name)."""
    m = ev.task.size
    flagged = np.flatnonzero(ev.kind == _TRANSFER)
    den = laundering_den[ev.gang[flagged]]
    first_layer = accounts.pick(rng, den, 1)
    flagged_amount = np.round(
        float(params["flagged_median_yuan"])
        * 100
        * np.exp(rng.normal(0, float(params["flagged_sigma"]), flagged.size))
    ).astype(np.int64)
    amount = np.zeros(m, dtype=np.int64)
    amount[flagged] = np.maximum(1_000, flagged_amount)
    report = np.flatnonzero(
        (ev.kind == _REPORT) & (rng.random(m) < float(params["report_amount_share"]))
    )
    amount[report] = np.round(
        float(params["report_median_yuan"]) * 100 * np.exp(rng.normal(0, 1.0, report.size))
    ).astype(np.int64)
    return flagged, first_layer, amount


def estimate_unknown_at_risk(
    rng: np.random.Generator, cal: Calibration, targets: Targets, money_at_risk: IntArray
) -> IntArray:
    """Money at risk of the tasks whose signals named no amount: what the fraudster would ask
    first, ``first_ask_share`` of the fraud type's median loss (log-normal), at least 50 元.

    Warnings mostly come before money is asked for, so this is an estimate the officer sees
    (涉险金额), not a loss; tasks with a flagged payment or a reported amount keep theirs."""
    params = cal.warning
    median = np.array([p.loss_median_yuan for p in cal.fraud_types])[targets.fraud_type]
    sigma = float(params["first_ask_sigma"])
    drawn = median * float(params["first_ask_share"]) * np.exp(rng.normal(0, sigma, median.size))
    estimate = np.maximum(5_000, np.round(drawn * 100)).astype(np.int64)
    return np.where(money_at_risk > 0, money_at_risk, estimate)


def make_signals(
    rng: np.random.Generator,
    cal: Calibration,
    plan: TaskPlan,
    targets: Targets,
    people: People,
    phones: Phones,
    accounts: Accounts,
    laundering_den: IntArray,
    counterparts: Mapping[str, Any],
    span: tuple[int, int],
    base: Mapping[str, int],
) -> Signals:
    """Build the events of every task (and the ignored screening hits), with their calls and
    flagged payments. ``counterparts`` holds the gang's sites and IM accounts:
    ``url``/``url_gang`` and ``im``/``im_gang``."""
    params = cal.warning
    kind, ev = _draw_events(rng, params, plan, targets, people.n_citizens, span)
    m = ev.task.size
    sim = gang_sim_at(rng, phones, ev.gang, ev.at, span)
    risk = np.where(
        ev.task < 0,
        rng.uniform(0.15, 0.39, m),
        np.where(ev.kind == _HIT, rng.uniform(0.45, 0.99, m), rng.uniform(0.6, 0.98, m)),
    )
    calls = _voice_calls(rng, ev, sim)
    counterpart, counterpart_kind = _counterparts(rng, ev, sim, phones, counterparts)
    flagged, first_layer, amount = _amounts(rng, params, ev, accounts, laundering_den)
    counterpart = counterpart.scatter(flagged, accounts.number.gather(first_layer))
    counterpart_kind[flagged] = "bank_account"
    crypto = np.array([p.crypto for p in cal.fraud_types])[ev.fraud_type[flagged]]
    payments = Payments(
        ev.person[flagged],
        ev.gang[flagged],
        amount[flagged],
        ev.at[flagged],
        np.full(flagged.size, -1, np.int64),
        crypto,
        first_layer,
    )
    money_at_risk = np.zeros(plan.path.size, dtype=np.int64)
    np.maximum.at(money_at_risk, ev.task[ev.task >= 0], amount[ev.task >= 0])
    events = _events_frame(
        cal,
        people,
        phones,
        ev.kind,
        ev.at,
        ev.person,
        counterpart,
        counterpart_kind,
        amount,
        ev.fraud_type,
        risk,
        ev.task,
        base,
    )
    return Signals(
        events,
        money_at_risk,
        money_at_risk,
        kind,
        calls,
        payments,
        ev.task[flagged],
        np.unique(first_layer),
    )


def _events_frame(
    cal: Calibration,
    people: People,
    phones: Phones,
    kind: IntArray,
    at: IntArray,
    person: IntArray,
    counterpart: pl.Series,
    counterpart_kind: np.ndarray,
    amount: IntArray,
    fraud_type: IntArray,
    risk: FloatArray,
    task: IntArray,
    base: Mapping[str, int],
) -> pl.DataFrame:
    """The ``events`` rows, in time order, with a Chinese detail line each."""
    districts = pl.Series([d.name for d in city_map().districts])
    codes = pl.Series([p.code for p in cal.fraud_types])
    kinds = pl.Series(list(EVENT_KINDS))
    frame = pl.DataFrame(
        {
            "kind": kinds.gather(kind),
            "at_us": at,
            "person_id": person + base["persons"],
            "district": districts.gather(people.district[person]),
            "phone_number": phones.number.gather(person),
            "counterpart": counterpart,
            "counterpart_kind": counterpart_kind,
            "amount_at_risk_fen": amount,
            "fraud_type": codes.gather(fraud_type),
            "risk": np.round(risk, 3),
            "source": pl.Series([_SOURCES[k] for k in range(len(EVENT_KINDS))]).gather(kind),
            "task_id": np.where(task >= 0, task + base["warning_tasks"], -1),
        }
    )
    yuan = (pl.col("amount_at_risk_fen") / 100).round(2).cast(pl.String)
    detail = (
        pl.when(pl.col("kind") == "fraud_call")
        .then(pl.format("{} 来电，号码已列入涉诈库", pl.col("counterpart")))
        .when(pl.col("kind") == "screening_hit")
        .then(pl.format("短信识诈命中，内容含 {}", pl.col("counterpart")))
        .when(pl.col("kind") == "flagged_transfer")
        .then(pl.format("向涉诈账户 {} 转账 {} 元", pl.col("counterpart"), yuan))
        .otherwise(pl.format("96110 接报：疑似正在被骗，对方 {}", pl.col("counterpart")))
    )
    frame = frame.sort("at_us", maintain_order=True).with_columns(
        detail.alias("detail"),
        to_datetimes(np.sort(at, kind="stable"), "occurred_at"),
        pl.when(pl.col("task_id") >= 0).then(pl.col("task_id")).alias("task_id"),
    )
    frame = frame.with_columns(created_at=pl.col("occurred_at") + pl.duration(seconds=3)).drop(
        "at_us"
    )
    return frame.with_row_index("id", offset=base["events"]).with_columns(
        pl.col("id").cast(pl.Int64)
    )


def task_reasons(events: pl.DataFrame) -> pl.DataFrame:
    """The first event of every task and the Chinese reason it gives (as ``fanzha.warning``)."""
    names = {
        code: fraud_type(code).name
        for code in events.get_column("fraud_type").unique().drop_nulls()
    }
    first = (
        events.filter(pl.col("task_id").is_not_null())
        .group_by("task_id", maintain_order=True)
        .first()
    )
    yuan = (pl.col("amount_at_risk_fen") / 100).round(2)
    reason = pl.concat_str(
        [
            pl.col("kind").replace_strict(_REASONS, default=""),
            pl.lit("（"),
            pl.col("fraud_type").replace_strict(names, default=""),
            pl.lit("）"),
            pl.when(pl.col("kind") == "screening_hit")
            .then(pl.format("，风险 {}", pl.col("risk").round(2)))
            .otherwise(pl.lit("")),
            pl.when(pl.col("amount_at_risk_fen") > 0)
            .then(pl.format("，涉及金额 {} 元", yuan))
            .otherwise(pl.lit("")),
            pl.format("，对方 {}", pl.col("counterpart")),
        ]
    )
    return first.select("task_id", reason.alias("reason"))
