"""Targeting: rising fraud types per district, with audience, templates and the reason."""

from __future__ import annotations

from fanzha.outreach._targeting import (
    TypeTrend,
    suggest_targets,
)


def test_rising_types_ranked_with_reason_and_victim_group() -> None:
    trends = [
        TypeTrend("青秀区", "brushing_rebate", 8, 2, 1_500_000, {"students": 5, "general": 3}),
        TypeTrend("青秀区", "fake_investment", 4, 3, 9_000_000, {}),
        TypeTrend("青秀区", "phishing", 1, 0),  # too few
        TypeTrend("青秀区", "impersonate_authority", 3, 5),  # falling
        TypeTrend("兴宁区", "impersonate_leader", 3, 0, 20_000_000, None),
    ]
    got = suggest_targets(trends, days=14)
    assert [(s.district, s.fraud_type) for s in got] == [
        ("兴宁区", "impersonate_leader"),
        ("青秀区", "brushing_rebate"),
        ("青秀区", "fake_investment"),
    ]
    brushing = got[1]
    assert brushing.group == "students" and brushing.sms_template == "brushing_rebate.students.sms"
    assert brushing.change == 3.0
    assert "8 起" in brushing.reason and "前 14 天 2 起" in brushing.reason
    assert "+300%" in brushing.reason and "学生 5 人" in brushing.reason
    assert "15,000 元" in brushing.reason
    # no victims known: the type's usual group, and a new type says so
    assert got[0].group == "finance_staff" and "新出现" in got[0].reason
    assert got[2].group == "elderly"


def test_per_district_limit() -> None:
    trends = [TypeTrend("江南区", f, 5 + i, 0) for i, f in enumerate(("phishing", "game_trade"))]
    assert [s.fraud_type for s in suggest_targets(trends, days=7, per_district=1)] == ["game_trade"]
