"""资金查控 fund control: transfers, tracing, the stop-pay/freeze/return ledger, return plans,
mule-account scoring."""

from __future__ import annotations

from fanzha.funds._cases import (
    EXIT_ACCOUNT_KINDS,
    CaseTransfers,
    FundCase,
    case_return_plan,
    case_seeds,
    case_transfers,
    claimant_cases,
    frozen_on,
)
from fanzha.funds._freezes import Freeze, ledger_freezes
from fanzha.funds._ledger import (
    ENTRY_KINDS,
    KIND_NAMES,
    LedgerEntry,
    account_status,
    apply_entry,
    ledger_totals,
    replay_ledger,
    validate_entry,
)
from fanzha.funds._model import MuleModel
from fanzha.funds._returns import RETURN_RULES
from fanzha.funds._trace import METHODS, Seed, trace_funds, victim_seeds
from fanzha.funds._trace_back import BackTrace, trace_back
from fanzha.funds._trace_index import TransferIndex, index_transfers
from fanzha.funds._trace_result import TraceResult
from fanzha.funds._trace_table import (
    ACTION_NAMES,
    STATUS_NAMES,
    TRACE_COLUMNS,
    priority_rows,
    trace_rows,
)
from fanzha.funds._transfers import (
    ColumnNames,
    Transfers,
    read_accounts,
    read_transfers,
    transfers_from_arrays,
    transfers_from_frame,
)

__all__ = [
    "ACTION_NAMES",
    "ENTRY_KINDS",
    "EXIT_ACCOUNT_KINDS",
    "KIND_NAMES",
    "METHODS",
    "RETURN_RULES",
    "STATUS_NAMES",
    "TRACE_COLUMNS",
    "BackTrace",
    "CaseTransfers",
    "ColumnNames",
    "Freeze",
    "FundCase",
    "LedgerEntry",
    "MuleModel",
    "Seed",
    "TraceResult",
    "TransferIndex",
    "Transfers",
    "account_status",
    "apply_entry",
    "case_return_plan",
    "case_seeds",
    "case_transfers",
    "claimant_cases",
    "frozen_on",
    "index_transfers",
    "ledger_freezes",
    "ledger_totals",
    "priority_rows",
    "read_accounts",
    "read_transfers",
    "replay_ledger",
    "trace_back",
    "trace_funds",
    "trace_rows",
    "transfers_from_arrays",
    "transfers_from_frame",
    "validate_entry",
    "victim_seeds",
]
