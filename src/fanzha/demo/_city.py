"""``generate_city``: the whole synthetic city as one polars frame per store table."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import numpy as np
import polars as pl

from fanzha.demo._assets import (
    Accounts,
    Devices,
    Phones,
    make_accounts,
    make_devices,
    make_im_accounts,
    make_phones,
)
from fanzha.demo._calibration import Calibration, CityMap, calibration, city_map
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
from fanzha.demo._money import Flow, background_transfers, launder
from fanzha.demo._names import NamePools, name_pools
from fanzha.demo._people import (
    Gangs,
    Outlets,
    People,
    make_gangs,
    make_outlets,
    make_people,
    make_users,
)
from fanzha.demo._signals import (
    Signals,
    Targets,
    estimate_unknown_at_risk,
    make_signals,
    priorities,
)
from fanzha.demo._sites import make_urls
from fanzha.demo._sizes import CitySizes, allocate, plan_sizes
from fanzha.demo._tasks import PATHS, Histories, TaskPlan, histories, plan_tasks, sla_due
from fanzha.demo._time import DAY, FloatArray, IntArray, to_us
from fanzha.demo._victims import _case_spec, _targets
from fanzha.errors import InvalidInput
from fanzha.passwords import DEMO_PASSWORD
from fanzha.warning import fraud_type_severity

__all__ = ["DEMO_PASSWORD", "GENERATE_STEPS", "TABLES", "generate_city"]


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
    "at_risk",
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


@dataclass(frozen=True, slots=True)
class _Setup:
    """What every step of :func:`generate_city` reads: sizes, map, calibration, one
    generator per stream, first ids, the time span and the name pools."""

    sizes: CitySizes
    city: CityMap
    cal: Calibration
    rngs: dict[str, np.random.Generator]
    base: dict[str, int]
    span: tuple[int, int]
    days: int
    pools: NamePools
    districts: list[str]


def _setup(
    seed: int, records: int, start: datetime, days: int, ids_from: Mapping[str, int] | None
) -> _Setup:
    sizes = plan_sizes(records)
    city, cal = city_map(), calibration()
    seeds = np.random.SeedSequence(seed).spawn(len(_STREAMS))
    rngs = {name: np.random.default_rng(s) for name, s in zip(_STREAMS, seeds, strict=True)}
    base = {table: int((ids_from or {}).get(table, 1)) for table in TABLES}
    span = (to_us(start), to_us(start) + days * DAY)
    pools = name_pools(seed)
    districts = [d.name for d in city.districts]
    return _Setup(sizes, city, cal, rngs, base, span, days, pools, districts)


@dataclass(frozen=True, slots=True)
class _Population:
    """The plan of the warning tasks, the gangs, the people, and whom the tasks and the
    unwarned cases are about."""

    plan: TaskPlan
    gangs: Gangs
    people: People
    tasks: Targets
    others: Targets


def _population(s: _Setup) -> _Population:
    rngs, cal, sizes = s.rngs, s.cal, s.sizes
    w = cal.weights()
    plan = plan_tasks(rngs["plan"], cal.warning, sizes.tasks, s.span)
    task_counts = allocate(plan.path.size, w)
    case_counts = allocate(max(0, sizes.cases - int(plan.paid.sum())), w)
    active = np.flatnonzero(task_counts + case_counts > 0)
    gangs = make_gangs(rngs["gangs"], sizes, s.city, cal, active, s.base["gangs"])
    people = make_people(rngs["people"], sizes, s.city, gangs, s.pools, s.span[0])
    tasks, others = _targets(rngs["targets"], cal, people, gangs, task_counts, case_counts)
    return _Population(plan, gangs, people, tasks, others)


@dataclass(frozen=True, slots=True)
class _Assets:
    """Officers, outlets, devices, phones, bank and IM accounts, the gangs' sites, the lines
    each fraud gang works, and the counterparts signals name (see ``make_signals``)."""

    sim_lines: IntArray
    users: pl.DataFrame
    officer_district: IntArray
    outlets: Outlets
    devices: Devices
    phones: Phones
    accounts: Accounts
    im: pl.DataFrame
    urls: pl.DataFrame
    counterparts: dict[str, Any]


def _assets(s: _Setup, pop: _Population, password_hash: str) -> _Assets:
    rngs, base, span, people, gangs = s.rngs, s.base, s.span, pop.people, pop.gangs
    sim_k, sim_lines, lines_per_den = _sims(s.sizes, gangs, people, s.days)
    users, officer_district = make_users(
        rngs["users"], s.sizes, s.city, s.pools, password_hash, span[0] - 30 * DAY, base["users"]
    )
    outlets = make_outlets(rngs["outlets"], s.sizes, s.city, base["outlets"])
    devices = make_devices(
        rngs["devices"], people, lines_per_den, s.districts, base["devices"], base["persons"]
    )
    phones = make_phones(
        rngs["phones"], people, gangs, outlets, devices, span, sim_k, sim_lines, base
    )
    accounts = make_accounts(rngs["accounts"], s.sizes, people, gangs, outlets, span[0], base)
    im, im_gang, im_handle = make_im_accounts(rngs["im"], people, base)
    urls, url_gang = make_urls(rngs["urls"], gangs, s.cal, span, base)
    counterparts = {
        "url": urls.get_column("url"),
        "url_gang": url_gang,
        "im": im_handle,
        "im_gang": im_gang,
    }
    return _Assets(
        sim_lines,
        users,
        officer_district,
        outlets,
        devices,
        phones,
        accounts,
        im,
        urls,
        counterparts,
    )


@dataclass(frozen=True, slots=True)
class _Warnings:
    """The signals behind the tasks, and each task's priority, SLA, officer and history."""

    signals: Signals
    priority: FloatArray
    sla: IntArray
    officer: IntArray
    hist: Histories


