"""Combining rule hits and model scores into one verdict."""

from __future__ import annotations

import pytest

from fanzha.screening import RuleHit
from fanzha.screening._verdict import combine_verdict, level_of, resolve_label


def _hit(weight: float, fraud_type: str | None = None, rule_id: str = "test.rule") -> RuleHit:
    return RuleHit(
        rule_id=rule_id,
        name="测试规则",
        explanation="测试说明",
        start=0,
        end=2,
        matched="测试",
        weight=weight,
        fraud_type=fraud_type,
    )


@pytest.mark.parametrize(
    ("risk", "level"),
    [
        pytest.param(0.0, "low", id="zero"),
        pytest.param(0.39, "low", id="below-medium"),
        pytest.param(0.4, "medium", id="medium-edge"),
        pytest.param(0.69, "medium", id="below-high"),
        pytest.param(0.7, "high", id="high-edge"),
        pytest.param(1.0, "high", id="one"),
    ],
)
def test_level_thresholds(risk: float, level: str) -> None:
    assert level_of(risk) == level


def test_no_signal_is_low_risk_normal_with_general_advice() -> None:
    verdict = combine_verdict(kind="text", value="你好", hits=(), model_scores=(("normal", 1.0),))
    assert verdict.risk == pytest.approx(0.0)
    assert verdict.level == "low"
    assert verdict.fraud_type.code == "normal"
    assert "96110" in verdict.advice


def test_model_fraud_probability_drives_risk_and_type() -> None:
    scores = (("brushing_rebate", 0.8), ("normal", 0.2))
    verdict = combine_verdict(kind="text", value="x", hits=(), model_scores=scores)
    assert verdict.risk == pytest.approx(0.8)
    assert verdict.level == "high"
    assert verdict.fraud_type.code == "brushing_rebate"
    assert verdict.fraud_type.name == "刷单返利"
    assert "刷单" in verdict.advice


def test_rules_and_model_combine_as_noisy_or() -> None:
    scores = (("normal", 0.5), ("impersonate_authority", 0.5))
    verdict = combine_verdict(kind="text", value="x", hits=(_hit(0.6),), model_scores=scores)
    assert verdict.risk == pytest.approx(1 - 0.5 * 0.4)


def test_rule_points_to_fraud_type_when_model_sees_none() -> None:
    verdict = combine_verdict(kind="phone", value="x", hits=(_hit(0.9, "impersonate_authority"),))
    assert verdict.fraud_type.code == "impersonate_authority"
    assert verdict.level == "high"
    assert any("测试说明" in reason for reason in verdict.reasons)


def test_illegal_content_counts_at_half_weight() -> None:
    verdict = combine_verdict(
        kind="text", value="x", hits=(), model_scores=(("gambling", 1.0), ("normal", 0.0))
    )
    assert verdict.risk == pytest.approx(0.5)
    assert verdict.fraud_type.code == "gambling"


def test_advertising_stays_low_and_is_named() -> None:
    verdict = combine_verdict(
        kind="text", value="x", hits=(), model_scores=(("advertising", 0.9), ("normal", 0.1))
    )
    assert verdict.level == "low"
    assert verdict.fraud_type.code == "advertising"


def test_rule_advice_is_added_once() -> None:
    hits = (_hit(0.8, rule_id="a"), _hit(0.8, rule_id="b"))
    verdict = combine_verdict(
        kind="text", value="x", hits=hits, rule_advice={"a": "立即挂断", "b": "立即挂断"}
    )
    assert verdict.advice.count("立即挂断") == 1


@pytest.mark.parametrize(
    ("label", "code", "category"),
    [
        pytest.param("brushing_rebate", "brushing_rebate", "fraud", id="code"),
        pytest.param("刷单返利", "brushing_rebate", "fraud", id="chinese-name"),
        pytest.param("兼职刷单诈骗", "brushing_rebate", "fraud", id="alias"),
        pytest.param("正常", "normal", "normal", id="normal-chinese"),
        pytest.param("my_own_label", "my_own_label", "fraud", id="unknown-label"),
    ],
)
def test_resolve_label(label: str, code: str, category: str) -> None:
    ref = resolve_label(label)
    assert (ref.code, ref.category) == (code, category)


def test_to_dict_is_json_ready() -> None:
    verdict = combine_verdict(
        kind="text", value="x", hits=(_hit(0.2),), model_scores=(("normal", 1.0),)
    )
    data = verdict.to_dict()
    assert set(data) >= {"risk", "level", "fraud_type", "rules", "advice", "reasons"}
    assert data["rules"][0]["rule_id"] == "test.rule"
    assert data["fraud_type"] == {"code": "normal", "name": "正常", "category": "normal"}


