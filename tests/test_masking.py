"""Masking of numbers in free text and JSON documents, and their keyed pseudonyms."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fanzha.masking import mask_document, mask_text, pseudonym, pseudonymise_text
from fanzha.records import NUMBER_IN_TEXT, number_kind

MOBILE = "13800138000"
ID_NUMBER = "450102197609019443"
ACCOUNT = "6231189686371419254"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"对方 {MOBILE}，请核实", "对方 138****8000，请核实"),
        ("+86 138-0013-8000", "138****8000"),
        ("１３８００１３８０００", "138****8000"),
        (f"身份证{ID_NUMBER}。", "身份证450102********9443。"),
        ("13010219900307123X", "130102********123X"),
        (f"转账至 {ACCOUNT}", "转账至 6231***********9254"),
        ("卡号 6222 0200 1234 5678 901", "卡号 6222***********8901"),
        ("座机 0771-5551234", "座机 077****1234"),
        ("TEL13800138000", "TEL138****8000"),
        ("+639171234567", "+639*****4567"),
        ("IMEI 86000000*****17 已脱敏", "IMEI 86000000*****17 已脱敏"),
    ],
)
def test_numbers_in_text_are_masked(text: str, expected: str) -> None:
    assert mask_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "案件 A4501002026000001",
        "交易 TX20260901000000000001",
        "2026-09-01T07:56:21.091301+00:00",
        "金额 159.51 元，优先级 82",
        "哈希 3f9a0c1e5b7d2a4f",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "a13800138000b",
    ],
)
def test_other_tokens_are_left_alone(text: str) -> None:
    assert mask_text(text) == text


@pytest.mark.parametrize(
    ("found", "kind"),
    [(MOBILE, "phone"), (ID_NUMBER, "id_number"), (ACCOUNT, "account"), ("07715551234", "phone")],
)
def test_number_kind(found: str, kind: str) -> None:
    assert NUMBER_IN_TEXT.fullmatch(found)
    assert number_kind(found) == kind


@given(
    st.lists(
        st.one_of(
            st.sampled_from([MOBILE, ID_NUMBER, ACCOUNT, " ", "，", "对方", "-", "+86", "*"]),
            st.text(alphabet="0123456789 -+*，对方X", max_size=30),
        ),
        max_size=8,
    )
)
def test_masking_is_idempotent_and_leaves_no_number(parts: list[str]) -> None:
    text = "".join(parts)
    masked = mask_text(text)
    assert mask_text(masked) == masked
    left = r"(?<![0-9A-Za-z])\d{9,}(?![0-9A-Za-z])|(?<![0-9A-F])1[3-9]\d{9}(?![0-9A-F])"
    assert re.search(left, masked) is None


def test_a_document_is_masked_in_every_string_and_key() -> None:
    document = {
        "reason": f"对方 {MOBILE}",
        "events": [{"counterpart": ACCOUNT, "amount_fen": 13800138000}],
        MOBILE: None,
    }
    assert mask_document(document) == {
        "reason": "对方 138****8000",
        "events": [{"counterpart": "6231***********9254", "amount_fen": 13800138000}],
        "138****8000": None,
    }


def test_pseudonyms_are_keyed_and_do_not_depend_on_the_writing() -> None:
    key = b"secret"
    assert pseudonym(MOBILE, key) == pseudonym("+86 138-0013-8000", key)
    assert pseudonym(MOBILE, key) != pseudonym(MOBILE, b"other")
    assert pseudonym(MOBILE, key) != pseudonym("13800138001", key)
    text = pseudonymise_text(f"phone:{MOBILE} / {ACCOUNT}", key)
    assert MOBILE not in text and ACCOUNT not in text
    assert re.fullmatch(r"phone:k[0-9a-f]{24} / k[0-9a-f]{24}", text)
