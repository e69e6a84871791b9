"""The YAML readers refuse malformed files with a message naming file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from fanzha.errors import InvalidInput, NotFound
from fanzha.taxonomy._loader import read_fraud_types, read_label_maps, read_rules

GOOD_RULE = """\
rules:
  - id: t.one
    name: 测试规则
    kind: text
    group: current
    fraud_type: phishing
    weight: 0.5
    window: 20
    any_of:
      - [点击]
      - [链接, url]
    none_of: [请勿]
    explanation: 测试说明
    advice: 测试建议
"""


def _write(tmp_path: Path, text: str, name: str = "rules_test.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_a_good_rule_file(tmp_path: Path) -> None:
    (rule,) = read_rules(_write(tmp_path, GOOD_RULE), fraud_type_codes={"phishing"})
    assert rule.any_of == (("点击",), ("链接", "url"))
    assert rule.none_of == ("请勿",)
    assert rule.window == 20


def test_phone_rule_keeps_extra_keys_as_params(tmp_path: Path) -> None:
    text = """\
rules:
  - id: t.phone
    name: 虚拟号段
    kind: phone
    group: seven_always
    weight: 0.5
    prefixes: ["170", "171"]
    explanation: 虚拟号段来电
    advice: 一律不接
"""
    (rule,) = read_rules(_write(tmp_path, text))
    assert rule.kind == "phone"
    assert rule.fraud_type is None
    assert rule.any_of == ()
    assert rule.params["prefixes"] == ["170", "171"]


@pytest.mark.parametrize(
    ("old", "new", "field", "line"),
    [
        pytest.param("weight: 0.5", "weight: 1.5", "rules[0].weight", 7, id="weight-above-one"),
        pytest.param("weight: 0.5", "weight: high", "rules[0].weight", 7, id="weight-not-number"),
        pytest.param("kind: text", "kind: email", "rules[0].kind", 4, id="unknown-kind"),
        pytest.param(
            "fraud_type: phishing", "fraud_type: nope", "rules[0].fraud_type", 6, id="unknown-type"
        ),
        pytest.param("[点击]", "[]", "rules[0].any_of[0]", 10, id="empty-keyword-group"),
        pytest.param(
            "      - [点击]\n      - [链接, url]\n", "", "rules[0].any_of", 9, id="no-groups"
        ),
        pytest.param(
            "[链接, url]", "[链接, URL]", "rules[0].any_of[1]", 11, id="upper-case-keyword"
        ),
        pytest.param(
            "[链接, url]", "[链接, 点击]", "rules[0].any_of[1]", 11, id="keyword-in-two-groups"
        ),
        pytest.param("[请勿]", "[url]", "rules[0].none_of", 12, id="veto-is-required-keyword"),
        pytest.param("window: 20", "window: -3", "rules[0].window", 8, id="negative-window"),
        pytest.param(
            "explanation: 测试说明",
            "explanation: ''",
            "rules[0].explanation",
            13,
            id="empty-explanation",
        ),
        pytest.param(
            "advice: 测试建议", "advice: do this", "rules[0].advice", 14, id="advice-not-chinese"
        ),
        pytest.param("    name: 测试规则\n", "", "rules[0].name", 2, id="missing-name"),
        pytest.param(
            "none_of: [请勿]", "nonee_of: [请勿]", "rules[0].nonee_of", 12, id="unknown-key"
        ),
        pytest.param(
            "    window: 20\n",
            "    window: 20\n    pattern: x\n",
            "rules[0].pattern",
            9,
            id="typo-key",
        ),
    ],
)
def test_bad_rule_is_refused(tmp_path: Path, old: str, new: str, field: str, line: int) -> None:
    assert old in GOOD_RULE
    path = _write(tmp_path, GOOD_RULE.replace(old, new))
    with pytest.raises(InvalidInput) as caught:
        read_rules(path, fraud_type_codes={"phishing"})
    error = caught.value
    assert error.source == "rules_test.yaml"
    assert error.field == field
    assert error.line == line
    assert "rules_test.yaml" in str(error) and field in str(error)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        pytest.param("rules: [\n", None, id="broken-yaml"),
        pytest.param("other: []\n", "rules", id="wrong-top-key"),
        pytest.param("rules: []\n", "rules", id="empty-list"),
        pytest.param("rules:\n  - just a string\n", "rules[0]", id="item-not-mapping"),
        pytest.param(
            GOOD_RULE + GOOD_RULE.removeprefix("rules:\n"), "rules[1].id", id="duplicate-id"
        ),
        pytest.param(
            GOOD_RULE.replace("kind: text", "kind: url"),
            "rules[0].any_of",
            id="url-rule-with-patterns",
        ),
    ],
)
def test_malformed_file_is_refused(tmp_path: Path, text: str, field: str | None) -> None:
    with pytest.raises(InvalidInput) as caught:
        read_rules(_write(tmp_path, text))
    assert caught.value.field == field
    assert caught.value.source == "rules_test.yaml"


def test_missing_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        read_rules(tmp_path / "absent.yaml")


GOOD_TYPES = """\
fraud_types:
  - code: phishing
    name: 钓鱼链接
    category: fraud
    description: 仿冒网站骗取信息。
    advice: 不点链接。
    aliases: [钓鱼网站]
"""


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        pytest.param(
            "category: fraud", "category: scam", "fraud_types[0].category", id="bad-category"
        ),
        pytest.param(
            "name: 钓鱼链接", "name: phishing", "fraud_types[0].name", id="name-not-chinese"
        ),
        pytest.param(
            "aliases: [钓鱼网站]",
            "aliases: 钓鱼网站",
            "fraud_types[0].aliases",
            id="alias-not-list",
        ),
        pytest.param("    advice: 不点链接。\n", "", "fraud_types[0].advice", id="missing-advice"),
    ],
)
def test_bad_fraud_type_is_refused(tmp_path: Path, old: str, new: str, field: str) -> None:
    assert read_fraud_types(_write(tmp_path, GOOD_TYPES, "types.yaml"))[0].code == "phishing"
    path = _write(tmp_path, GOOD_TYPES.replace(old, new), "types.yaml")
    with pytest.raises(InvalidInput) as caught:
        read_fraud_types(path)
    assert caught.value.field == field
    assert caught.value.source == "types.yaml"


def test_duplicate_fraud_type_code_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_TYPES + GOOD_TYPES.removeprefix("fraud_types:\n"), "types.yaml")
    with pytest.raises(InvalidInput, match="duplicate code") as caught:
        read_fraud_types(path)
    assert caught.value.line == 8


def test_label_map_with_unknown_code_is_refused(tmp_path: Path) -> None:
    text = 'label_maps:\n  fbs_sms:\n    "Other": normal\n    "IL:Gambling": casino\n'
    path = _write(tmp_path, text, "labels.yaml")
    assert read_label_maps(path)["fbs_sms"]["IL:Gambling"] == "casino"
    with pytest.raises(InvalidInput) as caught:
        read_label_maps(path, fraud_type_codes={"normal"})
    assert caught.value.field == "label_maps.fbs_sms.IL:Gambling"
    assert caught.value.line == 4
