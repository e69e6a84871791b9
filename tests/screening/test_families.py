"""Fraud families the shipped model and rules must know, on phrasings they never saw.

The training examples live in ``screening/data/training_families.yaml`` (used by
``scripts/build_default_model.py``); the messages here are held out: written separately,
never trained on, and checked not to be in that file. The verdict's reasons must explain
its level: a medium or high verdict never cites 正常 as the model's most likely class.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import resources
from pathlib import Path

import pytest
import yaml

from fanzha.screening import Screener, Verdict, normalize_text
from fanzha.taxonomy import fraud_type

INVESTMENT = frozenset({"fake_investment", "romance_scam"})
BRUSHING = frozenset({"brushing_rebate"})

# (message, fraud types accepted, case id): fresh phrasings of each family.
HELD_OUT = [
    (
        "宝贝，我舅舅在证券公司内部，这支股票下周必涨，你先投五万试试，我带你赚钱",
        INVESTMENT,
        "reported-stock-tip-pig-butchering",
    ),
    ("我堂哥是券商内部的，他说这只股票下个月必涨，你赶紧买入别错过", INVESTMENT, "cousin-broker"),
    ("庄家已经吸筹完毕，内部消息周五拉升，现在上车还来得及", INVESTMENT, "market-maker"),
    ("有朋友在基金公司内部，给了我个牛股代码，你要的话先转一万过来", INVESTMENT, "fund-insider"),
    (
        "亲爱的，我最近在一个投资平台赚了不少，我带你一起赚，你先充两万试试",
        INVESTMENT,
        "darling-platform",
    ),
    ("别担心，跟着我做这个项目，本金亏不了，先投三万看看", INVESTMENT, "follow-me-project"),
    ("我带你赚钱，这个平台每天都有收益，你先注册充值五千", INVESTMENT, "take-you-earn-register"),
    ("这款理财产品稳赚不赔，年化收益百分之二十，现在投资还送礼品", INVESTMENT, "never-lose"),
    ("保本高收益，内部渠道认购，起投一万，月底连本带息返还", INVESTMENT, "capital-guaranteed"),
    ("这个项目零风险高回报，投十万一年至少赚五十万", INVESTMENT, "no-risk-high-return"),
    ("招聘刷单兼职，在家动动手指，一天轻松两三百，➕V：qq7788", BRUSHING, "heavy-plus-v"),
    ("淘宝京东刷单，佣金日结，无需垫付，有意者加薇 sd2026", BRUSHING, "add-wei-rose"),
    ("兼职刷单员，手机操作，当天返款，+v 详谈", BRUSHING, "plus-v"),
    ("刷单点赞员，一单五元，日结工资，威信号 kx9988", BRUSHING, "wei-power-xin"),
    ("诚聘网络兼职打字员，时间自由日结，加威信了解详情", BRUSHING, "typist-wei-power-xin"),
]

# Ordinary messages on the same subjects: they must stay low.
ORDINARY = [
    ("我表哥在证券公司上班，他说最近行情不好，叫我别乱买股票", "cousin-says-dont-buy"),
    ("周末我带你去吃火锅，我请客", "take-you-to-hotpot"),
    ("你加我微信吧，方便发照片", "add-wechat-photos"),
    ("公司招聘前台兼职，工作日下午上班，请把简历发到人事邮箱", "real-part-time-job"),
    ("这只基金我定投两年了，有涨有跌，打算继续拿着", "fund-long-term"),
]


@pytest.fixture(scope="module")
def shipped() -> Screener:
    return Screener.default()


def _families() -> dict[str, object]:
    text = (resources.files("fanzha.screening") / "data" / "training_families.yaml").read_text(
        encoding="utf-8"
    )
    table = yaml.safe_load(text)
    assert isinstance(table, dict)
    return table


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=c) for t, e, c in HELD_OUT])
def test_held_out_family_messages_score_medium_or_high_with_their_type(
    shipped: Screener, text: str, expected: frozenset[str]
) -> None:
    verdict = shipped.screen_text(text)
    assert verdict.level in {"medium", "high"}, (verdict.risk, verdict.reasons)
    assert verdict.fraud_type.code in expected


@pytest.mark.parametrize(("text", "case"), ORDINARY, ids=[case for _, case in ORDINARY])
def test_ordinary_messages_on_the_same_subjects_stay_low(
    shipped: Screener, text: str, case: str
) -> None:
    verdict = shipped.screen_text(text)
    assert verdict.level == "low", (case, verdict.risk, verdict.reasons)


def test_held_out_messages_are_not_training_examples() -> None:
    table = _families()
    trained = {
        normalize_text(example)
        for family in table["families"]  # type: ignore[index]
        for example in family["examples"]
    }
    held = {normalize_text(text) for text, _, _ in HELD_OUT} | {
        normalize_text(text) for text, _ in ORDINARY
    }
    assert not trained & held


def test_training_families_are_families_of_taxonomy_types() -> None:
    table = _families()
    families = table["families"]
    assert isinstance(families, list)
    assert isinstance(table["version"], int)
    for family in families:
        assert fraud_type(family["code"]).code == family["code"]
        examples = family["examples"]
        assert len(examples) >= 15, family["family"]
        assert len({normalize_text(e) for e in examples}) == len(examples), family["family"]
    assert sum(len(family["examples"]) for family in families) >= 60


def test_shipped_model_was_built_from_the_current_families() -> None:
    folder = resources.files("fanzha.screening") / "data"
    manifest = json.loads((folder / "default_model" / "training.json").read_text("utf-8"))
    (entry,) = [item for item in manifest["inputs"] if item["dataset"] == "training_families"]
    assert entry["version"] == _families()["version"]
    raw = (folder / "training_families.yaml").read_bytes()
    assert entry["sha256"] == hashlib.sha256(raw).hexdigest(), "rebuild the shipped model"
    assert entry["rows"] == sum(
        len(family["examples"])
        for family in _families()["families"]  # type: ignore[attr-defined]
    )


def _contradictions(verdicts: list[Verdict]) -> list[tuple[str, str, tuple[str, ...]]]:
    return [
        (verdict.level, verdict.value[:40], verdict.reasons)
        for verdict in verdicts
        if verdict.level != "low"
        and any("「正常」" in reason or "最可能的类别" in reason for reason in verdict.reasons)
    ]


def _data_root() -> Path:
    default = Path(__file__).resolve().parents[3] / "shared" / "data"
    return Path(os.environ.get("FANZHA_DATA", default))


def _many_messages() -> list[str]:
    messages = [text for text, _, _ in HELD_OUT] + [text for text, _ in ORDINARY]
    bench = Path(__file__).resolve().parents[2] / "bench" / "everyday_normal.txt"
    messages += [line for line in bench.read_text("utf-8").splitlines() if line.strip()]
    for name in ("telecom_fraud", "fbs_sms"):
        path = _data_root() / "text" / name / "dev.jsonl"
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                messages += [json.loads(line)["text"] for line in handle]
    return messages


def test_no_risky_verdict_cites_normal_as_the_most_likely_class(shipped: Screener) -> None:
    messages = _many_messages()
    verdicts = shipped.screen_texts(messages)
    risky = [v for v in verdicts if v.level != "low"]
    assert len(risky) >= 15  # at least the held-out families; with the dev splits hundreds
    assert _contradictions(verdicts) == []
    for verdict in risky:
        assert verdict.reasons
