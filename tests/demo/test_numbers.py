"""Synthetic identifiers: known check digits, distinct values, the right ranges."""

from __future__ import annotations

import numpy as np
import phonenumbers
import polars as pl
import pytest
from phonenumbers import carrier as phonenumber_carrier

from fanzha.demo._numbers import (
    PHONE_SEGMENTS,
    bank_card_numbers,
    id_numbers,
    imeis,
    luhn_check_digits,
    phone_numbers,
)


@pytest.mark.parametrize(
    ("payload", "check"),
    [
        pytest.param("7992739871", 3, id="luhn-textbook"),
        pytest.param("49015420323751", 8, id="imei-example"),
        pytest.param("0", 0, id="zero"),
    ],
)
def test_luhn_check_digit(payload: str, check: int) -> None:
    digits = np.array([[int(c) for c in payload]])
    assert luhn_check_digits(digits).tolist() == [check]


def test_id_numbers_match_a_published_example() -> None:
    # GB 11643's example number 11010519491231002X: Beijing, 1949-12-31, a woman.
    rng = np.random.default_rng(0)
    made = id_numbers(
        rng,
        np.array([110105]),
        np.array(["1949-12-31"], dtype="datetime64[D]"),
        np.array([False]),
    )[0]
    assert made[:14] == "11010519491231" and int(made[16]) % 2 == 0
    sequence = int(made[14:17])
    if sequence == 2:
        assert made == "11010519491231002X"


def test_numbers_are_distinct() -> None:
    rng = np.random.default_rng(1)
    carriers = pl.Series(["中国移动", "中国联通", "中国电信", "中国广电", "虚拟"] * 10_000)
    phones = phone_numbers(rng, carriers)
    assert phones.n_unique() == 50_000
    segments = [s for group in PHONE_SEGMENTS.values() for s in group]
    assert phones.str.slice(0, 4).is_in(segments).all()
    assert imeis(rng, 20_000).n_unique() == 20_000
    cards = bank_card_numbers(rng, np.full(20_000, 622848))
    assert cards.n_unique() == 20_000 and cards.str.starts_with("622848").all()
    births = np.datetime64("1990-01-01") + rng.integers(0, 30, 5_000).astype("timedelta64[D]")
    ids = id_numbers(rng, np.full(5_000, 450126), births, np.ones(5_000, bool))
    assert ids.n_unique() == 5_000


def test_id_numbers_refuse_more_people_than_sequence_numbers() -> None:
    rng = np.random.default_rng(2)
    births = np.full(501, np.datetime64("1990-01-01"))
    with pytest.raises(ValueError, match="sequence numbers"):
        id_numbers(rng, np.full(501, 450126), births, np.ones(501, bool))


def test_numbers_are_valid_chinese_mobiles_of_their_carrier() -> None:
    rng = np.random.default_rng(3)
    names = list(PHONE_SEGMENTS)
    carriers = pl.Series(names * 500)
    for number, name in zip(phone_numbers(rng, carriers), carriers, strict=True):
        parsed = phonenumbers.parse(number, "CN")
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE
        assert phonenumber_carrier.name_for_number(parsed, "zh") == name, number


def test_virtual_operator_segments_are_drawn() -> None:
    rng = np.random.default_rng(4)
    phones = phone_numbers(rng, pl.Series(["中国联通"] * 20_000))
    assert phones.str.starts_with("171").any() and phones.str.starts_with("170").any()
