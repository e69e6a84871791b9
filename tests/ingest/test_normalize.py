"""Normalisers: numbers, accounts, ID numbers, devices, durations, times and amounts."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from fanzha.errors import InvalidInput
from fanzha.ingest._normalize import clean_imeis, clean_imsis, parse_durations
from fanzha.records import (
    account_kinds,
    as_text,
    clean_accounts,
    clean_id_numbers,
    clean_phones,
    id_number_births,
    id_number_genders,
    parse_amounts,
    parse_times,
    phone_kinds,
)
from tests.ingest.conftest import ID_A, ID_B

MAY_1_10H_BEIJING = datetime(2024, 5, 1, 2, 0, tzinfo=UTC)


def _apply(expr_of: object, value: str | None) -> object:
    frame = pl.DataFrame({"v": as_text(pl.Series("v", [value], dtype=pl.String))})
    return frame.select(expr_of(pl.col("v"))).item()  # type: ignore[operator]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("13800138000", "13800138000", id="plain"),
        pytest.param("138 0013-8000", "13800138000", id="spaces-dashes"),
        pytest.param("+86 138-0013-8000", "13800138000", id="plus86"),
        pytest.param("0086 13800138000", "13800138000", id="0086"),
        pytest.param("8613800138000", "13800138000", id="bare-86"),
        pytest.param("１３８００１３８０００", "13800138000", id="full-width"),
        pytest.param("(0771) 123-4567", "07711234567", id="landline"),
        pytest.param("95588", "95588", id="service"),
        pytest.param("+63 917 123 4567", "+639171234567", id="foreign-plus"),
        pytest.param("0063 917 123 4567", "+639171234567", id="foreign-00"),
        pytest.param("138001380ab", None, id="letters"),
        pytest.param("138****8000", None, id="masked"),
        pytest.param("12", None, id="too-short"),
        pytest.param("+86", None, id="prefix-only"),
        pytest.param("1380013800012345678", None, id="too-long"),
    ],
)
def test_phone_numbers_are_normalised_or_refused(raw: str, expected: str | None) -> None:
    assert _apply(clean_phones, raw) == expected


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("13800138000", "mobile"),
        ("07711234567", "fixed"),
        ("4008123123", "hotline"),
        ("+639171234567", "overseas"),
        ("95588", "service"),
    ],
)
def test_new_numbers_get_a_kind_from_their_shape(number: str, kind: str) -> None:
    assert _apply(phone_kinds, number) == kind


@pytest.mark.parametrize(
    ("raw", "expected", "kind"),
    [
        ("6217 0000 0000 0000 012", "6217000000000000012", "personal"),
        ("621700-000000", "621700000000", "personal"),
        ("44050100000000000000123", "44050100000000000000123", "corporate"),
        ("62170000000", None, None),
        ("6217A00000000000012", None, None),
    ],
)
def test_bank_accounts_are_digits_and_get_a_kind(
    raw: str, expected: str | None, kind: str | None
) -> None:
    cleaned = _apply(clean_accounts, raw)
    assert cleaned == expected
    if expected is not None:
        assert _apply(account_kinds, expected) == kind


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(ID_A, ID_A, id="valid"),
        pytest.param("45010219800101123x", None, id="bad-check"),
        pytest.param("450103198013011233", None, id="bad-month"),
        pytest.param("450103800101123", "450103800101123", id="old-15-digits"),
        pytest.param("4501031980", None, id="short"),
    ],
)
def test_id_numbers_need_a_valid_check_character(raw: str, expected: str | None) -> None:
    assert _apply(clean_id_numbers, raw) == expected


def test_id_number_with_lower_case_x_is_read_as_upper_case() -> None:
    body = "11010519491231002"
    assert _apply(clean_id_numbers, body + "x") == body + "X"


@pytest.mark.parametrize(
    ("number", "birth", "gender"),
    [(ID_A, "1980-01-01", "M"), (ID_B, "1992-03-15", "M"), ("450103800101122", "1980-01-01", "F")],
)
def test_birth_date_and_sex_come_from_the_id_number(number: str, birth: str, gender: str) -> None:
    assert str(_apply(id_number_births, number)) == birth
    assert _apply(id_number_genders, number) == gender


@pytest.mark.parametrize(
    ("clean", "raw", "expected"),
    [
        (clean_imeis, "86000000-0000017", "860000000000017"),
        (clean_imeis, "a0000012345678", "A0000012345678"),
        (clean_imeis, "8600000000", None),
        (clean_imsis, "460001234567801", "460001234567801"),
        (clean_imsis, "46000123456780X", None),
    ],
)
def test_device_identifiers(clean: object, raw: str, expected: str | None) -> None:
    assert _apply(clean, raw) == expected


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [("95", 95), ("95.0", 95), ("1:35", 95), ("0:01:35", 95), ("1:75", None), ("-5", None)],
)
def test_durations(raw: str, seconds: int | None) -> None:
    assert _apply(parse_durations, raw) == seconds


@pytest.mark.parametrize(
    "raw",
    [
        "2024-05-01 10:00:00",
        "2024-05-01T10:00:00",
        "2024-05-01 10:00",
        "2024/05/01 10:00:00",
        "20240501100000",
        "2024-05-01T10:00:00+08:00",
        "2024-05-01T02:00:00Z",
        "2024-04-30T22:00:00-04:00",
        "1714528800",
        "1714528800000",
    ],
)
def test_mixed_time_formats_give_the_same_instant(raw: str) -> None:
    assert parse_times(pl.Series([raw])).item() == MAY_1_10H_BEIJING


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-05-01 06:00:00", MAY_1_10H_BEIJING),
        ("2024-05-01T10:00:00+08:00", MAY_1_10H_BEIJING),
        ("1714528800", MAY_1_10H_BEIJING),
    ],
)
def test_tz_applies_only_to_times_without_an_offset(raw: str, expected: datetime) -> None:
    # 06:00 in Dubai (UTC+4) is 02:00 UTC; times with an offset or epochs are absolute.
    assert parse_times(pl.Series([raw]), tz="Asia/Dubai").item() == expected


def test_a_wall_clock_time_in_a_daylight_saving_gap_is_unreadable() -> None:
    parsed = parse_times(pl.Series(["2024-03-10 02:30:00", "2024-03-10 04:30:00"]), tz="US/Eastern")
    assert parsed.to_list() == [None, datetime(2024, 3, 10, 8, 30, tzinfo=UTC)]


@pytest.mark.parametrize("raw", ["2024-13-01 10:00:00", "yesterday", "20240501", None])
def test_unreadable_times_are_null(raw: str | None) -> None:
    assert parse_times(pl.Series([raw], dtype=pl.String)).item() is None


def test_parquet_datetimes_naive_are_local_aware_are_kept() -> None:
    naive = pl.Series([datetime(2024, 5, 1, 10)])
    aware = pl.Series([datetime(2024, 5, 1, 2, tzinfo=UTC)]).dt.convert_time_zone("Asia/Tokyo")
    assert parse_times(naive).item() == MAY_1_10H_BEIJING
    assert parse_times(aware).item() == MAY_1_10H_BEIJING


def test_simulation_steps_are_not_times() -> None:
    with pytest.raises(InvalidInput, match="simulation steps"):
        parse_times(pl.Series(["1", "2", "3"]), field="交易时间", source="t.csv")


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(InvalidInput, match="not a time zone"):
        parse_times(pl.Series(["2024-05-01"]), tz="Mars/Olympus")


@pytest.mark.parametrize(
    ("raw", "unit", "fen"),
    [
        ("12.5", "yuan", 1250),
        ("5000.00", "yuan", 500000),
        ("0.01", "yuan", 1),
        ("12.500", "yuan", 1250),
        (" 7 ", "yuan", 700),
        ("1250", "fen", 1250),
        ("1250.0", "fen", 1250),
    ],
)
def test_amounts_become_integer_fen(raw: str, unit: str, fen: int) -> None:
    amounts, reasons = parse_amounts(pl.Series([raw]), unit=unit)
    assert (amounts.item(), reasons.item()) == (fen, None)


@pytest.mark.parametrize(
    ("raw", "unit", "reason"),
    [
        ("-300", "yuan", "is negative"),
        ("0", "yuan", "is zero"),
        ("0.00", "yuan", "is zero"),
        ("12,000", "yuan", "is not a number"),
        ("12元", "yuan", "is not a number"),
        ("12.345", "yuan", "at most 2 decimals"),
        ("0.001", "yuan", "at most 2 decimals"),
        ("12.5", "fen", "whole number of fen"),
        (None, "yuan", "is empty"),
        ("1e20", "yuan", "is not a number"),
        ("99999999999999", "yuan", "too large"),
    ],
)
def test_bad_amounts_are_refused_with_a_reason(raw: str | None, unit: str, reason: str) -> None:
    amounts, reasons = parse_amounts(pl.Series([raw], dtype=pl.String), unit=unit)
    assert amounts.item() is None
    assert reason in reasons.item()


def test_float_amounts_from_parquet_tolerate_binary_fractions() -> None:
    amounts, reasons = parse_amounts(pl.Series([0.1 + 0.2, 12.345, -1.0]))
    assert amounts.to_list() == [30, None, None]
    assert reasons[0] is None and "decimals" in reasons[1] and "negative" in reasons[2]


def test_whole_floats_lose_their_point_zero() -> None:
    assert as_text(pl.Series([13800138000.0, 1.5, None])).to_list() == ["13800138000", "1.5", None]
