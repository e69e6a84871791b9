"""What people and gangs own: handsets and GOIP boxes, phones and SIMs, bank cards, IM
accounts and fake sites.

Layout (positions, before ids are added): phone ``i`` and bank account ``i`` are person
``i``'s first phone and card; gang SIMs, mule cards and exits come after the personal ones.
A gang works its SIMs in ``lines`` parallel sequences of ``K`` SIMs each: SIM (line, k) is
live during the k-th of K equal slots of the period, sits in one GOIP box of the gang's
GOIP den, and was opened at a trafficker's outlet a few days before its slot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from fanzha.demo._numbers import (
    bank_card_numbers,
    digits_to_strings,
    imeis,
    imsis,
    phone_numbers,
    tron_addresses,
    unique_ints,
)
from fanzha.demo._people import GANG_ROLES, OCCUPATIONS, Gangs, Outlets, People
from fanzha.demo._sizes import CitySizes
from fanzha.demo._time import DAY, IntArray, to_datetimes

__all__ = []

_ROLE = {name: i for i, name in enumerate(GANG_ROLES)}
_STRAW_OCCUPATIONS = np.array(
    [OCCUPATIONS.index(o) for o in ("学生", "无业", "农民", "工人", "外卖骑手")]
)
_LAYER_SHARE = np.array([0.45, 0.25, 0.18, 0.12])
_FLAG_REASONS = ("用户举报涉诈", "GOIP群呼模型命中", "涉案号码（案件关联）")


@dataclass(frozen=True, slots=True)
class Devices:
    """Handsets (one per owner who has one) and GOIP boxes; ``handset[p]`` is person p's."""

    handset: IntArray
    goip_box_of_den: dict[int, IntArray]
    frame: pl.DataFrame


@dataclass(frozen=True, slots=True)
class Phones:
    """Phone numbers; person p's first phone is ``p``, their second ``n_persons +
    second_of[p]``. Gang g's SIMs are ``sim_start[g] + line * sim_k + k``."""

    number: pl.Series
    sim_start: IntArray
    sim_lines: IntArray
    sim_k: int
    straw: IntArray
    second_of: IntArray
    frame: pl.DataFrame


@dataclass(frozen=True, slots=True)
class Accounts:
    """Bank accounts; person p's first card is ``p``, their second ``n_persons +
    extra_of[p]``. ``pools[d][layer - 1]`` are the mule cards
    of laundering den ``d`` at layer 1..4; ``cash_out[d]`` and ``crypto[d]`` its exits."""

    number: pl.Series
    holder: IntArray
    extra_of: IntArray
    corporate: IntArray
    pools: dict[int, list[IntArray]]
    cash_out: dict[int, IntArray]
    crypto: dict[int, IntArray]
    straw: IntArray
    frame: pl.DataFrame

    def pick(self, rng: np.random.Generator, den: IntArray, layer: int | str) -> IntArray:
        """A random card of each laundering ``den``: a mule card of ``layer`` (1-4), or an
        exit (``"cash_out"`` or ``"crypto"``)."""
        if isinstance(layer, int):
            groups = {d: pools[layer - 1] for d, pools in self.pools.items()}
        else:
            groups = self.cash_out if layer == "cash_out" else self.crypto
        size = int(max(groups)) + 1
        start = np.zeros(size, dtype=np.int64)
        count = np.zeros(size, dtype=np.int64)
        for d, members in groups.items():
            start[d], count[d] = members[0], members.size
        return start[den] + (rng.random(den.size) * count[den]).astype(np.int64)


def _inverse(positions: IntArray, n: int) -> IntArray:
    """For each of ``n`` persons, the position of their entry in ``positions`` (-1: none)."""
    out = np.full(n, -1, dtype=np.int64)
    out[positions] = np.arange(positions.size)
    return out


def _days_before(
    rng: np.random.Generator, at: IntArray | int, low: float, high: float, n: int
) -> IntArray:
    return (at - rng.uniform(low, high, size=n) * DAY).astype(np.int64)


def _straw_men(rng: np.random.Generator, people: People, n: int, *, elderly: bool) -> IntArray:
    """Citizens who sell their identity for cards: young people, or old villagers (SIMs)."""
    citizens = np.arange(people.n_citizens)
    young = (people.age[citizens] >= 18) & (people.age[citizens] <= 35)
    fits = young & np.isin(people.occupation[citizens], _STRAW_OCCUPATIONS)
    if elderly:
        fits |= people.age[citizens] >= 65
    pool = citizens[fits] if fits.any() else citizens
    return rng.choice(pool, size=n)


