"""The screening pipeline end to end: obfuscated text in, verdict with spans on the original out."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from fanzha.errors import InvalidInput
from fanzha.screening import Normalized, Screener, Verdict, _screen, normalize, prepare_text
from fanzha.screening._screen import detect_kind


@pytest.fixture(scope="module")
def rules_only() -> Screener:
    return Screener(model=None)


@pytest.fixture(scope="module")
def shipped() -> Screener:
    return Screener.default()


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        pytest.param("13800138000", "phone", id="mobile"),
        pytest.param("+86 170-1234-5678", "phone", id="formatted-phone"),
        pytest.param("95588", "phone", id="service-number"),
        pytest.param("http://example.com/a", "url", id="url-with-scheme"),
        pytest.param("icbc-verify.top/login", "url", id="url-without-scheme"),
        pytest.param("你好，明天见", "text", id="chinese-text"),
        pytest.param("call me at 13800138000 tomorrow", "text", id="text-with-number"),
    ],
)
def test_detect_kind(value: str, kind: str) -> None:
    assert detect_kind(value) == kind


def test_rule_spans_point_into_the_original_obfuscated_text(rules_only: Screener) -> None:
    text = "您\u200b好，我是公\u200d安局民警，请把钱转到安全账\u200b户"
    verdict = rules_only.screen_text(text)
    assert verdict.rules
    for hit in verdict.rules:
        assert text[hit.start : hit.end] == hit.matched
        assert hit.matched


def test_obfuscated_contact_words_fire_rules(rules_only: Screener) -> None:
    plain = rules_only.screen_text("兼职刷单，日结佣金，先垫付后返利，加微信详聊")
    obfuscated = rules_only.screen_text("兼 职 刷★单，日结佣金，先垫付后返利，加薇信详聊")
    assert {h.rule_id for h in plain.rules} == {h.rule_id for h in obfuscated.rules}
    assert obfuscated.level == plain.level != "low"


def test_numbers_and_links_inside_text_are_checked(rules_only: Screener) -> None:
    verdict = rules_only.screen_text("请回电17012345678，或者打开 http://192.168.3.4/app.apk 下载")
    ids = {hit.rule_id for hit in verdict.rules}
    assert "seven.virtual_number" in ids
    assert "url.ip_host" in ids
    for hit in verdict.rules:
        assert hit.matched in verdict.value


def test_blocklists_are_used(rules_only: Screener) -> None:
    screener = Screener(
        model=None,
        phone_blocklist=frozenset({"+8613800138000"}),
        url_blocklist=frozenset({"bad-site.com"}),
    )
    assert screener.screen_phone("13800138000").level == "high"
    assert any(
        h.rule_id == "url.blocklisted" for h in screener.screen_url("https://bad-site.com/x").rules
    )
    assert rules_only.screen_phone("13800138000").level == "low"


def test_official_anti_fraud_line_is_clean(rules_only: Screener) -> None:
    verdict = rules_only.screen_phone("96110")
    assert verdict.level == "low"
    assert not verdict.rules


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("", id="empty"),
        pytest.param("   \n\t", id="blank"),
        pytest.param("x" * 1_000_001, id="too-long"),
    ],
)
def test_bad_values_raise_invalid_input(rules_only: Screener, value: str) -> None:
    with pytest.raises(InvalidInput):
        rules_only.screen(value)


def test_shipped_model_flags_fraud_and_passes_normal(shipped: Screener) -> None:
    fraud = shipped.screen_text(
        "您好，我是市公安局民警，您的银行卡涉嫌洗钱，请把资金转入安全账户配合调查"
    )
    normal = shipped.screen_text("明天上午九点在三楼会议室开周例会，请各部门负责人准时参加。")
    assert fraud.level == "high" and fraud.fraud_type.code == "impersonate_authority"
    assert normal.level == "low" and normal.fraud_type.category != "fraud"


def test_long_dialogue_and_megabyte_text_work(shipped: Screener) -> None:
    dialogue = "\n".join(
        [
            "客服：您好，我是淘宝客服，您购买的商品有质量问题，我们给您三倍理赔。",
            "用户：好的，怎么操作？",
        ]
        * 40
    )
    assert shipped.screen_text(dialogue).level != "low"
    big = shipped.screen_text("今天天气不错。" * 140_000)
    assert 0.0 <= big.risk <= 1.0


def test_garbage_text_gets_a_verdict(shipped: Screener) -> None:
    garbage = bytes(range(256)).decode("latin-1") + "\ud800\x00\x07"
    verdict = shipped.screen_text(garbage)
    assert 0.0 <= verdict.risk <= 1.0


def test_batch_equals_one_by_one(shipped: Screener) -> None:
    texts = ["你好", "兼职刷单日结", "我是你领导，加我新微信", "恭喜中奖，点击领取"]
    batch = shipped.screen_texts(texts)
    single = [shipped.screen_text(text) for text in texts]
    assert [v.risk for v in batch] == pytest.approx([v.risk for v in single])
    assert [v.fraud_type for v in batch] == [v.fraud_type for v in single]


def test_risk_model_alone_still_sets_the_risk(shipped: Screener) -> None:
    screener = Screener(model=None, risk_model=shipped.risk_model)
    text = "您好，我是市公安局民警，您的银行卡涉嫌洗钱，请把资金转入安全账户配合调查"
    verdict = screener.screen_text(text)
    rules_only = Screener(model=None).screen_text(text)
    assert verdict.risk > rules_only.risk
    assert verdict.level == "high"


def test_shipped_models_share_one_featurisation(shipped: Screener) -> None:
    assert shipped.model is not None and shipped.risk_model is not None
    assert np.array_equal(shipped.model.buckets_, shipped.risk_model.buckets_)
    assert np.array_equal(shipped.model.idf_, shipped.risk_model.idf_)


@pytest.fixture
def normalised_texts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the screening pipeline normalises, in order."""
    seen: list[str] = []

    def counting(text: str) -> Normalized:
        seen.append(text)
        return normalize(text)

    monkeypatch.setattr(_screen, "normalize", counting)
    return seen


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda s, t: s.screen_text(t), id="screen_text"),
        pytest.param(lambda s, t: s.screen(t), id="screen-guessed"),
        pytest.param(lambda s, t: s.screen(t, kind="text"), id="screen-as-text"),
        pytest.param(lambda s, t: s.screen_texts([t])[0], id="screen_texts"),
        pytest.param(lambda s, t: s.screen_texts([prepare_text(t)])[0], id="prepared"),
    ],
)
def test_each_text_is_normalised_once(
    shipped: Screener, normalised_texts: list[str], call: Callable[[Screener, str], Verdict]
) -> None:
    text = "兼 职 刷★单，日结佣金，加薇信详聊 幺三八零零一三八零零零"
    verdict = call(shipped, text)
    assert normalised_texts == [text]
    assert verdict.rules and all(text[h.start : h.end] == h.matched for h in verdict.rules)
