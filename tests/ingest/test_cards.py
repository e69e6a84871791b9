"""Card registrations against an in-memory store: holders, outlets, existing cards."""

from __future__ import annotations

import polars as pl
import pytest

from fanzha.errors import InvalidInput
from tests.ingest.conftest import CARD_A, EXAMPLES, ID_A, ID_B, run

HEADER = "号码,身份证号,姓名,营业网点,开户时间,运营商\n"


def test_the_example_file() -> None:
    result = run("cards", pl.read_csv(EXAMPLES / "cards.csv", infer_schema=False))
    persons = result.inserts["persons"]
    phones = result.inserts["phones"]
    accounts = result.inserts["bank_accounts"]
    assert sorted(persons["name"]) == ["张伟", "李娜", "王芳", "赵强"]
    assert persons.filter(pl.col("name") == "王芳")["id_number"].item() is None
    assert phones["number"].to_list() == ["15400000001", "17900000002", "19400000003"]
    assert accounts["bank"].to_list() == ["建设银行", "建设银行", "工商银行", "工商银行"]
    assert result.inserts["outlets"].height == 4
    # 张伟's phone and first card have one holder.
    zhang = persons.filter(pl.col("name") == "张伟")["id"].item()
    assert phones["owner_id"][0] == zhang == accounts["holder_id"][0]


def test_kind_is_inferred_from_the_length() -> None:
    text = HEADER + f"13800138000,{ID_A},,,,\n{CARD_A},{ID_A},,,,\n"
    result = run("cards", text)
    assert result.inserts["phones"]["number"].to_list() == ["13800138000"]
    assert result.inserts["bank_accounts"]["account_no"].to_list() == [CARD_A]
    assert result.inserts["persons"].row(0, named=True)["name"] == "未知"


def test_stored_persons_and_outlets_are_reused() -> None:
    stored = {
        "persons": pl.DataFrame({"id_number": [ID_A], "id": [3]}),
        "outlets": pl.DataFrame({"name": ["青秀营业厅"], "id": [9]}),
    }
    result = run("cards", HEADER + f"13800138000,{ID_A},张伟,青秀营业厅,,\n", stored=stored)
    assert "persons" not in result.inserts and "outlets" not in result.inserts
    assert result.inserts["phones"].select("owner_id", "outlet_id").row(0) == (3, 9)


def test_names_without_id_numbers_are_new_persons_one_per_name() -> None:
    text = "号码,姓名\n13800138000,王芳\n13800138001,王芳\n13800138002,李四\n"
    result = run("cards", text)
    assert result.inserts["persons"]["name"].to_list() == ["王芳", "李四"]
    assert result.inserts["phones"]["owner_id"].to_list() == [1, 1, 2]


def test_stored_cards_with_a_holder_are_skipped_without_one_are_completed() -> None:
    stored = {
        "bank_accounts": pl.DataFrame(
            {"account_no": [CARD_A], "id": [4], "bank": ["未知"], "holder_id": [None]},
            schema_overrides={"holder_id": pl.Int64},
        ),
        "phones": pl.DataFrame({"number": ["13800138000"], "id": [6], "owner_id": [2]}),
    }
    text = HEADER + f"{CARD_A},{ID_B},李娜,兴宁支行,2022-01-10,工商银行\n13800138000,{ID_A},,,,\n"
    result = run("cards", text, stored=stored)
    update = result.updates["bank_accounts"].row(0, named=True)
    assert update["id"] == 4 and update["bank"] == "工商银行"
    assert update["holder_id"] == result.inserts["persons"]["id"].item()
    assert "phones" not in result.inserts and "phones" not in result.updates
    assert (result.report.records, result.report.skipped_existing) == (1, 1)


@pytest.mark.parametrize(
    ("row", "field", "fragment"),
    [
        pytest.param(f"13800138000,{ID_A[:-1]}0,,,,", "身份证号", "not a resident ID", id="check"),
        pytest.param("13800138000,,,,,", "身份证号", "no holder", id="no-holder"),
        pytest.param(f"1380013800a,{ID_A},,,,", "号码", "not a phone number", id="bad-phone"),
        pytest.param(f"62170000000000000ab,{ID_A},,,,", "号码", "not a bank", id="bad-card"),
        pytest.param(f"13900139000,{ID_A},,,yesterday,", "开户时间", "not a time", id="time"),
        pytest.param(f"13800138000,{ID_B},,,,", "号码", "repeats the card of line 2", id="twice"),
    ],
)
def test_bad_registrations_are_named(row: str, field: str, fragment: str) -> None:
    text = HEADER + f"13800138000,{ID_A},张伟,,,\n" + row + "\n"
    with pytest.raises(InvalidInput) as caught:
        run("cards", text)
    assert (caught.value.line, caught.value.field) == (3, field)
    assert fragment in caught.value.message


def test_a_file_without_holder_columns_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no holder column"):
        run("cards", "号码\n13800138000\n")
