"""Synthetic transfers for tests and benchmarks: an AMLSim-like bank and a mule network.

:func:`generate_aml` imitates the IBM AMLSim sample runs (``20K_fanin200``): accounts
with an opening balance of 100–600 yuan, a heavy-tailed number of background transfers
over ``n_steps`` simulated days (each background sender sends the same amount, its
balance minus one fen, as AMLSim does), a pool of laundering accounts that transact with
each other more than chance and of which about 30 % never launder ("dormant", found only
through their neighbours), and laundering patterns of the AMLSim typologies. As AMLSim
draws an alert's members from one hub's neighbourhood, members of a pattern also trade
with each other and with a few ordinary accounts of that neighbourhood (which gives the
sample's triangles among laundering accounts). Laundering
amounts are either ``"small"`` (bursts of 1–5 transfers of 2.5–5 yuan, as in the AMLSim
samples) or ``"blend"`` (one transfer per edge with background-sized amounts that shrink
hop by hop). ``background="varied"`` draws every background amount afresh instead of
AMLSim's fixed one, so amounts alone give nothing away.

:func:`generate_mule_network` makes the tracing benchmark: victims pay first-layer mules,
money moves through 2–4 mule layers (each mule splits and forwards within hours, mixed
with money of other victims) and leaves as cash or crypto; plus background transfers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import polars as pl

from fanzha.errors import InvalidInput

__all__ = [
    "TYPOLOGIES",
    "MuleNetwork",
    "SyntheticAml",
    "generate_aml",
    "generate_mule_network",
]

IntArray = npt.NDArray[np.int64]
TYPOLOGIES = (
    "bipartite",
    "cycle",
    "fan_in",
    "fan_out",
    "gather_scatter",
    "random",
    "scatter_gather",
    "stack",
)
_BURSTS = np.array([62, 56, 51, 58, 259], dtype=np.float64)
_MEMBER_LINK = 0.17
_LOCAL_NORMALS = 6
_AMONG = 0.015


@dataclass(frozen=True, slots=True)
class SyntheticAml:
    """Accounts (``id, is_fraud, typology``) and transfers (``src, dst, amount, time``)."""

    accounts: pl.DataFrame
    transactions: pl.DataFrame


@dataclass(frozen=True, slots=True)
class MuleNetwork:
    """Arrays of a synthetic mule network; amounts in fen, times in epoch seconds.

    ``victims`` are account codes of victims, ``mules`` of mule accounts,
    ``exits`` of cash-out / crypto accounts; codes ``0..n_accounts-1``.
    """

    src: IntArray
    dst: IntArray
    amount: IntArray
    time: IntArray
    n_accounts: int
    victims: IntArray
    mules: IntArray
    exits: IntArray


def _pattern_edges(
    kind: str, members: IntArray, rng: np.random.Generator
) -> list[tuple[int, int, int]]:
    """Edges (src, dst, hop) of one pattern; hop orders the edges in time."""
    m = members.tolist()
    k = len(m)
    if kind == "fan_in":
        return [(a, m[0], 0) for a in m[1:]]
    if kind == "fan_out":
        return [(m[0], b, 0) for b in m[1:]]
    if kind == "cycle":
        return [(m[i], m[(i + 1) % k], i) for i in range(k)]
    if kind == "scatter_gather":
        mids = m[1:-1]
        return [(m[0], x, 0) for x in mids] + [(x, m[-1], 1) for x in mids]
    if kind == "gather_scatter":
        half = (k - 1) // 2
        hub = m[half]
        return [(a, hub, 0) for a in m[:half]] + [(hub, b, 1) for b in m[half + 1 :]]
    if kind == "bipartite":
        half = k // 2
        pairs = [(a, b, 0) for a in m[:half] for b in m[half:]]
        keep = rng.random(len(pairs)) < 0.7
        keep[0] = True
        return [p for p, ok in zip(pairs, keep, strict=True) if ok]
    if kind == "stack":
        third = max(k // 3, 1)
        layers = [m[:third], m[third : 2 * third], m[2 * third :]]
        return [(a, b, h) for h in range(2) for a in layers[h] for b in layers[h + 1]]
    if kind == "random":
        walk = [m[0]]
        for _ in range(k + 1):
            choices = [x for x in m if x != walk[-1]]
            walk.append(choices[int(rng.integers(len(choices)))])
        return [(walk[i], walk[i + 1], i) for i in range(len(walk) - 1)]
    raise InvalidInput(f"{kind!r}; use one of {', '.join(TYPOLOGIES)}", field="patterns")


def _pattern_size(kind: str, rng: np.random.Generator) -> int:
    low, high = {"stack": (6, 8), "bipartite": (4, 6), "gather_scatter": (5, 7)}.get(kind, (3, 6))
    return int(rng.integers(low, high))


@dataclass
class _Simulation:
    """The state the steps of :func:`generate_aml` share: the draws, balances and transfers."""

    rng: np.random.Generator
    n_steps: int
    background: str
    balance: npt.NDArray[np.float64]
    parts_src: list[IntArray] = field(default_factory=list)
    parts_dst: list[IntArray] = field(default_factory=list)
    parts_amount: list[npt.NDArray[np.float64]] = field(default_factory=list)
    parts_time: list[IntArray] = field(default_factory=list)

    def background_amounts(self, senders: IntArray) -> npt.NDArray[np.float64]:
        """Ordinary amounts for these senders: AMLSim's fixed one, or drawn afresh."""
        if self.background == "fixed":
            fixed: npt.NDArray[np.float64] = self.balance[senders] - 0.01
            return fixed
        drawn: npt.NDArray[np.float64] = np.round(
            self.rng.uniform(100.0, 600.0, senders.shape[0]), 2
        )
        return drawn

    def add(
        self, a: IntArray, b: IntArray, values: npt.NDArray[np.float64], steps: IntArray
    ) -> None:
        """Append transfers ``a[i] → b[i]`` of ``values[i]`` at ``steps[i]``."""
        self.parts_src.append(a)
        self.parts_dst.append(b)
        self.parts_amount.append(values)
        self.parts_time.append(steps)

    def add_background(self, senders: IntArray, receivers: IntArray) -> None:
        """Append ordinary transfers between these pairs at random steps."""
        self.add(
            senders,
            receivers,
            self.background_amounts(senders),
            self.rng.integers(1, self.n_steps + 1, int(senders.shape[0])),
        )


