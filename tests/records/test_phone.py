"""Phone numbers: one rule set, the same answer for a column and for one string."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fanzha.errors import InvalidInput
from fanzha.records import (
    clean_phones,
    e164_phone,
    normalize_phone,
    phone_characters,
    phone_kinds,
)
from fanzha.records._phone import clean_phone, phone_kind

# Digits (ASCII and full-width), prefixes' characters, separators and a little junk.
_PHONE_TEXT = st.text(
    alphabet=st.sampled_from(list("0123456789+ -().８６０＋（）/x*\u00a0\u3000\x1f\t")), max_size=24
)
_SHAPED = st.builds(
    lambda prefix, body: prefix + body,
    st.sampled_from(["", "+86", "0086", "86", "00", "+", "+86 ", "0086-", "+860", "+8686"]),
    st.from_regex(r"1[3-9][0-9]{9}|0[1-9][0-9]{8,10}|[0-9]{3,15}", fullmatch=True),
)


def _column(values: list[str]) -> list[str | None]:
    return pl.select(clean_phones(pl.Series("v", values, dtype=pl.String))).to_series().to_list()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PHONE_TEXT, _SHAPED), max_size=20))
def test_column_and_scalar_agree(values: list[str]) -> None:
    assert _column(values) == [clean_phone(v) for v in values]


@settings(max_examples=300, deadline=None)
@given(st.one_of(_PHONE_TEXT, _SHAPED))
def test_normalising_is_idempotent(raw: str) -> None:
    once = clean_phone(raw)
    if once is not None:
        assert clean_phone(once) == once
        assert _column([once]) == [once]


@settings(max_examples=300, deadline=None)
@given(st.one_of(_PHONE_TEXT, _SHAPED))
def test_an_accepted_number_has_no_junk_and_ends_with_the_kept_digits(raw: str) -> None:
    number = clean_phone(raw)
    if number is not None:
        characters = phone_characters(raw)
        assert not characters.junk
        assert characters.kept.endswith(number.lstrip("+"))


@settings(max_examples=200, deadline=None)
@given(st.lists(_SHAPED, max_size=20))
def test_kinds_agree(values: list[str]) -> None:
    numbers = [n for n in (clean_phone(v) for v in values) if n is not None]
    column = pl.select(phone_kinds(pl.Series(numbers, dtype=pl.String))).to_series()
    assert column.to_list() == [phone_kind(n) for n in numbers]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("+86 138-0013-8000", "13800138000", id="plus86"),
        pytest.param("0086 13800138000", "13800138000", id="0086"),
        pytest.param("8613800138000", "13800138000", id="bare-86"),
        pytest.param("＋８６ １３８００１３８０００", "13800138000", id="full-width"),
        pytest.param("+8695588", "95588", id="plus86-service"),
        pytest.param("0063 917 123 4567", "+639171234567", id="idd-00-becomes-plus"),
        pytest.param("(0771) 555.1234", "07715551234", id="landline-dots"),
        pytest.param("+86+8613800138000", None, id="double-prefix"),
        pytest.param("+8600631234567", None, id="prefix-then-idd"),
        pytest.param("1069012345678901", None, id="16-digits"),
        pytest.param("+123", None, id="short-foreign"),
        pytest.param("0771/5551234", None, id="slash"),
    ],
)
def test_rules(raw: str, expected: str | None) -> None:
    assert clean_phone(raw) == expected
    assert _column([raw]) == [expected]


def test_normalize_phone_refuses_with_the_field() -> None:
    with pytest.raises(InvalidInput, match="not a phone number") as caught:
        normalize_phone("call me", field="caller")
    assert caught.value.field == "caller"


def test_phone_characters_keep_positions_and_flag_junk() -> None:
    found = phone_characters("＋86 (138)x")
    assert found.kept == "+86138"
    assert found.positions == (0, 1, 2, 5, 6, 7)
    assert found.junk
    assert not phone_characters("+86 138\u00a00013-8000").junk


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "+8613812345678"),
        ("+86 138-1234-5678", "+8613812345678"),
        ("008613812345678", "+8613812345678"),
        ("17001234567", "+8617001234567"),
        ("17112345678", "+8617112345678"),
        ("0771-5551234", "+867715551234"),
        ("+63 917 123 4567", "+639171234567"),
        ("15412345678", None),  # 154 is not an allocated segment
        ("10086", None),
        ("95588", None),
        ("not a number", None),
    ],
)
def test_e164(raw: str, expected: str | None) -> None:
    assert e164_phone(raw) == expected


@given(st.text(alphabet="0123456789+- ", max_size=20))
@settings(max_examples=300, deadline=None)
def test_e164_is_a_fixed_point_and_agrees_with_the_national_form(raw: str) -> None:
    number = e164_phone(raw)
    if number is not None:
        assert e164_phone(number) == number
        assert e164_phone(normalize_phone(number)) == number
