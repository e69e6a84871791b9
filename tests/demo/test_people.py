"""Who is in the demo city: districts, gangs and dens, victims by fraud type, valid numbers."""

from __future__ import annotations

import numpy as np
import phonenumbers
import polars as pl
import pytest

from fanzha.demo import label_gang_phones
from fanzha.demo._calibration import city_map
from fanzha.demo._numbers import PHONE_SEGMENTS, luhn_check_digits
from fanzha.taxonomy import get_fraud_type
from tests.demo.conftest import City

MAIN_TYPES = (
    "brushing_rebate",
    "fake_customer_service",
    "fake_investment",
    "loan_credit_card",
    "fake_credit_record",
    "impersonate_authority",
)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def test_people_live_in_the_twelve_districts(city: City) -> None:
    names = {d.name for d in city_map().districts}
    assert len(names) == 12 and {"宾阳县", "青秀区", "横州市"} <= names
    assert set(city["persons"].get_column("district").unique()) == names


def test_the_big_brushing_gang_has_7_leaders_4_managers_and_92_operators(city: City) -> None:
    gang = city["gangs"].row(0, named=True)
    assert (gang["kind"], gang["fraud_type"], gang["district"]) == (
        "fraud",
        "brushing_rebate",
        "宾阳县",
    )
    roles = city["persons"].filter(pl.col("gang_id") == gang["id"]).get_column("gang_role")
    assert dict(roles.value_counts().iter_rows()) == {"leader": 7, "manager": 4, "operator": 92}


def test_there_are_fraud_gangs_and_the_three_kinds_of_den(city: City) -> None:
    kinds = set(city["gangs"].get_column("kind"))
    assert kinds == {"fraud", "goip_den", "laundering_den", "lead_gen_den"}
    roles = set(city["persons"].get_column("gang_role").drop_nulls())
    assert roles == {
        "leader",
        "manager",
        "operator",
        "card_trafficker",
        "cash_out",
        "money_runner",
        "lead_gen",
    }


def test_gang_members_of_binyang_mostly_live_in_key_villages(city: City) -> None:
    key = {village for _, _, village in city_map().key_villages}
    members = city["persons"].filter(
        pl.col("gang_id").is_not_null() & (pl.col("district") == "宾阳县")
    )
    assert members.get_column("village").is_in(list(key)).mean() > 0.5  # type: ignore[operator]


@pytest.mark.parametrize("table", ["cases", "warning_tasks"])
def test_fraud_type_mix_follows_the_seeds(city: City, table: str) -> None:
    counts = dict(city[table].get_column("fraud_type").value_counts().iter_rows())
    main = [counts.get(code, 0) for code in MAIN_TYPES]
    assert main == sorted(main, reverse=True) and main[0] > main[1]
    rest = [n for code, n in counts.items() if code not in MAIN_TYPES]
    assert max(rest) <= main[-1]
    assert all(get_fraud_type(code) is not None for code in counts)


def test_investment_and_romance_lose_the_most_per_case(city: City) -> None:
    median = dict(
        city["cases"].group_by("fraud_type").agg(pl.col("amount_lost_fen").median()).iter_rows()
    )
    assert min(median["fake_investment"], median["romance_scam"]) > 3 * median["brushing_rebate"]


@pytest.mark.parametrize(
    ("fraud_type", "group"),
    [
        ("impersonate_authority", pl.col("age") >= 60),
        ("brushing_rebate", pl.col("occupation") == "学生"),
        ("game_trade", pl.col("occupation") == "学生"),
        ("impersonate_leader", pl.col("occupation") == "财务人员"),
    ],
)
def test_victims_are_over_represented_where_the_seeds_say(
    city: City, fraud_type: str, group: pl.Expr
) -> None:
    people = city["persons"].with_columns(age=2026 - pl.col("birth_date").dt.year())
    citizens = people.filter(pl.col("gang_id").is_null())
    targeted = people.join(
        city["warning_tasks"].filter(pl.col("fraud_type") == fraud_type).select(id="person_id"),
        on="id",
    )
    assert targeted.select(group.mean()).item() > 2 * citizens.select(group.mean()).item()


def _id_checks(numbers: pl.Series) -> np.ndarray:
    digits = np.array([[int(c) for c in n[:17]] for n in numbers.to_list()])
    expected = np.array(list("10X98765432"))[(digits * np.array(ID_WEIGHTS)).sum(axis=1) % 11]
    return expected == np.array([n[17] for n in numbers.to_list()])