def _plan_patterns(
    rng: np.random.Generator,
    patterns: Mapping[str, int] | None,
    n_accounts: int,
    dormant_share: float,
) -> tuple[list[tuple[str, int]], int, int]:
    """Each pattern's typology and size, the accounts in patterns and the laundering pool."""
    chosen = dict(patterns if patterns is not None else {"fan_in": 200})
    plans = [
        (kind, _pattern_size(kind, rng)) for kind, count in chosen.items() for _ in range(count)
    ]
    for kind, _ in plans:
        if kind not in TYPOLOGIES:
            raise InvalidInput(f"{kind!r}; use one of {', '.join(TYPOLOGIES)}", field="patterns")
    n_members = sum(size for _, size in plans)
    n_fraud = round(n_members / (1.0 - dormant_share))
    if n_fraud * 4 > n_accounts:
        raise InvalidInput(
            f"{n_accounts} accounts are too few for {len(plans)} patterns", field="n_accounts"
        )
    return plans, n_members, n_fraud


def _bank(
    rng: np.random.Generator, n_accounts: int, n_fraud: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.bool_], IntArray]:
    """Opening balances, activity weights, the laundering flag and the laundering accounts."""
    balance = np.round(rng.uniform(100.0, 600.0, n_accounts), 2)
    weight = rng.lognormal(0.0, 0.5, n_accounts)
    hubs = rng.random(n_accounts) < 0.004
    weight[hubs] *= 12.0
    fraud = np.zeros(n_accounts, dtype=bool)
    pick = weight**0.5
    fraud_ids = rng.choice(n_accounts, size=n_fraud, replace=False, p=pick / pick.sum())
    fraud[fraud_ids] = True
    weight[fraud] *= 1.3
    return balance, weight, fraud, fraud_ids


