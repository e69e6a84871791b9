"""Money in the demo city: victims' payments, their laundering through mule layers, and the
ordinary transfers between citizens.

A payment into a first-layer mule card is forwarded, minus the mule's commission (0.5-2%),
to one to three cards of the next layer a few minutes later, layer after layer (2-4
layers), and leaves through a cash-out card or a crypto exit. Channels are the canonical
ones (:data:`fanzha.records.CHANNELS`): the hop into a cash-out card is ``cash``, into a
crypto exit ``crypto``, every other transfer ``transfer``, so the trace finds the exits
from the stored channel. Every hop is later than the
receipt it forwards and never sends more than it received, so each mule's balance stays
≥ 0 at every moment. Hops after the end of the period have not happened yet and are cut.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from fanzha.demo._assets import Accounts
from fanzha.demo._calibration import Calibration
from fanzha.demo._columns import Columns, no_ints
from fanzha.demo._time import (
    DAY,
    HOUR,
    MINUTE,
    FloatArray,
    IntArray,
    diurnal_times,
    lognormal_delays,
)
from fanzha.records import CHANNELS

__all__: list[str] = []

_TRANSFER, _CASH, _CRYPTO = (CHANNELS.index(c) for c in ("transfer", "cash", "crypto"))
# Schemes whose victims pay over days (investment, 杀猪盘, crypto, gambling: a median of
# two days between payments); the others pay within the hour (刷单 "连单": 25 minutes).
_SLOW = frozenset({"fake_investment", "romance_scam", "crypto_fraud", "gambling_fraud"})


@dataclass(slots=True)
class Flow(Columns):
    """Transfers as columns (positions of accounts; ``case`` -1 when not linked to a case;
    ``channel`` indexes :data:`fanzha.records.CHANNELS`)."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("src", "dst", "amount", "at", "case", "channel")
    src: IntArray = field(default_factory=no_ints)
    dst: IntArray = field(default_factory=no_ints)
    amount: IntArray = field(default_factory=no_ints)
    at: IntArray = field(default_factory=no_ints)
    case: IntArray = field(default_factory=no_ints)
    channel: IntArray = field(default_factory=no_ints)


@dataclass(slots=True)
class Payments(Columns):
    """Payments of people to a gang: who pays (account), which gang, how much, when, the
    case (-1: none), the share of the money the gang takes out as crypto, and the
    first-layer card it goes to (-1: any card of the gang's laundering den)."""

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "payer",
        "gang",
        "amount",
        "at",
        "case",
        "crypto",
        "first",
    )
    payer: IntArray
    gang: IntArray
    amount: IntArray
    at: IntArray
    case: IntArray
    crypto: FloatArray
    first: IntArray


def _transfers(draws: FloatArray | IntArray) -> IntArray:
    """``transfer`` for each draw. The city once drew mobile, online or counter banking
    here; the draws stay so that every later random number, and the city, is unchanged."""
    return np.full(draws.shape[0], _TRANSFER, dtype=np.int64)


def payment_schedule(
    rng: np.random.Generator,
    cal: Calibration,
    types: IntArray,
    first: IntArray,
    max_span: IntArray,
) -> tuple[IntArray, IntArray, IntArray]:
    """Split each case's loss into payments: returns (case of each payment, amount in 分,
    time). Losses are log-normal by fraud type; 刷单 and investment payments grow; the
    payments of a case fit in ``max_span`` after ``first``."""
    profiles = cal.fraud_types
    lo = np.array([p.payments[0] for p in profiles])[types]
    hi = np.array([p.payments[1] for p in profiles])[types]
    count = rng.integers(lo, hi + 1)
    median = np.array([p.loss_median_yuan for p in profiles])[types]
    sigma = np.array([p.loss_sigma for p in profiles])[types]
    loss = np.maximum(5_000, np.round(median * 100 * np.exp(rng.normal(0, sigma)))).astype(np.int64)
    case = np.repeat(np.arange(types.size), count)
    weights = rng.gamma(1.5, size=case.size) + 0.05
    growing = np.isin(
        np.array([p.code for p in profiles])[types],
        ["brushing_rebate", "fake_investment", "romance_scam"],
    )
    order = np.lexsort((np.where(growing[case], weights, 0.0), case))
    weights = weights[order]
    share = weights / np.bincount(case, weights)[case]
    amount = np.floor(share * loss[case]).astype(np.int64)
    starts = np.concatenate([[0], np.cumsum(count)[:-1]])
    amount[starts] += loss - np.bincount(case, amount, minlength=types.size).astype(np.int64)
    slow = np.isin(np.array([p.code for p in profiles])[types], list(_SLOW))[case]
    gap = np.where(
        slow,
        lognormal_delays(rng, case.size, 2 * DAY, 0.8, HOUR, 10 * DAY),
        lognormal_delays(rng, case.size, 25 * MINUTE, 0.8, MINUTE, 6 * HOUR),
    )
    gap[starts] = 0
    offset = np.cumsum(gap) - np.repeat(np.cumsum(gap)[starts], count)
    span = offset[np.concatenate([starts[1:], [case.size]]) - 1]
    scale = np.where(span > max_span, max_span / np.maximum(span, 1), 1.0)
    at = first[case] + (offset * scale[case]).astype(np.int64)
    return case, amount, at


