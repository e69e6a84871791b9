"""Fund control of stored cases: transfers marked with their case, a case's seeds, who may
claim the money frozen on an account, and the return plan of a case from its ledger.

The store holds transfers with a free-text ``channel`` (ingest's, the demo city's) and a
``case_id`` key when the transfer is part of a reported case; accounts have a ``kind``.
This module decides what of that matters to tracing:

* the **channel** of a transfer (:func:`trace_channel_codes`): the canonical channel of
  :func:`fanzha.records.canonical_channels` (which also reads the names stored before
  channels were canonical: ``bank`` / ``mobile`` / ``online`` / ``counter`` are transfers,
  ``otc`` is crypto); anything else is an ordinary transfer;
* an **exit account** (:data:`EXIT_ACCOUNT_KINDS`): money sent to a cash-out, crypto-exit or
  merchant account is not followed further, whatever the channel;
* a case's **seeds** (:func:`case_seeds`): the case's transfers sent from an account that
  received none of them (the victim's payments, the money's origin).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
import numpy.typing as npt
import polars as pl

from fanzha.errors import InvalidInput
from fanzha.funds._freezes import Freeze
from fanzha.funds._ledger import LedgerEntry, replay_ledger
from fanzha.funds._returns import ReturnPlan, VictimClaim, plan_returns, return_notice, trace_claims
from fanzha.funds._trace import Seed
from fanzha.funds._trace_index import TransferIndex
from fanzha.funds._transfers import Transfers, channel_codes, transfers_from_arrays
from fanzha.records import DEFAULT_CHANNEL, canonical_channels

__all__ = [
    "EXIT_ACCOUNT_KINDS",
    "CaseReturn",
    "CaseTransfers",
    "FundCase",
    "case_return_plan",
    "case_seeds",
    "case_transfers",
    "claimant_cases",
    "frozen_on",
]

IntArray = npt.NDArray[np.int64]

#: Account kinds money is not followed beyond (it left the banking system there).
EXIT_ACCOUNT_KINDS = frozenset({"cash_out", "crypto_exit", "merchant"})
#: The payee account of a claim whose victim has no account on record.
NO_PAYER_ACCOUNT = "待受害人提供"


def trace_channel_codes(channels: pl.Series) -> npt.NDArray[np.int8]:
    """The trace channel (index into :data:`fanzha.records.CHANNELS`) of each stored name."""
    canonical = pl.select(canonical_channels(pl.lit(channels))).to_series()
    return channel_codes(canonical.fill_null(DEFAULT_CHANNEL))


@dataclass(frozen=True, slots=True, eq=False)
class CaseTransfers:
    """Stored transfers for tracing and the case key each is marked with (-1: none)."""

    transfers: Transfers
    case_of: IntArray


def case_transfers(frame: pl.DataFrame) -> CaseTransfers:
    """Transfers from a stored frame in time order: ``src``, ``dst`` (account numbers),
    ``amount_fen``, ``at`` (UTC datetime), ``channel`` (stored name), ``case_id`` (or null).

    Raises:
        InvalidInput: a non-positive amount.
    """
    transfers = transfers_from_arrays(
        frame["src"].to_numpy(),
        frame["dst"].to_numpy(),
        frame["amount_fen"].to_numpy(),
        frame["at"].dt.epoch("s").to_numpy(),
    )
    transfers = replace(transfers, channel=trace_channel_codes(frame["channel"]))
    case_of = frame["case_id"].fill_null(-1).to_numpy().astype(np.int64)
    return CaseTransfers(transfers, case_of)


@dataclass(frozen=True, slots=True)
class FundCase:
    """A case as fund control sees it: its key and number, the reported loss, and the
    victim's name and own account (None when not on record)."""

    case_id: int
    case_no: str
    loss_fen: int
    victim_name: str | None = None
    victim_account: str | None = None