def _background_transfers(
    sim: _Simulation,
    weight: npt.NDArray[np.float64],
    fraud: npt.NDArray[np.bool_],
    fraud_ids: IntArray,
    n_transfers: int,
) -> None:
    """Ordinary transfers by activity weight; laundering accounts favour each other."""
    rng, n_accounts = sim.rng, weight.shape[0]
    p = weight / weight.sum()
    src = rng.choice(n_accounts, size=n_transfers, p=p)
    dst = rng.choice(n_accounts, size=n_transfers, p=p)
    among = fraud[src] & (rng.random(n_transfers) < _AMONG)
    dst[among] = rng.choice(fraud_ids, size=int(among.sum()))
    keep = src != dst
    src, dst = src[keep], dst[keep]
    amount = sim.background_amounts(src)
    n_steps = sim.n_steps
    time = np.clip((rng.beta(2.0, 2.3, src.shape[0]) * n_steps).astype(np.int64) + 1, 1, n_steps)
    sim.add(src, dst, amount, time)


def _launder(
    sim: _Simulation, kind: str, members: IntArray, laundering: str
) -> list[tuple[int, int, int]]:
    """The pattern's laundering transfers, hop after hop; returns its edges (src, dst, hop)."""
    rng, n_steps = sim.rng, sim.n_steps
    edges = _pattern_edges(kind, members, rng)
    n_hops = max(h for _, _, h in edges) + 1
    first = int(rng.integers(1, max(n_steps - 3 * n_hops, 2)))
    span = int(rng.integers(n_hops, max(min(40, n_steps - first), n_hops + 1)))
    hop_steps = np.sort(rng.choice(np.arange(first, first + span + 1), n_hops, replace=False))
    base = float(rng.uniform(100.0, 600.0))
    for a, b, hop in edges:
        step = min(int(hop_steps[hop]) + int(rng.integers(0, 2)), n_steps)
        if laundering == "small":
            burst = int(rng.choice(5, p=_BURSTS / _BURSTS.sum())) + 1
            values = np.round(rng.uniform(2.5, 5.0, burst), 2)
        else:
            values = np.array([round(base * (0.97**hop) * rng.uniform(0.9, 1.0), 2)])
        sim.add(
            np.full(values.shape[0], a),
            np.full(values.shape[0], b),
            values,
            np.full(values.shape[0], step),
        )
    return edges


def _embed(
    sim: _Simulation,
    kind: str,
    edges: list[tuple[int, int, int]],
    extras: IntArray,
    typology: npt.NDArray[np.object_],
) -> None:
    """Ordinary transfers on the pattern's edges, and its dormant accounts (``extras``)
    linked to its main account."""
    # AMLSim embeds a pattern in the account graph: its edges carry ordinary transfers
    # too, and accounts of the alert that never launder are linked to its main account.
    rng = sim.rng
    pairs = np.array([(a, b) for a, b, _ in edges], dtype=np.int64)
    carried = pairs[rng.random(pairs.shape[0]) < 0.6]
    sim.add_background(carried[:, 0], carried[:, 1])
    hub = np.concatenate([pairs[:, 0], pairs[:, 1]])
    main = int(np.bincount(hub).argmax())
    receives = int((pairs[:, 1] == main).sum()) >= int((pairs[:, 0] == main).sum())
    for extra in extras:
        typology[extra] = f"{kind}_dormant"
        links = int(rng.choice([0, 0, 1, 2]))
        toward = np.full(links, receives if kind != "cycle" else bool(rng.random() < 0.5))
        senders = np.where(toward, extra, main).astype(np.int64)
        receivers = np.where(toward, main, extra).astype(np.int64)
        sim.add_background(senders, receivers)


def _neighbourhood(sim: _Simulation, group: IntArray, normal_ids: IntArray) -> None:
    """Ordinary transfers among the pattern's accounts and with a few ordinary neighbours."""
    rng = sim.rng
    # AMLSim draws an alert's members from one hub's neighbourhood, so its members also
    # know each other: in the sample, 17 % of the sender pairs of a fan-in trade.
    low, high = np.triu_indices(group.shape[0], k=1)
    linked = rng.random(low.shape[0]) < _MEMBER_LINK
    a_side = group[low[linked]]
    b_side = group[high[linked]]
    flip = rng.random(a_side.shape[0]) < 0.5
    senders = np.where(flip, b_side, a_side)
    receivers = np.where(flip, a_side, b_side)
    # ... and so do ordinary accounts of that neighbourhood (3.7 % of the sample's normal
    # accounts trade with two linked laundering accounts).
    n_local = int(rng.integers(0, 2 * _LOCAL_NORMALS + 1))
    local = np.repeat(rng.choice(normal_ids, n_local), 2)
    partners = np.array(
        [rng.choice(group, 2, replace=False) for _ in range(n_local)], dtype=np.int64
    ).reshape(-1)
    outward = rng.random(local.shape[0]) < 0.5
    senders = np.concatenate([senders, np.where(outward, local, partners)])
    receivers = np.concatenate([receivers, np.where(outward, partners, local)])
    sim.add_background(senders, receivers)


