"""Tests for fanzha.screening._phone: phone-number checks, extraction and blocklists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fanzha.errors import InvalidInput, NotFound
from fanzha.screening import load_blocklist
from fanzha.screening._phone import check_phone, extract_phones
from fanzha.taxonomy import rule, rules


def _rule_ids(number: str, **kwargs: Any) -> set[str]:
    return {hit.rule_id for hit in check_phone(number, **kwargs).hits}


@pytest.mark.parametrize(
    ("number", "rule_id", "matched"),
    [
        pytest.param("17012345678", "seven.virtual_number", "170", id="virtual-170"),
        pytest.param("171 1234 5678", "seven.virtual_number", "171", id="virtual-171-spaced"),
        pytest.param("+86 170 1234 5678", "seven.virtual_number", "170", id="virtual-170-plus86"),
        pytest.param("16212345678", "phone.virtual_operator", "162", id="mvno-162"),
        pytest.param("16512345678", "phone.virtual_operator", "165", id="mvno-165"),
        pytest.param("16712345678", "phone.virtual_operator", "167", id="mvno-167"),
        pytest.param("+0012345678", "phone.weird_prefix", "+00", id="weird-plus00"),
        pytest.param("++8613800138000", "phone.weird_prefix", "++", id="weird-double-plus"),
        pytest.param("000123456789", "phone.weird_prefix", "000", id="weird-triple-zero"),
        pytest.param("+63 917 123 4567", "phone.overseas_hub", "+63", id="hub-philippines"),
        pytest.param("+855 12 345 678", "phone.overseas_hub", "+855", id="hub-cambodia"),
        pytest.param("+959123456789", "phone.overseas_hub", "+95", id="hub-myanmar"),
        pytest.param("+60123456789", "phone.overseas_hub", "+60", id="hub-malaysia"),
        pytest.param("0066812345678", "phone.overseas_hub", "0066", id="hub-thailand-idd"),
        pytest.param("+1 415 555 2671", "phone.overseas", "+1", id="overseas-us"),
        pytest.param("+852 9123 4567", "phone.overseas", "+852", id="overseas-hongkong"),
        pytest.param("+95588", "phone.spoofed_service", "95588", id="spoof-plus95588"),
        pytest.param("+86 95588", "phone.spoofed_service", "95588", id="spoof-plus86-95588"),
        pytest.param("00195588", "phone.spoofed_service", "95588", id="spoof-001-95588"),
        pytest.param("9558812345678", "phone.spoofed_service", "95588", id="spoof-padded-95588"),
        pytest.param("+110", "phone.spoofed_service", "110", id="spoof-plus110"),
        pytest.param("+00 96110", "phone.spoofed_service", "96110", id="spoof-plus00-96110"),
        pytest.param("95123", "phone.unlisted_service", "95123", id="unlisted-95123"),
        pytest.param("96777", "phone.unlisted_service", "96777", id="unlisted-96777"),
        pytest.param("951234", "phone.unlisted_service", "951234", id="unlisted-6-digit"),
        pytest.param("abc", "phone.invalid", "abc", id="invalid-letters"),
        pytest.param("1", "phone.invalid", "1", id="invalid-one-digit"),
        pytest.param("12345678901", "phone.invalid", "12345678901", id="invalid-no-such-range"),
        pytest.param("13800138000x", "phone.invalid", "13800138000x", id="invalid-trailing-junk"),
        pytest.param("+999123456", "phone.invalid", "+999123456", id="invalid-country-code"),
        pytest.param("95588123", "phone.invalid", "95588123", id="invalid-short-padding"),
    ],
)
def test_rule_fires(number: str, rule_id: str, matched: str) -> None:
    check = check_phone(number)
    hits = {hit.rule_id: hit for hit in check.hits}
    assert rule_id in hits
    hit = hits[rule_id]
    assert number[hit.start : hit.end] == hit.matched == matched
    assert check.risk >= hit.weight


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        pytest.param("13800138000", "mobile", id="mobile"),
        pytest.param("+86 138-0013-8000", "mobile", id="mobile-plus86-dashes"),
        pytest.param("008613800138000", "mobile", id="mobile-0086"),
        pytest.param("１３８００１３８０００", "mobile", id="mobile-fullwidth"),
        pytest.param("19212345678", "mobile", id="broadnet-192-is-real"),
        pytest.param("16612345678", "mobile", id="unicom-166-is-real"),
        pytest.param("010-12345678", "fixed", id="landline-beijing"),
        pytest.param("(0755)12345678", "fixed", id="landline-parens"),
        pytest.param("400-810-1234", "hotline", id="hotline-400"),
        pytest.param("8008101234", "hotline", id="hotline-800"),
        pytest.param("95588", "service", id="service-icbc"),
        pytest.param("95017", "service", id="service-tenpay"),
        pytest.param("10086", "service", id="service-cmcc"),
        pytest.param("12321", "service", id="service-12321"),
        pytest.param("110", "service", id="service-police"),
        pytest.param("96110", "service", id="service-96110-anti-fraud-line"),
        pytest.param("1069012345678", "sms_port", id="sms-port-106"),
    ],
)
def test_clean_numbers(number: str, kind: str) -> None:
    check = check_phone(number)
    assert check.hits == ()
    assert check.risk == 0.0
    assert check.kind == kind


@pytest.mark.parametrize(
    ("number", "rule_id"),
    [
        pytest.param("13800138000", "seven.virtual_number", id="mobile-not-virtual"),
        pytest.param("19212345678", "phone.virtual_operator", id="192-not-virtual"),
        pytest.param("+8613800138000", "phone.overseas", id="plus86-not-overseas"),
        pytest.param("008613800138000", "phone.weird_prefix", id="0086-not-weird"),
        pytest.param("+1 415 555 2671", "phone.overseas_hub", id="us-not-hub"),
        pytest.param("+639171234567", "phone.spoofed_service", id="real-ph-mobile-not-spoof"),
        pytest.param("95588", "phone.spoofed_service", id="domestic-95588-not-spoof"),
        pytest.param("95588", "phone.unlisted_service", id="listed-95588"),
        pytest.param("4008123123", "phone.unlisted_service", id="400-not-95"),
        pytest.param("+8613800138000", "phone.invalid", id="valid-not-invalid"),
    ],
)
def test_rule_does_not_fire(number: str, rule_id: str) -> None:
    assert rule_id not in _rule_ids(number)


def test_96110_is_a_trusted_service_line() -> None:
    check = check_phone("96110")
    assert (check.kind, check.hits, check.risk) == ("service", (), 0.0)


@pytest.mark.parametrize(
    ("number", "e164", "region", "kind"),
    [
        pytest.param("17012345678", "+8617012345678", "CN", "virtual", id="virtual"),
        pytest.param("+639171234567", "+639171234567", "PH", "overseas", id="overseas"),
        pytest.param("95588", None, "CN", "service", id="service-no-e164"),
        pytest.param("abc", None, None, "invalid", id="garbage"),
    ],
)
def test_fields(number: str, e164: str | None, region: str | None, kind: str) -> None:
    check = check_phone(number)
    assert (check.raw, check.e164, check.region, check.kind) == (number, e164, region, kind)


def test_risk_is_noisy_or_of_hits() -> None:
    check = check_phone("+95588")
    assert {hit.rule_id for hit in check.hits} == {"phone.overseas_hub", "phone.spoofed_service"}
    expected = 1.0
    for hit in check.hits:
        expected *= 1.0 - hit.weight
    assert check.risk == pytest.approx(1.0 - expected)


@pytest.mark.parametrize(
    ("blocked", "number"),
    [
        pytest.param("+8613800138000", "138 0013 8000", id="e164-vs-national"),
        pytest.param("+8613800138000", "0086-138-0013-8000", id="e164-vs-0086"),
        pytest.param("95123", "95123", id="short-number"),
    ],
)
def test_blocklist_hit(blocked: str, number: str) -> None:
    check = check_phone(number, blocklist=frozenset({blocked}))
    assert "phone.blocklisted" in {hit.rule_id for hit in check.hits}
    assert check.risk >= rule("phone.blocklisted").weight


def test_blocklist_miss() -> None:
    assert "phone.blocklisted" not in _rule_ids(
        "13800138001", blocklist=frozenset({"+8613800138000"})
    )


def test_official_services_override() -> None:
    assert _rule_ids("96777", official_services=frozenset({"96777"})) == set()
    assert "phone.unlisted_service" in _rule_ids("95588", official_services=frozenset())


def test_region_changes_what_is_overseas() -> None:
    assert "phone.overseas" in _rule_ids("+8613800138000", region="US")
    assert _rule_ids("+1 415 555 2671", region="US") == set()


@pytest.mark.parametrize("number", ["", "   ", "\t\n"])
def test_empty_raises(number: str) -> None:
    with pytest.raises(InvalidInput, match="number: empty"):
        check_phone(number)


def test_unknown_region_raises() -> None:
    with pytest.raises(InvalidInput, match="region"):
        check_phone("13800138000", region="XX")


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(min_size=1, max_size=40).filter(str.strip))
def test_garbage_never_raises(number: str) -> None:
    check = check_phone(number)
    assert 0.0 <= check.risk <= 1.0
    for hit in check.hits:
        assert number[hit.start : hit.end] == hit.matched


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(alphabet="+0123456789 -()", min_size=1, max_size=24).filter(str.strip))
def test_digit_garbage_never_raises(number: str) -> None:
    check_phone(number)


TEXT = (
    "请拨打96110或+86 138-0013-8000，客服95588，工行9558812345678，"
    "境外+855 12 345 678，座机010-12345678，热线400-810-1234，"
    "金额95000元，订单12399，移动10086，假号+95588"
)


def test_extract_phones_spans() -> None:
    found = extract_phones(TEXT)
    assert [number for _, _, number in found] == [
        "96110",
        "+86 138-0013-8000",
        "95588",
        "9558812345678",
        "+855 12 345 678",
        "010-12345678",
        "400-810-1234",
        "10086",
        "+95588",
    ]
    for start, end, number in found:
        assert TEXT[start:end] == number


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("订单号1380013800012345", id="long-digit-run"),
        pytest.param("金额95000元", id="amount"),
        pytest.param("验证码12399", id="unlisted-12xxx"),
        pytest.param("没有号码", id="no-digits"),
    ],
)
def test_extract_phones_ignores(text: str) -> None:
    assert extract_phones(text) == ()


def test_extract_then_check_mobile_in_text() -> None:
    text = "加我17012345678详聊"
    ((start, end, number),) = extract_phones(text)
    assert text[start:end] == "17012345678"
    assert check_phone(number).kind == "virtual"


def test_load_blocklist(tmp_path: Path) -> None:
    path = tmp_path / "block.txt"
    path.write_text(
        "# known fraud numbers\n13800138000\n\n+86 170-1234-5678  # reported\n95123\n",
        encoding="utf-8",
    )
    assert load_blocklist(path) == frozenset({"+8613800138000", "+8617012345678", "95123"})


def test_load_blocklist_names_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "block.txt"
    path.write_text("13800138000\n# ok\nnot-a-number\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="line 3") as info:
        load_blocklist(path)
    assert info.value.line == 3
    assert info.value.value == "not-a-number"
    assert str(path) in str(info.value)


def test_load_blocklist_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="does not exist"):
        load_blocklist(tmp_path / "missing.txt")


def test_every_phone_rule_has_an_entry() -> None:
    phone_rules = {item.id for item in rules() if item.kind == "phone"}
    assert phone_rules == {
        "seven.virtual_number",
        "phone.virtual_operator",
        "phone.weird_prefix",
        "phone.overseas",
        "phone.overseas_hub",
        "phone.spoofed_service",
        "phone.unlisted_service",
        "phone.blocklisted",
        "phone.invalid",
    }
    for item in rules():
        assert item.advice and item.explanation and 0.0 < item.weight <= 1.0


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("订单编号：A0085512345678", id="order-number"),
        pytest.param("快递单号JD0012345678", id="parcel-number"),
        pytest.param("产品型号X95123-A", id="model-number"),
    ],
)
def test_numbers_glued_to_letters_are_not_phones(text: str) -> None:
    assert extract_phones(text) == ()
