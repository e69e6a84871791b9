"""Priority (0..100, explainable) and the SLA clock of a warning task ("线索不过夜").

The priority of a signal is the sum of six components, each a weight (points) times a
factor in 0..1::

    money      30 x log(1 + yuan) / log(1 + 1,000,000)   (saturates at 1 million yuan)
    fraud_type 20 x severity of the fraud type           (冒充公检法, 投资理财, 杀猪盘: 1.0)
    age        15 x vulnerability of the age             (≥60 and ≤22 score higher)
    freshness  15 x 0.5 ** (minutes since signal / 120)  (money still savable)
    kind       10 x weight of the signal kind            (a transfer already made: 1.0)
    overdue    10 if the SLA of the signal has passed     (a neglected clue resurfaces)

The band (high ≥ 60, medium ≥ 35, else low) sets the SLA: first contact within
10 minutes (high), 30 minutes (medium) or by the end of the local day (low; at least
an hour), counted from the signal.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from types import MappingProxyType
from typing import Any

from fanzha.errors import InvalidInput
from fanzha.warning._task import WarningTask, _utc

__all__ = [
    "BAND_LABELS",
    "COMPONENTS",
    "DEFAULT_POLICY",
    "PriorityBreakdown",
    "PriorityPolicy",
    "age_of",
    "age_vulnerability",
    "fraud_type_severity",
    "is_overdue",
    "priority",
    "priority_band",
    "priority_breakdown",
    "sla_due_at",
    "sla_remaining",
    "sort_queue",
]

COMPONENTS = ("money", "fraud_type", "age", "freshness", "kind", "overdue")
BAND_LABELS = MappingProxyType({"high": "高", "medium": "中", "low": "低"})

# Severity of a fraud type for the victim: how much a victim typically loses and how
# hard the scheme is to walk away from once it has started.
_SEVERITY = MappingProxyType(
    {
        "impersonate_authority": 1.0,
        "fake_investment": 1.0,
        "romance_scam": 1.0,
        "crypto_fraud": 0.9,
        "national_assets": 0.8,
        "impersonate_leader": 0.8,
        "fake_credit_record": 0.7,
        "fake_customer_service": 0.7,
        "phishing": 0.7,
        "brushing_rebate": 0.6,
        "gambling_fraud": 0.6,
        "im_friend_borrow": 0.6,
        "loan_credit_card": 0.6,
        "other_fraud": 0.5,
        "pyramid_scheme": 0.5,
        "fake_shopping": 0.4,
        "game_trade": 0.4,
        "prize_red_packet": 0.4,
        "secondhand_trade": 0.4,
        "wechat_agent": 0.3,
    }
)
# (highest age of the band, vulnerability): minors and students, then the elderly.
_AGE_BANDS = ((17, 0.9), (22, 0.6), (49, 0.2), (59, 0.35), (69, 0.7), (79, 0.85), (200, 1.0))
_KIND_FACTOR = MappingProxyType(
    {"flagged_transfer": 1.0, "fraud_call": 0.8, "citizen_report": 0.6, "screening_hit": 0.5}
)
_WEIGHTS = MappingProxyType(
    {
        "money": 30.0,
        "fraud_type": 20.0,
        "age": 15.0,
        "freshness": 15.0,
        "kind": 10.0,
        "overdue": 10.0,
    }
)


@dataclass(frozen=True, slots=True)
class PriorityPolicy:
    """The tunable parts of the priority and SLA; pass your own to change them.

    ``weights`` gives the points of each of :data:`COMPONENTS` (summing to 100);
    ``band_floors`` the lowest score of the ``high`` and ``medium`` bands;
    ``sla_minutes`` the minutes to first contact for those bands (the ``low`` band
    is due at the end of the local day, at least ``low_min_minutes`` after the signal);
    ``merge_bump`` the points a task gains for each further signal merged into it.
    """

    weights: Mapping[str, float] = field(default_factory=lambda: _WEIGHTS)
    money_full_yuan: float = 1_000_000.0
    half_life_minutes: float = 120.0
    fraud_type_severity: Mapping[str, float] = field(default_factory=lambda: _SEVERITY)
    unknown_fraud_type: float = 0.5
    unlisted_fraud_type: float = 0.3
    age_bands: tuple[tuple[int, float], ...] = _AGE_BANDS
    unknown_age: float = 0.4
    kind_factor: Mapping[str, float] = field(default_factory=lambda: _KIND_FACTOR)
    band_floors: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType({"high": 60.0, "medium": 35.0})
    )
    sla_minutes: Mapping[str, int] = field(
        default_factory=lambda: MappingProxyType({"high": 10, "medium": 30})
    )
    low_min_minutes: int = 60
    utc_offset_hours: int = 8
    merge_bump: float = 5.0

    def __post_init__(self) -> None:
        if set(self.weights) != set(COMPONENTS):
            raise InvalidInput(
                f"weights must name exactly {list(COMPONENTS)}",
                field="weights",
                value=dict(self.weights),
            )
        if any(w < 0 for w in self.weights.values()) or not math.isclose(
            sum(self.weights.values()), 100.0
        ):
            raise InvalidInput(
                "weights must be ≥ 0 and sum to 100", field="weights", value=dict(self.weights)
            )
        if not self.band_floors["high"] > self.band_floors["medium"]:
            raise InvalidInput(
                "the high band must start above the medium band",
                field="band_floors",
                value=dict(self.band_floors),
            )
        if not self.sla_minutes["high"] <= self.sla_minutes["medium"] <= self.low_min_minutes:
            # A higher band must never be due later, or priority would not be monotonic.
            raise InvalidInput(
                "SLA minutes must not grow with the band: high ≤ medium ≤ low_min_minutes",
                field="sla_minutes",
                value=dict(self.sla_minutes),
            )
        ages = [band[0] for band in self.age_bands]
        if not ages or ages != sorted(ages):
            raise InvalidInput("age_bands must be sorted by their highest age", field="age_bands")


DEFAULT_POLICY = PriorityPolicy()


@dataclass(frozen=True, slots=True)
class PriorityBreakdown:
    """The points of each priority component and their sum (``total``, 0..100)."""

    money: float
    fraud_type: float
    age: float
    freshness: float
    kind: float
    overdue: float
    total: float
    band: str

    def to_dict(self) -> dict[str, Any]:
        """Return the breakdown as a JSON-ready dict."""
        return asdict(self)

    def describe(self) -> str:
        """Return the sum in Chinese for officers, e.g. ``金额 23.5 + 类型 20.0 + … = 79.3``."""
        parts = (
            ("金额", self.money),
            ("类型", self.fraud_type),
            ("年龄", self.age),
            ("时效", self.freshness),
            ("线索", self.kind),
            ("超时", self.overdue),
        )
        terms = " + ".join(f"{name} {value:.1f}" for name, value in parts)
        return f"{terms} = {self.total:.1f}（{BAND_LABELS[self.band]}优先级）"


def age_of(birth_date: date | None, today: date | None = None) -> int | None:
    """Age in whole years on ``today`` (default: today in UTC); None when the birth date is."""
    if birth_date is None:
        return None
    today = today or datetime.now(UTC).date()
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


def age_vulnerability(age: int | None, *, policy: PriorityPolicy = DEFAULT_POLICY) -> float:
    """Return how vulnerable a person of this age is (0..1); unknown age is in between."""
    if age is None:
        return policy.unknown_age
    if age < 0:
        raise InvalidInput("an age cannot be negative", field="age", value=age)
    for highest, value in policy.age_bands:
        if age <= highest:
            return value
    return policy.age_bands[-1][1]


def fraud_type_severity(code: str | None, *, policy: PriorityPolicy = DEFAULT_POLICY) -> float:
    """Return the severity (0..1) of a fraud type code; None means not yet known."""
    if code is None:
        return policy.unknown_fraud_type
    return policy.fraud_type_severity.get(code, policy.unlisted_fraud_type)


def priority_band(score: float, *, policy: PriorityPolicy = DEFAULT_POLICY) -> str:
    """Return ``high``, ``medium`` or ``low`` for a priority score."""
    if score >= policy.band_floors["high"]:
        return "high"
    if score >= policy.band_floors["medium"]:
        return "medium"
    return "low"


def sla_due_at(
    priority: float, start: datetime, *, policy: PriorityPolicy = DEFAULT_POLICY
) -> datetime:
    """Return when the first contact is due for a task of this priority signalled at ``start``.

    High and medium bands get a fixed number of minutes; the low band is due at the end
    of the local day of ``start`` ("线索不过夜"), but never sooner than
    ``policy.low_min_minutes`` after it. The result is in UTC.
    """
    start = _utc(start, "start")
    band = priority_band(priority, policy=policy)
    if band in policy.sla_minutes:
        return start + timedelta(minutes=policy.sla_minutes[band])
    local_zone = timezone(timedelta(hours=policy.utc_offset_hours))
    local = start.astimezone(local_zone)
    end_of_day = datetime.combine(local.date() + timedelta(days=1), time(), local_zone)
    earliest = start + timedelta(minutes=policy.low_min_minutes)
    return max(end_of_day, earliest).astimezone(start.tzinfo)


def priority_breakdown(
    money_at_risk_fen: int,
    fraud_type: str | None,
    age: int | None,
    signal_at: datetime,
    now: datetime,
    kind: str,
    *,
    policy: PriorityPolicy = DEFAULT_POLICY,
) -> PriorityBreakdown:
    """Return the priority of one signal with the points of each component.

    Raises ``InvalidInput`` for negative money, a negative age, a naive datetime or an
    unknown signal kind.
    """
    if money_at_risk_fen < 0:
        raise InvalidInput(
            "money at risk cannot be negative", field="amount_at_risk_fen", value=money_at_risk_fen
        )
    if kind not in policy.kind_factor:
        raise InvalidInput(
            f"unknown signal kind {kind!r}; known: {', '.join(policy.kind_factor)}",
            field="kind",
            value=kind,
        )
    signal_at, now = _utc(signal_at, "signal_at"), _utc(now, "now")
    weights = policy.weights
    yuan = money_at_risk_fen / 100.0
    money = min(1.0, math.log1p(yuan) / math.log1p(policy.money_full_yuan))
    minutes = max(0.0, (now - signal_at).total_seconds() / 60.0)
    points = {
        "money": weights["money"] * money,
        "fraud_type": weights["fraud_type"] * fraud_type_severity(fraud_type, policy=policy),
        "age": weights["age"] * age_vulnerability(age, policy=policy),
        "freshness": weights["freshness"] * 0.5 ** (minutes / policy.half_life_minutes),
        "kind": weights["kind"] * policy.kind_factor[kind],
    }
    base = sum(points.values())
    overdue = now > sla_due_at(base, signal_at, policy=policy)
    points["overdue"] = weights["overdue"] if overdue else 0.0
    total = min(100.0, sum(points.values()))
    return PriorityBreakdown(
        **{name: round(value, 2) for name, value in points.items()},
        total=round(total, 2),
        band=priority_band(total, policy=policy),
    )


def priority(
    money_at_risk_fen: int,
    fraud_type: str | None,
    age: int | None,
    signal_at: datetime,
    now: datetime,
    kind: str,
    *,
    policy: PriorityPolicy = DEFAULT_POLICY,
) -> float:
    """Return the priority (0..100) of one signal; see :func:`priority_breakdown`."""
    return priority_breakdown(
        money_at_risk_fen, fraud_type, age, signal_at, now, kind, policy=policy
    ).total


def sla_remaining(task: WarningTask, now: datetime) -> timedelta | None:
    """Return the time left to the first contact (negative when overdue).

    None when the clock has stopped: the task has had its first contact or is closed.
    """
    if task.first_contact_at is not None or task.closed_at is not None:
        return None
    return task.sla_due_at - _utc(now, "now")


def is_overdue(task: WarningTask, now: datetime) -> bool:
    """Return True if the task is still waiting for its first contact after its due time."""
    remaining = sla_remaining(task, now)
    return remaining is not None and remaining < timedelta(0)


def sort_queue(tasks: Iterable[WarningTask], now: datetime) -> list[WarningTask]:
    """Return the tasks in work order: overdue first, then by priority, due time and id."""

    def key(task: WarningTask) -> tuple[bool, float, datetime, int]:
        return (not is_overdue(task, now), -task.priority, task.sla_due_at, task.id or 0)

    return sorted(tasks, key=key)
