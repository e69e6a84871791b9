"""Column mapping: default headers (English and Chinese), --map, and clear errors."""

from __future__ import annotations

import pytest

from fanzha.errors import InvalidInput
from fanzha.ingest import parse_mapping
from fanzha.ingest._columns import KINDS, RECORD_FIELDS, resolve_columns


@pytest.mark.parametrize(
    ("kind", "header", "expected"),
    [
        (
            "calls",
            ["主叫号码", "被叫号码", "通话时间", "通话时长"],
            {
                "caller": "主叫号码",
                "callee": "被叫号码",
                "started_at": "通话时间",
                "duration_s": "通话时长",
            },
        ),
        (
            "transfers",
            ["交易流水号", "付款账号", "收款账号", "交易金额", "交易时间", "币种"],
            {
                "txn_id": "交易流水号",
                "src": "付款账号",
                "dst": "收款账号",
                "amount": "交易金额",
                "time": "交易时间",
                "currency": "币种",
            },
        ),
        ("cards", ["卡号", "身份证号"], {"number": "卡号", "id_number": "身份证号"}),
        (
            "devices",
            [" IMEI ", "MSISDN", "Time"],
            {"imei": " IMEI ", "number": "MSISDN", "seen_at": "Time"},
        ),
    ],
)
def test_default_headers_are_found(kind: str, header: list[str], expected: dict[str, str]) -> None:
    assert resolve_columns(kind, header, {}, source="f.csv") == expected


def test_a_mapping_wins_over_default_names() -> None:
    header = ["主叫号码", "本机", "对方", "时间"]
    mapping = parse_mapping(["caller=本机", "callee=对方,started_at=时间"])
    resolved = resolve_columns("calls", header, mapping, source="f.csv")
    assert resolved == {"caller": "本机", "callee": "对方", "started_at": "时间"}


def test_a_missing_required_column_names_the_field_and_the_header() -> None:
    with pytest.raises(InvalidInput) as caught:
        resolve_columns("calls", ["主叫号码", "通话时间"], {}, source="cdr.csv")
    message = caught.value.message
    assert caught.value.field == "callee" and caught.value.source == "cdr.csv"
    assert "主叫号码, 通话时间" in message and "--map callee=" in message


@pytest.mark.parametrize(
    ("mapping", "fragment"),
    [({"calller": "A"}, "not a field of calls"), ({"caller": "X"}, "no column 'X'")],
)
def test_bad_mappings_are_refused(mapping: dict[str, str], fragment: str) -> None:
    with pytest.raises(InvalidInput, match=fragment):
        resolve_columns("calls", ["A", "B", "C"], mapping, source="f.csv")


@pytest.mark.parametrize(
    ("items", "fragment"),
    [(["caller"], "not field=column"), (["caller=A,caller=B"], "mapped twice"), (["=A"], "field")],
)
def test_malformed_map_options_are_refused(items: list[str], fragment: str) -> None:
    with pytest.raises(InvalidInput, match=fragment):
        parse_mapping(items)


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(InvalidInput, match="not a record kind"):
        resolve_columns("sms", ["a"], {}, source="f.csv")


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_has_help_and_its_own_name_as_first_alias(kind: str) -> None:
    for spec in RECORD_FIELDS[kind]:
        assert spec.help and spec.aliases[0] == spec.name