def test_risky_verdict_without_a_type_is_other_fraud_not_normal() -> None:
    verdict = combine_verdict(kind="phone", value="x", hits=(_hit(0.65),))
    assert verdict.level == "medium"
    assert verdict.fraud_type.code == "other_fraud"
    assert "未发现" not in verdict.advice


def test_a_rule_firing_many_times_counts_once() -> None:
    once = combine_verdict(kind="text", value="x", hits=(_hit(0.5),))
    thrice = combine_verdict(kind="text", value="x", hits=(_hit(0.5),) * 3)
    assert thrice.risk == pytest.approx(once.risk)
    assert len(thrice.reasons) == len(once.reasons)


def test_rule_driven_verdict_does_not_cite_normal_as_the_model_class() -> None:
    """A high-risk link SMS once showed 「正常」（概率71%） as the model class under 高风险."""
    scores = (("normal", 0.71), ("impersonate_leader", 0.05))
    verdict = combine_verdict(
        kind="text", value="x", hits=(_hit(0.85, "phishing"),), model_scores=scores, model_risk=0.1
    )
    assert verdict.level == "high"
    assert verdict.fraud_type.code == "phishing"
    assert not any("正常" in reason for reason in verdict.reasons)
    assert verdict.reasons[0] == "文本模型未识别出典型话术，风险由规则「测试规则」判定"
    assert "测试规则：测试说明" in verdict.reasons


def test_rule_driven_verdict_cites_the_model_share_of_its_type() -> None:
    scores = (("normal", 0.57), ("phishing", 0.40))
    verdict = combine_verdict(
        kind="text", value="x", hits=(_hit(0.85, "phishing"),), model_scores=scores, model_risk=0.3
    )
    assert verdict.reasons[0] == (
        "风险主要由规则「测试规则」判定，文本模型也认为可能是「钓鱼链接、仿冒银行」（概率40%）"
    )


def test_deciding_rules_are_named_strongest_first() -> None:
    hits = (
        _hit(0.3, rule_id="weak"),
        RuleHit("strong", "强规则", "说明", 0, 1, "x", 0.8, "phishing"),
    )
    verdict = combine_verdict(
        kind="text", value="x", hits=hits, model_scores=(("normal", 0.9),), model_risk=0.05
    )
    assert "规则「强规则」「测试规则」判定" in verdict.reasons[0]


def test_model_agreeing_with_rules_is_cited_as_support_after_them() -> None:
    scores = (("brushing_rebate", 0.6), ("normal", 0.4))
    verdict = combine_verdict(
        kind="text", value="x", hits=(_hit(0.9, "brushing_rebate"),), model_scores=scores
    )
    assert verdict.reasons == (
        "测试规则：测试说明",
        "文本模型也识别出「刷单返利」的典型话术（概率60%）",
    )


def test_model_driven_verdict_leads_with_the_model() -> None:
    scores = (("brushing_rebate", 0.8), ("normal", 0.2))
    verdict = combine_verdict(
        kind="text", value="x", hits=(_hit(0.2, "brushing_rebate"),), model_scores=scores
    )
    assert verdict.reasons[0] == "文本模型识别出「刷单返利」的典型话术（概率80%）"


def test_risk_model_driven_verdict_cites_the_risk_not_the_normal_class() -> None:
    scores = (("normal", 0.55), ("brushing_rebate", 0.3))
    verdict = combine_verdict(kind="text", value="x", hits=(), model_scores=scores, model_risk=0.5)
    assert verdict.level == "medium"
    assert verdict.reasons == ("文本模型估计这是诈骗或违法信息的概率为50%",)


def test_low_verdict_with_a_risky_model_class_says_the_evidence_was_short() -> None:
    scores = (("brushing_rebate", 0.35), ("normal", 0.3))
    verdict = combine_verdict(kind="text", value="x", hits=(), model_scores=scores, model_risk=0.2)
    assert verdict.level == "low"
    assert verdict.reasons == (
        "文本模型认为可能是「刷单返利」（概率35%），但证据不足，综合判定为低风险",
    )


def test_low_verdict_names_the_normal_class() -> None:
    verdict = combine_verdict(kind="text", value="x", hits=(), model_scores=(("normal", 0.9),))
    assert verdict.reasons == ("文本模型判断最可能的类别为「正常」（概率90%）",)
