"""Channels and currencies: one vocabulary, the column and one-value forms agree."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fanzha.records import CHANNELS, EXIT_CHANNELS, canonical_channels, channel_name
from fanzha.records._channel import CHANNEL_ALIASES, canonical_channel
from fanzha.records._money import CNY_NAMES, is_cny

_SPELLINGS = st.one_of(
    st.sampled_from([*CHANNEL_ALIASES, "", " ATM ", "Ｐｏｓ", "OTC", "whatever"]),
    st.text(st.characters(max_codepoint=0x2FFF), max_size=6),
    st.none(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_SPELLINGS, max_size=20))
def test_column_and_scalar_agree_and_are_idempotent(values: list[str | None]) -> None:
    column = pl.select(canonical_channels(pl.Series(values, dtype=pl.String))).to_series()
    assert column.to_list() == [canonical_channel(v) for v in values]
    assert all(canonical_channel(c) == c for c in column.drop_nulls())


def test_every_alias_names_a_canonical_channel_and_exits_are_channels() -> None:
    assert set(CHANNEL_ALIASES.values()) == set(CHANNELS)
    assert EXIT_CHANNELS < set(CHANNELS)


@pytest.mark.parametrize(
    ("spelling", "channel"),
    [
        ("", "transfer"),
        (None, "transfer"),
        ("bank", "transfer"),
        ("Mobile", "transfer"),
        ("counter", "transfer"),
        (" ATM ", "cash"),
        ("取现", "cash"),
        ("otc", "crypto"),
        ("USDT", "crypto"),
        ("Ｐｏｓ", "merchant"),
        ("wire", None),
    ],
)
def test_spellings(spelling: str | None, channel: str | None) -> None:
    assert canonical_channel(spelling) == channel


@pytest.mark.parametrize(
    ("stored", "name"),
    [
        ("transfer", "转账"),
        ("cash", "取现"),
        ("crypto", "数字货币"),
        ("merchant", "商户消费"),
        ("mobile", "手机银行"),
        (" Online ", "网银"),
        ("OTC", "场外交易"),
        ("counter", "柜面"),
        ("手机银行", "手机银行"),
        ("", "转账"),
        (None, "转账"),
    ],
)
def test_channel_names_are_chinese(stored: str | None, name: str) -> None:
    assert channel_name(stored) == name


def test_every_accepted_spelling_has_a_chinese_name() -> None:
    for spelling in CHANNEL_ALIASES:
        assert not spelling.isascii() or not channel_name(spelling).isascii(), spelling


def test_the_currency_spellings_of_ingest_and_funds_are_one_set() -> None:
    spellings = ["CNY", "rmb", "人民币", "元", "¥", "CNY元", "", None, " cny ", "USD", "HKD"]
    accepted = pl.select(is_cny(pl.Series(spellings, dtype=pl.String))).to_series()
    assert accepted.to_list() == [True] * 9 + [False, False]
    assert {"¥", "CNY元"} <= CNY_NAMES
