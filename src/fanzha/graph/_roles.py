"""Roles by explainable rules: who in the graph looks like a card trafficker, a GOIP den,
a cash-out mule, a pass-through (跑分) account or a lead-generation (引流) operator.

Each rule reads behaviour from the graph only (never ground-truth columns such as
``gang_role`` or an account's ``kind``) and writes one row per (node, role) with a score
in [0, 1] and a Chinese reason that quotes the numbers behind it:

==============  ========  ============================================================
role            on        rule (thresholds are fields of :class:`RoleRules`)
==============  ========  ============================================================
card_trafficker person    registers ≥ ``min_cards`` SIMs + bank cards across ≥
  卡头卡贩                 ``min_outlets`` outlets, some of them bad (flagged, in a GOIP
                          box, receiving case money or named in a case); or called at
                          least ``min_recruits`` holders of bad cards (卡农 he recruited), and
                          ``recruit_factor`` × the ``recruit_quantile`` of all such callers
                          when that factor is set (off by default: it missed small dens)
goip_den        device,   a device holding ≥ ``goip_min_sims`` SIMs (now or in a device
  GOIP窝点      owner     log) whose numbers made ≥ ``goip_min_calls`` outgoing calls,
                          ≥ ``goip_min_short`` of them under ``goip_short_s`` s, with few
                          call-backs; or any device holding ≥ ``goip_sure_sims`` SIMs
goip_sim        phone     a number whose SIM sits or sat in such a device
  GOIP卡
pass_through    account,  in ≥ ``pass_min_in_fen``, out/in within ``pass_ratio``, money
  跑分          holder    leaving a median ≤ ``pass_max_lag_s`` after it came in
cash_out        account,  ≥ ``cash_min_in`` transfers in, ≥ ``cash_min_suspicious``
  取现          wallet,   of them case-linked or from pass-through accounts, and at most
                holder    ``cash_max_out_ratio`` of the money sent on (it leaves the ledger)
lead_gen        im,       an IM account victims reported being contacted by; a person
  引流          person    owning ≥ ``lead_min_im`` IM accounts
==============  ========  ============================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import polars as pl

from fanzha.graph._cards import case_cards
from fanzha.graph._graph import EntityGraph, edge_events
from fanzha.graph._schema import NODE_TYPES, node_type_code

__all__ = ["ROLE_LABELS", "RoleRules", "assign_roles"]

ROLE_LABELS = MappingProxyType(
    {
        "card_trafficker": "卡头卡贩",
        "goip_den": "GOIP窝点",
        "goip_sim": "GOIP卡",
        "pass_through": "跑分",
        "cash_out": "取现",
        "lead_gen": "引流",
    }
)
_CARD_TYPES = ("phone", "account", "wallet")


@dataclass(frozen=True, slots=True)
class RoleRules:
    """Thresholds of the role rules (see the module docstring)."""

    min_cards: int = 8
    min_outlets: int = 2
    min_recruits: int = 6
    recruit_factor: float = 0.0
    recruit_quantile: float = 0.99
    goip_min_sims: int = 4
    goip_sure_sims: int = 8
    goip_min_calls: int = 50
    goip_short_s: int = 60
    goip_min_short: float = 0.6
    goip_max_callback: float = 0.2
    pass_min_in_fen: int = 100_000
    pass_ratio: tuple[float, float] = (0.8, 1.02)
    pass_max_lag_s: int = 6 * 3600
    cash_min_in: int = 3
    cash_min_suspicious: int = 2
    cash_max_out_ratio: float = 0.2
    lead_min_im: int = 3


def _yuan(fen: pl.Expr) -> pl.Expr:
    return (fen / 100).round(0).cast(pl.Int64).cast(pl.String)


def _finish(graph: EntityGraph, frame: pl.DataFrame, role: str) -> pl.DataFrame:
    """Add id, type and label columns to (node, score, reason) rows of ``role``."""
    nodes = frame.get_column("node").to_numpy()
    types = [NODE_TYPES[int(t)].key for t in graph.types[nodes]]
    return frame.select(
        pl.col("node").cast(pl.Int64),
        id=graph.ids.gather(nodes),
        type=pl.Series(types, dtype=pl.String),
        role=pl.lit(role),
        label=pl.lit(ROLE_LABELS[role]),
        score=pl.col("score").clip(0.0, 1.0).cast(pl.Float64),
        reason=pl.col("reason"),
    )


def _registered(graph: EntityGraph) -> pl.DataFrame:
    """(card, person, card type) for every phone, account or wallet registered to a person."""
    reg = edge_events(graph, "registered-by").select(card="src", person="dst")
    return reg.with_columns(kind=pl.Series(graph.types[reg.get_column("card").to_numpy()]))


#: A SIM counts for a device it is in now (``used-SIM``) or was ever logged in (``SIM-seen``).
_SIM_LINKS = ("used-SIM", "SIM-seen")


def _goip(graph: EntityGraph, rules: RoleRules) -> tuple[pl.DataFrame, pl.DataFrame]:
    """GOIP devices (node, score, reason, sims) and the phones in them."""
    used = pl.concat(
        [edge_events(graph, kind).select(device="src", phone="dst") for kind in _SIM_LINKS]
    ).unique()
    calls = pl.concat(
        [
            edge_events(graph, "called").with_columns(short=pl.col("value") < rules.goip_short_s),
            edge_events(graph, "texted").with_columns(short=pl.lit(True)),
        ]
    )
    out = calls.group_by("src").agg(
        out_n=pl.len(), short_n=pl.col("short").sum(), callees=pl.col("dst").n_unique()
    )
    back = calls.group_by("dst").agg(in_n=pl.len())
    phones = (
        used.join(out, left_on="phone", right_on="src", how="left")
        .join(back, left_on="phone", right_on="dst", how="left")
        .fill_null(0)
    )
    devices = phones.group_by("device").agg(
        sims=pl.len(),
        out_n=pl.col("out_n").sum(),
        short_n=pl.col("short_n").sum(),
        in_n=pl.col("in_n").sum(),
        callees=pl.col("callees").sum(),
    )
    short = pl.col("short_n") / pl.col("out_n").clip(1)
    callback = pl.col("in_n") / pl.col("out_n").clip(1)
    busy = (
        (pl.col("sims") >= rules.goip_min_sims)
        & (pl.col("out_n") >= rules.goip_min_calls)
        & (short >= rules.goip_min_short)
        & (callback <= rules.goip_max_callback)
    )
    found = devices.filter(busy | (pl.col("sims") >= rules.goip_sure_sims)).with_columns(
        score=(
            (pl.col("sims") / rules.goip_sure_sims).clip(0, 1)
            + short
            + (1 - callback).clip(0, 1)
            + (pl.col("out_n") / (4 * rules.goip_min_calls)).clip(0, 1)
        )
        / 4,
        reason=pl.format(
            "设备插有{}张SIM卡，外呼{}次（{}秒内{}%），呼叫{}个号码，回拨率{}%",
            "sims",
            "out_n",
            pl.lit(rules.goip_short_s),
            (short * 100).round(0).cast(pl.Int64),
            "callees",
            (callback * 100).round(0).cast(pl.Int64),
        ),
    )
    ids = pl.DataFrame({"device": np.arange(graph.n_nodes), "device_id": graph.ids})
    sims = (
        used.join(found.select("device", "score", "sims"), on="device")
        .join(ids, on="device")
        .select(
            node="phone",
            score="score",
            reason=pl.format("SIM卡插在疑似GOIP设备 {} 中（共{}张卡）", "device_id", "sims"),
        )
    )
    return found.rename({"device": "node"}), sims


def _accounts(graph: EntityGraph, rules: RoleRules) -> pl.DataFrame:
    """Per account or wallet: money in and out, the median lag from an inbound transfer to
    the next outbound one, and how many inbound transfers were linked to a case."""
    ev = edge_events(graph, "transferred")
    inbound = ev.select(acct="dst", other="src", time="time", amt="value", case="case", dir=1)
    outbound = ev.select(acct="src", other="dst", time="time", amt="value", case="case", dir=-1)
    both = pl.concat([inbound, outbound]).sort("acct", "time", pl.col("dir").neg())
    both = both.with_columns(
        last_in=pl.when(pl.col("dir") == 1).then("time").forward_fill().over("acct")
    )
    lag = (
        both.filter((pl.col("dir") == -1) & pl.col("last_in").is_not_null())
        .group_by("acct")
        .agg(lag=(pl.col("time") - pl.col("last_in")).median())
    )
    is_in = pl.col("dir") == 1
    return (
        both.group_by("acct")
        .agg(
            in_n=is_in.sum(),
            out_n=(~is_in).sum(),
            in_sum=pl.when(is_in).then("amt").sum(),
            out_sum=pl.when(~is_in).then("amt").sum(),
            case_in=(is_in & pl.col("case")).sum(),
            sources=pl.when(is_in).then("other").n_unique(),
        )
        .join(lag, on="acct", how="left")
        .with_columns(ratio=pl.col("out_sum") / pl.col("in_sum").clip(1))
    )


def _money_roles(graph: EntityGraph, rules: RoleRules) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Pass-through accounts and cash-out accounts/wallets as (node, score, reason)."""
    acc = _accounts(graph, rules)
    low, high = rules.pass_ratio
    passing = acc.filter(
        (pl.col("in_sum") >= rules.pass_min_in_fen)
        & pl.col("ratio").is_between(low, high)
        & (pl.col("lag") <= rules.pass_max_lag_s)
    ).with_columns(
        score=0.4
        + 0.3 * (-pl.col("lag") / rules.pass_max_lag_s).exp()
        + 0.3 * pl.col("case_in") / pl.col("in_n").clip(1),
        reason=pl.format(
            "转入{}笔共{}元，转出{}笔共{}元（{}%），资金平均停留{}分钟；{}笔转入涉案",
            "in_n",
            _yuan(pl.col("in_sum")),
            "out_n",
            _yuan(pl.col("out_sum")),
            (pl.col("ratio") * 100).round(0).cast(pl.Int64),
            (pl.col("lag") / 60).round(0).cast(pl.Int64),
            "case_in",
        ),
    )
    ev = edge_events(graph, "transferred")
    from_pass = (
        ev.filter(pl.col("src").is_in(passing.get_column("acct").implode()))
        .group_by("dst")
        .agg(from_pass=pl.len())
    )
    suspicious = pl.col("case_in") + pl.col("from_pass")
    cashing = (
        acc.join(from_pass, left_on="acct", right_on="dst", how="left")
        .with_columns(pl.col("from_pass").fill_null(0))
        .filter(
            (pl.col("in_n") >= rules.cash_min_in)
            & (suspicious >= rules.cash_min_suspicious)
            & (pl.col("ratio") <= rules.cash_max_out_ratio)
        )
        .with_columns(
            score=0.4
            + 0.3 * (suspicious / (2 * rules.cash_min_suspicious)).clip(0, 1)
            + 0.3 * (1 - pl.col("ratio") / rules.cash_max_out_ratio).clip(0, 1),
            reason=pl.format(
                "收到{}笔转入共{}元（来自{}个账户，{}笔涉案、{}笔来自跑分账户），转出仅{}%，"
                "资金在此落地（疑似取现或换币）",
                "in_n",
                _yuan(pl.col("in_sum")),
                "sources",
                "case_in",
                "from_pass",
                (pl.col("ratio") * 100).round(0).cast(pl.Int64),
            ),
        )
    )
    columns = [pl.col("acct").alias("node"), "score", "reason"]
    return passing.select(columns), cashing.select(columns)


