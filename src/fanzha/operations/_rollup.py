"""专项行动 and 打击: operations, dens, raids and seizures, and what an operation's page shows.

An operation's figures are never stored: the store adds them up from the arrests, raids,
seizures, rectifications and sweeps that name the operation (one SQL aggregation per kind
of record, ``fanzha.store.operations.operation_rollups``). This module says what the
figures are (:class:`OperationRollup`), the kinds of dens and seized items with their
Chinese names, and checks the fields officers enter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType

from fanzha.errors import InvalidInput

__all__ = [
    "DEN_KINDS",
    "DEN_STATES",
    "OPERATION_STATES",
    "ROLLUP_FIGURES",
    "SEIZURE_KINDS",
    "DenRecord",
    "OperationRecord",
    "OperationRollup",
    "RaidRecord",
    "SeizureRecord",
    "check_den_kind",
    "check_operation",
    "check_seizure",
    "operation_state",
]

DEN_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "goip": "GOIP 窝点",
        "call_center": "话务/电话窝点",
        "qq_wechat": "QQ/微信窝点",
        "money_laundering": "洗钱跑分窝点",
        "traffic": "前端引流窝点",
        "shuadan": "刷单窝点",
        "other": "其他",
    }
)
DEN_STATES: Mapping[str, str] = MappingProxyType(
    {"suspected": "疑似", "confirmed": "已核实", "raided": "已打掉", "closed": "已销号"}
)
SEIZURE_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "computer": "电脑",
        "phone": "手机",
        "sim_card": "手机卡",
        "bank_card": "银行卡",
        "cash": "现金",
        "pos": "POS 机",
        "usb": "U 盘",
        "goip": "GOIP 设备",
        "vehicle": "车辆",
        "other": "其他",
    }
)
OPERATION_STATES: Mapping[str, str] = MappingProxyType(
    {"planned": "筹备中", "running": "进行中", "finished": "已结束"}
)
#: The figures an operation's page lists, in order, with their Chinese names.
ROLLUP_FIGURES: Mapping[str, str] = MappingProxyType(
    {
        "officers": "出动警力",
        "arrests": "抓获嫌疑人",
        "caught_in_raids": "现场抓获",
        "raids": "打击行动",
        "dens_raided": "捣毁窝点",
        "rectifications": "整改场所",
        "outreach_sites": "宣传点",
        "sweeps": "清查",
        "clues": "线索",
        "clues_landed": "线索落地",
        "cash_fen": "现金(分)",
    }
)


@dataclass(frozen=True, slots=True)
class OperationRecord:
    """An operation: name, period, districts (empty: the whole city), lead unit, officers."""

    id: int
    name: str
    starts_on: date
    ends_on: date
    districts: tuple[str, ...]
    lead_unit: str
    officers: int
    outreach_sites: int
    description: str = ""
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class OperationRollup:
    """An operation's live figures; ``seizures`` maps a kind to its count (cash: yuan count
    is ``cash_fen``)."""

    operation_id: int
    officers: int = 0
    arrests: int = 0
    caught_in_raids: int = 0
    raids: int = 0
    dens_raided: int = 0
    rectifications: int = 0
    outreach_sites: int = 0
    sweeps: int = 0
    clues: int = 0
    clues_landed: int = 0
    cash_fen: int = 0
    seizures: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DenRecord:
    """A den: where, what kind, in which state, from where it was suspected."""

    id: int
    name: str
    kind: str
    district: str | None
    town: str | None
    village: str | None
    address: str
    state: str
    source: str
    operation_id: int | None
    gang_id: int | None
    clue_id: int | None
    raids: int = 0


@dataclass(frozen=True, slots=True)
class SeizureRecord:
    """Seized items of one kind: how many; cash in fen."""

    id: int
    raid_id: int | None
    operation_id: int | None
    kind: str
    count: int
    amount_fen: int
    case_id: int | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class RaidRecord:
    """A raid: when, where, officers, how many caught, and what was seized."""

    id: int
    raided_at: datetime
    district: str | None
    den_id: int | None
    operation_id: int | None
    clue_id: int | None
    officers: int
    suspects_caught: int
    note: str
    seizures: tuple[SeizureRecord, ...] = ()


def check_operation(
    name: str, starts_on: date, ends_on: date, districts: Sequence[str], known: Sequence[str]
) -> tuple[str, ...]:
    """The operation's districts (sorted, unique) after checking name, period and scope
    against ``known`` districts; raises :class:`InvalidInput` naming the field."""
    if not name.strip():
        raise InvalidInput("专项行动须有名称 (an operation needs a name)", field="name")
    if ends_on < starts_on:
        raise InvalidInput(
            f"结束日期 {ends_on} 早于开始日期 {starts_on} (the period ends before it starts)",
            field="ends_on",
            value=str(ends_on),
        )
    unknown = sorted(set(districts) - set(known))
    if unknown:
        raise InvalidInput(
            f"unknown district(s) {unknown}; known: {', '.join(known)}",
            field="districts",
            value=unknown,
        )
    return tuple(sorted(set(districts)))


def operation_state(operation: OperationRecord, today: date) -> str:
    """``planned`` before the period, ``running`` in it, ``finished`` after."""
    if today < operation.starts_on:
        return "planned"
    return "running" if today <= operation.ends_on else "finished"


def check_den_kind(kind: str) -> str:
    """``kind`` if it is a known den kind; raises :class:`InvalidInput` otherwise."""
    if kind not in DEN_KINDS:
        raise InvalidInput(
            f"unknown den kind {kind!r}; known: {', '.join(DEN_KINDS)}", field="kind", value=kind
        )
    return kind


def check_seizure(kind: str, count: int, amount_fen: int) -> None:
    """Raise :class:`InvalidInput` for an unknown kind, a negative figure, or cash without an
    amount (cash is counted in fen, other items by the piece)."""
    if kind not in SEIZURE_KINDS:
        raise InvalidInput(
            f"unknown seizure kind {kind!r}; known: {', '.join(SEIZURE_KINDS)}",
            field="kind",
            value=kind,
        )
    if count < 0 or amount_fen < 0:
        message = "数量和金额不能为负 (counts and amounts are never negative)"
        raise InvalidInput(message, field="count")
    if kind == "cash" and amount_fen == 0:
        raise InvalidInput("扣押现金须填写金额 (seized cash needs its amount)", field="amount_fen")
