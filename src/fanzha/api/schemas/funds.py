"""资金查控 response bodies: traces, trace-backs, the ledger and return plans (amounts in fen)."""

from __future__ import annotations

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from fanzha.api.schemas.common import STRICT, ApiTime, IsoDatetime, RecordId
from fanzha.funds import ENTRY_KINDS

__all__ = [
    "BackTracePublic",
    "HoldingPublic",
    "LedgerEntryCreate",
    "LedgerEntryPublic",
    "LedgerPublic",
    "LedgerTotalsPublic",
    "PriorityPublic",
    "ReturnLinePublic",
    "ReturnPlanPublic",
    "TraceEdgePublic",
    "TraceNodePublic",
    "TracePublic",
    "TraceSeedPublic",
    "VictimReachPublic",
]


class TraceSeedPublic(BaseModel):
    """A victim's payment the trace starts from (times in the transfers' unit)."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True)
    victim: str
    from_account: str = Field(alias="from")
    to: str
    amount_fen: int
    time: int


class TraceNodePublic(BaseModel):
    """An account victim money reached; ``held_by`` maps victims to the money still there."""

    account: str
    depth: int
    status: str = Field(
        description="passing, holding, exit, frozen, depth_limit, hub, small or victim"
    )
    first_time: int
    last_time: int
    received_fen: int = Field(description="victim money that arrived")
    sent_fen: int
    exited_fen: int = Field(description="victim money that left through an exit")
    held_fen: int = Field(
        description="victim money still there (or where it stopped), the frozen part included"
    )
    held_by: dict[str, int]
    frozen_fen: int = Field(
        description=(
            "the part of held_fen a stop-pay or freeze in force holds: the balance at the "
            "freeze's time, capped at its amount (money that left before it is traced on)"
        )
    )
    frozen_by: dict[str, int]


class TraceEdgePublic(BaseModel):
    """Victim money moved between two accounts, summed over transfers."""

    src: str
    dst: str
    amount_fen: int = Field(description="victim money moved, all victims")
    n_transfers: int
    first_time: int
    last_time: int
    by_victim: dict[str, int]


class PriorityPublic(BaseModel):
    """An account to stop-pay (止付) or freeze (冻结) first."""

    account: str
    amount_fen: int
    first_time: int
    action: str = Field(description="stop_pay or freeze")
    reason: str


class TracePublic(BaseModel):
    """A case's money followed forward through the mule layers."""

    case_id: int
    case_no: str
    method: str
    time_unit: str
    total_fen: int
    seeds: list[TraceSeedPublic]
    nodes: list[TraceNodePublic]
    edges: list[TraceEdgePublic]
    priorities: list[PriorityPublic]


class VictimReachPublic(BaseModel):
    """A victim (origin account) whose money reached the account, ``depth`` hops up."""

    victim: str
    amount_fen: int
    depth: int
    first_time: int


class BackTracePublic(BaseModel):
    """The victims whose money reached an account, most money first."""

    account: str
    upstream_accounts: int
    victims: list[VictimReachPublic]


class LedgerEntryCreate(BaseModel):
    """One act of fund control on an account for a case."""

    model_config = STRICT
    case_id: RecordId
    account_no: str = Field(min_length=4, max_length=40)
    kind: str = Field(description=f"one of {', '.join(ENTRY_KINDS)}")
    amount_fen: int = Field(gt=0, le=10**13)
    legal_basis: str = Field(min_length=2, max_length=255, description="法律文书编号/依据")
    bank: str | None = Field(default=None, max_length=64)
    at: ApiTime | None = None
    payee: str | None = Field(default=None, max_length=64)
    payee_account: str | None = Field(default=None, max_length=40)
    from_stop: bool = False
    expires_at: ApiTime | None = None
    note: str = Field(default="", max_length=4000)


class LedgerEntryPublic(BaseModel):
    """One recorded act of fund control (止付, 冻结, 返还 …); reads a
    :class:`fanzha.funds.LedgerEntry` (``account``) too."""

    entry_id: str
    kind: str
    account_no: str = Field(validation_alias=AliasChoices("account_no", "account"))
    bank: str
    amount_fen: int
    at: IsoDatetime
    officer: str
    officer_name: str | None = Field(default=None, description="the officer's display name")
    legal_basis: str
    payee: str | None
    note: str


class HoldingPublic(BaseModel):
    """The balances one account holds in the case, replayed from its entries."""

    account_no: str
    stopped_fen: int
    frozen_fen: int
    returned_fen: int
    stop_paid_fen: int
    frozen_in_fen: int


class LedgerTotalsPublic(BaseModel):
    """Sums over the case's holdings now (lapsed stop-pays and freezes count as lapsed)."""

    stopped_fen: int
    frozen_fen: int
    returned_fen: int
    unfrozen_fen: int
    released_fen: int
    lapsed_fen: int


class LedgerPublic(BaseModel):
    """A case's ledger: its entries in time order and the balances they leave."""

    case_id: int
    case_no: str
    entries: list[LedgerEntryPublic]
    holdings: list[HoldingPublic]
    totals: LedgerTotalsPublic


class ReturnLinePublic(BaseModel):
    """One claimant of a return plan (``victim`` is the claimant case's number), what it is
    credited and on what basis; ``amount_fen`` is 0 when none of its money is traced there."""

    victim: str
    account: str
    claim_fen: int = Field(description="the amount the split is based on (认定金额)")
    amount_fen: int
    basis: str = Field(
        description=(
            "traced (the victim's money traced into the frozen balance), loss (the reported "
            "loss: no victim's money traced there) or single_deposit"
        )
    )
    traced_fen: int = Field(description="the victim's money traced into the frozen balance")
    loss_fen: int = Field(description="the victim's reported loss")
    share_ppm: int = Field(description="claim_fen's share of all claims, parts per million")
    basis_text: str = Field(description="on what the line is based, in Chinese (依据：…)")


class ReturnPlanPublic(BaseModel):
    """What to return to whom from one frozen account, and the public notice if pro rata."""

    case_id: str = Field(
        description="the case number (案件编号)",
        validation_alias=AliasChoices("case_id", "case_no"),
    )
    frozen_account: str
    bank: str
    frozen_fen: int
    rule: str = Field(description="single_deposit, traced or pro_rata")
    rule_text: str
    basis: str = Field(description="traced, loss or single_deposit: what the claims are")
    basis_text: str
    lines: list[ReturnLinePublic]
    returned_fen: int
    remaining_fen: int
    notice_required: bool
    decided_at: IsoDatetime
    executable_from: IsoDatetime
    notice: str | None