def _holders(graph: EntityGraph, accounts: pl.DataFrame, what: str) -> pl.DataFrame:
    """The persons holding the accounts of a role, with the best account's score."""
    reg = _registered(graph).select(node="card", person="person")
    ids = pl.DataFrame({"node": np.arange(graph.n_nodes), "card_id": graph.ids})
    return (
        accounts.join(reg, on="node")
        .join(ids, on="node")
        .sort("score", descending=True)
        .group_by("person", maintain_order=True)
        .agg(score=pl.col("score").first(), n=pl.len(), best=pl.col("card_id").first())
        .select(
            node="person", score="score", reason=pl.format(f"名下{{}}等{{}}个{what}", "best", "n")
        )
    )


def _recruits(graph: EntityGraph, reg: pl.DataFrame, bad_holders: pl.DataFrame) -> pl.DataFrame:
    """Per person: how many other persons holding a bad card their phones called or texted."""
    own = reg.filter(pl.col("kind") == node_type_code("phone")).select(phone="card", who="person")
    calls = pl.concat(
        [edge_events(graph, k).select("src", "dst") for k in ("called", "texted")]
    ).unique()
    return (
        calls.join(own, left_on="src", right_on="phone")
        .rename({"who": "caller"})
        .join(own, left_on="dst", right_on="phone")
        .filter(pl.col("caller") != pl.col("who"))
        .join(bad_holders, left_on="who", right_on="person", how="semi")
        .group_by("caller")
        .agg(recruits=pl.col("who").n_unique())
        .rename({"caller": "person"})
    )


