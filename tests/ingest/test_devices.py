"""Device logs against an in-memory store: devices, sightings, the latest link per number."""

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
    sightings = result.inserts["device_sightings"]
    assert sightings.height == 6  # every row of the log, in time order
    assert sightings["id"].to_list() == list(range(1, 7))
    assert sightings.select("device_id", "phone_id").rows() == [
        (1, 1),
        (2, 2),
        (3, 3),
        (3, 4),
        (3, 5),
        (1, 1),
    ]
    assert sightings["cell_id"].to_list()[-1] == "460-00-20001-105"
    assert sightings["seen_at"].dtype == pl.Datetime("us", "UTC")


def test_a_sim_that_hops_boxes_keeps_every_sighting() -> None:
    text = (
        HEADER
        + f"{IMEI_A},13800138000,2024-05-01 08:00:00,C1,\n"
        + f"{IMEI_B},13800138000,2024-05-02 08:00:00,C2,\n"
        + f"{IMEI_B},13800138000,2024-05-02 08:00:00,C3,\n"  # same sighting, last cell wins
        + f"{IMEI_A},13800138000,2024-05-03 08:00:00,C1,\n"
    )
    result = run("devices", text)
    devices = result.inserts["devices"]
    by_imei = dict(zip(devices["imei"], devices["id"], strict=True))
    sightings = result.inserts["device_sightings"]
    assert sightings["device_id"].to_list() == [by_imei[IMEI_A], by_imei[IMEI_B], by_imei[IMEI_A]]
    assert sightings["cell_id"].to_list() == ["C1", "C3", "C1"]
    assert result.inserts["phones"]["device_id"].item() == by_imei[IMEI_A]


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
        "device_sightings": first.inserts["device_sightings"],
    }
    again = run("devices", text, stored=stored, ids={"devices": 21})
    assert again.total_rows == 0
    assert (again.report.records, again.report.skipped_existing) == (0, 1)
    later = HEADER + f"{IMEI_A},13800138000,2024-05-09 08:00:00,C1,460001234567801\n"
    seen_again = run("devices", later, stored=stored, ids={"devices": 21})
    assert seen_again.inserts["device_sightings"].select("device_id", "phone_id").row(0) == (20, 5)
    assert seen_again.report.records == 1 and "phones" not in seen_again.updates


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
