"""``generate_city``: the whole synthetic city as one polars frame per store table."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime

import numpy as np
import polars as pl

from fanzha.demo._assets import make_accounts, make_devices, make_im_accounts, make_phones
from fanzha.demo._calibration import VICTIM_GROUPS, Calibration, calibration, city_map
from fanzha.demo._calls import (
    Calls,
    background_calls,
    cold_calls,
    gang_calls,
    trafficker_calls,
)
from fanzha.demo._cases import CaseSpec, make_cases
from fanzha.demo._frames import (
    assign_officers,
    calls_frame,
    flag_cards,
    persons_frame,
    tasks_frame,
    transfers_frame,
)
from fanzha.demo._money import Payments, background_transfers, launder
from fanzha.demo._names import name_pools
from fanzha.demo._people import (
    OCCUPATIONS,
    Gangs,
    People,
    make_gangs,
    make_outlets,
    make_people,
    make_users,
)
from fanzha.demo._signals import Signals, Targets, make_signals, priorities
from fanzha.demo._sites import make_urls
from fanzha.demo._sizes import CitySizes, allocate, plan_sizes
from fanzha.demo._tasks import PATHS, Histories, TaskPlan, histories, plan_tasks, sla_due
from fanzha.demo._time import DAY, HOUR, MINUTE, IntArray, diurnal_times, to_us
from fanzha.errors import InvalidInput
from fanzha.warning import fraud_type_severity

__all__ = ["DEMO_PASSWORD", "GENERATE_STEPS", "TABLES", "generate_city"]

DEMO_PASSWORD = "fanzha-demo"
GENERATE_STEPS = 6
TABLES = (
    "users",
    "gangs",
    "outlets",
    "persons",
    "devices",
    "phones",
    "bank_accounts",
    "im_accounts",
    "urls",
    "cases",
    "calls",
    "transfers",
    "events",
    "warning_tasks",
    "task_transitions",
    "outcomes",
)
_STREAMS = (
    "people",
    "gangs",
    "users",
    "outlets",
    "devices",
    "phones",
    "accounts",
    "im",
    "urls",
    "plan",
    "targets",
    "signals",
    "histories",
    "cases",
    "launder",
    "gang_calls",
    "cold_calls",
    "calls",
    "transfers",
    "flags",
)


def _check(
    seed: int,
    start: datetime,
    days: int,
    ids_from: Mapping[str, int] | None,
    transfer_share: float,
) -> None:
    if not isinstance(seed, int) or seed < 0:
        raise InvalidInput("expected a whole number ≥ 0", field="seed", value=seed)
    if not isinstance(start, datetime) or start.tzinfo is None:
        raise InvalidInput("expected an aware datetime, e.g. in UTC", field="start", value=start)
    if not isinstance(days, int) or not 7 <= days <= 3650:
        raise InvalidInput(
            "expected a whole number of days from 7 to 3650", field="days", value=days
        )
    for table, first in (ids_from or {}).items():
        if not isinstance(first, int) or first < 1:
            raise InvalidInput("expected ids from 1 up", field=f"ids_from.{table}", value=first)
    if not isinstance(transfer_share, int | float) or not 0.0 <= transfer_share <= 1.0:
        raise InvalidInput(
            "expected a share from 0 to 1", field="transfer_share", value=transfer_share
        )


def _group_weights(cal: Calibration, people: People) -> np.ndarray:
    """How likely each citizen is to be targeted by each fraud type: (types, citizens)."""
    n = people.n_citizens
    age, occupation = people.age[:n], people.occupation[:n]
    member = {
        "minor": age < 18,
        "student": occupation == OCCUPATIONS.index("学生"),
        "young": (age >= 18) & (age <= 35),
        "middle": (age >= 36) & (age <= 59),
        "elderly": age >= 60,
        "finance": occupation == OCCUPATIONS.index("财务人员"),
    }
    weights = np.ones((len(cal.fraud_types), n))
    for t, profile in enumerate(cal.fraud_types):
        for group in VICTIM_GROUPS:
            if group in profile.profile:
                weights[t] *= np.where(member[group], profile.profile[group], 1.0)
    return weights


def _choose_people(
    rng: np.random.Generator, weights: np.ndarray, counts: IntArray
) -> list[IntArray]:
    """Distinct citizens per fraud type, drawn by weight (Efraimidis-Spirakis keys)."""
    taken = np.zeros(weights.shape[1], dtype=bool)
    chosen = []
    for t, k in enumerate(counts):
        keys = np.log(rng.random(weights.shape[1])) / weights[t]
        keys[taken] = -np.inf
        k = int(k)
        if k > int((~taken).sum()):
            chosen.append(rng.choice(weights.shape[1], size=k, p=weights[t] / weights[t].sum()))
            continue
        pick = np.argpartition(-keys, k - 1)[:k] if k else np.empty(0, np.int64)
        taken[pick] = True
        chosen.append(pick.astype(np.int64))
    return chosen


def _gang_for(
    rng: np.random.Generator, types: IntArray, gang_type: IntArray, size: IntArray
) -> IntArray:
    """A gang of the right fraud type for each target, bigger gangs more often."""
    out = np.empty(types.size, dtype=np.int64)
    for t in np.unique(types):
        rows = np.flatnonzero(types == t)
        options = np.flatnonzero(gang_type == t)
        out[rows] = rng.choice(options, size=rows.size, p=size[options] / size[options].sum())
    return out


def _targets(
    rng: np.random.Generator,
    cal: Calibration,
    people: People,
    gangs: Gangs,
    task_counts: IntArray,
    case_counts: IntArray,
) -> tuple[Targets, Targets]:
    """Who the warning tasks are about and who the unwarned cases' victims are, with the
    fraud type and gang working on each; a person is never in both."""
    chosen = _choose_people(rng, _group_weights(cal, people), task_counts + case_counts)
    members = np.bincount(people.gang[people.gang >= 0], minlength=gangs.kind.size)
    gang_type = np.where(gangs.kind == 0, gangs.fraud_type, -1)
    out = []
    for counts, first in ((task_counts, True), (case_counts, False)):
        person = np.concatenate(
            [c[:k] if first else c[t:] for c, k, t in zip(chosen, counts, task_counts, strict=True)]
        )
        types = np.repeat(np.arange(counts.size), counts)
        if first:
            order = rng.permutation(person.size)
            person, types = person[order], types[order]
        out.append(Targets(person, types, _gang_for(rng, types, gang_type, members)))
    return out[0], out[1]


def _sims(
    sizes: CitySizes, gangs: Gangs, people: People, days: int
) -> tuple[int, IntArray, dict[int, int]]:
    """SIMs of the fraud gangs: each works ``lines`` lines with a new SIM a week per line
    (``sim_k`` SIMs per line), more lines for bigger gangs; and the lines each GOIP den hosts."""
    fraud = np.flatnonzero(gangs.kind == 0)
    members = np.bincount(people.gang[people.gang >= 0], minlength=gangs.kind.size)[fraud]
    sim_k = max(1, min(round(days / 7), sizes.gang_sims // fraud.size))
    lines = np.maximum(1, np.round(sizes.gang_sims * members / members.sum() / sim_k))
    sim_lines = lines.astype(np.int64)
    per_den = {
        int(d): int(sim_lines[gangs.goip[fraud] == d].sum())
        for d in np.flatnonzero(gangs.kind == 1)
    }
    return sim_k, sim_lines, per_den


def _case_spec(
    rng: np.random.Generator,
    plan: TaskPlan,
    hist: Histories,
    signals: Signals,
    tasks: Targets,
    others: Targets,
    span: tuple[int, int],
) -> tuple[CaseSpec, Payments]:
    """Cases of the tasks whose person had already paid (their payments fall between the
    signal and the call that reached them), then those of victims nobody warned; and the
    flagged payments with the case each belongs to."""
    paid = np.flatnonzero(plan.paid)
    reached = hist.reached[paid]
    first = plan.signal[paid] + (
        (reached - plan.signal[paid]) * rng.uniform(0.05, 0.3, paid.size)
    ).astype(np.int64)
    case_of_task = np.full(plan.path.size, -1, dtype=np.int64)
    case_of_task[paid] = np.arange(paid.size)
    flagged_case = case_of_task[signals.payment_task]
    linked = flagged_case >= 0
    n = paid.size + others.person.size
    prepaid = np.zeros(n, dtype=np.int64)
    prepaid_at = np.full(n, -1, dtype=np.int64)
    prepaid[flagged_case[linked]] = signals.payments.amount[linked]
    prepaid_at[flagged_case[linked]] = signals.payments.at[linked]
    other_first = diurnal_times(rng, others.person.size, span[0] + DAY, span[1] - DAY)
    spec = CaseSpec(
        victim=np.concatenate([tasks.person[paid], others.person]),
        fraud_type=np.concatenate([tasks.fraud_type[paid], others.fraud_type]),
        gang=np.concatenate([tasks.gang[paid], others.gang]),
        first=np.concatenate([first, other_first]),
        max_span=np.concatenate([(reached - first) * 9 // 10, span[1] - 2 * HOUR - other_first]),
        report_after=np.concatenate(
            [reached + rng.integers(10 * MINUTE, 2 * HOUR, paid.size), other_first]
        ),
        prepaid=prepaid,
        prepaid_at=prepaid_at,
    )
    return spec, replace(signals.payments, case=flagged_case)


def generate_city(
    *,
    seed: int,
    records: int,
    start: datetime,
    days: int = 90,
    password_hash: str,
    ids_from: Mapping[str, int] | None = None,
    transfer_share: float = 0.4,
    progress: Callable[[int], None] | None = None,
) -> dict[str, pl.DataFrame]:
    """Return a synthetic city of about ``records`` rows as ``{table name: frame}``.

    The city covers ``days`` days from ``start``; the same arguments give the same frames.
    Ids start at ``ids_from[table]`` (default 1); every officer gets ``password_hash``;
    ordinary traffic fills what the other tables leave of ``records``, ``transfer_share``
    of it as transfers and the rest as calls (a funds benchmark sets it to 1);
    ``progress`` is called with 1 after each of :data:`GENERATE_STEPS` steps.

    Raises ``InvalidInput`` for records outside 1,000-20,000,000, a naive ``start``,
    ``days`` outside 7-3650, a negative seed or a ``transfer_share`` outside 0-1.
    """
    _check(seed, start, days, ids_from, transfer_share)
    step = progress or (lambda _: None)
    sizes = plan_sizes(records)
    city, cal = city_map(), calibration()
    seeds = np.random.SeedSequence(seed).spawn(len(_STREAMS))
    rngs = {name: np.random.default_rng(s) for name, s in zip(_STREAMS, seeds, strict=True)}
    base = {table: int((ids_from or {}).get(table, 1)) for table in TABLES}
    span = (to_us(start), to_us(start) + days * DAY)
    pools = name_pools(seed)
    districts = [d.name for d in city.districts]
    w = cal.weights()
    plan = plan_tasks(rngs["plan"], cal.warning, sizes.tasks, span)
    task_counts = allocate(plan.path.size, w)
    case_counts = allocate(max(0, sizes.cases - int(plan.paid.sum())), w)
    active = np.flatnonzero(task_counts + case_counts > 0)
    gangs = make_gangs(rngs["gangs"], sizes, city, cal, active, base["gangs"])
    people = make_people(rngs["people"], sizes, city, gangs, pools, span[0])
    tasks, others = _targets(rngs["targets"], cal, people, gangs, task_counts, case_counts)
    step(1)
    sim_k, sim_lines, lines_per_den = _sims(sizes, gangs, people, days)
    users, officer_district = make_users(
        rngs["users"], sizes, city, pools, password_hash, span[0] - 30 * DAY, base["users"]
    )
    outlets = make_outlets(rngs["outlets"], sizes, city, base["outlets"])
    devices = make_devices(
        rngs["devices"], people, lines_per_den, districts, base["devices"], base["persons"]
    )
    phones = make_phones(
        rngs["phones"], people, gangs, outlets, devices, span, sim_k, sim_lines, base
    )
    accounts = make_accounts(rngs["accounts"], sizes, people, gangs, outlets, span[0], base)
    im, im_gang, im_handle = make_im_accounts(rngs["im"], people, base)
    urls, url_gang = make_urls(rngs["urls"], gangs, cal, span, base)
    step(1)
    counterparts = {
        "url": urls.get_column("url"),
        "url_gang": url_gang,
        "im": im_handle,
        "im_gang": im_gang,
    }
    signals = make_signals(
        rngs["signals"],
        cal,
        plan,
        tasks,
        people,
        phones,
        accounts,
        gangs.laundering,
        counterparts,
        span,
        base,
    )
    severity = np.array([fraud_type_severity(p.code) for p in cal.fraud_types])
    priority = priorities(
        signals.money_at_risk,
        severity[tasks.fraud_type],
        people.age[tasks.person],
        signals.kind,
        plan.merged,
    )
    sla = sla_due(priority, plan.signal)
    officer = assign_officers(
        rngs["histories"],
        people.district[tasks.person],
        officer_district,
        base["users"],
        plan.path == PATHS.index("new"),
    )
    hist = histories(rngs["histories"], plan, sla, signals.money_at_risk, officer, span, base)
    step(1)
    spec, flagged = _case_spec(rngs["cases"], plan, hist, signals, tasks, others, span)
    cases, case_payments, case_calls = make_cases(
        rngs["cases"], cal, city, spec, people, phones, accounts, span, base
    )
    flow = launder(
        rngs["launder"],
        case_payments.extended(flagged),
        accounts,
        gangs.laundering,
        cal.laundering,
        span[1],
    )
    step(1)
    calls = Calls()
    calls.extend(gang_calls(rngs["gang_calls"], people, sizes.records // 100, days, span))
    weight = np.zeros(gangs.kind.size)
    weight[gangs.kind == 0] = sim_lines
    calls.extend(
        cold_calls(rngs["cold_calls"], sizes.cold_calls, phones, weight, people.n_citizens, span)
    )
    straw = np.union1d(phones.straw, accounts.straw)
    calls.extend(trafficker_calls(rngs["gang_calls"], people, straw, span))
    calls.extend(signals.calls)
    calls.extend(case_calls)
    frames: dict[str, pl.DataFrame] = {
        "users": users,
        "gangs": gangs.frame,
        "outlets": outlets.frame,
        "persons": persons_frame(rngs["people"], people, city, spec.victim, phones.number, base),
        "devices": devices.frame,
        "phones": phones.frame,
        "bank_accounts": flag_cards(rngs["flags"], accounts.frame, signals.flagged_cards, flow),
        "im_accounts": im,
        "urls": urls,
        "cases": cases,
        "events": signals.events,
        "warning_tasks": tasks_frame(
            plan,
            tasks,
            people,
            phones.number,
            cal,
            signals,
            priority,
            sla,
            officer,
            hist,
            districts,
            base,
        ),
        "task_transitions": hist.transitions,
        "outcomes": hist.outcomes,
    }
    step(1)
    # Ordinary calls and transfers fill what is left of ``records``.
    left = max(0, records - sum(f.height for f in frames.values()) - calls.size - flow.size)
    n_calls = round(left * (1.0 - transfer_share))
    calls.extend(
        background_calls(rngs["calls"], n_calls, people, phones.second_of, people.size, span)
    )
    flow.extend(
        background_transfers(
            rngs["transfers"], left - n_calls, people.size, accounts.extra_of, people.size, span
        )
    )
    frames["calls"] = calls_frame(calls, base)
    frames["transfers"] = transfers_frame(flow, base)
    step(1)
    return {table: frames[table] for table in TABLES}