def launder(
    rng: np.random.Generator,
    payments: Payments,
    accounts: Accounts,
    laundering_den: IntArray,
    params: Mapping[str, Any],
    end: int,
) -> Flow:
    """The payments into first-layer mule cards and every hop after them, up to ``end``."""
    den = laundering_den[payments.gang]
    n = payments.payer.size
    flow = Flow()
    first = np.where(payments.first >= 0, payments.first, accounts.pick(rng, den, 1))
    flow.extend(
        Flow(
            payments.payer,
            first,
            payments.amount,
            payments.at,
            payments.case,
            _transfers(rng.random(n)),
        )
    )
    depth_options = np.array(sorted(params["layers"]), dtype=np.int64)
    depth_p = np.array([params["layers"][k] for k in sorted(params["layers"])], dtype=np.float64)
    fan_options = np.array(sorted(params["fanout"]), dtype=np.int64)
    fan_p = np.array([params["fanout"][k] for k in sorted(params["fanout"])], dtype=np.float64)
    lo, hi = params["commission"]
    median = int(params["hop_median_minutes"] * MINUTE)
    acct, amount, at, case = first, payments.amount, payments.at, payments.case
    depth = rng.choice(depth_options, size=n, p=depth_p / depth_p.sum())
    crypto = rng.random(n) < payments.crypto
    for layer in range(1, 5):
        keep = at < end
        acct, amount, at, case, depth, den = (
            acct[keep],
            amount[keep],
            at[keep],
            case[keep],
            depth[keep],
            den[keep],
        )
        crypto = crypto[keep]
        if not acct.size:
            break
        net = amount - np.floor(amount * rng.uniform(lo, hi, acct.size)).astype(np.int64)
        final = depth == layer
        k = np.where(final, 1, rng.choice(fan_options, size=acct.size, p=fan_p / fan_p.sum()))
        k = np.minimum(k, np.maximum(1, net // 10_000))
        parent = np.repeat(np.arange(acct.size), k)
        weights = rng.gamma(3.0, size=parent.size)
        part = np.floor(weights / np.bincount(parent, weights)[parent] * net[parent]).astype(
            np.int64
        )
        starts = np.concatenate([[0], np.cumsum(k)[:-1]])
        part[starts] += net - np.bincount(parent, part, minlength=acct.size).astype(np.int64)
        child_den = den[parent]
        to_exit = final[parent]
        coin = crypto[parent] & to_exit
        next_layer = min(layer, 3)
        dst = np.where(
            to_exit,
            np.where(
                coin,
                accounts.pick(rng, child_den, "crypto"),
                accounts.pick(rng, child_den, "cash_out"),
            ),
            accounts.pick(rng, child_den, next_layer + 1),
        )
        when = at[parent] + lognormal_delays(
            rng, parent.size, median, float(params["hop_sigma"]), MINUTE, 6 * HOUR
        )
        channel = np.where(
            coin, _CRYPTO, np.where(to_exit, _CASH, _transfers(rng.random(parent.size)))
        )
        sent = when < end
        flow.extend(Flow(acct[parent], dst, part, when, case[parent], channel).take(sent))
        go_on = ~to_exit & sent
        acct, amount, at, case = dst[go_on], part[go_on], when[go_on], case[parent][go_on]
        depth, crypto, den = depth[parent][go_on], crypto[parent][go_on], child_den[go_on]
    return flow


def background_transfers(
    rng: np.random.Generator,
    n: int,
    n_persons: int,
    extra_of: IntArray,
    extra_first: int,
    span: tuple[int, int],
) -> Flow:
    """``n`` ordinary transfers between people's own cards, mostly between neighbours, of
    tens to thousands of yuan (often round sums)."""
    if n <= 0:
        return Flow()
    activity = rng.lognormal(0.0, 1.0, size=n_persons)
    src_person = rng.choice(n_persons, size=n, p=activity / activity.sum())
    near = src_person + np.round(rng.normal(0, 40, size=n)).astype(np.int64)
    far = rng.integers(0, n_persons, size=n)
    dst_person = np.clip(np.where(rng.random(n) < 0.65, near, far), 0, n_persons - 1)
    dst_person = np.where(dst_person == src_person, (dst_person + 1) % n_persons, dst_person)

    def card(person: IntArray) -> IntArray:
        second = extra_of[person]
        use = (second >= 0) & (rng.random(person.size) < 0.4)
        return np.where(use, extra_first + second, person)

    yuan = np.exp(rng.normal(np.log(200), 1.2, size=n))
    round_sum = rng.random(n) < 0.4
    amount = np.where(round_sum, np.maximum(1, np.round(yuan / 100)) * 10_000, np.round(yuan * 100))
    channel = _transfers(rng.choice(3, size=n, p=[0.75, 0.2, 0.05]))
    return Flow(
        card(src_person),
        card(dst_person),
        np.maximum(1, amount).astype(np.int64),
        diurnal_times(rng, n, *span),
        np.full(n, -1, dtype=np.int64),
        channel,
    )