def _frames(
    sim: _Simulation, fraud: npt.NDArray[np.bool_], typology: npt.NDArray[np.object_]
) -> SyntheticAml:
    """All transfers shuffled, then sorted by step (stable), and the accounts."""
    order = sim.rng.permutation(sum(part.shape[0] for part in sim.parts_src))
    transactions = pl.DataFrame(
        {
            "src": np.concatenate(sim.parts_src)[order],
            "dst": np.concatenate(sim.parts_dst)[order],
            "amount": np.round(np.concatenate(sim.parts_amount)[order], 2),
            "time": np.concatenate(sim.parts_time)[order],
        }
    ).sort("time", maintain_order=True)
    accounts = pl.DataFrame(
        {
            "id": np.arange(fraud.shape[0]),
            "is_fraud": fraud.astype(np.int64),
            "typology": typology.astype(str),
        }
    )
    return SyntheticAml(accounts=accounts, transactions=transactions)


def generate_aml(
    *,
    n_accounts: int = 20_000,
    n_steps: int = 150,
    patterns: Mapping[str, int] | None = None,
    laundering: str = "small",
    background: str = "fixed",
    dormant_share: float = 0.3,
    transfers_per_account: float = 5.8,
    seed: int = 0,
) -> SyntheticAml:
    """An AMLSim-like simulation with the given laundering ``patterns`` (typology → count).

    Raises:
        InvalidInput: an unknown typology or mode, or too few accounts for the patterns.
    """
    if laundering not in ("small", "blend"):
        raise InvalidInput(f"{laundering!r}; use 'small' or 'blend'", field="laundering")
    if background not in ("fixed", "varied"):
        raise InvalidInput(f"{background!r}; use 'fixed' or 'varied'", field="background")
    rng = np.random.default_rng(seed)
    plans, n_members, n_fraud = _plan_patterns(rng, patterns, n_accounts, dormant_share)
    balance, weight, fraud, fraud_ids = _bank(rng, n_accounts, n_fraud)
    sim = _Simulation(rng, n_steps, background, balance)
    _background_transfers(sim, weight, fraud, fraud_ids, int(n_accounts * transfers_per_account))
    typology = np.full(n_accounts, "", dtype=object)
    normal_ids = np.flatnonzero(~fraud)
    pool = rng.permutation(fraud_ids)
    dormant = pool[n_members:]
    owner = rng.integers(0, len(plans), dormant.shape[0])
    start = 0
    for number, (kind, size) in enumerate(plans):
        members = pool[start : start + size]
        start += size
        edges = _launder(sim, kind, members, laundering)
        moving = {a for a, _, _ in edges} | {b for _, b, _ in edges}
        typology[members] = [kind if m in moving else f"{kind}_dormant" for m in members.tolist()]
        _embed(sim, kind, edges, dormant[owner == number], typology)
        _neighbourhood(sim, np.concatenate([members, dormant[owner == number]]), normal_ids)
    return _frames(sim, fraud, typology)