def _traffickers(graph: EntityGraph, rules: RoleRules, goip_phones: pl.DataFrame) -> pl.DataFrame:
    reg = _registered(graph)
    cards = reg.filter(pl.col("kind").is_in([node_type_code(k) for k in _CARD_TYPES]))
    outlets = edge_events(graph, "opened-at").select(card="src", outlet="dst")
    bad = graph.flagged.copy()
    strong = case_cards(graph).filter(pl.col("how") != "called-victim")
    bad[strong.get_column("node").to_numpy()] = True
    bad[goip_phones.get_column("node").to_numpy()] = True
    phone = node_type_code("phone")
    cards = cards.join(outlets, on="card", how="left").with_columns(
        bad=pl.col("card").is_in(pl.Series(np.flatnonzero(bad)).implode())
    )
    holders = cards.filter("bad").select("person").unique()
    per = (
        cards.group_by("person")
        .agg(
            sims=pl.col("card").filter(pl.col("kind") == phone).n_unique(),
            accounts=pl.col("card").filter(pl.col("kind") != phone).n_unique(),
            outlets=pl.col("outlet").drop_nulls().n_unique(),
            bad=pl.col("card").filter("bad").n_unique(),
        )
        .join(_recruits(graph, reg, holders), on="person", how="full", coalesce=True)
        .fill_null(0)
    )
    total = pl.col("sims") + pl.col("accounts")
    callers = per.filter(pl.col("recruits") > 0).get_column("recruits")
    usual = float(callers.quantile(rules.recruit_quantile) or 0.0) if callers.len() else 0.0
    enough = max(float(rules.min_recruits), rules.recruit_factor * usual)
    many = (
        (total >= rules.min_cards) & (pl.col("outlets") >= rules.min_outlets) & (pl.col("bad") > 0)
    )
    found = per.filter(many | (pl.col("recruits") >= enough))
    return found.select(
        node="person",
        score=0.4
        + 0.3 * (pl.col("recruits") / (4 * enough)).clip(0, 1)
        + 0.3 * pl.col("bad") / total.clip(1),
        reason=pl.format(
            "名下登记手机卡{}张、银行卡{}张（开户于{}个网点，{}张涉案、被标记或插在GOIP设备中），"
            "联系过{}名持有涉案卡的人员",
            "sims",
            "accounts",
            "outlets",
            "bad",
            "recruits",
        ),
    )