def _warnings(s: _Setup, pop: _Population, assets: _Assets) -> _Warnings:
    rngs, cal, plan, tasks, people = s.rngs, s.cal, pop.plan, pop.tasks, pop.people
    signals = make_signals(
        rngs["signals"],
        cal,
        plan,
        tasks,
        people,
        assets.phones,
        assets.accounts,
        pop.gangs.laundering,
        assets.counterparts,
        s.span,
        s.base,
    )
    at_risk = estimate_unknown_at_risk(rngs["at_risk"], cal, tasks, signals.money_at_risk)
    signals = replace(signals, money_at_risk=at_risk)
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
        assets.officer_district,
        s.base["users"],
        plan.path == PATHS.index("new"),
    )
    hist = histories(rngs["histories"], plan, sla, signals.money_named, officer, s.span, s.base)
    return _Warnings(signals, priority, sla, officer, hist)


def _cases_and_flow(
    s: _Setup, pop: _Population, assets: _Assets, warn: _Warnings
) -> tuple[CaseSpec, pl.DataFrame, Calls, Flow]:
    """The cases (of tasks whose person had paid, and of unwarned victims), the calls in
    them, and the laundering of every payment."""
    rngs, span = s.rngs, s.span
    spec, flagged = _case_spec(
        rngs["cases"], pop.plan, warn.hist, warn.signals, pop.tasks, pop.others, span
    )
    cases, case_payments, case_calls = make_cases(
        rngs["cases"], s.cal, s.city, spec, pop.people, assets.phones, assets.accounts, span, s.base
    )
    flow = launder(
        rngs["launder"],
        case_payments.extended(flagged),
        assets.accounts,
        pop.gangs.laundering,
        s.cal.laundering,
        span[1],
    )
    return spec, cases, case_calls, flow


def _fraud_calls(
    s: _Setup, pop: _Population, assets: _Assets, signals: Signals, case_calls: Calls
) -> Calls:
    """The gangs' calls among themselves, their cold calls, the card traffickers' calls,
    and the calls behind the signals and the cases."""
    rngs, span, people, gangs, phones = s.rngs, s.span, pop.people, pop.gangs, assets.phones
    calls = Calls()
    calls.extend(gang_calls(rngs["gang_calls"], people, s.sizes.records // 100, s.days, span))
    weight = np.zeros(gangs.kind.size)
    weight[gangs.kind == 0] = assets.sim_lines
    calls.extend(
        cold_calls(rngs["cold_calls"], s.sizes.cold_calls, phones, weight, people.n_citizens, span)
    )
    straw = np.union1d(phones.straw, assets.accounts.straw)
    calls.extend(trafficker_calls(rngs["gang_calls"], people, straw, span))
    calls.extend(signals.calls)
    calls.extend(case_calls)
    return calls


def _frames(
    s: _Setup,
    pop: _Population,
    assets: _Assets,
    warn: _Warnings,
    spec: CaseSpec,
    cases: pl.DataFrame,
    flow: Flow,
) -> dict[str, pl.DataFrame]:
    """Every table but the calls and the transfers."""
    rngs, base, people, signals = s.rngs, s.base, pop.people, warn.signals
    return {
        "users": assets.users,
        "gangs": pop.gangs.frame,
        "outlets": assets.outlets.frame,
        "persons": persons_frame(
            rngs["people"], people, s.city, spec.victim, assets.phones.number, base
        ),
        "devices": assets.devices.frame,
        "phones": assets.phones.frame,
        "bank_accounts": flag_cards(
            rngs["flags"], assets.accounts.frame, signals.flagged_cards, flow
        ),
        "im_accounts": assets.im,
        "urls": assets.urls,
        "cases": cases,
        "events": signals.events,
        "warning_tasks": tasks_frame(
            pop.plan,
            pop.tasks,
            people,
            assets.phones.number,
            s.cal,
            signals,
            warn.priority,
            warn.sla,
            warn.officer,
            warn.hist,
            s.districts,
            base,
        ),
        "task_transitions": warn.hist.transitions,
        "outcomes": warn.hist.outcomes,
    }


def _ordinary_traffic(
    s: _Setup,
    people: People,
    assets: _Assets,
    frames: dict[str, pl.DataFrame],
    calls: Calls,
    flow: Flow,
    records: int,
    transfer_share: float,
) -> None:
    """Ordinary calls and transfers fill what is left of ``records``; adds both tables."""
    span, base = s.span, s.base
    left = max(0, records - sum(f.height for f in frames.values()) - calls.size - flow.size)
    n_calls = round(left * (1.0 - transfer_share))
    calls.extend(
        background_calls(
            s.rngs["calls"], n_calls, people, assets.phones.second_of, people.size, span
        )
    )
    flow.extend(
        background_transfers(
            s.rngs["transfers"],
            left - n_calls,
            people.size,
            assets.accounts.extra_of,
            people.size,
            span,
        )
    )
    frames["calls"] = calls_frame(calls, base)
    frames["transfers"] = transfers_frame(flow, base)


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
    setup = _setup(seed, records, start, days, ids_from)
    pop = _population(setup)
    step(1)
    assets = _assets(setup, pop, password_hash)
    step(1)
    warn = _warnings(setup, pop, assets)
    step(1)
    spec, cases, case_calls, flow = _cases_and_flow(setup, pop, assets, warn)
    step(1)
    calls = _fraud_calls(setup, pop, assets, warn.signals, case_calls)
    frames = _frames(setup, pop, assets, warn, spec, cases, flow)
    step(1)
    _ordinary_traffic(setup, pop.people, assets, frames, calls, flow, records, transfer_share)
    step(1)
    return {table: frames[table] for table in TABLES}
