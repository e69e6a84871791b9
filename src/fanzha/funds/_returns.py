"""Return plans for frozen telecom-fraud money, per the 2016 rules, and the 公告 notice text.

《电信网络新型违法犯罪案件冻结资金返还若干规定》 (银监会、公安部, 2016) article 8 returns
frozen money by tracing (溯源返还):

1. ``single_deposit``: the frozen account holds a single deposit traceable to one
   victim → returned to that victim;
2. ``traced``: several deposits, and the timestamps trace each victim's money → each
   victim gets what is traced to them;
3. ``pro_rata``: otherwise (the victims' money is mixed) → shared in proportion to each
   victim's claim, after a public notice (公告) of 30 days during which victims and other
   interested parties may object. What is not returned stays frozen for the rest of the
   freeze.

Every victim's claim is the same measure (:data:`CLAIM_BASES`): the money of theirs traced
into the frozen balance (``traced``), capped at their reported loss; a victim none of whose
money is traced there is credited nothing from this account. Only when no victim's money
is traced into it at all (the transfers on record do not reach it) are the reported losses
the claims (``loss``), and the plan says so. No victim is ever paid more than their claim,
and the plan never pays out more than is frozen; amounts are whole fen (largest remainder
rounding). :func:`trace_claims` finds the claims from transfers and freezes: the money of
each victim the freezes hold on the account (or, with no freeze on record, what it holds),
and whether the attribution is time-traceable, i.e. FIFO and LIFO give every victim the
same amount; when they do not, the victims' money is mixed and each is credited the share
of theirs a pro-rata trace puts in the frozen balance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

import numpy as np

from fanzha.errors import InvalidInput
from fanzha.funds._freezes import Freeze
from fanzha.funds._trace import Seed, trace_funds
from fanzha.funds._trace_index import TransferIndex, index_transfers
from fanzha.funds._transfers import Transfers
from fanzha.masking import notice_account as mask_account
from fanzha.masking import notice_name as mask_name
from fanzha.records import format_date_cn, format_yuan

__all__ = [
    "CLAIM_BASES",
    "NOTICE_DAYS",
    "RETURN_RULES",
    "ReturnLine",
    "ReturnPlan",
    "TracedClaims",
    "VictimClaim",
    "mask_account",
    "mask_name",
    "plan_returns",
    "return_notice",
    "trace_claims",
]

NOTICE_DAYS = 30
RETURN_RULES = MappingProxyType(
    {
        "single_deposit": "冻结账户内仅有单笔汇（存）款记录，可直接溯源被害人，直接返还被害人",
        "traced": (
            "冻结账户内有多笔汇（存）款记录，按照时间戳记载可以直接溯源被害人，直接返还被害人"
        ),
        "pro_rata": (
            "冻结账户内有多笔汇（存）款记录，按照时间戳记载无法直接溯源被害人，"
            "按照被害人被骗（盗）金额占冻结在案资金总额的比例返还"
        ),
    }
)
_RULES_TITLE = "《电信网络新型违法犯罪案件冻结资金返还若干规定》"
#: What a line's claim is: the victim's money traced into the frozen balance, or (nothing of
#: any victim traced there) the reported loss, or the single deposit.
CLAIM_BASES = MappingProxyType(
    {
        "traced": "追踪至该冻结账户的被骗资金",
        "loss": "报案被骗金额（资金未能追踪至该冻结账户）",
        "single_deposit": "冻结账户内该被害人的单笔汇款（以报案被骗金额为限）",
    }
)


@dataclass(frozen=True, slots=True)
class VictimClaim:
    """A victim's claim on one frozen account.

    ``loss_fen`` is the reported loss (被骗金额); ``traced_fen`` the victim's money traced
    into the frozen balance (0 when not traced); ``account`` where to return it.
    """

    victim: str
    account: str
    loss_fen: int
    traced_fen: int = 0


@dataclass(frozen=True, slots=True)
class ReturnLine:
    """One claimant of a plan: the claim, on what it is based (``basis``, a key of
    :data:`CLAIM_BASES`), the money traced into the frozen balance, the claim's share of all
    claims in parts per million, and the amount paid (0 when nothing of theirs is there)."""

    victim: str
    account: str
    claim_fen: int
    amount_fen: int
    basis: str = "traced"
    traced_fen: int = 0
    loss_fen: int = 0
    share_ppm: int = 0

    def basis_text(self) -> str:
        """On what this line is based, in Chinese (依据：…)."""
        share = f"{self.share_ppm / 10_000:.2f}%"
        if self.basis == "single_deposit":
            loss = format_yuan(self.loss_fen)
            return f"依据：{CLAIM_BASES['single_deposit']}，报案被骗金额 {loss} 元"
        if self.basis == "loss":
            return (
                f"依据：{CLAIM_BASES['loss']} {format_yuan(self.loss_fen)} 元，"
                f"占全部认定金额的 {share}"
            )
        text = (
            f"依据：{CLAIM_BASES['traced']} {format_yuan(self.traced_fen)} 元"
            + (
                f"（以报案被骗金额 {format_yuan(self.loss_fen)} 元为限）"
                if self.traced_fen > self.loss_fen
                else ""
            )
            + f"，占全部认定金额的 {share}"
        )
        if self.traced_fen == 0:
            text += "；其被骗资金未追踪至该冻结账户（已在冻结前转出或流向他处），本账户不予返还"
        return text


@dataclass(frozen=True, slots=True)
class ReturnPlan:
    """What to return to whom from one frozen account, under which rule, from when
    (``case_no``: the case number)."""

    case_no: str
    frozen_account: str
    bank: str
    frozen_fen: int
    rule: str
    lines: tuple[ReturnLine, ...]
    remaining_fen: int
    notice_required: bool
    decided_at: datetime
    executable_from: datetime
    basis: str = "traced"

    @property
    def returned_fen(self) -> int:
        """Total paid out by the plan."""
        return sum(line.amount_fen for line in self.lines)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (amounts in fen, times ISO 8601)."""
        return {
            "case_no": self.case_no,
            "frozen_account": self.frozen_account,
            "bank": self.bank,
            "frozen_fen": self.frozen_fen,
            "rule": self.rule,
            "rule_text": RETURN_RULES[self.rule],
            "basis": self.basis,
            "basis_text": CLAIM_BASES[self.basis],
            "lines": [
                {
                    "victim": line.victim,
                    "account": line.account,
                    "claim_fen": line.claim_fen,
                    "amount_fen": line.amount_fen,
                    "basis": line.basis,
                    "traced_fen": line.traced_fen,
                    "loss_fen": line.loss_fen,
                    "share_ppm": line.share_ppm,
                    "basis_text": line.basis_text(),
                }
                for line in self.lines
            ],
            "returned_fen": self.returned_fen,
            "remaining_fen": self.remaining_fen,
            "notice_required": self.notice_required,
            "decided_at": self.decided_at.isoformat(),
            "executable_from": self.executable_from.isoformat(),
        }