def _lead_gen(graph: EntityGraph, rules: RoleRules) -> tuple[pl.DataFrame, pl.DataFrame]:
    im = node_type_code("im")
    contacted = edge_events(graph, "contacted")
    src_types = graph.types[contacted.get_column("src").to_numpy()]
    contacted = contacted.filter(pl.Series(src_types == im))
    accounts = (
        contacted.group_by("src")
        .agg(n=pl.col("dst").n_unique())
        .select(
            node="src",
            score=0.5 + 0.5 * (pl.col("n") / 5).clip(0, 1),
            reason=pl.format("被{}名群众举报用此账号联系（引流、拉群）", "n"),
        )
    )
    reg = _registered(graph).filter(pl.col("kind") == im)
    reported = reg.join(accounts.select(card="node"), on="card", how="semi")
    flagged = graph.flagged[reg.get_column("card").to_numpy()]
    owners = (
        reg.with_columns(flagged=pl.Series(flagged))
        .with_columns(reported=pl.col("card").is_in(reported.get_column("card").implode()))
        .group_by("person")
        .agg(n=pl.len(), flagged=pl.col("flagged").sum(), reported=pl.col("reported").sum())
        .filter(pl.col("n") >= rules.lead_min_im)
        .select(
            node="person",
            score=0.3
            + 0.1 * pl.col("n").clip(0, 5)
            + 0.2 * (pl.col("flagged") + pl.col("reported") > 0),
            reason=pl.format(
                "名下社交账号{}个，其中{}个被标记、{}个被群众举报", "n", "flagged", "reported"
            ),
        )
    )
    return accounts, owners


def assign_roles(graph: EntityGraph, rules: RoleRules | None = None) -> pl.DataFrame:
    """One row per (node, role) the rules find: ``node``, ``id``, ``type``, ``role``,
    ``label`` (Chinese), ``score`` in [0, 1] and ``reason`` (Chinese, with the numbers)."""
    rules = rules or RoleRules()
    devices, sims = _goip(graph, rules)
    owners = _holders(graph, devices.select("node", "score"), "疑似GOIP设备")
    passing, cashing = _money_roles(graph, rules)
    lead_accounts, lead_owners = _lead_gen(graph, rules)
    parts = [
        _finish(graph, _traffickers(graph, rules, sims), "card_trafficker"),
        _finish(graph, devices.select("node", "score", "reason"), "goip_den"),
        _finish(graph, owners, "goip_den"),
        _finish(graph, sims, "goip_sim"),
        _finish(graph, passing, "pass_through"),
        _finish(graph, _holders(graph, passing, "疑似跑分账户"), "pass_through"),
        _finish(graph, cashing, "cash_out"),
        _finish(graph, _holders(graph, cashing, "疑似取现账户"), "cash_out"),
        _finish(graph, lead_accounts, "lead_gen"),
        _finish(graph, lead_owners, "lead_gen"),
    ]
    return pl.concat(parts).sort("score", "node", descending=[True, False])
