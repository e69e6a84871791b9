"""Fugitive matching: identifiers cleaned, a batch matched by one join, hits deduplicated."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from fanzha.errors import InvalidInput
from fanzha.operations._fugitives import (
    clean_identifiers,
    hit_clues,
    match_wanted,
    new_hits,
    record_identifiers,
)

NOW = datetime(2022, 5, 23, 8, tzinfo=UTC)


def _wanted() -> pl.DataFrame:
    return clean_identifiers(
        pl.DataFrame(
            {
                "fugitive_id": [1, 1, 2, 2],
                "kind": ["phone", "card", "phone", "im"],
                "value": [
                    "138 0013 8000",
                    "6222-0200-1234-5678-901",
                    "+86 139 0000 1111",
                    "WeChat:Abc_1",
                ],
            }
        )
    )


def test_identifiers_are_cleaned_and_keyed() -> None:
    assert _wanted().get_column("key").to_list() == [
        "phone:13800138000",
        "card:6222020012345678901",
        "phone:13900001111",
        "im:wechat:abc_1",
    ]


def test_a_bad_identifier_is_named() -> None:
    frame = pl.DataFrame({"fugitive_id": [1], "kind": ["imei"], "value": ["12ab"]})
    with pytest.raises(InvalidInput) as raised:
        clean_identifiers(frame)
    assert raised.value.field == "identifiers[0].imei"


def test_calls_and_transfers_hit_in_one_batch_and_only_once() -> None:
    calls = pl.DataFrame(
        {
            "id": [10, 11, 12],
            "caller": ["13700000000", "13800138000", "13500000000"],
            "callee": ["13800138000", "13600000000", "13600000000"],
            "started_at": [NOW, NOW, NOW],
        }
    )
    transfers = pl.DataFrame(
        {"id": [5], "src": ["6222020012345678901"], "dst": ["6217000011112222"], "at": [NOW]}
    )
    records = pl.concat(
        [
            record_identifiers(
                calls,
                record_kind="call",
                columns={"caller": "phone", "callee": "phone"},
                time_column="started_at",
            ),
            record_identifiers(
                transfers,
                record_kind="transfer",
                columns={"src": "card", "dst": "card"},
                time_column="at",
            ),
        ]
    )
    hits = match_wanted(records, _wanted())
    assert hits.select("fugitive_id", "kind", "record_kind", "record_id", "records").rows() == [
        (1, "card", "transfer", 5, 1),
        (1, "phone", "call", 10, 2),
    ]
    seen = hits.select("fugitive_id", "record_kind", "record_id")
    assert new_hits(match_wanted(records, _wanted()), seen).height == 0
    clues = hit_clues(hits, {1: {"district": "青秀区", "wanted_no": "W2022-1"}}, now=NOW)
    assert len(clues) == 1 and clues[0].district == "青秀区"
    assert "手机号出现在2条新话单中" in clues[0].summary
    assert "13800138000" not in clues[0].title + clues[0].summary
