"""Targeting from data: per district, the fraud types rising in its recent cases, and the
audience × template to send this week, with the reason in figures.

Input is counted by the store (cases per district × fraud type in the recent and the
previous window, and the recent victims by audience group); the choice is made here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from fanzha.outreach._audience import GROUP_LABELS
from fanzha.outreach._templates import template_code
from fanzha.taxonomy import get_fraud_type

__all__ = ["Suggestion", "TypeTrend", "suggest_targets"]

#: who a fraud type hits most when a district's victims say nothing yet (the seeds' profile)
_DEFAULT_GROUP = {
    "brushing_rebate": "students",
    "fake_credit_record": "students",
    "game_trade": "students",
    "impersonate_leader": "finance_staff",
    "fake_investment": "elderly",
    "national_assets": "elderly",
    "impersonate_authority": "elderly",
    "pyramid_scheme": "elderly",
    "wechat_agent": "mothers",
    "fake_shopping": "mothers",
    "fake_customer_service": "mothers",
}


@dataclass(frozen=True, slots=True)
class TypeTrend:
    """Cases of one fraud type in one district: in the recent window and the one before,
    the recent loss, and the recent victims per audience group."""

    district: str
    fraud_type: str
    recent: int
    previous: int
    recent_loss_fen: int = 0
    victims_by_group: Mapping[str, int] | None = None


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A fraud type rising in a district and what to send about it, with the reason."""

    district: str
    fraud_type: str
    fraud_type_name: str
    recent: int
    previous: int
    change: float | None
    recent_loss_fen: int
    group: str
    group_label: str
    sms_template: str
    post_template: str
    reason: str


def _group_for(trend: TypeTrend) -> tuple[str, str]:
    victims = {g: n for g, n in (trend.victims_by_group or {}).items() if g != "general" and n}
    if victims:
        group = max(sorted(victims), key=lambda g: victims[g])
        return group, f"近期受害人中{GROUP_LABELS.get(group, group)} {victims[group]} 人最多"
    group = _DEFAULT_GROUP.get(trend.fraud_type, "general")
    return group, f"该类诈骗的主要受害群体为{GROUP_LABELS.get(group, group)}"


def suggest_targets(
    trends: Iterable[TypeTrend], *, days: int, min_recent: int = 2, per_district: int = 2
) -> list[Suggestion]:
    """For each district, up to ``per_district`` fraud types whose cases rose (recent window
    of ``days`` days against the one before, at least ``min_recent`` recent cases), steepest
    rise first, each with the audience group and templates to use and why."""
    by_district: dict[str, list[TypeTrend]] = {}
    for trend in trends:
        if trend.recent >= min_recent and trend.recent > trend.previous:
            by_district.setdefault(trend.district, []).append(trend)
    result = []
    for district in sorted(by_district):
        ranked = sorted(
            by_district[district],
            key=lambda t: (-(t.recent - t.previous), -t.recent, t.fraud_type),
        )
        for trend in ranked[:per_district]:
            kind = get_fraud_type(trend.fraud_type)
            name = kind.name if kind else trend.fraud_type
            group, why = _group_for(trend)
            change = (trend.recent - trend.previous) / trend.previous if trend.previous else None
            rise = f"+{change:.0%}" if change is not None else "新出现"
            reason = (
                f"{district}近 {days} 天{name} {trend.recent} 起"
                f"（前 {days} 天 {trend.previous} 起，{rise}），"
                f"损失 {trend.recent_loss_fen / 100:,.0f} 元；{why}，"
                f"建议本周向{district}{GROUP_LABELS.get(group, group)}发送{name}提醒"
            )
            result.append(
                Suggestion(
                    district=district,
                    fraud_type=trend.fraud_type,
                    fraud_type_name=name,
                    recent=trend.recent,
                    previous=trend.previous,
                    change=change,
                    recent_loss_fen=trend.recent_loss_fen,
                    group=group,
                    group_label=GROUP_LABELS.get(group, group),
                    sms_template=template_code(trend.fraud_type, group, "sms"),
                    post_template=template_code(trend.fraud_type, group, "post"),
                    reason=reason,
                )
            )
    return result