def _share(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` fen in proportion to ``weights``, each part ≤ its weight, summing exactly
    to min(total, sum(weights)) (largest remainder)."""
    whole = sum(weights)
    if whole <= total:
        return list(weights)
    parts = [total * w // whole for w in weights]
    remainders = [total * w % whole for w in weights]
    short = total - sum(parts)
    for i in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:short]:
        parts[i] += 1
    return parts


def _check_claims(claims: Sequence[VictimClaim], frozen_fen: int) -> None:
    if not isinstance(frozen_fen, int) or isinstance(frozen_fen, bool) or frozen_fen < 0:
        raise InvalidInput(f"{frozen_fen!r}; give whole fen >= 0", field="frozen_fen")
    if not claims:
        raise InvalidInput("no victim claims; a return plan needs at least one", field="claims")
    seen: set[str] = set()
    for claim in claims:
        if claim.victim in seen:
            raise InvalidInput(f"{claim.victim!r} claims twice; merge the claims", field="victim")
        seen.add(claim.victim)
        for name in ("loss_fen", "traced_fen"):
            value = getattr(claim, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise InvalidInput(
                    f"{value!r} for {claim.victim!r}; give whole fen >= 0", field=name
                )
        if claim.loss_fen == 0:
            raise InvalidInput(f"{claim.victim!r} reports no loss", field="loss_fen")
        if not claim.account.strip():
            raise InvalidInput(f"{claim.victim!r} has no account to return to", field="account")


def plan_returns(
    claims: Sequence[VictimClaim],
    *,
    case_no: str,
    frozen_account: str,
    bank: str,
    frozen_fen: int,
    deposits: int,
    traceable: bool,
    decided_at: datetime,
) -> ReturnPlan:
    """The return plan for one frozen account (see the module docstring for the rules).

    ``deposits`` is the number of deposits (汇存款记录) into the account; ``traceable``
    whether the timestamps trace each victim's money (:func:`trace_claims` decides both).

    Raises:
        InvalidInput: no claims, a repeated victim, a negative amount, a naive datetime.
    """
    _check_claims(claims, frozen_fen)
    if decided_at.tzinfo is None:
        raise InvalidInput("give a timezone-aware datetime", field="decided_at")
    if deposits <= 1 and len(claims) == 1:
        rule, basis = "single_deposit", "single_deposit"
        wanted = [claims[0].loss_fen]
    elif any(c.traced_fen > 0 for c in claims):
        rule = "traced" if traceable else "pro_rata"
        basis = "traced"
        wanted = [min(c.traced_fen, c.loss_fen) for c in claims]
    else:
        rule, basis = "pro_rata", "loss"
        wanted = [c.loss_fen for c in claims]
    paid = _share(frozen_fen, wanted)
    whole = sum(wanted)
    lines = tuple(
        ReturnLine(
            victim=c.victim,
            account=c.account,
            claim_fen=w,
            amount_fen=p,
            basis=basis,
            traced_fen=c.traced_fen,
            loss_fen=c.loss_fen,
            share_ppm=round(w * 1_000_000 / whole) if whole else 0,
        )
        for c, w, p in zip(claims, wanted, paid, strict=True)
    )
    notice = rule == "pro_rata"
    return ReturnPlan(
        case_no=case_no,
        frozen_account=frozen_account,
        bank=bank,
        frozen_fen=frozen_fen,
        rule=rule,
        lines=lines,
        remaining_fen=frozen_fen - sum(paid),
        notice_required=notice,
        decided_at=decided_at,
        executable_from=decided_at + timedelta(days=NOTICE_DAYS if notice else 0),
        basis=basis,
    )


@dataclass(frozen=True, slots=True)
class TracedClaims:
    """Victim money in one account's frozen balance (or, with no freeze on it, in the
    account) by victim, the deposits, and whether it is time-traceable (FIFO and LIFO agree;
    the money is then FIFO's, else pro rata's: a share of each victim's money in the mix)."""

    held: Mapping[str, int]
    deposits: int
    traceable: bool


def trace_claims(
    transfers: Transfers,
    seeds: Sequence[Seed],
    account: str,
    *,
    until: int | None = None,
    index: TransferIndex | None = None,
    max_depth: int = 6,
    freezes: Sequence[Freeze] = (),
    as_of: int | None = None,
) -> TracedClaims:
    """Trace the victims' seeds with the stop-pays and freezes placed, and report what of
    theirs the holds on ``account`` keep (what ``account`` holds, when none is on it).

    Raises:
        NotFound: ``account`` is in no transfer.
    """
    code = transfers.code_of(account)
    name = str(transfers.accounts[code])
    built = index if index is not None else index_transfers(transfers)
    held: dict[str, dict[str, int]] = {}
    on_account = any(f.account == name for f in freezes)
    for method in ("fifo", "lifo", "pro_rata"):
        if method == "pro_rata" and held["fifo"] == held["lifo"]:
            break
        result = trace_funds(
            transfers,
            seeds,
            index=built,
            method=method,
            max_depth=max_depth,
            until=until,
            min_fen=1,
            freezes=freezes,
            as_of=as_of,
        )
        node = result.node(name)
        if node is None:
            held[method] = {}
        else:
            held[method] = dict(node.frozen_by if on_account else node.held_by)
    incoming = transfers.dst == code
    if until is not None:
        incoming &= transfers.at <= until
    traceable = held["fifo"] == held["lifo"]
    return TracedClaims(
        held=MappingProxyType(held["fifo" if traceable else "pro_rata"]),
        deposits=int(np.count_nonzero(incoming & (transfers.src != code))),
        traceable=traceable,
    )


def return_notice(
    plan: ReturnPlan,
    *,
    authority: str,
    contact: str,
    names: Mapping[str, str] | None = None,
) -> str:
    """The public notice (公告) of a pro-rata plan, in Chinese; names and accounts masked.

    ``names`` maps victim ids to names (ids are shown masked otherwise).

    Raises:
        InvalidInput: the plan does not need a notice (it is not pro rata).
    """
    if not plan.notice_required:
        raise InvalidInput(
            f"a {plan.rule} return needs no public notice; only pro-rata returns do", field="rule"
        )
    lookup = names or {}
    end = plan.decided_at + timedelta(days=NOTICE_DAYS)
    lines = [
        "冻结资金返还公告",
        "",
        f"{authority}在侦办{plan.case_no}号电信网络诈骗案件中，依法冻结{plan.bank}账户"
        f"{mask_account(plan.frozen_account)}内涉案资金人民币{format_yuan(plan.frozen_fen)}元。"
        f"经查，{RETURN_RULES['pro_rata']}；各被害人认定金额为{CLAIM_BASES[plan.basis]}。"
        f"根据{_RULES_TITLE}第八条，拟按以下方案返还：",
        "",
    ]
    paying = [line for line in plan.lines if line.amount_fen > 0]
    for i, line in enumerate(paying, start=1):
        who = mask_name(lookup.get(line.victim, line.victim))
        lines.append(
            f"{i}. 被害人{who}，认定金额人民币{format_yuan(line.claim_fen)}元，"
            f"拟返还人民币{format_yuan(line.amount_fen)}元；"
        )
    lines += [
        "",
        f"以上合计拟返还人民币{format_yuan(plan.returned_fen)}元，"
        f"剩余人民币{format_yuan(plan.remaining_fen)}元在原冻结期内继续冻结。",
        f"公告期为{NOTICE_DAYS}日，自{format_date_cn(plan.decided_at)}起至{format_date_cn(end)}止。"
        "公告期内，被害人、其他利害关系人可就返还冻结资金向我局提出异议，我局将依法进行审核；"
        "公告期满无异议的，依法办理返还。如查清新的被害人，将依法启动新的返还程序。",
        "",
        f"联系方式：{contact}",
        "",
        authority,
        format_date_cn(plan.decided_at),
    ]
    return "\n".join(lines)