def test_id_numbers_are_valid_and_agree_with_the_person(city: City) -> None:
    people = city["persons"]
    ids = people.get_column("id_number")
    assert ids.str.len_chars().eq(18).all() and ids.str.starts_with("4501").all()
    assert _id_checks(ids).all()
    birth = people.get_column("birth_date").dt.strftime("%Y%m%d")
    assert (ids.str.slice(6, 8) == birth).all()
    odd = ids.str.slice(16, 1).cast(pl.Int64) % 2 == 1
    assert (odd == (people.get_column("gender") == "M")).all()


def _luhn_ok(numbers: pl.Series) -> bool:
    digits = np.array([[int(c) for c in n] for n in numbers.to_list()])
    return bool((luhn_check_digits(digits[:, :-1]) == digits[:, -1]).all())


def test_cards_and_imeis_carry_luhn_check_digits(city: City) -> None:
    cards = city["bank_accounts"].filter(pl.col("kind") != "crypto_exit").get_column("account_no")
    assert cards.str.len_chars().eq(19).all() and _luhn_ok(cards)
    imeis = city["devices"].get_column("imei")
    assert imeis.str.len_chars().eq(15).all() and _luhn_ok(imeis)
    wallets = city["bank_accounts"].filter(pl.col("kind") == "crypto_exit").get_column("account_no")
    assert wallets.str.starts_with("T").all() and wallets.str.len_chars().eq(34).all()


def test_phone_numbers_are_valid_and_in_their_carrier_s_segments(city: City) -> None:
    phones = city["phones"]
    numbers = phones.get_column("number")
    assert numbers.str.len_chars().eq(11).all()
    for number, carrier in phones.select("number", "carrier").iter_rows():
        assert number[:4] in PHONE_SEGMENTS[carrier], (number, carrier)
        assert phonenumbers.is_valid_number(phonenumbers.parse(number, "CN")), number


def test_gang_sims_sit_in_goip_boxes_and_were_opened_at_a_few_outlets(city: City) -> None:
    sims = label_gang_phones(city["phones"], city["devices"], city["persons"])
    assert sims.height > 20
    dens = city["gangs"].filter(pl.col("kind") == "goip_den").get_column("id")
    assert sims.get_column("den_id").is_in(dens.implode()).all()
    phones = city["phones"].filter(pl.col("id").is_in(sims["phone_id"].implode()))
    assert phones.get_column("outlet_id").n_unique() <= 3
    owners = city["persons"].filter(pl.col("id").is_in(phones["owner_id"].implode()))
    assert set(owners.get_column("gang_role").drop_nulls()) == {"card_trafficker"}
    boxes = city["devices"].filter(pl.col("kind") == "goip")
    assert (boxes.get_column("slots") >= 8).all()
    per_box = sims.group_by("device_id").len().get_column("len")
    assert per_box.max() > 1  # type: ignore[operator]


def test_mule_cards_were_opened_at_a_few_bank_outlets(city: City) -> None:
    linked = city["transfers"].filter(pl.col("case_id").is_not_null())
    mules = city["bank_accounts"].filter(
        pl.col("id").is_in(linked["dst_account_id"].implode()) & (pl.col("kind") == "personal")
    )
    assert mules.get_column("outlet_id").n_unique() <= 3


def test_most_calls_are_ordinary(city: City) -> None:
    sims = label_gang_phones(city["phones"], city["devices"], city["persons"])
    from_gangs = city["calls"].get_column("caller_id").is_in(sims["phone_id"].implode())
    assert 0.02 < from_gangs.mean() < 0.3  # type: ignore[operator]


def test_every_fraud_call_event_has_its_call(city: City) -> None:
    phones = city["phones"].select("id", "number")
    calls = (
        city["calls"]
        .join(phones.rename({"id": "caller_id", "number": "counterpart"}), on="caller_id")
        .join(phones.rename({"id": "callee_id", "number": "phone_number"}), on="callee_id")
        .select("counterpart", "phone_number", "started_at")
    )
    events = city["events"].filter(pl.col("kind") == "fraud_call")
    matched = events.join(calls, on=["counterpart", "phone_number"]).filter(
        (pl.col("started_at") <= pl.col("occurred_at"))
        & (pl.col("occurred_at") - pl.col("started_at") < pl.duration(minutes=1))
    )
    assert matched.get_column("id").n_unique() == events.height > 0
