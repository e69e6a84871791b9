"""Whom the frauds reach: the people the warning tasks are about and the victims nobody
warned, each with a fraud type and the gang working on them; and the cases of both."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from fanzha.demo._calibration import VICTIM_GROUPS, Calibration
from fanzha.demo._cases import CaseSpec
from fanzha.demo._money import Payments
from fanzha.demo._people import OCCUPATIONS, Gangs, People
from fanzha.demo._signals import Signals, Targets
from fanzha.demo._tasks import Histories, TaskPlan
from fanzha.demo._time import DAY, HOUR, MINUTE, IntArray, diurnal_times

__all__: list[str] = []


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
