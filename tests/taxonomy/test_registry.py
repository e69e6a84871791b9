"""The shipped taxonomy: fraud types, rules and label maps are complete and consistent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fanzha.errors import InvalidInput, NotFound
from fanzha.taxonomy import (
    FraudType,
    Rule,
    fraud_type,
    fraud_types,
    get_fraud_type,
    map_label,
    rule,
    rules,
)
from fanzha.taxonomy._model import CATEGORIES, RULE_KINDS
from fanzha.taxonomy._registry import label_maps

DATA = Path("/work/shared/data/text")
DATASETS = ("telecom_fraud", "fbs_sms", "fraud_dialogs", "fraud_news")
REQUIRED_TYPES = (
    "brushing_rebate",
    "fake_investment",
    "fake_shopping",
    "fake_customer_service",
    "loan_credit_card",
    "fake_credit_record",
    "impersonate_authority",
    "impersonate_leader",
    "game_trade",
    "romance_scam",
    "prize_red_packet",
    "phishing",
    "national_assets",
    "im_friend_borrow",
    "gambling",
    "pornography",
    "fake_documents",
    "advertising",
    "normal",
)
SEVEN_ALWAYS = (
    "seven.bank_card",
    "seven.prize",
    "seven.impersonation",
    "seven.sms_link",
    "seven.stranger_link",
    "seven.forward_video",
)


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


@pytest.mark.parametrize("item", fraud_types(), ids=lambda item: item.code)
def test_fraud_type_texts_are_chinese(item: FraudType) -> None:
    for text in (item.name, item.description, item.advice):
        assert _has_chinese(text)
    assert item.category in CATEGORIES


def test_codes_names_and_aliases_are_unique() -> None:
    codes = [item.code for item in fraud_types()]
    assert len(codes) == len(set(codes))
    names = [key for item in fraud_types() for key in (item.code, item.name, *item.aliases)]
    assert len(names) == len(set(names))


def test_required_types_exist_and_every_category_is_used() -> None:
    assert set(REQUIRED_TYPES) <= {item.code for item in fraud_types()}
    assert {item.category for item in fraud_types()} == set(CATEGORIES)


def test_look_up_fraud_type() -> None:
    assert fraud_type("brushing_rebate").name == "刷单返利"
    assert get_fraud_type("no_such_type") is None
    with pytest.raises(NotFound, match="no_such_type"):
        fraud_type("no_such_type")


@pytest.mark.parametrize("item", rules(), ids=lambda item: item.id)
def test_rule_is_complete(item: Rule) -> None:
    assert _has_chinese(item.explanation) and _has_chinese(item.advice)
    assert 0.0 <= item.weight <= 1.0
    assert item.kind in RULE_KINDS
    if item.fraud_type is not None:
        assert get_fraud_type(item.fraud_type) is not None
    assert bool(item.any_of) is (item.kind == "text")


def test_rule_ids_are_unique_and_the_seven_always_are_there() -> None:
    ids = [item.id for item in rules()]
    assert len(ids) == len(set(ids))
    assert set(SEVEN_ALWAYS) <= set(ids)
    assert all(rule(rule_id).group == "seven_always" for rule_id in SEVEN_ALWAYS)
    assert 30 <= sum(item.kind == "text" for item in rules()) <= 45


def test_look_up_rule() -> None:
    assert rule("current.safe_account").fraud_type == "impersonate_authority"
    with pytest.raises(NotFound, match=r"no\.such"):
        rule("no.such")


def test_taxonomy_objects_are_read_only() -> None:
    with pytest.raises(AttributeError):
        rule("current.safe_account").weight = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        label_maps()["fbs_sms"]["Other"] = "fraud"  # type: ignore[index]


@pytest.mark.parametrize(
    ("dataset", "label", "code"),
    [
        pytest.param("fbs_sms", "FR:Phishing(Bank)", "phishing", id="fbs-bank-phishing"),
        pytest.param("fbs_sms", "IL:Escort_service", "pornography", id="fbs-escort"),
        pytest.param("fbs_sms", "AD:Loan", "advertising", id="fbs-loan-advert"),
        pytest.param("fbs_sms", "Other", "normal", id="fbs-other"),
        pytest.param(
            "telecom_fraud", "冒充领导、熟人类", "impersonate_leader", id="telecom-leader"
        ),
        pytest.param("fraud_dialogs", "杀猪盘诈骗", "romance_scam", id="dialogs-pig-butchering"),
        pytest.param("fraud_news", "兼职刷单诈骗", "brushing_rebate", id="news-brushing"),
    ],
)
def test_map_label(dataset: str, label: str, code: str) -> None:
    assert map_label(dataset, label) == code


@pytest.mark.parametrize(
    ("dataset", "label", "field"),
    [
        pytest.param("no_such_set", "正常", "dataset", id="unknown-dataset"),
        pytest.param("fbs_sms", "FR:Unknown", "label", id="unknown-label"),
    ],
)
def test_map_label_rejects_unknown(dataset: str, label: str, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        map_label(dataset, label)
    assert caught.value.field == field


def test_label_maps_cover_the_four_datasets() -> None:
    assert set(DATASETS) <= set(label_maps())
    for mapping in label_maps().values():
        assert all(get_fraud_type(code) is not None for code in mapping.values())


@pytest.mark.skipif(not DATA.exists(), reason="shared data not available")
@pytest.mark.parametrize("dataset", DATASETS)
def test_every_training_label_is_mapped(dataset: str) -> None:
    with (DATA / dataset / "train.jsonl").open(encoding="utf-8") as lines:
        labels = {json.loads(line)["label"] for line in lines if line.strip()}
    assert labels
    assert labels - set(label_maps()[dataset]) == set()
