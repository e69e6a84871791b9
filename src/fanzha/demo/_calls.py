"""Calls and texts in the demo city (call detail records).

Most calls are ordinary: people call neighbours, relatives and colleagues during the day.
Gang SIMs in GOIP boxes make bursts of short cold calls to many strangers and are rarely
called back; gang members call each other; traffickers call the people whose identity
they use to open cards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from fanzha.demo._assets import Phones
from fanzha.demo._columns import Columns, no_flags, no_ints
from fanzha.demo._people import GANG_ROLES, People
from fanzha.demo._time import DAY, SECOND, BoolArray, IntArray, diurnal_times

__all__ = []


@dataclass(slots=True)
class Calls(Columns):
    """Calls as columns: positions of phones, start (µs), duration (s), SMS or not."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("caller", "callee", "at", "duration", "sms")
    caller: IntArray = field(default_factory=no_ints)
    callee: IntArray = field(default_factory=no_ints)
    at: IntArray = field(default_factory=no_ints)
    duration: IntArray = field(default_factory=no_ints)
    sms: BoolArray = field(default_factory=no_flags)


def talk(rng: np.random.Generator, n: int, median_s: float, unanswered: float) -> IntArray:
    """Call durations in seconds: log-normal around ``median_s``, 0 when not answered."""
    seconds = np.round(median_s * np.exp(rng.normal(0, 0.9, size=n))).astype(np.int64)
    return np.where(rng.random(n) < unanswered, 0, np.clip(seconds, 1, 7_200))


def gang_sim_at(
    rng: np.random.Generator, phones: Phones, gang: IntArray, at: IntArray, span: tuple[int, int]
) -> IntArray:
    """The SIM gang ``gang`` uses at time ``at``: a random line's SIM live at that moment."""
    start, end = span
    k = np.clip(((at - start) / (end - start) * phones.sim_k).astype(np.int64), 0, phones.sim_k - 1)
    line = (rng.random(gang.size) * phones.sim_lines[gang]).astype(np.int64)
    return phones.sim_start[gang] + line * phones.sim_k + k


def background_calls(
    rng: np.random.Generator,
    n: int,
    people: People,
    second_of: IntArray,
    second_first: int,
    span: tuple[int, int],
) -> Calls:
    """``n`` ordinary calls and texts between people, mostly with neighbours."""
    if n <= 0:
        return Calls()
    size = people.size
    activity = rng.lognormal(0.0, 0.8, size=size)
    src = rng.choice(size, size=n, p=activity / activity.sum())
    near = src + np.round(rng.normal(0, 30, size=n)).astype(np.int64)
    dst = np.clip(np.where(rng.random(n) < 0.7, near, rng.integers(0, size, size=n)), 0, size - 1)
    dst = np.where(dst == src, (dst + 1) % size, dst)

    def phone(person: IntArray) -> IntArray:
        second = second_of[person]
        use = (second >= 0) & (rng.random(person.size) < 0.3)
        return np.where(use, second_first + second, person)

    sms = rng.random(n) < 0.15
    duration = np.where(sms, 0, talk(rng, n, 70, 0.12))
    return Calls(phone(src), phone(dst), diurnal_times(rng, n, *span), duration, sms)


def gang_calls(
    rng: np.random.Generator, people: People, budget: int, days: int, span: tuple[int, int]
) -> Calls:
    """About ``budget`` calls inside the gangs and dens (operators call up the chain, chiefs
    call anyone), at most a dozen per member a quarter."""
    members = np.arange(people.n_citizens, people.size)
    if not members.size:
        return Calls()
    per_member = int(np.clip(round(budget / members.size), 1, max(1, round(12 * days / 90))))
    src = np.repeat(members, per_member)
    gang = people.gang[src]
    first = np.searchsorted(people.gang[members], gang)
    count = np.bincount(people.gang[members])[gang]
    rank = people.role[src]
    # Operators mostly call up the chain; chiefs call anyone in their gang.
    dst = members[
        first + (rng.random(src.size) ** np.where(rank >= 2, 2.0, 1.0) * count).astype(np.int64)
    ]
    dst = np.where(dst == src, members[first], dst)
    keep = dst != src
    src, dst = src[keep], dst[keep]
    sms = rng.random(src.size) < 0.2
    duration = np.where(sms, 0, talk(rng, src.size, 120, 0.1))
    return Calls(src, dst, diurnal_times(rng, src.size, *span), duration, sms)


def trafficker_calls(
    rng: np.random.Generator, people: People, straw: IntArray, span: tuple[int, int]
) -> Calls:
    """One to three calls from a card trafficker to each person whose identity or cards he
    bought (卡头 and 卡农)."""
    traffickers = np.flatnonzero(people.role == GANG_ROLES.index("card_trafficker"))
    if not straw.size or not traffickers.size:
        return Calls()
    count = rng.integers(1, 4, straw.size)
    callee = np.repeat(straw, count)
    caller = np.repeat(rng.choice(traffickers, straw.size), count)
    n = callee.size
    return Calls(
        caller, callee, diurnal_times(rng, n, *span), talk(rng, n, 90, 0.1), np.zeros(n, dtype=bool)
    )


def cold_calls(
    rng: np.random.Generator,
    n: int,
    phones: Phones,
    gang_weight: np.ndarray,
    n_citizens: int,
    span: tuple[int, int],
) -> Calls:
    """``n`` cold calls from gang SIMs to random citizens: short, mostly unanswered, in
    working hours; a few citizens call the number back."""
    if n <= 0:
        return Calls()
    gang = rng.choice(gang_weight.size, size=n, p=gang_weight / gang_weight.sum())
    at = diurnal_times(rng, n, *span)
    sim = gang_sim_at(rng, phones, gang, at, span)
    callee = rng.integers(0, n_citizens, size=n)
    sms = rng.random(n) < 0.25
    duration = np.where(sms, 0, talk(rng, n, 25, 0.55))
    back = np.flatnonzero(rng.random(n) < 0.03)
    later = at[back] + rng.integers(10 * SECOND, DAY, size=back.size)
    ok = later < span[1]
    back, later = back[ok], later[ok]
    return Calls(
        np.concatenate([sim, callee[back]]),
        np.concatenate([callee, sim[back]]),
        np.concatenate([at, later]),
        np.concatenate([duration, talk(rng, back.size, 40, 0.3)]),
        np.concatenate([sms, np.zeros(back.size, bool)]),
    )