def make_devices(
    rng: np.random.Generator,
    people: People,
    lines_per_den: dict[int, int],
    districts: list[str],
    base: int,
    owner_base: int,
) -> Devices:
    """A handset for about half of the citizens and every gang member; GOIP boxes (8-64 SIM
    slots) for each GOIP den, owned by its members."""
    has = np.concatenate(
        [rng.random(people.n_citizens) < 0.45, np.ones(people.size - people.n_citizens, bool)]
    )
    owners = np.flatnonzero(has)
    handset = np.full(people.size, -1, dtype=np.int64)
    handset[owners] = np.arange(owners.size)
    box_owner: list[IntArray] = []
    boxes: dict[int, IntArray] = {}
    count = owners.size
    for den, lines in sorted(lines_per_den.items()):
        n = max(1, -(-lines // 12))
        members = np.flatnonzero(people.gang == den)
        box_owner.append(rng.choice(members, size=n))
        boxes[den] = count + np.arange(n)
        count += n
    goip_owner = np.concatenate(box_owner) if box_owner else np.empty(0, np.int64)
    owner = np.concatenate([owners, goip_owner])
    n_goip = goip_owner.size
    slots = np.concatenate(
        [
            1 + (rng.random(owners.size) < 0.7),
            rng.choice([8, 16, 32, 64], n_goip, p=[0.2, 0.4, 0.3, 0.1]),
        ]
    )
    lac = 20_000 + people.district[owner] * 100 + people.village[owner] % 97
    cell = rng.integers(1, 65_535, size=owner.size)
    frame = pl.DataFrame(
        {
            "id": np.arange(owner.size) + base,
            "imei": imeis(rng, owner.size),
            "kind": np.where(np.arange(owner.size) < owners.size, "handset", "goip"),
            "slots": slots.astype(np.int64),
            "owner_id": owner + owner_base,
            "district": pl.Series(districts).gather(people.district[owner]),
        }
    ).with_columns(cell_id=pl.format("460-00-{}-{}", pl.Series(lac), pl.Series(cell)))
    return Devices(handset=handset, goip_box_of_den=boxes, frame=frame)


def make_phones(
    rng: np.random.Generator,
    people: People,
    gangs: Gangs,
    outlets: Outlets,
    devices: Devices,
    span: tuple[int, int],
    sim_k: int,
    sim_lines: IntArray,
    base: dict[str, int],
) -> Phones:
    """Every person's phone (a tenth have a second), then the gang SIMs."""
    start, end = span
    n_p = people.size
    second = np.flatnonzero(rng.random(n_p) < 0.1)
    owner = np.concatenate([np.arange(n_p), second])
    n_personal = owner.size
    phone_outlets = np.flatnonzero(~outlets.is_bank)
    local = phone_outlets[np.argsort(outlets.district[phone_outlets], kind="stable")]
    n_districts = int(outlets.district.max()) + 1
    by_district = np.searchsorted(outlets.district[local], np.arange(n_districts))
    per = np.bincount(outlets.district[local], minlength=n_districts)
    own_district = people.district[owner]
    outlet = local[by_district[own_district] + rng.integers(0, per[own_district])]
    # A second number sits in a handset nobody registered.
    device = np.where(np.arange(n_personal) < n_p, devices.handset[owner], -1)
    registered = _days_before(rng, start, 30, 3650, n_personal)
    # Gang SIMs.
    n_fraud = sim_lines.size
    per_gang = sim_lines * sim_k
    sim_start = n_personal + np.concatenate([[0], np.cumsum(per_gang)[:-1]])
    n_sims = int(per_gang.sum())
    gang = np.repeat(np.arange(n_fraud), per_gang)
    within = np.arange(n_sims) - np.repeat(sim_start - n_personal, per_gang)
    line, k = within // sim_k, within % sim_k
    slot = (end - start) / sim_k
    live_from = (start + k * slot).astype(np.int64)
    traffickers = np.flatnonzero(people.role == _ROLE["card_trafficker"])
    straw = _straw_men(rng, people, max(1, n_sims // 3), elderly=True)
    by_trafficker = rng.random(n_sims) < 0.3
    sim_owner = np.where(
        by_trafficker, rng.choice(traffickers, n_sims), straw[rng.integers(0, straw.size, n_sims)]
    )
    den = gangs.goip[gang]
    box = np.empty(n_sims, dtype=np.int64)
    for d in np.unique(den):
        rows = np.flatnonzero(den == d)
        options = devices.goip_box_of_den[int(d)]
        box[rows] = options[(gang[rows] * 7 + line[rows]) % options.size]
    live_to = live_from + slot
    flagged = rng.random(n_sims) < np.where(live_to < end - 2 * DAY, 0.65, 0.15)
    all_outlet = np.concatenate([outlet, rng.choice(outlets.bad_phone, n_sims)])
    carriers = outlets.operator.gather(all_outlet)
    numbers = phone_numbers(rng, carriers)
    reason = pl.Series(list(_FLAG_REASONS)).gather(rng.integers(0, len(_FLAG_REASONS), n_sims))
    frame = pl.DataFrame(
        {
            "id": np.arange(n_personal + n_sims) + base["phones"],
            "number": numbers,
            "imsi": imsis(rng, carriers),
            "carrier": carriers,
            "kind": ["mobile"] * (n_personal + n_sims),
            "owner_id": np.concatenate([owner, sim_owner]) + base["persons"],
            "outlet_id": all_outlet + base["outlets"],
            "device_id": np.concatenate(
                [np.where(device >= 0, device + base["devices"], -1), box + base["devices"]]
            ),
            "registered_at": to_datetimes(
                np.concatenate([registered, _days_before(rng, live_from, 1, 14, n_sims)]),
                "registered_at",
            ),
            "flagged": np.concatenate([np.zeros(n_personal, bool), flagged]),
            "flag_reason": pl.concat([pl.Series([None] * n_personal, dtype=pl.String), reason]),
        }
    ).with_columns(
        pl.when(pl.col("device_id") >= base["devices"])
        .then(pl.col("device_id"))
        .alias("device_id"),
        pl.when(pl.col("flagged")).then(pl.col("flag_reason")).alias("flag_reason"),
    )
    return Phones(
        number=numbers,
        sim_start=sim_start.astype(np.int64),
        sim_lines=sim_lines,
        sim_k=sim_k,
        straw=np.unique(sim_owner[~by_trafficker]),
        second_of=_inverse(second, n_p),
        frame=frame,
    )


def _handles(
    rng: np.random.Generator, n: int, prefix: str, width: int, digits_only: bool
) -> pl.Series:
    if digits_only:
        values = unique_ints(rng, 10 ** (width - 1), 10**width, n)
        return pl.Series(values).cast(pl.String)
    alphabet = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz0123456789", dtype=np.uint8)
    body = digits_to_strings(alphabet[rng.integers(0, alphabet.size, size=(n, width))])
    return (prefix + body).unique(maintain_order=True)


def make_accounts(
    rng: np.random.Generator,
    sizes: CitySizes,
    people: People,
    gangs: Gangs,
    outlets: Outlets,
    start: int,
    base: dict[str, int],
) -> Accounts:
    """Personal cards (a third of people have two), a company account per finance clerk,
    then per laundering den its mule cards in four layers, cash-out cards and crypto exits."""
    n_p = people.size
    extra = np.flatnonzero(rng.random(n_p) < 0.35)
    corporate_holders = np.flatnonzero(people.occupation == OCCUPATIONS.index("财务人员"))
    holder = [np.arange(n_p), extra, corporate_holders]
    banks = np.flatnonzero(outlets.is_bank)
    personal = np.concatenate(holder)
    outlet = [banks[rng.integers(0, banks.size, personal.size)]]
    opened = [_days_before(rng, start, 60, 5000, personal.size)]
    kind = [np.where(np.arange(personal.size) < n_p + extra.size, "personal", "corporate")]
    count = personal.size
    corporate = n_p + extra.size + np.arange(corporate_holders.size)
    dens = np.flatnonzero(gangs.kind == 2)
    served = np.bincount(gangs.laundering[gangs.laundering >= 0], minlength=gangs.kind.size)[dens]
    cards = np.maximum(4, np.round(sizes.mule_cards * served / served.sum())).astype(np.int64)
    pools: dict[int, list[IntArray]] = {}
    cash_out: dict[int, IntArray] = {}
    crypto: dict[int, IntArray] = {}
    exits_cash = max(1, sizes.cash_out_accounts // dens.size)
    exits_crypto = max(1, sizes.crypto_exits // dens.size)
    straw = _straw_men(rng, people, max(1, int(cards.sum()) // 2), elderly=False)
    bad = outlets.bad_bank
    for d, n_cards in zip(dens, cards, strict=True):
        members = np.flatnonzero(people.gang == d)
        runners = members[people.role[members] == _ROLE["money_runner"]]
        cashers = members[people.role[members] == _ROLE["cash_out"]]
        sizes_by_layer = np.maximum(1, np.round(n_cards * _LAYER_SHARE)).astype(np.int64)
        pools[int(d)] = []
        for layer, n in enumerate(sizes_by_layer):
            who = straw[rng.integers(0, straw.size, n)]
            if layer > 0 and runners.size:
                who = np.where(rng.random(n) < 0.5, rng.choice(runners, n), who)
            pools[int(d)].append(count + np.arange(n))
            holder.append(who)
            outlet.append(rng.choice(bad, n))
            opened.append(_days_before(rng, start, 3, 45, n))
            kind.append(np.full(n, "personal"))
            count += n
        cash_owner = rng.choice(cashers if cashers.size else members, exits_cash)
        cash_out[int(d)] = count + np.arange(exits_cash)
        holder.append(cash_owner)
        outlet.append(rng.choice(bad, exits_cash))
        opened.append(_days_before(rng, start, 3, 45, exits_cash))
        kind.append(np.full(exits_cash, "cash_out"))
        count += exits_cash
        crypto[int(d)] = count + np.arange(exits_crypto)
        holder.append(np.where(rng.random(exits_crypto) < 0.3, members[0], -1))
        outlet.append(np.full(exits_crypto, -1))
        opened.append(_days_before(rng, start, 10, 400, exits_crypto))
        kind.append(np.full(exits_crypto, "crypto_exit"))
        count += exits_crypto
    all_holder = np.concatenate(holder)
    all_outlet = np.concatenate(outlet)
    all_kind = np.concatenate(kind)
    is_crypto = all_kind == "crypto_exit"
    bins = np.where(is_crypto, 0, outlets.bin[all_outlet])
    numbers = bank_card_numbers(rng, bins)
    wallets = tron_addresses(rng, int(is_crypto.sum()))
    numbers = numbers.scatter(np.flatnonzero(is_crypto), pl.Series(wallets, dtype=pl.String))
    bank = pl.Series(outlets.operator).gather(np.maximum(all_outlet, 0))
    frame = pl.DataFrame(
        {
            "id": np.arange(count) + base["bank_accounts"],
            "account_no": numbers,
            "bank": bank,
            "kind": all_kind,
            "holder_id": all_holder + base["persons"],
            "outlet_id": all_outlet + base["outlets"],
            "opened_at": to_datetimes(np.concatenate(opened), "opened_at"),
            "flagged": np.zeros(count, dtype=bool),
            "status": ["normal"] * count,
        }
    ).with_columns(
        pl.when(pl.Series(is_crypto))
        .then(pl.lit("USDT-TRC20"))
        .otherwise(pl.col("bank"))
        .alias("bank"),
        pl.when(pl.Series(all_holder >= 0)).then(pl.col("holder_id")).alias("holder_id"),
        pl.when(pl.Series(all_outlet >= 0)).then(pl.col("outlet_id")).alias("outlet_id"),
    )
    sold = np.concatenate([p for by_layer in pools.values() for p in by_layer])
    straw_holders = np.unique(all_holder[sold][people.gang[all_holder[sold]] < 0])
    return Accounts(
        numbers,
        all_holder,
        _inverse(extra, n_p),
        corporate,
        pools,
        cash_out,
        crypto,
        straw_holders,
        frame,
    )


def make_im_accounts(
    rng: np.random.Generator, people: People, base: dict[str, int]
) -> tuple[pl.DataFrame, IntArray, pl.Series]:
    """WeChat and QQ accounts of citizens; many WeChat/QQ accounts per gang operator and
    lead-generation member, Telegram for leaders and managers. Returns the frame, the gang
    of each account (-1: none) and the handles."""
    n_c = people.n_citizens
    members = np.arange(n_c, people.size)
    role = people.role[members]
    busy = np.isin(role, [_ROLE["operator"], _ROLE["lead_gen"]])
    chiefs = np.isin(role, [_ROLE["leader"], _ROLE["manager"]])
    wechat_owner = np.concatenate(
        [
            np.flatnonzero(rng.random(n_c) < 0.35),
            np.repeat(members[busy], rng.integers(1, 5, busy.sum())),
        ]
    )
    qq_owner = np.concatenate(
        [
            np.flatnonzero(rng.random(n_c) < 0.15),
            np.repeat(members[busy], rng.integers(0, 3, busy.sum())),
        ]
    )
    tg_owner = members[chiefs]
    handles = [
        _handles(rng, wechat_owner.size, "wxid_", 14, False),
        _handles(rng, qq_owner.size, "", 9, True),
        _handles(rng, tg_owner.size, "@", 10, False),
    ]
    owner = np.concatenate(
        [wechat_owner[: handles[0].len()], qq_owner, tg_owner[: handles[2].len()]]
    )
    platform = np.repeat(["wechat", "qq", "telegram"], [h.len() for h in handles])
    gang = people.gang[owner]
    flagged = (gang >= 0) & (rng.random(owner.size) < 0.4)
    handle = pl.concat(handles)
    frame = pl.DataFrame(
        {
            "id": np.arange(owner.size) + base["im_accounts"],
            "platform": platform,
            "handle": handle,
            "owner_id": owner + base["persons"],
            "flagged": flagged,
        }
    )
    return frame, gang, handle
