"""Device logs against an in-memory store: devices, the latest link per number, updates."""

from __future__ import annotations

import polars as pl
import pytest

from fanzha.errors import InvalidInput
from tests.ingest.conftest import EXAMPLES, run

HEADER = "IMEI,手机号码,采集时间,基站号,IMSI\n"
IMEI_A = "860000000000017"
IMEI_B = "860000000000025"


def test_the_example_file() -> None:
    result = run("devices", pl.read_csv(EXAMPLES / "devices.csv", infer_schema=False))
    devices = result.inserts["devices"]
    assert devices["slots"].to_list() == [1, 1, 3]
    assert devices["kind"].to_list() == ["handset"] * 3
    # the latest row of the first device names another cell
    assert devices["cell_id"][0] == "460-00-20001-105"
    phones = result.inserts["phones"]
    assert phones["device_id"].to_list() == [1, 2, 3, 3, 3]
    assert phones["imsi"][0] == "460001234567801" and phones["imsi"][2] is None
    assert result.report.duplicates == 0


def test_the_latest_row_wins_whatever_the_file_order() -> None:
    text = (
        HEADER
        + f"{IMEI_B},13800138000,2024-05-02 08:00:00,,\n"
        + f"{IMEI_A},13800138000,2024-05-01 08:00:00,,\n"
    )
    result = run("devices", text)
    devices = result.inserts["devices"]
    by_imei = dict(zip(devices["imei"], devices["id"], strict=True))
    assert result.inserts["phones"]["device_id"].item() == by_imei[IMEI_B]


def test_stored_phones_are_relinked_and_an_unchanged_log_changes_nothing() -> None:
    text = HEADER + f"{IMEI_A},13800138000,2024-05-01 08:00:00,C1,460001234567801\n"
    stored = {
        "phones": pl.DataFrame(
            {"number": ["13800138000"], "id": [5], "device_id": [None], "imsi": [None]},
            schema_overrides={"device_id": pl.Int64, "imsi": pl.String},
        )
    }
    first = run("devices", text, stored=stored, ids={"devices": 20})
    assert first.updates["phones"].row(0) == (5, 20, "460001234567801")
    stored = {
        "phones": pl.DataFrame(
            {"number": ["13800138000"], "id": [5], "device_id": [20], "imsi": ["460001234567801"]}
        ),
        "devices": pl.DataFrame(
            {"imei": [IMEI_A], "id": [20], "kind": ["handset"], "slots": [1], "cell_id": ["C1"]}
        ),
    }
    again = run("devices", text, stored=stored, ids={"devices": 21})
    assert again.total_rows == 0
    assert (again.report.records, again.report.skipped_existing) == (0, 1)


def test_a_goip_box_kind_updates_a_stored_handset() -> None:
    text = "imei,number,seen_at,kind\n" + f"{IMEI_A},13800138000,2024-05-01 08:00:00,猫池\n"
    stored = {
        "devices": pl.DataFrame(
            {"imei": [IMEI_A], "id": [3], "kind": ["handset"], "slots": [1], "cell_id": [None]},
            schema_overrides={"cell_id": pl.String},
        )
    }
    result = run("devices", text, stored=stored)
    assert result.updates["devices"].select("id", "kind").row(0) == (3, "goip")


@pytest.mark.parametrize(
    ("row", "field", "fragment"),
    [
        ("86000000000,13800138000,2024-05-01 08:00:00,,", "IMEI", "not an IMEI"),
        (f"{IMEI_A},abc,2024-05-01 08:00:00,,", "手机号码", "not a phone number"),
        (f"{IMEI_A},13800138000,,,", "采集时间", "is empty"),
        (f"{IMEI_A},13800138000,2024-05-01 08:00:00,,4600012", "IMSI", "not an IMSI"),
        (f"{IMEI_A},13800138000,2024-05-01 08:00:00,{'C' * 33},", "基站号", "longer than 32"),
    ],
)
def test_bad_log_rows_are_named(row: str, field: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        run("devices", HEADER + row + "\n")
    assert (caught.value.line, caught.value.field) == (2, field)
    assert fragment in caught.value.message