def _origins(loaded: CaseTransfers, cases: Mapping[int, str]) -> dict[int, IntArray]:
    """Each case's transfers sent from an account that received none of the case's
    (``cases`` maps case keys to case numbers, for the message).

    Raises:
        InvalidInput: no transfer is marked with one of the cases.
    """
    keys = np.fromiter(cases, dtype=np.int64, count=len(cases))
    marked = np.flatnonzero(np.isin(loaded.case_of, keys))
    case = loaded.case_of[marked]
    unmarked = keys[~np.isin(keys, case)]
    if unmarked.shape[0]:
        case_no = cases[int(unmarked[0])]
        raise InvalidInput(f"case {case_no} has no transfers to trace", field="case_id")
    width = max(loaded.transfers.n_accounts, 1)
    sent = case * width + loaded.transfers.src[marked]
    received = case * width + loaded.transfers.dst[marked]
    origins = marked[~np.isin(sent, received)]
    of_case = loaded.case_of[origins]
    return {key: origins[of_case == key] for key in keys.tolist()}


def case_seeds(loaded: CaseTransfers, case: FundCase) -> list[Seed]:
    """The victim's payments of one case as trace seeds, labelled with the victim's name and
    the case number (``受害人`` when the victim is not on record).

    Raises:
        InvalidInput: no transfer is marked with the case.
    """
    label = f"{case.victim_name or '受害人'}（{case.case_no}）"
    found = _origins(loaded, {case.case_id: case.case_no})[case.case_id]
    return [Seed(transfer=int(k), label=label) for k in found.tolist()]


def claimant_cases(loaded: CaseTransfers, account: str) -> list[int]:
    """The keys of the cases whose transfers reached ``account``, ascending.

    Raises:
        NotFound: ``account`` is in no transfer.
    """
    code = loaded.transfers.code_of(account)
    reached = loaded.case_of[(loaded.transfers.dst == code) & (loaded.case_of >= 0)]
    return [int(c) for c in np.unique(reached)]


def frozen_on(entries: Sequence[LedgerEntry], *, case_no: str, account: str) -> tuple[int, str]:
    """The money frozen on ``account`` in the case by its ledger entries, and its bank.

    Raises:
        InvalidInput: nothing is frozen there.
    """
    frozen = replay_ledger(entries).holding(case_no, account).frozen_fen
    if frozen <= 0:
        raise InvalidInput(f"nothing is frozen on {account} in case {case_no}", field="account")
    return frozen, next(e.bank for e in entries if e.account == account)


@dataclass(frozen=True, slots=True)
class CaseReturn:
    """A return plan and, when it is pro rata, its public notice."""

    plan: ReturnPlan
    notice: str | None


def case_return_plan(
    loaded: CaseTransfers,
    claimants: Mapping[int, FundCase],
    *,
    case_no: str,
    account: str,
    frozen_fen: int,
    bank: str,
    index: TransferIndex,
    decided_at: datetime,
    authority: str,
    contact: str,
    freezes: Sequence[Freeze] = (),
) -> CaseReturn:
    """The return plan for ``frozen_fen`` frozen on ``account`` in case ``case_no``.

    Every claimant case (see :func:`claimant_cases`) is traced once per method, all seeds
    together, with the stop-pays and freezes of ``freezes`` placed as of ``decided_at``;
    each claims what of its victim's money the freezes on the account hold (what the account
    holds, when none is given for it), paid to the victim's account. The 2016 rules of
    :func:`plan_returns` decide the split.

    Raises:
        InvalidInput: a claimant case has no transfers to trace.
    """
    origins = _origins(loaded, {key: case.case_no for key, case in claimants.items()})
    seeds = [
        Seed(int(k), case.case_no) for key, case in claimants.items() for k in origins[key].tolist()
    ]
    traced = trace_claims(
        loaded.transfers,
        seeds,
        account,
        index=index,
        freezes=freezes,
        as_of=int(decided_at.timestamp()) if freezes else None,
    )
    claims = [
        VictimClaim(
            victim=case.case_no,
            account=case.victim_account or NO_PAYER_ACCOUNT,
            loss_fen=case.loss_fen,
            traced_fen=int(traced.held.get(case.case_no, 0)),
        )
        for case in claimants.values()
    ]
    plan = plan_returns(
        claims,
        case_no=case_no,
        frozen_account=account,
        bank=bank,
        frozen_fen=frozen_fen,
        deposits=traced.deposits,
        traceable=traced.traceable,
        decided_at=decided_at,
    )
    names = {c.case_no: c.victim_name for c in claimants.values() if c.victim_name is not None}
    notice = (
        return_notice(plan, authority=authority, contact=contact, names=names)
        if plan.notice_required
        else None
    )
    return CaseReturn(plan, notice)
