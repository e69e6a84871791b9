"""Typed node ids: the same normalisation for a column and for a clue."""

from __future__ import annotations

import polars as pl
import pytest

from fanzha.errors import InvalidInput
from fanzha.graph import guess_node_id, node_ids
from fanzha.graph._ids import normalize_node_id


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("phone:+86 138-0013-8000", "phone:13800138000", id="phone-country-code"),
        pytest.param("phone:008613800138000", "phone:13800138000", id="phone-0086"),
        pytest.param("phone:(0771)5551234", "phone:07715551234", id="landline-brackets"),
        pytest.param("account:6222 0202-0011", "account:622202020011", id="account-spaces"),
        pytest.param("person:007", "person:7", id="person-leading-zeros"),
        pytest.param(
            "url:HTTPS://Shop.Example/Pay?X=1", "url:https://shop.example/Pay?X=1", id="url-host"
        ),
        pytest.param("url:shop.example/a", "url:http://shop.example/a", id="url-no-scheme"),
        pytest.param("im:WeChat:Wxid_AB", "im:wechat:wxid_ab", id="im-lower"),
        pytest.param("case:a4501002026000001", "case:A4501002026000001", id="case-upper"),
        pytest.param("domain:Shop.Example.", "domain:shop.example", id="domain-dot"),
        pytest.param(
            "wallet:TQ5x7Hn2aBcTQ5x7Hn2aBcTQ5x7Hn2aB",
            "wallet:TQ5x7Hn2aBcTQ5x7Hn2aBcTQ5x7Hn2aB",
            id="wallet-case-kept",
        ),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize_node_id(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        pytest.param("13800138000", "not a typed node id", id="untyped"),
        pytest.param("fax:123", "not a typed node id", id="unknown-type"),
        pytest.param("phone:abc", "phone:<digits", id="bad-phone"),
        pytest.param("device:12", "IMEI", id="short-imei"),
        pytest.param("person:x", "store id", id="person-not-number"),
    ],
)
def test_bad_ids_name_the_expected_form(raw: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        normalize_node_id(raw)


@pytest.mark.parametrize(
    ("clue", "expected"),
    [
        pytest.param("+8613800138000", "phone:13800138000", id="mobile"),
        pytest.param("460020980216727", "sim:460020980216727", id="imsi"),
        pytest.param("861325220391378", "device:861325220391378", id="imei"),
        pytest.param("6217003105818700294", "account:6217003105818700294", id="card"),
        pytest.param("wxid_abc", "im:wechat:wxid_abc", id="wechat"),
        pytest.param("A4501002026000001", "case:A4501002026000001", id="case"),
        pytest.param("https://a.cc/x", "url:https://a.cc/x", id="url"),
        pytest.param("10.1.2.3", "ip:10.1.2.3", id="ip"),
        pytest.param("phone:13800138000", "phone:13800138000", id="already-typed"),
    ],
)
def test_guess(clue: str, expected: str) -> None:
    assert guess_node_id(clue) == expected


def test_guess_refuses_what_it_cannot_tell() -> None:
    with pytest.raises(InvalidInput, match="cannot tell"):
        guess_node_id("张三")


def test_column_and_clue_agree() -> None:
    raw = pl.Series(["+86 13800138000", "138-0013-8001", "bad", None])
    assert node_ids("phone", raw).to_list() == [
        normalize_node_id("phone:+86 13800138000"),
        normalize_node_id("phone:138-0013-8001"),
        None,
        None,
    ]