def generate_mule_network(
    *,
    n_transfers: int = 1_000_000,
    n_victims: int = 1_000,
    layers: tuple[int, int] = (2, 4),
    seed: int = 0,
) -> MuleNetwork:
    """Victims → 2–4 mule layers → cash/crypto exits, plus background, about ``n_transfers``.

    Each victim pays 1–3 first-layer mules 1–50k yuan; a mule forwards what it got in 1–3
    parts within 10 minutes to 6 hours to mules of the next layer (shared between
    victims, so money mixes); the last layer pays an exit account. The rest is
    background between ordinary accounts over 30 days.
    """
    rng = np.random.default_rng(seed)
    n_mule_layers = layers[1]
    mules_per_layer = max(n_victims // 2, 4)
    n_exits = max(n_victims // 20, 2)
    n_ordinary = max(n_transfers // 8, 1000)
    victims = np.arange(n_victims)
    mule_base = n_victims
    exits = np.arange(
        mule_base + n_mule_layers * mules_per_layer,
        mule_base + n_mule_layers * mules_per_layer + n_exits,
    )
    ordinary_base = int(exits[-1]) + 1
    n_accounts = ordinary_base + n_ordinary
    t0 = 1_704_067_200  # 2024-01-01 00:00 UTC
    month = 30 * 86_400

    parts: list[tuple[IntArray, IntArray, IntArray, IntArray]] = []
    depth = rng.integers(layers[0], layers[1] + 1, n_victims)
    v_src = np.repeat(victims, rng.integers(1, 4, n_victims))
    n_seed = v_src.shape[0]
    v_dst = mule_base + rng.integers(0, mules_per_layer, n_seed)
    v_amount = rng.integers(100_000, 5_000_000, n_seed)
    v_time = t0 + rng.integers(0, month - 86_400 * 3, n_seed)
    parts.append((v_src, v_dst, v_amount, v_time))
    cur_src_dst, cur_amount, cur_time, cur_depth = v_dst, v_amount, v_time, depth[v_src]
    for layer in range(1, n_mule_layers + 1):
        splits = np.asarray(rng.integers(1, 4, cur_src_dst.shape[0]), dtype=np.int64)
        rep = np.repeat(np.arange(cur_src_dst.shape[0]), splits)
        share = rng.dirichlet(np.ones(3), cur_src_dst.shape[0])
        fractions = _split_fractions(share, splits)
        amount = np.maximum((cur_amount[rep] * fractions).astype(np.int64), 1)
        time = cur_time[rep] + rng.integers(600, 6 * 3600, rep.shape[0])
        last = cur_depth[rep] <= layer
        to_next = (
            mule_base + layer * mules_per_layer + rng.integers(0, mules_per_layer, rep.shape[0])
        )
        to_exit = exits[rng.integers(0, n_exits, rep.shape[0])]
        dst = np.where(last | (layer == n_mule_layers), to_exit, to_next)
        parts.append((cur_src_dst[rep], dst, amount, time))
        going = ~(last | (layer == n_mule_layers))
        cur_src_dst, cur_amount, cur_time, cur_depth = (
            dst[going],
            amount[going],
            time[going],
            cur_depth[rep][going],
        )
        if cur_src_dst.shape[0] == 0:
            break
    used = sum(p[0].shape[0] for p in parts)
    n_background = max(n_transfers - used, 0)
    b_src = ordinary_base + rng.integers(0, n_ordinary, n_background)
    b_dst = ordinary_base + rng.integers(0, n_ordinary, n_background)
    into_mule = rng.random(n_background) < 0.01
    b_dst[into_mule] = mule_base + rng.integers(
        0, n_mule_layers * mules_per_layer, int(into_mule.sum())
    )
    b_amount = rng.integers(1_000, 500_000, n_background)
    b_time = t0 + rng.integers(0, month, n_background)
    parts.append((b_src, b_dst, b_amount, b_time))
    src = np.concatenate([p[0] for p in parts]).astype(np.int64)
    dst = np.concatenate([p[1] for p in parts]).astype(np.int64)
    keep = src != dst
    return MuleNetwork(
        src=src[keep],
        dst=dst[keep],
        amount=np.concatenate([p[2] for p in parts]).astype(np.int64)[keep],
        time=np.concatenate([p[3] for p in parts]).astype(np.int64)[keep],
        n_accounts=n_accounts,
        victims=victims.astype(np.int64),
        mules=np.arange(mule_base, mule_base + n_mule_layers * mules_per_layer, dtype=np.int64),
        exits=exits.astype(np.int64),
    )


def _split_fractions(share: npt.NDArray[np.float64], splits: IntArray) -> npt.NDArray[np.float64]:
    """Row ``i`` of ``share`` cut to its first ``splits[i]`` entries, renormalised, flattened."""
    mask = np.arange(share.shape[1])[None, :] < splits[:, None]
    cut = np.where(mask, share, 0.0)
    cut /= cut.sum(axis=1, keepdims=True)
    return cut[mask]
